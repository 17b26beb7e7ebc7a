using BpfSharp.Verifier;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Soundness of ScalarBounds on random abstract values (fixed seeds): every abstract value is built around a
/// known member, synchronised, and then each concrete operation on members (RFC 9669 semantics) must land in
/// the abstract result. Sync must keep every member and leave the kernel's invariants intact.
/// </summary>
public class ScalarBoundsSoundnessTests
{
    private const int Rounds = 1500;

    // Values near the edges that matter: 0, the 32- and 64-bit sign boundaries and wrap points, small numbers.
    private static ulong Interesting(Random rng)
    {
        ulong small = (ulong)(long)rng.Next(-300, 300);
        return rng.Next(9) switch
        {
            0 => small,
            1 => 0x8000_0000UL + small,
            2 => 0x1_0000_0000UL + small,
            3 => 0x8000_0000_0000_0000UL + small,
            4 => 0xffff_ffff_8000_0000UL + small,
            5 => (ulong)rng.NextInt64() & ((1UL << rng.Next(1, 64)) - 1),
            6 => (ulong)rng.NextInt64() << 1 ^ (ulong)rng.Next(2),
            7 => (ulong)(long)(int)rng.Next() * (ulong)(rng.Next(2) * 2 - 1),
            _ => ((ulong)rng.Next() << 32) | small,
        };
    }

    private static Tnum RandomTnumContaining(Random rng, ulong x)
    {
        ulong mask = rng.Next(5) switch
        {
            0 => 0,
            1 => ulong.MaxValue,
            2 => ((1UL << rng.Next(1, 64)) - 1) << rng.Next(0, 8),
            3 => (ulong)rng.NextInt64() & (ulong)rng.NextInt64(),
            _ => (ulong)rng.NextInt64() | ((ulong)rng.Next(2) << 63),
        };
        return new Tnum(x & ~mask, mask);
    }

    /// <summary>A random synchronised abstract value with <paramref name="member"/> in it.</summary>
    internal static ScalarBounds RandomAbstract(Random rng, out ulong member)
    {
        ulong x = Interesting(rng);
        member = x;
        if (rng.Next(6) == 0)
            return ScalarBounds.Const(x);
        ScalarBounds r = ScalarBounds.Unknown;
        r.VarOff = RandomTnumContaining(rng, x);
        if (rng.Next(2) == 0) { ulong y = Interesting(rng); r.UMin = Math.Min(x, y); r.UMax = Math.Max(x, y); }
        if (rng.Next(2) == 0) { long y = (long)Interesting(rng); r.SMin = Math.Min((long)x, y); r.SMax = Math.Max((long)x, y); }
        if (rng.Next(3) == 0) { uint y = (uint)Interesting(rng); r.U32Min = Math.Min((uint)x, y); r.U32Max = Math.Max((uint)x, y); }
        if (rng.Next(3) == 0) { int y = (int)Interesting(rng); r.S32Min = Math.Min((int)(uint)x, y); r.S32Max = Math.Max((int)(uint)x, y); }
        r.Sync();
        return r;
    }

    /// <summary>Up to a dozen members of <paramref name="r"/>: the seed member, the bounds, the tnum's ends, random tnum members.</summary>
    private static List<ulong> Members(Random rng, in ScalarBounds r, ulong seed)
    {
        var candidates = new List<ulong>
        {
            seed, r.UMin, r.UMax, (ulong)r.SMin, (ulong)r.SMax, r.VarOff.Value, r.VarOff.Value | r.VarOff.Mask,
            Tnum.Step(r.VarOff, r.UMin), (r.UMin & ~0xffffffffUL) | r.U32Min, (r.UMax & ~0xffffffffUL) | r.U32Max,
        };
        for (int i = 0; i < 6; i++)
            candidates.Add(r.VarOff.Value | ((ulong)rng.NextInt64() & r.VarOff.Mask));
        var members = new List<ulong>();
        foreach (ulong c in candidates)
            if (r.Contains(c) && !members.Contains(c))
                members.Add(c);
        return members;
    }

