namespace BpfSharp.ProgramTypes;

/// <summary>The small checks every is_valid_access builds on (kernel: include/linux/filter.h, bpf_ctx_*).</summary>
internal static class CtxField
{
    /// <summary>True when <paramref name="off"/> falls inside the field at <paramref name="fieldOff"/> of <paramref name="fieldSize"/> bytes (kernel: bpf_ctx_range).</summary>
    public static bool In(int off, int fieldOff, int fieldSize) => (uint)(off - fieldOff) < (uint)fieldSize;

    /// <summary>True when <paramref name="off"/> lies from the start of one field to the end of another (kernel: bpf_ctx_range_till).</summary>
    public static bool InTill(int off, int firstOff, int lastOff, int lastSize) => off >= firstOff && off < lastOff + lastSize;

    /// <summary>
    /// True for a load of a power-of-two <paramref name="size"/> no larger than the field (kernel:
    /// bpf_ctx_narrow_access_ok); the offset's alignment to the size is checked before.
    /// </summary>
    public static bool NarrowAccessOk(int size, int fieldSize) => size <= fieldSize && (size & (size - 1)) == 0;

    /// <summary>
    /// True for an 8-byte access at an 8-byte aligned offset that stays inside the array field at
    /// <paramref name="fieldOff"/> of <paramref name="fieldSize"/> bytes (kernel: bpf_ctx_wide_access_ok).
    /// </summary>
    public static bool WideAccessOk(int off, int size, int fieldOff, int fieldSize) =>
        size == sizeof(ulong) && off >= fieldOff && off + sizeof(ulong) <= fieldOff + fieldSize && off % sizeof(ulong) == 0;
}
