using System.Numerics;
using BpfSharp.Isa;

namespace BpfSharp.Verifier;

public partial struct ScalarBounds
{
    /// <summary>
    /// The negated condition of a conditional jump (kernel: rev_opcode): JEQ/JNE, JGT/JLE, JGE/JLT and their
    /// signed forms swap; JSET becomes <c>BPF_JSET | BPF_X</c>, the kernel's private code for "no bit in common",
    /// and back.
    /// </summary>
    public static byte ReverseCondition(byte op) => op switch
    {
        Opcodes.BPF_JEQ => Opcodes.BPF_JNE,
        Opcodes.BPF_JNE => Opcodes.BPF_JEQ,
        Opcodes.BPF_JSET => Opcodes.BPF_JSET | Opcodes.BPF_X,
        Opcodes.BPF_JSET | Opcodes.BPF_X => Opcodes.BPF_JSET,
        Opcodes.BPF_JGE => Opcodes.BPF_JLT,
        Opcodes.BPF_JLT => Opcodes.BPF_JGE,
        Opcodes.BPF_JGT => Opcodes.BPF_JLE,
        Opcodes.BPF_JLE => Opcodes.BPF_JGT,
        Opcodes.BPF_JSGE => Opcodes.BPF_JSLT,
        Opcodes.BPF_JSLT => Opcodes.BPF_JSGE,
        Opcodes.BPF_JSGT => Opcodes.BPF_JSLE,
        Opcodes.BPF_JSLE => Opcodes.BPF_JSGT,
        _ => op,
    };

    /// <summary>
    /// The same condition with the operands swapped (kernel: flip_opcode): JGT becomes JLT and so on;
    /// JEQ, JNE and JSET stay.
    /// </summary>
    public static byte FlipCondition(byte op) => op switch
    {
        Opcodes.BPF_JGT => Opcodes.BPF_JLT,
        Opcodes.BPF_JLT => Opcodes.BPF_JGT,
        Opcodes.BPF_JGE => Opcodes.BPF_JLE,
        Opcodes.BPF_JLE => Opcodes.BPF_JGE,
        Opcodes.BPF_JSGT => Opcodes.BPF_JSLT,
        Opcodes.BPF_JSLT => Opcodes.BPF_JSGT,
        Opcodes.BPF_JSGE => Opcodes.BPF_JSLE,
        Opcodes.BPF_JSLE => Opcodes.BPF_JSGE,
        _ => op,
    };

    private readonly bool IsConstFor(bool jmp32) => jmp32 ? VarOff.SubregIsConst : VarOff.IsConst;

    private readonly ulong ConstValueFor(bool jmp32) => jmp32 ? (uint)VarOff.Value : VarOff.Value;

    /// <summary>
    /// Whether <c>if r1 op r2</c> is decided by the bounds alone (kernel: is_scalar_branch_taken): 1 always
    /// taken, 0 never, -1 unknown. <paramref name="op"/> is the BPF_OP of a conditional jump (not JA/CALL/EXIT)
    /// or <c>BPF_JSET | BPF_X</c>; with <paramref name="jmp32"/> only the low 32 bits are compared.
    /// For a BPF_K jump pass <c>Const((long)imm)</c> as <paramref name="r2"/>.
    /// </summary>
    public static int IsBranchTaken(in ScalarBounds r1, in ScalarBounds r2, byte op, bool jmp32)
    {
        Tnum t1 = jmp32 ? r1.VarOff.Subreg() : r1.VarOff;
        Tnum t2 = jmp32 ? r2.VarOff.Subreg() : r2.VarOff;
        ulong umin1 = jmp32 ? r1.U32Min : r1.UMin, umax1 = jmp32 ? r1.U32Max : r1.UMax;
        long smin1 = jmp32 ? r1.S32Min : r1.SMin, smax1 = jmp32 ? r1.S32Max : r1.SMax;
        ulong umin2 = jmp32 ? r2.U32Min : r2.UMin, umax2 = jmp32 ? r2.U32Max : r2.UMax;
        long smin2 = jmp32 ? r2.S32Min : r2.SMin, smax2 = jmp32 ? r2.S32Max : r2.SMax;

        switch (op)
        {
            case Opcodes.BPF_JEQ:
            case Opcodes.BPF_JNE:
                int equal = op == Opcodes.BPF_JEQ ? 1 : 0;
                if (t1.IsConst && t2.IsConst)
                    return t1.Value == t2.Value ? equal : 1 - equal;
                // Known bits that disagree: never equal.
                if (!Tnum.Overlap(t1, t2))
                    return 1 - equal;
                // Disjoint ranges can never be equal.
                if (umin1 > umax2 || umax1 < umin2 || smin1 > smax2 || smax1 < smin2)
                    return 1 - equal;
                if (!jmp32 && (r1.U32Min > r2.U32Max || r1.U32Max < r2.U32Min
                               || r1.S32Min > r2.S32Max || r1.S32Max < r2.S32Min))
                    return 1 - equal;
                return -1;
            case Opcodes.BPF_JSET:
            case Opcodes.BPF_JSET | Opcodes.BPF_X:
            {
                int set = op == Opcodes.BPF_JSET ? 1 : 0;
                ScalarBounds a = r1, b = r2;
                if (!b.IsConstFor(jmp32))
                {
                    (a, b) = (b, a);
                    (t1, t2) = (t2, t1);
                }
                if (!b.IsConstFor(jmp32))
                    return -1;
                if ((~t1.Mask & t1.Value & t2.Value) != 0)
                    return set;
                if (((t1.Mask | t1.Value) & t2.Value) == 0)
                    return 1 - set;
                return -1;
            }
            case Opcodes.BPF_JGT:
                return umin1 > umax2 ? 1 : umax1 <= umin2 ? 0 : -1;
            case Opcodes.BPF_JSGT:
                return smin1 > smax2 ? 1 : smax1 <= smin2 ? 0 : -1;
            case Opcodes.BPF_JLT:
                return umax1 < umin2 ? 1 : umin1 >= umax2 ? 0 : -1;
            case Opcodes.BPF_JSLT:
                return smax1 < smin2 ? 1 : smin1 >= smax2 ? 0 : -1;
            case Opcodes.BPF_JGE:
                return umin1 >= umax2 ? 1 : umax1 < umin2 ? 0 : -1;
            case Opcodes.BPF_JSGE:
                return smin1 >= smax2 ? 1 : smax1 < smin2 ? 0 : -1;
            case Opcodes.BPF_JLE:
                return umax1 <= umin2 ? 1 : umin1 > umax2 ? 0 : -1;
            case Opcodes.BPF_JSLE:
                return smax1 <= smin2 ? 1 : smin1 > smax2 ? 0 : -1;
            default:
                return -1;
        }
    }