    private static void AssertInvariants(in ScalarBounds r, string what)
    {
        string? violation = r.SanityCheck();
        Assert.True(violation is null, $"{what}: {violation} {r.InvariantsText()}");
    }

    [Fact]
    public void SyncKeepsMembersAndInvariants()
    {
        var rng = new Random(11);
        for (int i = 0; i < Rounds * 4; i++)
        {
            ScalarBounds r = RandomAbstract(rng, out ulong x);
            Assert.True(r.Contains(x), $"sync dropped {x:x}: {r.InvariantsText()}");
            AssertInvariants(r, "sync");
            ScalarBounds again = r;
            again.Sync();
            foreach (ulong m in Members(rng, r, x))
                Assert.True(again.Contains(m), $"resync dropped {m:x}: {again.InvariantsText()}");
        }
    }

    private static ulong Concrete(byte op, ulong x, ulong y, bool alu32)
    {
        if (alu32)
        {
            uint a = (uint)x, b = (uint)y;
            return op switch
            {
                BPF_ADD => a + b,
                BPF_SUB => a - b,
                BPF_MUL => a * b,
                BPF_AND => a & b,
                BPF_OR => a | b,
                BPF_XOR => a ^ b,
                BPF_LSH => a << (int)(b & 31),
                BPF_RSH => a >> (int)(b & 31),
                BPF_ARSH => (uint)((int)a >> (int)(b & 31)),
                BPF_NEG => 0u - a,
                _ => throw new ArgumentException("op"),
            };
        }
        return op switch
        {
            BPF_ADD => x + y,
            BPF_SUB => x - y,
            BPF_MUL => x * y,
            BPF_AND => x & y,
            BPF_OR => x | y,
            BPF_XOR => x ^ y,
            BPF_LSH => x << (int)(y & 63),
            BPF_RSH => x >> (int)(y & 63),
            BPF_ARSH => (ulong)((long)x >> (int)(y & 63)),
            BPF_NEG => 0 - x,
            _ => throw new ArgumentException("op"),
        };
    }

    public static TheoryData<byte, bool> AluOps()
    {
        var data = new TheoryData<byte, bool>();
        foreach (byte op in new[] { BPF_ADD, BPF_SUB, BPF_MUL, BPF_AND, BPF_OR, BPF_XOR, BPF_LSH, BPF_RSH, BPF_ARSH, BPF_NEG })
        {
            data.Add(op, false);
            data.Add(op, true);
        }
        return data;
    }

    private static bool IsShift(byte op) => op is BPF_LSH or BPF_RSH or BPF_ARSH;

    [Theory]
    [MemberData(nameof(AluOps))]
    public void AluIsSound(byte op, bool alu32)
    {
        var rng = new Random(op * 2 + (alu32 ? 1 : 0));
        for (int i = 0; i < Rounds; i++)
        {
            ScalarBounds dst = RandomAbstract(rng, out ulong dx);
            ScalarBounds src;
            ulong sx;
            if (IsShift(op) && rng.Next(8) != 0)
            {
                // Shifts are tracked only for a constant amount: a BPF_K immediate, or a known register.
                sx = (ulong)rng.Next(alu32 ? 32 : 64);
                src = ScalarBounds.Const(sx);
            }
            else
            {
                src = RandomAbstract(rng, out sx);
            }
            if (op == BPF_NEG)
                src = dst;
            ScalarBounds result = ScalarBounds.Alu(op, dst, src, alu32);
            AssertInvariants(result, $"op {op:x2} alu32={alu32}");
            List<ulong> ys = op == BPF_NEG ? [0] : Members(rng, src, sx);
            foreach (ulong x in Members(rng, dst, dx))
                foreach (ulong y in ys)
                {
                    ulong z = Concrete(op, x, y, alu32);
                    Assert.True(result.Contains(z),
                        $"op {op:x2} alu32={alu32}: {x:x} op {y:x} = {z:x} not in {result.InvariantsText()}\n" +
                        $"dst {dst.InvariantsText()}\nsrc {src.InvariantsText()}");
                }
        }
    }

