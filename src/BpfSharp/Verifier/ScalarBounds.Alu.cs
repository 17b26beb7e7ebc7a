using System.Numerics;
using BpfSharp.Isa;

namespace BpfSharp.Verifier;

public partial struct ScalarBounds
{
    /// <summary>
    /// True if the kernel computes a result range for <paramref name="op"/> with this source; otherwise the
    /// result is unknown (kernel: is_safe_to_compute_dst_reg_range). Shifts need a constant amount below
    /// the bitness; BPF_DIV and BPF_MOD are never tracked (6.18).
    /// </summary>
    public static bool IsSafeToComputeRange(byte op, in ScalarBounds src, bool alu32)
    {
        switch (op)
        {
            case Opcodes.BPF_ADD:
            case Opcodes.BPF_SUB:
            case Opcodes.BPF_NEG:
            case Opcodes.BPF_AND:
            case Opcodes.BPF_XOR:
            case Opcodes.BPF_OR:
            case Opcodes.BPF_MUL:
                return true;
            case Opcodes.BPF_LSH:
            case Opcodes.BPF_RSH:
            case Opcodes.BPF_ARSH:
                bool srcConst = alu32
                    ? src.VarOff.SubregIsConst && src.S32Min == src.S32Max && src.U32Min == src.U32Max
                    : src.VarOff.IsConst && src.SMin == src.SMax && src.UMin == src.UMax;
                // The kernel compares the 64-bit umax with the bitness for ALU32 too.
                return srcConst && src.UMax < (alu32 ? 32UL : 64UL);
            default:
                return false;
        }
    }

    /// <summary>
    /// The transfer function for <c>dst op= src</c> on two scalars (kernel: adjust_scalar_min_max_vals):
    /// <paramref name="op"/> is the BPF_OP part of the opcode (BPF_ADD ... BPF_ARSH, BPF_NEG), ALU64 or ALU32.
    /// For a BPF_K instruction pass <c>Const((long)imm)</c> (the immediate sign-extended, as the kernel does).
    /// Untracked cases make the result <see cref="Unknown"/>. BPF_MOV and BPF_END are not handled here
    /// (see <see cref="Mov"/>).
    /// </summary>
    public static ScalarBounds Alu(byte op, ScalarBounds dst, in ScalarBounds src, bool alu32)
    {
        if (!IsSafeToComputeRange(op, src, alu32))
            return Unknown;
        switch (op)
        {
            case Opcodes.BPF_ADD:
                dst.Add32(src);
                dst.Add64(src);
                dst.VarOff = Tnum.Add(dst.VarOff, src.VarOff);
                break;
            case Opcodes.BPF_SUB:
                dst.Sub32(src);
                dst.Sub64(src);
                dst.VarOff = Tnum.Sub(dst.VarOff, src.VarOff);
                break;
            case Opcodes.BPF_NEG:
                // kernel: 0 - dst, with dst moved to a scratch register
                ScalarBounds old = dst;
                dst.MarkKnown(0);
                dst.Sub32(old);
                dst.Sub64(old);
                dst.VarOff = Tnum.Neg(old.VarOff);
                break;
            case Opcodes.BPF_MUL:
                dst.VarOff = Tnum.Mul(dst.VarOff, src.VarOff);
                dst.Mul32(src);
                dst.Mul64(src);
                break;
            case Opcodes.BPF_AND:
                dst.VarOff = Tnum.And(dst.VarOff, src.VarOff);
                dst.And32(src);
                dst.And64(src);
                break;
            case Opcodes.BPF_OR:
                dst.VarOff = Tnum.Or(dst.VarOff, src.VarOff);
                dst.Or32(src);
                dst.Or64(src);
                break;
            case Opcodes.BPF_XOR:
                dst.VarOff = Tnum.Xor(dst.VarOff, src.VarOff);
                dst.Xor32(src);
                dst.Xor64(src);
                break;
            case Opcodes.BPF_LSH:
                if (alu32) dst.Lsh32(src); else dst.Lsh64(src);
                break;
            case Opcodes.BPF_RSH:
                if (alu32) dst.Rsh32(src); else dst.Rsh64(src);
                break;
            case Opcodes.BPF_ARSH:
                if (alu32) dst.Arsh32(src); else dst.Arsh64(src);
                break;
        }
        if (alu32)
            dst.ZeroExtend32To64();
        dst.Sync();
        return dst;
    }

