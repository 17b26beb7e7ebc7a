namespace BpfSharp.Verifier;

/// <summary>
/// What one byte of a stack slot holds (kernel: enum bpf_stack_slot_type). The log prints each byte as
/// a character: <c>?</c> invalid, <c>r</c> spill, <c>m</c> misc, <c>0</c> zero, <c>d</c> dynptr.
/// </summary>
public enum StackSlotType : byte
{
    /// <summary>Never written: reading it is an error (kernel: STACK_INVALID).</summary>
    Invalid = 0,
    /// <summary>Part of a spilled register, see <see cref="StackSlot.SpilledPtr"/> (kernel: STACK_SPILL).</summary>
    Spill,
    /// <summary>Written with some unknown data (kernel: STACK_MISC).</summary>
    Misc,
    /// <summary>Known to be zero (kernel: STACK_ZERO).</summary>
    Zero,
    /// <summary>Part of a struct bpf_dynptr (two whole slots), see <see cref="RegState.DynptrType"/> (kernel: STACK_DYNPTR).</summary>
    Dynptr,
}