    /// <summary>
    /// Narrows both registers to the pairs for which <c>r1 op r2</c> holds (kernel: regs_refine_cond_op),
    /// without the final resync. The kernel calls it only when <see cref="IsBranchTaken"/> gave -1.
    /// </summary>
    public static void RefineCondOp(ref ScalarBounds r1, ref ScalarBounds r2, byte op, bool jmp32)
    {
        if (op is Opcodes.BPF_JGE or Opcodes.BPF_JGT or Opcodes.BPF_JSGE or Opcodes.BPF_JSGT)
        {
            RefineCondOp(ref r2, ref r1, FlipCondition(op), jmp32);
            return;
        }
        switch (op)
        {
            case Opcodes.BPF_JEQ:
                if (jmp32)
                {
                    r1.U32Min = Math.Max(r1.U32Min, r2.U32Min);
                    r1.U32Max = Math.Min(r1.U32Max, r2.U32Max);
                    r1.S32Min = Math.Max(r1.S32Min, r2.S32Min);
                    r1.S32Max = Math.Min(r1.S32Max, r2.S32Max);
                    r2.U32Min = r1.U32Min; r2.U32Max = r1.U32Max;
                    r2.S32Min = r1.S32Min; r2.S32Max = r1.S32Max;
                    Tnum t = Tnum.Intersect(r1.VarOff.Subreg(), r2.VarOff.Subreg());
                    r1.VarOff = r1.VarOff.WithSubreg(t);
                    r2.VarOff = r2.VarOff.WithSubreg(t);
                }
                else
                {
                    r1.UMin = Math.Max(r1.UMin, r2.UMin);
                    r1.UMax = Math.Min(r1.UMax, r2.UMax);
                    r1.SMin = Math.Max(r1.SMin, r2.SMin);
                    r1.SMax = Math.Min(r1.SMax, r2.SMax);
                    r2.UMin = r1.UMin; r2.UMax = r1.UMax;
                    r2.SMin = r1.SMin; r2.SMax = r1.SMax;
                    r1.VarOff = Tnum.Intersect(r1.VarOff, r2.VarOff);
                    r2.VarOff = r1.VarOff;
                }
                break;
            case Opcodes.BPF_JNE:
            {
                // Only a constant at the very edge of the other range narrows it.
                ref ScalarBounds a = ref r2.IsConstFor(jmp32) ? ref r1 : ref r2;
                ref ScalarBounds c = ref r2.IsConstFor(jmp32) ? ref r2 : ref r1;
                if (!c.IsConstFor(jmp32))
                    break;
                ulong val = c.ConstValueFor(jmp32);
                if (jmp32)
                {
                    if (a.U32Min == (uint)val) a.U32Min++;
                    if (a.U32Max == (uint)val) a.U32Max--;
                    if (a.S32Min == (int)(uint)val) a.S32Min++;
                    if (a.S32Max == (int)(uint)val) a.S32Max--;
                }
                else
                {
                    if (a.UMin == val) a.UMin++;
                    if (a.UMax == val) a.UMax--;
                    if (a.SMin == (long)val) a.SMin++;
                    if (a.SMax == (long)val) a.SMax--;
                }
                break;
            }
            case Opcodes.BPF_JSET:
            case Opcodes.BPF_JSET | Opcodes.BPF_X:
            {
                ref ScalarBounds a = ref r2.IsConstFor(jmp32) ? ref r1 : ref r2;
                ref ScalarBounds c = ref r2.IsConstFor(jmp32) ? ref r2 : ref r1;
                if (!c.IsConstFor(jmp32))
                    break;
                ulong val = c.ConstValueFor(jmp32);
                if (op == Opcodes.BPF_JSET)
                {
                    // A set bit is learnt only when the mask has a single bit.
                    if (!BitOperations.IsPow2(val))
                        break;
                    if (jmp32)
                        a.VarOff = a.VarOff.WithSubreg(Tnum.Or(a.VarOff.Subreg(), Tnum.Const(val)));
                    else
                        a.VarOff = Tnum.Or(a.VarOff, Tnum.Const(val));
                }
                else
                {
                    // No bit in common: clear them all; the ranges are dropped first so that a dead branch
                    // cannot produce contradictory bounds.
                    a.MarkUnbounded();
                    if (jmp32)
                        a.VarOff = a.VarOff.WithSubreg(Tnum.And(a.VarOff.Subreg(), Tnum.Const(~val)));
                    else
                        a.VarOff = Tnum.And(a.VarOff, Tnum.Const(~val));
                }
                break;
            }
            case Opcodes.BPF_JLE:
                if (jmp32)
                {
                    r1.U32Max = Math.Min(r1.U32Max, r2.U32Max);
                    r2.U32Min = Math.Max(r1.U32Min, r2.U32Min);
                }
                else
                {
                    r1.UMax = Math.Min(r1.UMax, r2.UMax);
                    r2.UMin = Math.Max(r1.UMin, r2.UMin);
                }
                break;
            case Opcodes.BPF_JLT:
                if (jmp32)
                {
                    r1.U32Max = Math.Min(r1.U32Max, r2.U32Max - 1);
                    r2.U32Min = Math.Max(r1.U32Min + 1, r2.U32Min);
                }
                else
                {
                    r1.UMax = Math.Min(r1.UMax, r2.UMax - 1);
                    r2.UMin = Math.Max(r1.UMin + 1, r2.UMin);
                }
                break;
            case Opcodes.BPF_JSLE:
                if (jmp32)
                {
                    r1.S32Max = Math.Min(r1.S32Max, r2.S32Max);
                    r2.S32Min = Math.Max(r1.S32Min, r2.S32Min);
                }
                else
                {
                    r1.SMax = Math.Min(r1.SMax, r2.SMax);
                    r2.SMin = Math.Max(r1.SMin, r2.SMin);
                }
                break;
            case Opcodes.BPF_JSLT:
                if (jmp32)
                {
                    r1.S32Max = Math.Min(r1.S32Max, r2.S32Max - 1);
                    r2.S32Min = Math.Max(r1.S32Min + 1, r2.S32Min);
                }
                else
                {
                    r1.SMax = Math.Min(r1.SMax, r2.SMax - 1);
                    r2.SMin = Math.Max(r1.SMin + 1, r2.SMin);
                }
                break;
        }
    }

