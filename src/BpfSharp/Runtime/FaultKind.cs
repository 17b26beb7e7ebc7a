namespace BpfSharp.Runtime;

/// <summary>Why a run ended with a <see cref="BpfRuntimeException"/>.</summary>
public enum FaultKind : byte
{
    /// <summary>A load, store or atomic outside every region the run may touch.</summary>
    OutOfBounds,
    /// <summary>A store or atomic into a region that is not writable.</summary>
    ReadOnly,
    /// <summary>An atomic operation on an address not aligned to its size.</summary>
    MisalignedAtomic,
    /// <summary>The run executed more instructions than its budget allows.</summary>
    BudgetExhausted,
    /// <summary>A bpf-to-bpf call would exceed <see cref="BpfStack.MaxFrames"/> frames.</summary>
    CallDepthExceeded,
    /// <summary>Execution ran past the last instruction without an exit.</summary>
    FellOffEnd,
    /// <summary>A call or callx named a helper id that is not registered.</summary>
    UnknownHelper,
    /// <summary>
    /// A helper was given an argument it cannot work with: a map pointer that is no map, a callback that
    /// is no subprogram of the program, a map of the wrong type.
    /// </summary>
    InvalidHelperArgument,
    /// <summary>A checked program ended holding a bpf_spin_lock, took a second one or released one it did not hold.</summary>
    SpinLockHeld,
}