    /// <summary>
    /// <c>dst = src</c> for scalars (kernel: check_alu_op, BPF_MOV|BPF_X): <paramref name="signExtendBits"/> is the
    /// instruction's offset (0, or 8/16/32 for movsx). ALU32 moves zero-extend the result and resync.
    /// For BPF_K: 64-bit <c>Const((long)imm)</c>, 32-bit <c>Const((ulong)(uint)imm)</c>.
    /// </summary>
    public static ScalarBounds Mov(in ScalarBounds src, bool alu32, int signExtendBits = 0)
    {
        ScalarBounds dst = src;
        if (!alu32)
        {
            if (signExtendBits != 0)
                dst.CoerceToSizeSx(signExtendBits / 8);
            return dst;
        }
        if (signExtendBits != 0)
            dst.CoerceSubregToSizeSx(signExtendBits / 8);
        dst.ZeroExtend32To64();
        dst.Sync();
        return dst;
    }

    // kernel: scalar32_min_max_add and scalar_min_max_add, one generic body for both widths
    private void Add32(in ScalarBounds src) =>
        AddRange(ref S32Min, ref S32Max, ref U32Min, ref U32Max, src.S32Min, src.S32Max, src.U32Min, src.U32Max);

    private void Add64(in ScalarBounds src) =>
        AddRange(ref SMin, ref SMax, ref UMin, ref UMax, src.SMin, src.SMax, src.UMin, src.UMax);

    // kernel: scalar32_min_max_sub and scalar_min_max_sub
    private void Sub32(in ScalarBounds src) =>
        SubRange(ref S32Min, ref S32Max, ref U32Min, ref U32Max, src.S32Min, src.S32Max, src.U32Min, src.U32Max);

    private void Sub64(in ScalarBounds src) =>
        SubRange(ref SMin, ref SMax, ref UMin, ref UMax, src.SMin, src.SMax, src.UMin, src.UMax);

    /// <summary>
    /// <c>dst += src</c> without the resync that <see cref="Alu"/> ends with: the 32- and 64-bit add transfer
    /// functions and the tnum add, as the kernel's sync_linked_regs applies a constant delta before its own zero
    /// extension and resync.
    /// </summary>
    public void AddUnsynced(in ScalarBounds src)
    {
        Add32(src);
        Add64(src);
        VarOff = Tnum.Add(VarOff, src.VarOff);
    }

    // Signed: any overflow loses everything. Unsigned: fine if both ends or neither end wraps; only "min fine,
    // max wraps" loses everything. Generic over the width (int/uint or long/ulong), which the JIT specializes.
    private static void AddRange<TS, TU>(ref TS smin, ref TS smax, ref TU umin, ref TU umax, TS srcSmin, TS srcSmax,
        TU srcUmin, TU srcUmax)
        where TS : struct, IBinaryInteger<TS>, ISignedNumber<TS>, IMinMaxValue<TS>
        where TU : struct, IBinaryInteger<TU>, IUnsignedNumber<TU>, IMinMaxValue<TU>
    {
        TS lo = smin + srcSmin, hi = smax + srcSmax; // wraps: unchecked
        if (AddOverflowed(smin, srcSmin, lo) | AddOverflowed(smax, srcSmax, hi))
        {
            smin = TS.MinValue;
            smax = TS.MaxValue;
        }
        else
        {
            smin = lo;
            smax = hi;
        }
        TU ulo = umin + srcUmin, uhi = umax + srcUmax;
        bool minOverflow = ulo < umin, maxOverflow = uhi < umax;
        if (!minOverflow && maxOverflow)
        {
            umin = TU.Zero;
            umax = TU.MaxValue;
        }
        else
        {
            umin = ulo;
            umax = uhi;
        }
    }

