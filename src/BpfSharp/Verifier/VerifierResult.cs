namespace BpfSharp.Verifier;

/// <summary>The outcome of verifying one program: the verdict, the log, and what later load stages need.</summary>
public sealed class VerifierResult
{
    internal VerifierResult(int errno, string log, int insnProcessed, int[] stackDepth, int[] ctxFieldSize,
        RegType[] ptrType, uint maxCtxOffset)
    {
        Errno = errno;
        Log = log;
        InsnProcessed = insnProcessed;
        _stackDepth = stackDepth;
        _ctxFieldSize = ctxFieldSize;
        _ptrType = ptrType;
        MaxCtxOffset = maxCtxOffset;
    }

    private readonly int[] _stackDepth;
    private readonly int[] _ctxFieldSize;
    private readonly RegType[] _ptrType;

    /// <summary>0 if the program is safe, else the negative errno the load fails with (-EACCES unsafe, -EINVAL malformed, -E2BIG too large).</summary>
    public int Errno { get; }

    /// <summary>True if the program was accepted.</summary>
    public bool IsAccepted => Errno == 0;

    /// <summary>The verifier log in the kernel's format, complete (the caller truncates it to the user's buffer).</summary>
    public string Log { get; }

    /// <summary>The instructions simulated over all paths (kernel: insn_processed).</summary>
    public int InsnProcessed { get; }

    /// <summary>The longest list of explored states one instruction had when compared (kernel: max_states_per_insn).</summary>
    public int MaxStatesPerInsn { get; internal init; }

    /// <summary>The checkpoints saved for pruning over the whole walk (kernel: total_states).</summary>
    public int TotalStates { get; internal init; }

    /// <summary>The most checkpoints held at once (kernel: peak_states).</summary>
    public int PeakStates { get; internal init; }

    /// <summary>The stack bytes each subprogram uses, in subprogram order (kernel: subprog_info[i].stack_depth).</summary>
    public ReadOnlySpan<int> StackDepth => _stackDepth;

    /// <summary>
    /// For each instruction that loads a context field narrower than the field, the field's size; 0 elsewhere
    /// (kernel: insn_aux_data[i].ctx_field_size), for the context rewrites after verification.
    /// </summary>
    public ReadOnlySpan<int> CtxFieldSize => _ctxFieldSize;

    /// <summary>
    /// True if instruction <paramref name="index"/> is a load or store through a context pointer (kernel:
    /// insn_aux_data[i].ptr_type == PTR_TO_CTX): the instructions the context rewrites after verification
    /// (kernel: convert_ctx_accesses) may change.
    /// </summary>
    public bool IsCtxAccess(int index) => (uint)index < (uint)_ptrType.Length && _ptrType[index] == RegType.PtrToCtx;

    /// <summary>
    /// The end of the furthest context access, as an unsigned offset (kernel: prog->aux->max_ctx_offset): tracing
    /// attach points compare it with the size of the context they supply and refuse programs that read past it.
    /// </summary>
    public uint MaxCtxOffset { get; }

    /// <summary>Per instruction: a load through a kernel pointer (see <see cref="IsProbeLoad"/>).</summary>
    internal bool[] ProbeMem { get; init; } = [];

    /// <summary>
    /// True if instruction <paramref name="index"/> is a load through a PTR_TO_BTF_ID or untrusted read-only memory:
    /// the kernel turns it into a BPF_PROBE_MEM load (convert_ctx_accesses), which reads 0 where the address faults.
    /// The engines run these loads that way (<see cref="Runtime.InterpreterOptions.ProbeLoads"/>).
    /// </summary>
    public bool IsProbeLoad(int index) => (uint)index < (uint)ProbeMem.Length && ProbeMem[index];
}