    /// <summary>
    /// Refines the two scalar operands of an undecided conditional jump for both successors (kernel:
    /// reg_set_min_max): the fall-through pair with the reversed condition, the jump pair with
    /// <paramref name="op"/>, each resynchronised. Returns the first sanity violation
    /// (<see cref="SanityCheck"/>), prefixed with the kernel's context name ("true_reg1", ...), or null.
    /// </summary>
    public static string? SetMinMax(ref ScalarBounds trueReg1, ref ScalarBounds trueReg2,
        ref ScalarBounds falseReg1, ref ScalarBounds falseReg2, byte op, bool jmp32)
    {
        RefineCondOp(ref falseReg1, ref falseReg2, ReverseCondition(op), jmp32);
        falseReg1.Sync();
        falseReg2.Sync();
        RefineCondOp(ref trueReg1, ref trueReg2, op, jmp32);
        trueReg1.Sync();
        trueReg2.Sync();
        return Violation("true_reg1", trueReg1) ?? Violation("true_reg2", trueReg2)
            ?? Violation("false_reg1", falseReg1) ?? Violation("false_reg2", falseReg2);
    }

    private static string? Violation(string ctx, in ScalarBounds r) =>
        r.SanityCheck() is { } msg ? $"{ctx}: {msg}" : null;
}
