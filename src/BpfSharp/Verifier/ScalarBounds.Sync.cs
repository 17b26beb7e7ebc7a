namespace BpfSharp.Verifier;

public partial struct ScalarBounds
{
    /// <summary>
    /// Full re-synchronisation of bounds and var_off (kernel: reg_bounds_sync): bounds from var_off, three rounds
    /// of deduction between the signed/unsigned and 32/64-bit views, var_off from the bounds, bounds again.
    /// </summary>
    public void Sync()
    {
        UpdateBounds();
        DeduceBounds();
        DeduceBounds();
        DeduceBounds();
        BoundOffset();
        UpdateBounds();
    }

    /// <summary>Tightens all bounds from var_off (kernel: __update_reg_bounds).</summary>
    public void UpdateBounds()
    {
        UpdateBounds32();
        UpdateBounds64();
    }

    /// <summary>Tightens the 32-bit bounds from the low half of var_off (kernel: __update_reg32_bounds).</summary>
    public void UpdateBounds32()
    {
        Tnum t = VarOff.Subreg();
        uint v = (uint)t.Value, m = (uint)t.Mask;
        // Signed min: sign bit set if it may be, other bits at their minimum; max the other way round.
        S32Min = Math.Max(S32Min, (int)(v | (m & 0x8000_0000u)));
        S32Max = Math.Min(S32Max, (int)(v | (m & 0x7fff_ffffu)));
        U32Min = Math.Max(U32Min, v);
        U32Max = Math.Min(U32Max, v | m);
    }

    /// <summary>
    /// Tightens the 64-bit bounds from var_off, and makes the value a constant when the u64 range and the tnum
    /// have one member in common (kernel: __update_reg64_bounds, 6.18 with the stable tnum_step refinement).
    /// </summary>
    public void UpdateBounds64()
    {
        ulong v = VarOff.Value, m = VarOff.Mask;
        SMin = Math.Max(SMin, (long)(v | (m & 0x8000_0000_0000_0000UL)));
        SMax = Math.Min(SMax, (long)(v | (m & 0x7fff_ffff_ffff_ffffUL)));
        UMin = Math.Max(UMin, v);
        UMax = Math.Min(UMax, v | m);

        ulong next = Tnum.Step(VarOff, UMin), tmax = v | m;
        bool uminInTnum = (UMin & ~m) == v;
        if (uminInTnum && next > UMax)
            MarkKnown(UMin); // they meet only in umin
        else if (!uminInTnum && next == tmax)
            MarkKnown(tmax); // only in the tnum's largest member
        else if (!uminInTnum && next <= UMax && Tnum.Step(VarOff, next) > UMax)
            MarkKnown(next); // only in one member between umin and umax
    }

    /// <summary>
    /// One round of deduction between the views (kernel: __reg_deduce_bounds): 32-bit from 64-bit,
    /// signed/unsigned 64-bit, then 64-bit from 32-bit.
    /// </summary>
    public void DeduceBounds()
    {
        Deduce32();
        Deduce64();
        DeduceMixed();
    }

