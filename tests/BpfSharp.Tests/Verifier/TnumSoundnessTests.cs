using BpfSharp.Verifier;
using static BpfSharp.Tests.Verifier.TnumTestSpace;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Soundness of every tnum operation: each concrete result of the operation on members of the inputs is a
/// member of the abstract result. The 64-bit operations are run as they are on tnums whose unknown bits lie
/// in one 8-bit (or 6-bit) window, so nothing is re-modelled at a narrower width; every member is enumerated.
/// The windows sit at bit 0, across bit 32 and at the top byte, so the 32-bit and 64-bit sign bits and carries
/// out of the window are exercised. Random full-width tnums (fixed seeds) cover the rest by sampling members.
/// </summary>
public class TnumSoundnessTests
{
    public delegate Tnum AbstractBinary(Tnum a, Tnum b);
    public delegate ulong ConcreteBinary(ulong x, ulong y);
    public delegate Tnum AbstractUnary(Tnum a);
    public delegate ulong ConcreteUnary(ulong x);

    private static readonly Dictionary<string, (AbstractBinary Abstract, ConcreteBinary Concrete)> Binary = new()
    {
        ["add"] = (Tnum.Add, (x, y) => unchecked(x + y)),
        ["sub"] = (Tnum.Sub, (x, y) => unchecked(x - y)),
        ["mul"] = (Tnum.Mul, (x, y) => unchecked(x * y)),
        ["and"] = (Tnum.And, (x, y) => x & y),
        ["or"] = (Tnum.Or, (x, y) => x | y),
        ["xor"] = (Tnum.Xor, (x, y) => x ^ y),
        ["with_subreg"] = ((a, b) => a.WithSubreg(b), (x, y) => (x & 0xffffffff00000000UL) | (uint)y),
    };

    private static readonly Dictionary<string, (AbstractUnary Abstract, ConcreteUnary Concrete)> Unary = BuildUnary();

    private static Dictionary<string, (AbstractUnary, ConcreteUnary)> BuildUnary()
    {
        var d = new Dictionary<string, (AbstractUnary, ConcreteUnary)>
        {
            ["neg"] = (Tnum.Neg, x => unchecked(0UL - x)),
            ["bswap16"] = (Tnum.Bswap16, x => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((ushort)x)),
            ["bswap32"] = (Tnum.Bswap32, x => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((uint)x)),
            ["bswap64"] = (Tnum.Bswap64, System.Buffers.Binary.BinaryPrimitives.ReverseEndianness),
            ["subreg"] = (a => a.Subreg(), x => (uint)x),
            ["clear_subreg"] = (a => a.ClearSubreg(), x => x & 0xffffffff00000000UL),
            ["const_subreg"] = (a => a.ConstSubreg(0x8000_0001), x => (x & 0xffffffff00000000UL) | 0x8000_0001),
        };
        foreach (int size in new[] { 1, 2, 4, 8 })
            d[$"cast{size}"] = (a => Tnum.Cast(a, size), x => size == 8 ? x : x & ((1UL << (size * 8)) - 1));
        for (int s = 0; s < 64; s++)
        {
            int shift = s;
            d[$"lsh{shift}"] = (a => Tnum.Lshift(a, shift), x => x << shift);
            d[$"rsh{shift}"] = (a => Tnum.Rshift(a, shift), x => x >> shift);
            d[$"arsh64_{shift}"] = (a => Tnum.Arshift(a, shift, 64), x => (ulong)((long)x >> shift));
            if (shift < 32)
                d[$"arsh32_{shift}"] = (a => Tnum.Arshift(a, shift, 32), x => (uint)((int)(uint)x >> shift));
        }
        return d;
    }

    public static TheoryData<string> BinaryOps() => new(Binary.Keys);

    public static TheoryData<string> UnaryOps() => new(Unary.Keys);

    /// <summary>All 6561 width-8 tnums at each offset, all members, for each unary operation (and each shift amount).</summary>
    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void UnaryOpIsSoundForAllWidth8Tnums(string op)
    {
        var (abs, con) = Unary[op];
        foreach (int offset in Offsets)
        {
            Tnum[] all = All(8, offset);
            ulong[][] members = AllMembers(8, offset);
            for (int i = 0; i < all.Length; i++)
            {
                Tnum a = all[i];
                Tnum r = abs(a);
                Assert.Equal(0UL, r.Value & r.Mask);
                foreach (ulong x in members[i])
                    if (!r.Contains(con(x)))
                        Assert.Fail($"{op}{a} = {r} misses {op}(0x{x:x}) = 0x{con(x):x}");
            }
        }
    }

