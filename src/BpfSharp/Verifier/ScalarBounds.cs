namespace BpfSharp.Verifier;

/// <summary>
/// What the verifier knows about a scalar register: the eight range bounds and the tristate bits that
/// the kernel keeps side by side in <c>struct bpf_reg_state</c> (smin/smax/umin/umax, s32/u32 min/max,
/// var_off). The kernel has no separate struct for them; RegState embeds this one. A concrete 64-bit
/// value is a member when it lies in all eight ranges and in <see cref="VarOff"/>.
/// The methods mutate in place, as the kernel's functions do; call them on a variable or a <c>ref</c>.
/// </summary>
public partial struct ScalarBounds : IEquatable<ScalarBounds>
{
    /// <summary>Smallest possible value as s64 (kernel: smin_value).</summary>
    public long SMin;
    /// <summary>Largest possible value as s64 (kernel: smax_value).</summary>
    public long SMax;
    /// <summary>Smallest possible value as u64 (kernel: umin_value).</summary>
    public ulong UMin;
    /// <summary>Largest possible value as u64 (kernel: umax_value).</summary>
    public ulong UMax;
    /// <summary>Smallest possible low 32 bits as s32 (kernel: s32_min_value).</summary>
    public int S32Min;
    /// <summary>Largest possible low 32 bits as s32 (kernel: s32_max_value).</summary>
    public int S32Max;
    /// <summary>Smallest possible low 32 bits as u32 (kernel: u32_min_value).</summary>
    public uint U32Min;
    /// <summary>Largest possible low 32 bits as u32 (kernel: u32_max_value).</summary>
    public uint U32Max;
    /// <summary>The known and unknown bits (kernel: var_off).</summary>
    public Tnum VarOff;

    /// <summary>A completely unknown scalar (kernel: __mark_reg_unknown's scalar part: tnum_unknown, unbounded).</summary>
    public static ScalarBounds Unknown
    {
        get
        {
            ScalarBounds r = default;
            r.VarOff = Tnum.Unknown;
            r.MarkUnbounded();
            return r;
        }
    }

    /// <summary>The known constant <paramref name="value"/> (kernel: __mark_reg_known).</summary>
    public static ScalarBounds Const(ulong value)
    {
        ScalarBounds r = default;
        r.MarkKnown(value);
        return r;
    }

    /// <summary>The known constant <paramref name="value"/>, sign-extended to 64 bits (a BPF_K immediate).</summary>
    public static ScalarBounds Const(long value) => Const((ulong)value);

    /// <summary>
    /// The values a tnum allows, with the bounds derived from it (kernel: the unknown register with
    /// var_off set, followed by reg_bounds_sync).
    /// </summary>
    public static ScalarBounds FromTnum(Tnum varOff)
    {
        ScalarBounds r = Unknown;
        r.VarOff = varOff;
        r.Sync();
        return r;
    }

    /// <summary>Makes this the known constant <paramref name="value"/> (kernel: ___mark_reg_known).</summary>
    public void MarkKnown(ulong value)
    {
        VarOff = Tnum.Const(value);
        SMin = SMax = (long)value;
        UMin = UMax = value;
        S32Min = S32Max = (int)(uint)value;
        U32Min = U32Max = (uint)value;
    }

    /// <summary>
    /// Makes the low 32 bits the known constant <paramref name="value"/>; the upper bits of var_off and the
    /// 64-bit bounds are left alone (kernel: __mark_reg32_known).
    /// </summary>
    public void MarkKnown32(uint value)
    {
        VarOff = VarOff.ConstSubreg(value);
        S32Min = S32Max = (int)value;
        U32Min = U32Max = value;
    }

    /// <summary>Drops all eight range bounds, keeping var_off (kernel: __mark_reg_unbounded).</summary>
    public void MarkUnbounded()
    {
        MarkUnbounded64();
        MarkUnbounded32();
    }

    /// <summary>Drops the 64-bit range bounds (kernel: __mark_reg64_unbounded).</summary>
    public void MarkUnbounded64()
    {
        SMin = long.MinValue;
        SMax = long.MaxValue;
        UMin = 0;
        UMax = ulong.MaxValue;
    }