    [Theory]
    [MemberData(nameof(AluOps))]
    public void ConstantsStayConstants(byte op, bool alu32)
    {
        var rng = new Random(1000 + op * 2 + (alu32 ? 1 : 0));
        for (int i = 0; i < Rounds; i++)
        {
            ulong x = Interesting(rng);
            ulong y = IsShift(op) ? (ulong)rng.Next(alu32 ? 32 : 64) : Interesting(rng);
            ScalarBounds result = ScalarBounds.Alu(op, ScalarBounds.Const(x), ScalarBounds.Const(y), alu32);
            Assert.Equal(ScalarBounds.Const(Concrete(op, x, y, alu32)), result);
        }
    }

    public static TheoryData<string> Coercions() => ["zext", "trunc1", "trunc2", "trunc4", "movsx8", "movsx16", "movsx32", "movsx32_8", "movsx32_16", "mov32"];

    private static (ScalarBounds Abstract, ulong Concrete) Coerce(string kind, ScalarBounds r, ulong x)
    {
        switch (kind)
        {
            case "zext":
                r.ZeroExtend32To64(); r.Sync(); return (r, (uint)x);
            case "trunc1":
                r.CoerceToSize(1); return (r, (byte)x);
            case "trunc2":
                r.CoerceToSize(2); return (r, (ushort)x);
            case "trunc4":
                r.CoerceToSize(4); return (r, (uint)x);
            case "movsx8":
                return (ScalarBounds.Mov(r, false, 8), (ulong)(long)(sbyte)x);
            case "movsx16":
                return (ScalarBounds.Mov(r, false, 16), (ulong)(long)(short)x);
            case "movsx32":
                return (ScalarBounds.Mov(r, false, 32), (ulong)(long)(int)x);
            case "movsx32_8":
                return (ScalarBounds.Mov(r, true, 8), (uint)(int)(sbyte)x);
            case "movsx32_16":
                return (ScalarBounds.Mov(r, true, 16), (uint)(int)(short)x);
            default:
                return (ScalarBounds.Mov(r, true), (uint)x);
        }
    }

    [Theory]
    [MemberData(nameof(Coercions))]
    public void CoercionsAreSound(string kind)
    {
        var rng = new Random(kind.Length * 7 + kind[^1]);
        for (int i = 0; i < Rounds * 2; i++)
        {
            ScalarBounds r = RandomAbstract(rng, out ulong seed);
            foreach (ulong x in Members(rng, r, seed))
            {
                (ScalarBounds result, ulong z) = Coerce(kind, r, x);
                AssertInvariants(result, kind);
                Assert.True(result.Contains(z), $"{kind}: {x:x} -> {z:x} not in {result.InvariantsText()}\nfrom {r.InvariantsText()}");
            }
            // A constant stays the constant it becomes.
            (ScalarBounds c, ulong cz) = Coerce(kind, ScalarBounds.Const(seed), seed);
            Assert.True(c.IsConst && c.VarOff.Value == cz, $"{kind}: const {seed:x} -> {c.InvariantsText()}");
        }
    }

    [Fact]
    public void FromTnumHoldsExactlyTheTnumBoundsOfItsMembers()
    {
        var rng = new Random(5);
        for (int i = 0; i < Rounds; i++)
        {
            ulong x = Interesting(rng);
            Tnum t = RandomTnumContaining(rng, x);
            ScalarBounds r = ScalarBounds.FromTnum(t);
            AssertInvariants(r, "from tnum");
            Assert.True(r.Contains(x));
            Assert.Equal(t.Value, r.UMin);
            Assert.Equal(t.Value | t.Mask, r.UMax);
        }
    }