    // Signed as for add; unsigned: only "min wraps, max does not" loses everything.
    private static void SubRange<TS, TU>(ref TS smin, ref TS smax, ref TU umin, ref TU umax, TS srcSmin, TS srcSmax,
        TU srcUmin, TU srcUmax)
        where TS : struct, IBinaryInteger<TS>, ISignedNumber<TS>, IMinMaxValue<TS>
        where TU : struct, IBinaryInteger<TU>, IUnsignedNumber<TU>, IMinMaxValue<TU>
    {
        TS lo = smin - srcSmax, hi = smax - srcSmin;
        if (SubOverflowed(smin, srcSmax, lo) | SubOverflowed(smax, srcSmin, hi))
        {
            smin = TS.MinValue;
            smax = TS.MaxValue;
        }
        else
        {
            smin = lo;
            smax = hi;
        }
        bool minUnderflow = umin < srcUmax, maxUnderflow = umax < srcUmin;
        if (minUnderflow && !maxUnderflow)
        {
            umin = TU.Zero;
            umax = TU.MaxValue;
        }
        else
        {
            umin -= srcUmax;
            umax -= srcUmin;
        }
    }

    private static bool AddOverflowed<T>(T a, T b, T sum) where T : IBinaryInteger<T>, ISignedNumber<T> =>
        ((a ^ sum) & (b ^ sum)) < T.Zero;

    private static bool SubOverflowed<T>(T a, T b, T diff) where T : IBinaryInteger<T>, ISignedNumber<T> =>
        ((a ^ b) & (a ^ diff)) < T.Zero;

    // kernel: scalar32_min_max_mul. Unsigned: the corner products unless one overflows; signed: min/max of
    // the four corner products unless one overflows.
    private void Mul32(in ScalarBounds src)
    {
        ulong umax = (ulong)U32Max * src.U32Max, umin = (ulong)U32Min * src.U32Min;
        if (umax > uint.MaxValue || umin > uint.MaxValue)
        {
            U32Min = 0;
            U32Max = uint.MaxValue;
        }
        else
        {
            U32Min = (uint)umin;
            U32Max = (uint)umax;
        }
        long p0 = (long)S32Min * src.S32Min, p1 = (long)S32Min * src.S32Max;
        long p2 = (long)S32Max * src.S32Min, p3 = (long)S32Max * src.S32Max;
        if (!FitsS32(p0) || !FitsS32(p1) || !FitsS32(p2) || !FitsS32(p3))
        {
            S32Min = int.MinValue;
            S32Max = int.MaxValue;
        }
        else
        {
            S32Min = (int)Math.Min(Math.Min(p0, p1), Math.Min(p2, p3));
            S32Max = (int)Math.Max(Math.Max(p0, p1), Math.Max(p2, p3));
        }
    }

    // kernel: scalar_min_max_mul
    private void Mul64(in ScalarBounds src)
    {
        UInt128 umax = (UInt128)UMax * src.UMax, umin = (UInt128)UMin * src.UMin;
        if (umax > ulong.MaxValue || umin > ulong.MaxValue)
        {
            UMin = 0;
            UMax = ulong.MaxValue;
        }
        else
        {
            UMin = (ulong)umin;
            UMax = (ulong)umax;
        }
        Int128 p0 = (Int128)SMin * src.SMin, p1 = (Int128)SMin * src.SMax;
        Int128 p2 = (Int128)SMax * src.SMin, p3 = (Int128)SMax * src.SMax;
        if (!FitsS64(p0) || !FitsS64(p1) || !FitsS64(p2) || !FitsS64(p3))
        {
            SMin = long.MinValue;
            SMax = long.MaxValue;
        }
        else
        {
            SMin = (long)Int128.Min(Int128.Min(p0, p1), Int128.Min(p2, p3));
            SMax = (long)Int128.Max(Int128.Max(p0, p1), Int128.Max(p2, p3));
        }
    }

