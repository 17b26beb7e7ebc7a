using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Precision and form: exact results the kernel's definitions give (include/linux/tnum.h, kernel/bpf/tnum.c),
/// the kernel's documented examples, and var_off texts as they appear in kernel verifier logs.
/// </summary>
public class TnumTests
{
    private const ulong Max = ulong.MaxValue;

    private static Tnum T(ulong value, ulong mask) =>
        (value & mask) == 0 ? new(value, mask) : throw new ArgumentException($"test tnum (0x{value:x}; 0x{mask:x}) has value & mask != 0");

    /// <summary>tnum_range: bits above the highest differing bit of min and max are known.</summary>
    public static TheoryData<ulong, ulong, Tnum> RangeCases() => new()
    {
        { 0, 7, T(0, 7) },
        { 8, 15, T(8, 7) },
        { 0, 8, T(0, 15) },
        { 5, 5, Tnum.Const(5) },
        { 0, 255, T(0, 0xff) },
        { 0x100, 0x1ff, T(0x100, 0xff) },
        { 0, Max, Tnum.Unknown },                 // bits == 64: unknown
        { 1UL << 63, Max, T(1UL << 63, Max >> 1) }, // bits == 63 still representable
        { 0, 0x7fffffffffffffff, T(0, 0x7fffffffffffffff) },
    };

    [Theory]
    [MemberData(nameof(RangeCases))]
    public void RangeIsTheKernelsTnumRange(ulong min, ulong max, Tnum expected) => Assert.Equal(expected, Tnum.Range(min, max));

    /// <summary>Exact results of binary operations.</summary>
    public static TheoryData<string, Tnum, Tnum, Tnum> BinaryCases() => new()
    {
        { "add", Tnum.Const(3), Tnum.Const(4), Tnum.Const(7) },           // constants stay constant
        { "add", Tnum.Const(Max), Tnum.Const(2), Tnum.Const(1) },          // wraps modulo 2^64
        { "add", T(0, 1), Tnum.Const(1), T(0, 3) },                        // {0,1}+1 = {1,2}: carry makes bit 1 unknown
        { "add", T(0, 0xff), T(0, 0xff), T(0, 0x1ff) },                    // two bytes: sum fits 9 bits
        { "sub", Tnum.Const(10), Tnum.Const(3), Tnum.Const(7) },
        { "sub", Tnum.Const(0), Tnum.Const(1), Tnum.Const(Max) },
        { "mul", T(1, 2), Tnum.Const(3), T(1, 0xa) },                      // kernel tnum_mul comment: x1 * 11 = x0x1
        { "mul", Tnum.Const(6), Tnum.Const(7), Tnum.Const(42) },
        { "mul", Tnum.Unknown, Tnum.Const(0), Tnum.Const(0) },
        { "mul", Tnum.Const(0), Tnum.Unknown, Tnum.Const(0) },
        { "mul", T(0, 0xff), Tnum.Const(4), T(0, 0x3fc) },                 // multiplying by 2^k is a shift
        { "and", Tnum.Unknown, Tnum.Const(0xff), T(0, 0xff) },             // kernel log: r0 &= 255 -> var_off=(0x0; 0xff)
        { "and", T(0x10, 0x0f), Tnum.Const(0x18), T(0x10, 0x08) },
        { "or", T(0, 0xff), Tnum.Const(0x0f), T(0x0f, 0xf0) },
        { "xor", T(0, 0xff), Tnum.Const(0x0f), T(0, 0xff) },
        { "xor", Tnum.Const(0xf0), Tnum.Const(0xff), Tnum.Const(0x0f) },
        { "union", Tnum.Const(0b1010), Tnum.Const(0b0101), T(0, 0xf) },   // bpf list discussion of tnum_union: disagreeing bits become unknown
        { "union", Tnum.Const(0b0011), Tnum.Const(0b1001), T(1, 0xa) },    // the two partial products of the tnum_mul comment
        { "union", Tnum.Const(5), Tnum.Const(5), Tnum.Const(5) },
        { "intersect", Tnum.Unknown, Tnum.Const(5), Tnum.Const(5) },
        { "intersect", T(0, 0xff), T(0x10, 0xf0f), T(0x10, 0x0f) },
        { "intersect", Tnum.Const(1), Tnum.Const(2), Tnum.Const(3) },      // disagreeing known bits come out as 1
    };

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void BinaryOperationGivesTheKernelsResult(string op, Tnum a, Tnum b, Tnum expected)
    {
        Tnum r = op switch
        {
            "add" => a + b,
            "sub" => a - b,
            "mul" => a * b,
            "and" => a & b,
            "or" => a | b,
            "xor" => a ^ b,
            "union" => Tnum.Union(a, b),
            "intersect" => Tnum.Intersect(a, b),
            _ => throw new ArgumentException(op),
        };
        Assert.Equal(expected, r);
    }

