namespace BpfSharp.Verifier;

public partial struct ScalarBounds
{
    /// <summary>
    /// Zero-extends the low 32 bits into the register, as every ALU32 result is (kernel: zext_32_to_64):
    /// var_off keeps its low half, the 64-bit bounds come from the 32-bit ones.
    /// </summary>
    public void ZeroExtend32To64()
    {
        VarOff = VarOff.Subreg();
        Assign32Into64();
    }

    /// <summary>
    /// Sets the 64-bit bounds from the 32-bit ones for a zero-extended value (kernel: __reg_assign_32_into_64);
    /// the signed bounds are taken over only when both s32 bounds are non-negative, otherwise [0, U32_MAX].
    /// </summary>
    public void Assign32Into64()
    {
        UMin = U32Min;
        UMax = U32Max;
        if (S32Min >= 0 && S32Max >= 0)
        {
            SMin = S32Min;
            SMax = S32Max;
        }
        else
        {
            SMin = 0;
            SMax = uint.MaxValue;
        }
    }

    /// <summary>
    /// Truncates to the low <paramref name="size"/> bytes (1, 2 or 4), zero-extended, as a narrow load or a
    /// 16/32-bit byte swap does (kernel: coerce_reg_to_size); ends with <see cref="Sync"/>.
    /// </summary>
    public void CoerceToSize(int size)
    {
        VarOff = Tnum.Cast(VarOff, size);
        ulong mask = (1UL << (size * 8)) - 1;
        if ((UMin & ~mask) == (UMax & ~mask))
        {
            UMin &= mask;
            UMax &= mask;
        }
        else
        {
            UMin = 0;
            UMax = mask;
        }
        SMin = (long)UMin;
        SMax = (long)UMax;
        // Below 32 bits the 32-bit bounds were truncated too; relearn them from the 64-bit ones.
        if (size < 4)
            MarkUnbounded32();
        Sync();
    }

    /// <summary>
    /// Sign-extends the low <paramref name="size"/> bytes (1, 2 or 4) to 64 bits, as movsx and ldsx do
    /// (kernel: coerce_reg_to_size_sx). The caller follows with <see cref="Sync"/>.
    /// </summary>
    public void CoerceToSizeSx(int size)
    {
        int bits = size * 8;
        if (VarOff.IsConst)
        {
            MarkKnown((ulong)SignExtend(VarOff.Value, bits));
            return;
        }
        // The bounds carry over only when smin and smax agree above the extended width...
        if (((ulong)SMax >> bits) == ((ulong)SMin >> bits))
        {
            long a = SignExtend((ulong)SMax, bits), b = SignExtend((ulong)SMin, bits);
            long max = Math.Max(a, b), min = Math.Min(a, b);
            // ...and the extended low parts do not straddle zero.
            if ((max >= 0) == (min >= 0))
            {
                SMin = min;
                SMax = max;
                S32Min = (int)min;
                S32Max = (int)max;
                UMin = (ulong)min;
                UMax = (ulong)max;
                U32Min = (uint)min;
                U32Max = (uint)max;
                VarOff = Tnum.Range((ulong)min, (ulong)max);
                return;
            }
        }
        // kernel: set_sext64_default_val
        long lo = size == 1 ? sbyte.MinValue : size == 2 ? short.MinValue : int.MinValue;
        long hi = size == 1 ? sbyte.MaxValue : size == 2 ? short.MaxValue : int.MaxValue;
        SMin = lo;
        SMax = hi;
        S32Min = (int)lo;
        S32Max = (int)hi;
        UMin = 0;
        UMax = ulong.MaxValue;
        U32Min = 0;
        U32Max = uint.MaxValue;
        VarOff = Tnum.Unknown;
    }

    /// <summary>
    /// Sign-extends the low <paramref name="size"/> bytes (1 or 2) of the 32-bit subregister to 32 bits, as
    /// the 32-bit movsx does (kernel: coerce_subreg_to_size_sx). Only the 32-bit view is meaningful afterwards;
    /// the caller follows with <see cref="ZeroExtend32To64"/> and <see cref="Sync"/>.
    /// </summary>
    public void CoerceSubregToSizeSx(int size)
    {
        int bits = size * 8;
        if (VarOff.IsConst)
        {
            // The kernel keeps the 64-bit sign-extended constant in var_off; zero extension follows.
            long c = SignExtend((uint)VarOff.Value, bits);
            VarOff = Tnum.Const((ulong)c);
            S32Min = S32Max = (int)c;
            U32Min = U32Max = (uint)c;
            return;
        }
        if (((uint)S32Max >> bits) == ((uint)S32Min >> bits))
        {
            int a = (int)SignExtend((uint)S32Max, bits), b = (int)SignExtend((uint)S32Min, bits);
            int max = Math.Max(a, b), min = Math.Min(a, b);
            if ((min >= 0) == (max >= 0))
            {
                S32Min = min;
                S32Max = max;
                U32Min = (uint)min;
                U32Max = (uint)max;
                VarOff = Tnum.Range((ulong)(long)min, (ulong)(long)max).Subreg();
                return;
            }
        }
        // kernel: set_sext32_default_val
        S32Min = size == 1 ? sbyte.MinValue : short.MinValue;
        S32Max = size == 1 ? sbyte.MaxValue : short.MaxValue;
        U32Min = 0;
        U32Max = uint.MaxValue;
        VarOff = Tnum.Unknown.Subreg();
    }

    /// <summary>
    /// A byte swap or endianness conversion (kernel: scalar_byte_swap, then reg_bounds_sync): <paramref name="bits"/>
    /// is the instruction's width (16, 32, 64); <paramref name="alu64"/> is the unconditional bswap (BPF_ALU64),
    /// otherwise <paramref name="toLe"/> says le (a truncation or no-op on this little-endian machine) or be (a swap).
    /// Swapped values keep only what the swapped tnum says; 16 and 32-bit results are zero-extended.
    /// Returns true when the value changed (the caller then drops the register's scalar id).
    /// </summary>
    public static bool ByteSwap(ref ScalarBounds reg, int bits, bool alu64, bool toLe)
    {
        bool swap = alu64 || !toLe;
        if (swap)
        {
            reg.VarOff = bits switch
            {
                16 => Tnum.Bswap16(reg.VarOff),
                32 => Tnum.Bswap32(reg.VarOff),
                _ => Tnum.Bswap64(reg.VarOff),
            };
            reg.MarkUnbounded();
        }
        if (bits is 16 or 32)
            reg.CoerceToSize(bits / 8);
        reg.Sync();
        return swap || bits is 16 or 32;
    }

    private static long SignExtend(ulong value, int bits) => (long)(value << (64 - bits)) >> (64 - bits);
}