    /// <summary>Every pair of width-6 tnums (729^2) at bit 0, every pair of members.</summary>
    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void BinaryOpIsSoundForAllPairsOfWidth6Tnums(string op)
    {
        Tnum[] all = All(6, 0);
        ulong[][] members = AllMembers(6, 0);
        CheckPairs(op, all, members, all.Length * all.Length, null);
    }

    /// <summary>A fixed pseudo-random sample of pairs of width-8 tnums at each offset (and mixed offsets), every pair of members.</summary>
    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void BinaryOpIsSoundForSampledPairsOfWidth8Tnums(string op)
    {
        var rng = new Random(8);
        var all = new List<Tnum>();
        var allMembers = new List<ulong[]>();
        foreach (int offset in Offsets)
        {
            all.AddRange(All(8, offset));
            allMembers.AddRange(AllMembers(8, offset));
        }
        Tnum[] tnums = all.ToArray();
        ulong[][] members = allMembers.ToArray();
        CheckPairs(op, tnums, members, 60_000, rng);
    }

    private static void CheckPairs(string op, Tnum[] tnums, ulong[][] members, int count, Random? rng)
    {
        var (abs, con) = Binary[op];
        for (int k = 0; k < count; k++)
        {
            int i = rng is null ? k / tnums.Length : rng.Next(tnums.Length);
            int j = rng is null ? k % tnums.Length : rng.Next(tnums.Length);
            Tnum a = tnums[i], b = tnums[j];
            Tnum r = abs(a, b);
            Assert.Equal(0UL, r.Value & r.Mask);
            foreach (ulong x in members[i])
                foreach (ulong y in members[j])
                    if (!r.Contains(con(x, y)))
                        Assert.Fail($"{op}({a}, {b}) = {r} misses {op}(0x{x:x}, 0x{y:x}) = 0x{con(x, y):x}");
        }
    }

    public static TheoryData<string> OptimalOps() => new("add", "sub", "and", "or", "xor");

    /// <summary>
    /// Precision: for these operations the kernel's result is the smallest tnum holding every concrete result
    /// (bitwise operations bit by bit; tnum_add/tnum_sub as proved maximally precise by Vishwanathan et al., CGO 2022),
    /// checked for every pair of width-6 tnums.
    /// </summary>
    [Theory]
    [MemberData(nameof(OptimalOps))]
    public void BinaryOpIsOptimalForAllPairsOfWidth6Tnums(string op)
    {
        var (abs, con) = Binary[op];
        Tnum[] all = All(6, 0);
        ulong[][] members = AllMembers(6, 0);
        for (int i = 0; i < all.Length; i++)
            for (int j = 0; j < all.Length; j++)
            {
                ulong ones = ulong.MaxValue, zeros = ulong.MaxValue; // bits 1 in every result / 0 in every result
                foreach (ulong x in members[i])
                    foreach (ulong y in members[j])
                    {
                        ulong c = con(x, y);
                        ones &= c;
                        zeros &= ~c;
                    }
                var best = new Tnum(ones, ~(ones | zeros));
                Tnum r = abs(all[i], all[j]);
                if (r != best)
                    Assert.Fail($"{op}({all[i]}, {all[j]}) = {r}, best is {best}");
            }
    }

    /// <summary>Random full 64-bit tnums (fixed seed), sampled members.</summary>
    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void BinaryOpIsSoundForRandom64BitTnums(string op)
    {
        var (abs, con) = Binary[op];
        var rng = new Random(64);
        for (int k = 0; k < 20_000; k++)
        {
            Tnum a = Random64(rng), b = Random64(rng);
            Tnum r = abs(a, b);
            Assert.Equal(0UL, r.Value & r.Mask);
            for (int m = 0; m < 16; m++)
            {
                ulong x = RandomMember(a, rng), y = RandomMember(b, rng);
                if (!r.Contains(con(x, y)))
                    Assert.Fail($"{op}({a}, {b}) = {r} misses {op}(0x{x:x}, 0x{y:x}) = 0x{con(x, y):x}");
            }
        }
    }