    /// <summary>Exact results of unary operations.</summary>
    public static TheoryData<string, Tnum, Tnum> UnaryCases() => new()
    {
        { "neg", Tnum.Const(1), Tnum.Const(Max) },
        { "neg", Tnum.Const(0), Tnum.Const(0) },
        { "lsh1", T(0, 0xff), T(0, 0x1fe) },                                // kernel log: umax=255 -> umax=510, var_off=(0x0; 0x1fe)
        { "lsh63", T(1, 0), Tnum.Const(1UL << 63) },
        { "rsh4", T(0xf0, 0x0f), Tnum.Const(0x0f) },
        { "arsh64_63", Tnum.Const(1UL << 63), Tnum.Const(Max) },
        { "arsh64_4", T(0, 1UL << 63), T(0, 0xf8UL << 56) },                // unknown sign spreads
        { "arsh32_31", Tnum.Const(0x80000000), Tnum.Const(0xffffffff) },    // 32-bit result is zero-extended
        { "arsh32_4", Tnum.Const(0xffffffff_00000010), Tnum.Const(1) },     // upper half ignored
        { "arsh32_0", T(0, 0x80000000), T(0, 0x80000000) },
        { "bswap16", Tnum.Const(0x1234_5678_9abc_def0), Tnum.Const(0xf0de) },
        { "bswap32", T(0x0000_0000_1200_0000, 0x0000_0000_00ff_0000), T(0x12, 0xff00) },
        { "bswap64", T(0x12, 0xff00), T(0x1200_0000_0000_0000, 0x00ff_0000_0000_0000) },
        { "cast1", Tnum.Unknown, T(0, 0xff) },
        { "cast2", Tnum.Const(0x12345), Tnum.Const(0x2345) },
        { "cast4", Tnum.Unknown, T(0, 0xffffffff) },
        { "subreg", Tnum.Unknown, T(0, 0xffffffff) },                       // kernel log form var_off=(0x0; 0xffffffff)
        { "subreg", T(0x1_0000_0001, 0xe_0000_0f00), T(1, 0xf00) },
        { "clear_subreg", T(0x1_0000_0001, 0xe_0000_0f00), T(0x1_0000_0000, 0xe_0000_0000) },
        { "clear_subreg", Tnum.Unknown, T(0, 0xffffffff_00000000) },
        { "const_subreg", Tnum.Unknown, T(0x7, 0xffffffff_00000000) },
    };

    [Theory]
    [MemberData(nameof(UnaryCases))]
    public void UnaryOperationGivesTheKernelsResult(string op, Tnum a, Tnum expected)
    {
        Tnum r = op switch
        {
            "neg" => -a,
            "lsh1" => Tnum.Lshift(a, 1),
            "lsh63" => Tnum.Lshift(a, 63),
            "rsh4" => Tnum.Rshift(a, 4),
            "arsh64_63" => Tnum.Arshift(a, 63, 64),
            "arsh64_4" => Tnum.Arshift(a, 4, 64),
            "arsh32_31" => Tnum.Arshift(a, 31, 32),
            "arsh32_4" => Tnum.Arshift(a, 4, 32),
            "arsh32_0" => Tnum.Arshift(a, 0, 32),
            "bswap16" => Tnum.Bswap16(a),
            "bswap32" => Tnum.Bswap32(a),
            "bswap64" => Tnum.Bswap64(a),
            "cast1" => Tnum.Cast(a, 1),
            "cast2" => Tnum.Cast(a, 2),
            "cast4" => Tnum.Cast(a, 4),
            "subreg" => a.Subreg(),
            "clear_subreg" => a.ClearSubreg(),
            "const_subreg" => a.ConstSubreg(7),
            _ => throw new ArgumentException(op),
        };
        Assert.Equal(expected, r);
    }

    [Fact]
    public void WithSubregTakesTheHighHalfOfRegAndTheLowHalfOfSubreg()
    {
        Tnum reg = T(0x1234_5678_0000_0000, 0x0000_0000_ffff_ffff);
        Tnum sub = T(0xdead_beef_0000_00f0, 0x0000_0000_0000_000f);
        Assert.Equal(T(0x1234_5678_0000_00f0, 0xf), reg.WithSubreg(sub));
    }

    /// <summary>tnum_in(a, b): b is contained in a.</summary>
    public static TheoryData<Tnum, Tnum, bool> InCases() => new()
    {
        { Tnum.Unknown, Tnum.Const(12345), true },
        { Tnum.Unknown, Tnum.Unknown, true },
        { Tnum.Const(1), Tnum.Unknown, false },
        { T(0, 0xff), Tnum.Const(0x7f), true },
        { T(0, 0xff), Tnum.Const(0x100), false },
        { T(0, 0xff), T(0x10, 0x0f), true },
        { T(0x10, 0x0f), T(0, 0xff), false },
        { Tnum.Const(5), Tnum.Const(5), true },
        { Tnum.Const(5), Tnum.Const(4), false },
    };

    [Theory]
    [MemberData(nameof(InCases))]
    public void InTellsContainment(Tnum a, Tnum b, bool expected) => Assert.Equal(expected, Tnum.In(a, b));