    // kernel: scalar32_min_max_and (var_off already holds the result). Min from the known bits, max the
    // smaller operand max; s32 from u32 when the range does not cross the sign boundary.
    private void And32(in ScalarBounds src)
    {
        Tnum t = VarOff.Subreg();
        if (src.VarOff.SubregIsConst && VarOff.SubregIsConst)
        {
            MarkKnown32((uint)t.Value);
            return;
        }
        U32Min = (uint)t.Value;
        U32Max = Math.Min(U32Max, src.U32Max);
        S32FromU32();
    }

    // kernel: scalar_min_max_and
    private void And64(in ScalarBounds src)
    {
        if (src.VarOff.IsConst && VarOff.IsConst)
        {
            MarkKnown(VarOff.Value);
            return;
        }
        UMin = VarOff.Value;
        UMax = Math.Min(UMax, src.UMax);
        S64FromU64();
        UpdateBounds();
    }

    // kernel: scalar32_min_max_or. Max from the known bits, min the larger operand min.
    private void Or32(in ScalarBounds src)
    {
        Tnum t = VarOff.Subreg();
        if (src.VarOff.SubregIsConst && VarOff.SubregIsConst)
        {
            MarkKnown32((uint)t.Value);
            return;
        }
        U32Min = Math.Max(U32Min, src.U32Min);
        U32Max = (uint)(t.Value | t.Mask);
        S32FromU32();
    }

    // kernel: scalar_min_max_or
    private void Or64(in ScalarBounds src)
    {
        if (src.VarOff.IsConst && VarOff.IsConst)
        {
            MarkKnown(VarOff.Value);
            return;
        }
        UMin = Math.Max(UMin, src.UMin);
        UMax = VarOff.Value | VarOff.Mask;
        S64FromU64();
        UpdateBounds();
    }

    // kernel: scalar32_min_max_xor. Both ends from the known bits.
    private void Xor32(in ScalarBounds src)
    {
        Tnum t = VarOff.Subreg();
        if (src.VarOff.SubregIsConst && VarOff.SubregIsConst)
        {
            MarkKnown32((uint)t.Value);
            return;
        }
        U32Min = (uint)t.Value;
        U32Max = (uint)(t.Value | t.Mask);
        S32FromU32();
    }

    // kernel: scalar_min_max_xor
    private void Xor64(in ScalarBounds src)
    {
        if (src.VarOff.IsConst && VarOff.IsConst)
        {
            MarkKnown(VarOff.Value);
            return;
        }
        UMin = VarOff.Value;
        UMax = VarOff.Value | VarOff.Mask;
        S64FromU64();
        UpdateBounds();
    }

    private void S32FromU32()
    {
        if ((int)U32Min <= (int)U32Max)
        {
            S32Min = (int)U32Min;
            S32Max = (int)U32Max;
        }
        else
        {
            S32Min = int.MinValue;
            S32Max = int.MaxValue;
        }
    }

    private void S64FromU64()
    {
        if ((long)UMin <= (long)UMax)
        {
            SMin = (long)UMin;
            SMax = (long)UMax;
        }
        else
        {
            SMin = long.MinValue;
            SMax = long.MaxValue;
        }
    }

    // kernel: __scalar32_min_max_lsh. Sign is lost; unsigned bounds shift unless the top bit may go out.
    private void Lsh32Bounds(ulong umin, ulong umax)
    {
        S32Min = int.MinValue;
        S32Max = int.MaxValue;
        if (umax > 31 || U32Max > 1UL << (int)(31 - umax))
        {
            U32Min = 0;
            U32Max = uint.MaxValue;
        }
        else
        {
            U32Min <<= (int)umin;
            U32Max <<= (int)umax;
        }
    }