    /// <summary>Tightens the 32-bit bounds from the 64-bit ones and from each other (kernel: __reg32_deduce_bounds).</summary>
    public void Deduce32()
    {
        // The u64 range keeps its upper 32 bits fixed: its low halves form a u32 range (and an s32 one when ordered).
        if ((UMin >> 32) == (UMax >> 32))
        {
            U32Min = Math.Max(U32Min, (uint)UMin);
            U32Max = Math.Min(U32Max, (uint)UMax);
            if ((int)(uint)UMin <= (int)(uint)UMax)
            {
                S32Min = Math.Max(S32Min, (int)(uint)UMin);
                S32Max = Math.Min(S32Max, (int)(uint)UMax);
            }
        }
        if ((SMin >> 32) == (SMax >> 32))
        {
            if ((uint)SMin <= (uint)SMax)
            {
                U32Min = Math.Max(U32Min, (uint)SMin);
                U32Max = Math.Min(U32Max, (uint)SMax);
            }
            if ((int)SMin <= (int)SMax)
            {
                S32Min = Math.Max(S32Min, (int)SMin);
                S32Max = Math.Min(S32Max, (int)SMax);
            }
        }
        // Upper halves are two consecutive numbers and the low halves go from negative to non-negative s32:
        // the low halves still form one s32 range.
        if ((uint)(UMin >> 32) + 1 == (uint)(UMax >> 32) && (int)(uint)UMin < 0 && (int)(uint)UMax >= 0)
        {
            S32Min = Math.Max(S32Min, (int)(uint)UMin);
            S32Max = Math.Min(S32Max, (int)(uint)UMax);
        }
        if ((uint)((ulong)SMin >> 32) + 1 == (uint)((ulong)SMax >> 32) && (int)SMin < 0 && (int)SMax >= 0)
        {
            S32Min = Math.Max(S32Min, (int)SMin);
            S32Max = Math.Min(S32Max, (int)SMax);
        }
        // A u32 range that does not cross the s32 sign boundary is also an s32 range, and vice versa.
        if ((int)U32Min <= (int)U32Max)
        {
            S32Min = Math.Max(S32Min, (int)U32Min);
            S32Max = Math.Min(S32Max, (int)U32Max);
        }
        if ((uint)S32Min <= (uint)S32Max)
        {
            U32Min = Math.Max((uint)S32Min, U32Min);
            U32Max = Math.Min((uint)S32Max, U32Max);
        }
        else
        {
            // The s32 range wraps in u32 terms (its two pieces sit at both ends of the u32 domain); when the
            // u32 range meets only one piece, both ranges shrink to that piece.
            if (U32Max < (uint)S32Min)
            {
                S32Min = (int)U32Min;
                U32Max = Math.Min(U32Max, (uint)S32Max);
            }
            else if ((uint)S32Max < U32Min)
            {
                S32Max = (int)U32Max;
                U32Min = Math.Max(U32Min, (uint)S32Min);
            }
        }
    }

    /// <summary>Tightens the signed and unsigned 64-bit bounds from each other (kernel: __reg64_deduce_bounds).</summary>
    public void Deduce64()
    {
        if ((long)UMin <= (long)UMax)
        {
            SMin = Math.Max(SMin, (long)UMin);
            SMax = Math.Min(SMax, (long)UMax);
        }
        if ((ulong)SMin <= (ulong)SMax)
        {
            UMin = Math.Max((ulong)SMin, UMin);
            UMax = Math.Min((ulong)SMax, UMax);
        }
        else
        {
            // The s64 range wraps in u64 terms (its two pieces sit at both ends of the u64 domain); when the
            // u64 range meets only one piece, both ranges shrink to that piece.
            if (UMax < (ulong)SMin)
            {
                SMin = (long)UMin;
                UMax = Math.Min(UMax, (ulong)SMax);
            }
            else if ((ulong)SMax < UMin)
            {
                SMax = (long)UMax;
                UMin = Math.Max(UMin, (ulong)SMin);
            }
        }
    }

    /// <summary>Tightens the 64-bit bounds from the 32-bit ones (kernel: __reg_deduce_mixed_bounds).</summary>
    public void DeduceMixed()
    {
        // Replace the low halves of the 64-bit bounds by the 32-bit bounds where that is tighter.
        ulong newUMin = (UMin & ~0xffff_ffffUL) | U32Min;
        ulong newUMax = (UMax & ~0xffff_ffffUL) | U32Max;
        UMin = Math.Max(UMin, newUMin);
        UMax = Math.Min(UMax, newUMax);
        long newSMin = (long)(((ulong)SMin & ~0xffff_ffffUL) | U32Min);
        long newSMax = (long)(((ulong)SMax & ~0xffff_ffffUL) | U32Max);
        SMin = Math.Max(SMin, newSMin);
        SMax = Math.Min(SMax, newSMax);

        // After a sign-extending load or move the 64-bit value is within s32 and the s32 range is non-negative:
        // then the 64-bit value is exactly the s32 value.
        if (S32Min >= 0 && SMin >= int.MinValue && SMax <= int.MaxValue)
        {
            SMin = S32Min;
            SMax = S32Max;
            UMin = (ulong)S32Min;
            UMax = (ulong)S32Max;
            VarOff = Tnum.Intersect(VarOff, Tnum.Range((ulong)SMin, (ulong)SMax));
        }
    }

    /// <summary>Learns var_off bits from the unsigned bounds, 64- and 32-bit (kernel: __reg_bound_offset).</summary>
    public void BoundOffset()
    {
        Tnum var64 = Tnum.Intersect(VarOff, Tnum.Range(UMin, UMax));
        Tnum var32 = Tnum.Intersect(var64.Subreg(), Tnum.Range(U32Min, U32Max));
        VarOff = Tnum.Or(var64.ClearSubreg(), var32);
    }
}