    /// <summary>Random full 64-bit tnums (fixed seed), sampled members, every unary operation.</summary>
    [Fact]
    public void UnaryOpsAreSoundForRandom64BitTnums()
    {
        var rng = new Random(65);
        for (int k = 0; k < 4_000; k++)
        {
            Tnum a = Random64(rng);
            foreach (var (op, (abs, con)) in Unary)
            {
                Tnum r = abs(a);
                Assert.Equal(0UL, r.Value & r.Mask);
                for (int m = 0; m < 2; m++)
                {
                    ulong x = RandomMember(a, rng);
                    if (!r.Contains(con(x)))
                        Assert.Fail($"{op}{a} = {r} misses {op}(0x{x:x}) = 0x{con(x):x}");
                }
            }
        }
    }

    /// <summary>Union holds every member of either side; Intersect every common member (all width-6 pairs).</summary>
    [Fact]
    public void UnionAndIntersectAreSoundForAllPairsOfWidth6Tnums()
    {
        Tnum[] all = All(6, 0);
        ulong[][] members = AllMembers(6, 0);
        for (int i = 0; i < all.Length; i++)
            for (int j = 0; j < all.Length; j++)
            {
                Tnum a = all[i], b = all[j];
                Tnum u = Tnum.Union(a, b), n = Tnum.Intersect(a, b);
                foreach (ulong x in members[i])
                {
                    if (!u.Contains(x))
                        Assert.Fail($"union({a}, {b}) = {u} misses 0x{x:x}");
                    if (b.Contains(x) && !n.Contains(x))
                        Assert.Fail($"intersect({a}, {b}) = {n} misses 0x{x:x}");
                }
                foreach (ulong y in members[j])
                    if (!u.Contains(y))
                        Assert.Fail($"union({a}, {b}) = {u} misses 0x{y:x}");
            }
    }

    /// <summary>In (containment) and Overlap (a common member exists) are exact, checked by enumeration (all width-6 pairs).</summary>
    [Fact]
    public void InAndOverlapAreExactForAllPairsOfWidth6Tnums()
    {
        Tnum[] all = All(6, 0);
        ulong[][] members = AllMembers(6, 0);
        foreach (Tnum a in all)
            for (int j = 0; j < all.Length; j++)
            {
                Tnum b = all[j];
                bool allIn = true, common = false;
                foreach (ulong y in members[j])
                {
                    bool inA = a.Contains(y);
                    allIn &= inA;
                    common |= inA;
                }
                Assert.True(allIn == Tnum.In(a, b), $"in({a}, {b})");
                Assert.True(common == Tnum.Overlap(a, b), $"overlap({a}, {b})");
            }
    }

    /// <summary>Range holds every value of [min, max] for every 8-bit interval, and random 64-bit ones at their ends and inside.</summary>
    [Fact]
    public void RangeHoldsEveryValueOfTheInterval()
    {
        for (ulong min = 0; min < 256; min++)
            for (ulong max = min; max < 256; max++)
            {
                Tnum r = Tnum.Range(min, max);
                for (ulong x = min; x <= max; x++)
                    if (!r.Contains(x))
                        Assert.Fail($"range({min}, {max}) = {r} misses {x}");
            }
        var rng = new Random(66);
        for (int k = 0; k < 100_000; k++)
        {
            ulong p = NextU64(rng), q = NextU64(rng) >> rng.Next(64);
            ulong min = Math.Min(p, p + q), max = Math.Max(p, p + q);
            Tnum r = Tnum.Range(min, max);
            ulong inside = min + (ulong)(rng.NextDouble() * (max - min));
            Assert.True(r.Contains(min) && r.Contains(max) && r.Contains(inside), $"range(0x{min:x}, 0x{max:x}) = {r}");
        }
    }

    /// <summary>IsAligned is exact: true iff every member is a multiple of the size (all width-8 tnums at bit 0).</summary>
    [Fact]
    public void IsAlignedIsExactForAllWidth8Tnums()
    {
        Tnum[] all = All(8, 0);
        ulong[][] members = AllMembers(8, 0);
        for (int i = 0; i < all.Length; i++)
            foreach (ulong size in new ulong[] { 1, 2, 4, 8, 16 })
            {
                Tnum a = all[i];
                bool expected = true;
                foreach (ulong x in members[i])
                    expected &= x % size == 0;
                Assert.True(expected == a.IsAligned(size), $"{a} aligned {size}");
            }
    }