    // kernel: scalar32_min_max_lsh
    private void Lsh32(in ScalarBounds src)
    {
        Tnum subreg = VarOff.Subreg();
        Lsh32Bounds(src.U32Min, src.U32Max);
        VarOff = Tnum.Lshift(subreg, (int)src.U32Min).Subreg();
        MarkUnbounded64();
        UpdateBounds32();
    }

    // kernel: __scalar64_min_max_lsh. "<< 32" keeps the s32 bounds as the upper half's (the compiler's
    // "<<32 s>>32" sign extension idiom): they cannot change sign.
    private void Lsh64Bounds(ulong umin, ulong umax)
    {
        bool by32 = umin == 32 && umax == 32;
        SMax = by32 ? (long)S32Max << 32 : long.MaxValue;
        SMin = by32 ? (long)S32Min << 32 : long.MinValue;
        if (UMax > 1UL << (int)(63 - umax))
        {
            UMin = 0;
            UMax = ulong.MaxValue;
        }
        else
        {
            UMin <<= (int)umin;
            UMax <<= (int)umax;
        }
    }

    // kernel: scalar_min_max_lsh (64-bit bounds first: they read the unshifted 32-bit bounds)
    private void Lsh64(in ScalarBounds src)
    {
        Lsh64Bounds(src.UMin, src.UMax);
        Lsh32Bounds(src.UMin, src.UMax);
        VarOff = Tnum.Lshift(VarOff, (int)src.UMin);
        UpdateBounds();
    }

    // kernel: scalar32_min_max_rsh. Signed bounds are dropped and relearned from the unsigned ones and var_off.
    private void Rsh32(in ScalarBounds src)
    {
        Tnum subreg = VarOff.Subreg();
        S32Min = int.MinValue;
        S32Max = int.MaxValue;
        VarOff = Tnum.Rshift(subreg, (int)src.U32Min);
        U32Min >>= (int)src.U32Max;
        U32Max >>= (int)src.U32Min;
        MarkUnbounded64();
        UpdateBounds32();
    }

    // kernel: scalar_min_max_rsh
    private void Rsh64(in ScalarBounds src)
    {
        SMin = long.MinValue;
        SMax = long.MaxValue;
        VarOff = Tnum.Rshift(VarOff, (int)src.UMin);
        UMin >>= (int)src.UMax;
        UMax >>= (int)src.UMin;
        MarkUnbounded32();
        UpdateBounds();
    }

    // kernel: scalar32_min_max_arsh (the amount is a known constant here). Unsigned bounds come from var_off.
    private void Arsh32(in ScalarBounds src)
    {
        int shift = (int)src.U32Min;
        S32Min >>= shift;
        S32Max >>= shift;
        VarOff = Tnum.Arshift(VarOff.Subreg(), shift, 32);
        U32Min = 0;
        U32Max = uint.MaxValue;
        MarkUnbounded64();
        UpdateBounds32();
    }

    // kernel: scalar_min_max_arsh
    private void Arsh64(in ScalarBounds src)
    {
        int shift = (int)src.UMin;
        SMin >>= shift;
        SMax >>= shift;
        VarOff = Tnum.Arshift(VarOff, shift, 64);
        UMin = 0;
        UMax = ulong.MaxValue;
        MarkUnbounded32();
        UpdateBounds();
    }

    internal static bool AddOverflows(long a, long b, out long sum)
    {
        sum = unchecked(a + b);
        return AddOverflowed(a, b, sum);
    }

    internal static bool SubOverflows(long a, long b, out long diff)
    {
        diff = unchecked(a - b);
        return SubOverflowed(a, b, diff);
    }

    private static bool FitsS32(long v) => v >= int.MinValue && v <= int.MaxValue;

    private static bool FitsS64(Int128 v) => v >= long.MinValue && v <= long.MaxValue;
}
