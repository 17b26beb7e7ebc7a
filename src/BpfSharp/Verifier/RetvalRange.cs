namespace BpfSharp.Verifier;

/// <summary>
/// The values a program's R0 may hold at exit (kernel: struct bpf_retval_range); checked on the 64-bit
/// bounds, or on the 32-bit ones when <see cref="Return32Bit"/>.
/// </summary>
public readonly record struct RetvalRange(int MinVal, int MaxVal, bool Return32Bit = false)
{
    /// <summary>True if every value <paramref name="reg"/> may hold lies in the range (kernel: retval_range_within).</summary>
    public bool Contains(in RegState reg) => Return32Bit
        ? reg.Bounds.S32Min >= MinVal && reg.Bounds.S32Max <= MaxVal
        : reg.Bounds.SMin >= MinVal && reg.Bounds.SMax <= MaxVal;
}