    /// <summary>tnum_overlap: the known bits of both agree.</summary>
    public static TheoryData<Tnum, Tnum, bool> OverlapCases() => new()
    {
        { T(0x5, 0xa), T(0xa, 0x5), true },   // share 0xf
        { Tnum.Const(1), Tnum.Const(2), false },
        { Tnum.Unknown, Tnum.Const(2), true },
        { T(0x10, 0x0f), T(0x20, 0x0f), false },
    };

    [Theory]
    [MemberData(nameof(OverlapCases))]
    public void OverlapTellsWhetherAMemberIsShared(Tnum a, Tnum b, bool expected) => Assert.Equal(expected, Tnum.Overlap(a, b));

    /// <summary>tnum_step: smallest member above z, clamped to the smallest/largest member.</summary>
    public static TheoryData<Tnum, ulong, ulong> StepCases() => new()
    {
        { T(0x70, 0x82), 241, 242 },          // kernel comment: t = x11100x0, z = 241 -> 242
        { T(0x70, 0x82), 0, 0x70 },           // below the smallest member
        { T(0x70, 0x82), 0xf2, 0xf2 },        // at the largest member
        { T(0x70, 0x82), Max, 0xf2 },
        { T(0, 0xff), 0x41, 0x42 },
        { T(0x100, 0x11), 0x101, 0x110 },     // the next member skips the known-0 bits between
    };

    [Theory]
    [MemberData(nameof(StepCases))]
    public void StepGivesTheNextMember(Tnum t, ulong z, ulong expected) => Assert.Equal(expected, Tnum.Step(t, z));

    /// <summary>tnum_is_aligned: (value | mask) has no bit below the size.</summary>
    public static TheoryData<Tnum, ulong, bool> AlignedCases() => new()
    {
        { Tnum.Const(8), 8, true },
        { Tnum.Const(12), 8, false },
        { T(0, 0xf8), 8, true },
        { T(0, 0xfc), 8, false },
        { Tnum.Unknown, 1, true },
        { Tnum.Unknown, 0, true },
        { Tnum.Unknown, 2, false },
    };

    [Theory]
    [MemberData(nameof(AlignedCases))]
    public void IsAlignedChecksTheLowBits(Tnum t, ulong size, bool expected) => Assert.Equal(expected, t.IsAligned(size));

    [Fact]
    public void PredicatesFollowTheHeader()
    {
        Assert.True(Tnum.Const(3).IsConst);
        Assert.False(T(0, 1).IsConst);
        Assert.True(Tnum.Unknown.IsUnknown);
        Assert.False(T(0, Max >> 1).IsUnknown);
        Assert.True(Tnum.Const(3).EqualsConst(3));
        Assert.False(T(2, 1).EqualsConst(2));
        Assert.True(T(0x5, 0xffffffff_00000000).SubregIsConst);
        Assert.True(T(0x5, 0xffffffff_00000000).SubregEqualsConst(5));
        Assert.False(T(0x4, 0x1).SubregIsConst);
        Assert.True(Tnum.Const(7) == T(7, 0));
        Assert.True(Tnum.Const(7) != T(6, 1));
        Assert.Equal(Tnum.Const(7).GetHashCode(), T(7, 0).GetHashCode());
    }

    /// <summary>tnum_strn as printed in verifier logs: "(%#llx; %#llx)", whose kernel printf keeps 0x for zero.</summary>
    public static TheoryData<Tnum, string> StrnCases() => new()
    {
        { T(0, 0xff), "(0x0; 0xff)" },
        { T(0, 0x1fe), "(0x0; 0x1fe)" },
        { T(0, 0xb), "(0x0; 0xb)" },
        { T(0, 0xffffffff), "(0x0; 0xffffffff)" },
        { T(0, 0x7fffffffffffffff), "(0x0; 0x7fffffffffffffff)" },
        { Tnum.Unknown, "(0x0; 0xffffffffffffffff)" },
        { Tnum.Const(0xdeadbeef), "(0xdeadbeef; 0x0)" },
    };

    [Theory]
    [MemberData(nameof(StrnCases))]
    public void StrnIsTheVerifierLogForm(Tnum t, string expected)
    {
        Assert.Equal(expected, t.ToString());
        Assert.Equal(expected, t.ToStrn());
    }

    /// <summary>tnum_sbin: 64 characters, most significant first, x for unknown.</summary>
    public static TheoryData<Tnum, string> SbinCases() => new()
    {
        { Tnum.Const(5), new string('0', 61) + "101" },
        { T(1, 2), new string('0', 62) + "x1" },
        { Tnum.Unknown, new string('x', 64) },
        { T(1UL << 63, 1), "1" + new string('0', 62) + "x" },
    };

    [Theory]
    [MemberData(nameof(SbinCases))]
    public void SbinIsTheBitString(Tnum t, string expected) => Assert.Equal(expected, t.ToSbin());
}