    /// <summary>Drops the 32-bit range bounds (kernel: __mark_reg32_unbounded).</summary>
    public void MarkUnbounded32()
    {
        S32Min = int.MinValue;
        S32Max = int.MaxValue;
        U32Min = 0;
        U32Max = uint.MaxValue;
    }

    /// <summary>True if the value is one known constant (kernel: tnum_is_const(reg->var_off)).</summary>
    public readonly bool IsConst => VarOff.IsConst;

    /// <summary>True if the low 32 bits are one known constant (kernel: tnum_subreg_is_const).</summary>
    public readonly bool IsConst32 => VarOff.SubregIsConst;

    /// <summary>
    /// True if <paramref name="x"/> satisfies all eight bounds and the tnum: the concrete values this
    /// abstract value stands for.
    /// </summary>
    public readonly bool Contains(ulong x) =>
        VarOff.Contains(x)
        && x >= UMin && x <= UMax
        && (long)x >= SMin && (long)x <= SMax
        && (uint)x >= U32Min && (uint)x <= U32Max
        && (int)(uint)x >= S32Min && (int)(uint)x <= S32Max;

    /// <summary>
    /// The kernel's reg_bounds_sanity_check: null when the bounds are consistent, else the reason the kernel
    /// reports ("range bounds violation", "const tnum out of sync with range bounds", "const subreg tnum out
    /// of sync with range bounds"). The kernel treats a violation as its own bug (REG INVARIANTS VIOLATION):
    /// it fails with EFAULT under test_reg_invariants and otherwise drops the bounds (<see cref="MarkUnbounded"/>).
    /// </summary>
    public readonly string? SanityCheck()
    {
        if (UMin > UMax || SMin > SMax || U32Min > U32Max || S32Min > S32Max)
            return "range bounds violation";
        if (VarOff.IsConst)
        {
            ulong u = VarOff.Value;
            if (UMin != u || UMax != u || SMin != (long)u || SMax != (long)u)
                return "const tnum out of sync with range bounds";
        }
        if (VarOff.SubregIsConst)
        {
            uint u32 = (uint)VarOff.Value;
            if (U32Min != u32 || U32Max != u32 || S32Min != (int)u32 || S32Max != (int)u32)
                return "const subreg tnum out of sync with range bounds";
        }
        return null;
    }

    /// <summary>True if <see cref="SanityCheck"/> finds nothing wrong.</summary>
    public readonly bool IsSane => SanityCheck() is null;

    /// <summary>
    /// The kernel's REG INVARIANTS VIOLATION detail text: <c>u64=[%#llx, %#llx] s64=[...] u32=[...] s32=[...]
    /// var_off=(%#llx, %#llx)</c>.
    /// </summary>
    public readonly string InvariantsText() =>
        $"u64=[{Hex(UMin)}, {Hex(UMax)}] s64=[{Hex((ulong)SMin)}, {Hex((ulong)SMax)}] " +
        $"u32=[{Hex(U32Min)}, {Hex(U32Max)}] s32=[{Hex((uint)S32Min)}, {Hex((uint)S32Max)}] " +
        $"var_off=({Hex(VarOff.Value)}, {Hex(VarOff.Mask)})";

    // C's "%#llx": 0 prints as "0", anything else with a 0x prefix.
    private static string Hex(ulong v) => v == 0 ? "0" : $"0x{v:x}";

    /// <summary>Field-wise equality (the kernel compares these fields one by one in range_within/regsafe).</summary>
    public readonly bool Equals(ScalarBounds other) =>
        SMin == other.SMin && SMax == other.SMax && UMin == other.UMin && UMax == other.UMax
        && S32Min == other.S32Min && S32Max == other.S32Max && U32Min == other.U32Min && U32Max == other.U32Max
        && VarOff == other.VarOff;

    /// <inheritdoc/>
    public override readonly bool Equals(object? obj) => obj is ScalarBounds other && Equals(other);

    /// <inheritdoc/>
    public override readonly int GetHashCode() =>
        HashCode.Combine(SMin, SMax, UMin, UMax, HashCode.Combine(S32Min, S32Max, U32Min, U32Max), VarOff);

    /// <summary>Field-wise equality.</summary>
    public static bool operator ==(ScalarBounds left, ScalarBounds right) => left.Equals(right);

    /// <summary>Field-wise inequality.</summary>
    public static bool operator !=(ScalarBounds left, ScalarBounds right) => !left.Equals(right);
}