    /// <summary>Step returns the smallest member above z (clamped to the smallest/largest member), by enumeration.</summary>
    [Fact]
    public void StepMatchesEnumerationForAllWidth8Tnums()
    {
        foreach (int offset in new[] { 0, 56 })
        {
            Tnum[] all = All(8, offset);
            for (int i = 0; i < all.Length; i++)
            {
                Tnum t = all[i];
                ulong[] members = (ulong[])AllMembers(8, offset)[i].Clone();
                Array.Sort(members);
                ulong tmax = members[^1];
                for (ulong zi = 0; zi < 256; zi++)
                {
                    ulong z = (zi << offset) | (zi & 3); // include values between members
                    ulong expected = tmax;
                    if (z < members[0])
                        expected = members[0];
                    else if (z < tmax)
                        foreach (ulong m in members)
                            if (m > z)
                            {
                                expected = m;
                                break;
                            }
                    ulong got = Tnum.Step(t, z);
                    if (expected != got)
                        Assert.Fail($"step({t}, 0x{z:x}): expected 0x{expected:x}, got 0x{got:x}");
                }
            }
        }
    }
}

/// <summary>
/// Enumerates small tnums and their members for the Tnum property tests. A "width-w tnum at offset o" has
/// its value and mask inside bits o..o+w-1 and every other bit known 0; the 64-bit operations run on it
/// unchanged, and every member is enumerated.
/// </summary>
internal static class TnumTestSpace
{
    /// <summary>Bit offsets the width-8 tnums are placed at: the low byte, across the 32-bit boundary, the top byte (sign bit).</summary>
    public static readonly int[] Offsets = [0, 28, 56];

    private static readonly Dictionary<(int, int), (Tnum[], ulong[][])> Cache = BuildCache();

    private static Dictionary<(int, int), (Tnum[], ulong[][])> BuildCache()
    {
        var cache = new Dictionary<(int, int), (Tnum[], ulong[][])>();
        foreach (int offset in Offsets)
        {
            Tnum[] t = Enumerate(8, offset);
            cache[(8, offset)] = (t, Array.ConvertAll(t, Members));
        }
        Tnum[] t6 = Enumerate(6, 0);
        cache[(6, 0)] = (t6, Array.ConvertAll(t6, Members));
        return cache;
    }

    /// <summary>All 3^width tnums of width 8 (at <see cref="Offsets"/>) or 6 (at 0), built once; do not modify.</summary>
    public static Tnum[] All(int width, int offset) => Cache[(width, offset)].Item1;

    /// <summary>The members of each tnum of <see cref="All"/>, index for index; do not modify.</summary>
    public static ulong[][] AllMembers(int width, int offset) => Cache[(width, offset)].Item2;

    private static Tnum[] Enumerate(int width, int offset)
    {
        var list = new List<Tnum>();
        ulong full = (1UL << width) - 1;
        for (ulong mask = 0; mask <= full; mask++)
        {
            ulong free = full & ~mask;
            // every value that is a submask of the known positions
            ulong v = free;
            while (true)
            {
                list.Add(new Tnum(v << offset, mask << offset));
                if (v == 0)
                    break;
                v = (v - 1) & free;
            }
        }
        return list.ToArray();
    }

    /// <summary>Every member of <paramref name="t"/> (2^popcount(mask) of them; only for small masks).</summary>
    public static ulong[] Members(Tnum t)
    {
        var result = new ulong[1 << System.Numerics.BitOperations.PopCount(t.Mask)];
        ulong s = t.Mask;
        int i = 0;
        while (true)
        {
            result[i++] = t.Value | s;
            if (s == 0)
                break;
            s = (s - 1) & t.Mask;
        }
        return result;
    }

    /// <summary>A random 64-bit tnum with a random density of unknown bits.</summary>
    public static Tnum Random64(Random rng)
    {
        ulong mask = NextU64(rng);
        switch (rng.Next(4))
        {
            case 0: mask &= NextU64(rng); mask &= NextU64(rng); break; // sparse unknowns
            case 1: mask &= NextU64(rng); break;
            case 2: break;
            default: mask |= NextU64(rng); break; // dense unknowns
        }
        return new Tnum(NextU64(rng) & ~mask, mask);
    }

    /// <summary>A random member of <paramref name="t"/>.</summary>
    public static ulong RandomMember(Tnum t, Random rng) => t.Value | (NextU64(rng) & t.Mask);

    /// <summary>A uniformly random 64-bit number.</summary>
    public static ulong NextU64(Random rng) => (ulong)rng.NextInt64() ^ ((ulong)rng.Next(2) << 63);
}