    private static bool Condition(byte op, ulong x, ulong y, bool jmp32)
    {
        if (jmp32) { x = (uint)x; y = (uint)y; }
        long sx = jmp32 ? (int)(uint)x : (long)x, sy = jmp32 ? (int)(uint)y : (long)y;
        return op switch
        {
            BPF_JEQ => x == y,
            BPF_JNE => x != y,
            BPF_JSET => (x & y) != 0,
            BPF_JSET | BPF_X => (x & y) == 0,
            BPF_JGT => x > y,
            BPF_JGE => x >= y,
            BPF_JLT => x < y,
            BPF_JLE => x <= y,
            BPF_JSGT => sx > sy,
            BPF_JSGE => sx >= sy,
            BPF_JSLT => sx < sy,
            _ => sx <= sy, // BPF_JSLE
        };
    }

    public static TheoryData<byte, bool> JumpOps()
    {
        var data = new TheoryData<byte, bool>();
        foreach (byte op in new[] { BPF_JEQ, BPF_JNE, BPF_JSET, BPF_JGT, BPF_JGE, BPF_JLT, BPF_JLE, BPF_JSGT, BPF_JSGE, BPF_JSLT, BPF_JSLE })
        {
            data.Add(op, false);
            data.Add(op, true);
        }
        return data;
    }

    /// <summary>
    /// is_branch_taken is right whenever it decides, and reg_set_min_max keeps every pair of members in the
    /// successor whose condition the pair satisfies; a successor with a surviving pair is sane.
    /// </summary>
    [Theory]
    [MemberData(nameof(JumpOps))]
    public void BranchDecisionAndRefinementAreSound(byte op, bool jmp32)
    {
        var rng = new Random(2000 + op + (jmp32 ? 1 : 0));
        int decided = 0;
        for (int i = 0; i < Rounds; i++)
        {
            ScalarBounds r1 = RandomAbstract(rng, out ulong s1);
            ScalarBounds r2;
            ulong s2;
            switch (rng.Next(4))
            {
                case 0: // a constant at an edge of r1 (where JNE narrows)
                    s2 = rng.Next(4) switch { 0 => r1.UMin, 1 => r1.UMax, 2 => (ulong)r1.SMin, _ => r1.U32Max };
                    r2 = ScalarBounds.Const(s2);
                    break;
                case 1: // a single-bit constant (where JSET learns)
                    s2 = 1UL << rng.Next(jmp32 ? 32 : 64);
                    r2 = ScalarBounds.Const(s2);
                    break;
                default:
                    r2 = RandomAbstract(rng, out s2);
                    break;
            }
            List<ulong> xs = Members(rng, r1, s1), ys = Members(rng, r2, s2);
            int taken = ScalarBounds.IsBranchTaken(r1, r2, op, jmp32);
            if (taken >= 0)
            {
                decided++;
                foreach (ulong x in xs)
                    foreach (ulong y in ys)
                        Assert.True(Condition(op, x, y, jmp32) == (taken == 1),
                            $"decided {taken} but {x:x} vs {y:x}\nr1 {r1.InvariantsText()}\nr2 {r2.InvariantsText()}");
                continue;
            }
            ScalarBounds t1 = r1, t2 = r2, f1 = r1, f2 = r2;
            ScalarBounds.SetMinMax(ref t1, ref t2, ref f1, ref f2, op, jmp32);
            bool trueWitness = false, falseWitness = false;
            foreach (ulong x in xs)
                foreach (ulong y in ys)
                {
                    bool c = Condition(op, x, y, jmp32);
                    (ScalarBounds a, ScalarBounds b) = c ? (t1, t2) : (f1, f2);
                    trueWitness |= c;
                    falseWitness |= !c;
                    Assert.True(a.Contains(x) && b.Contains(y),
                        $"{(c ? "true" : "false")} branch lost {x:x} vs {y:x}\nr1 {r1.InvariantsText()}\nr2 {r2.InvariantsText()}\n" +
                        $"-> {a.InvariantsText()}\n-> {b.InvariantsText()}");
                }
            if (trueWitness) { AssertInvariants(t1, "true_reg1"); AssertInvariants(t2, "true_reg2"); }
            if (falseWitness) { AssertInvariants(f1, "false_reg1"); AssertInvariants(f2, "false_reg2"); }
        }
        Assert.True(decided > 0, "no case was decided; the generator misses the decided paths");
    }
}
