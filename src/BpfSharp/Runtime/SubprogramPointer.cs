namespace BpfSharp.Runtime;

/// <summary>
/// The value a program holds for one of its subprograms: what <c>lddw rX, BPF_PSEUDO_FUNC</c> loads, the
/// callback argument of bpf_loop, bpf_for_each_map_elem and friends (the kernel loads the subprogram's
/// address). Encoding: <c>0x0BF0_CA11_0000_0000 | instruction index</c> of the subprogram's first
/// instruction. The tag makes the value a non-canonical x86-64 address (never dereferenceable) and keeps
/// small integers a program computes from ever being taken for a callback. Engines agree on it, so the
/// value is meaningful to whichever engine runs the program.
/// </summary>
public static class SubprogramPointer
{
    /// <summary>The upper 32 bits of every subprogram pointer.</summary>
    public const ulong Tag = 0x0BF0_CA11_0000_0000;

    /// <summary>The value for the subprogram starting at instruction slot <paramref name="instructionIndex"/>.</summary>
    public static ulong Encode(int instructionIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(instructionIndex);
        return Tag | (uint)instructionIndex;
    }

    /// <summary>The instruction index <paramref name="value"/> encodes, if it is a subprogram pointer at all.</summary>
    public static bool TryDecode(ulong value, out int instructionIndex)
    {
        instructionIndex = (int)(uint)value;
        return (value & 0xFFFF_FFFF_0000_0000) == Tag && instructionIndex >= 0;
    }
}
