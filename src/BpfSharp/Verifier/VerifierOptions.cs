namespace BpfSharp.Verifier;

/// <summary>How one program is verified: the loader's privileges, the log, and the load flags that change the rules.</summary>
public sealed record VerifierOptions
{
    /// <summary>The loader's privileges (kernel: allow_ptr_leaks, bypass_spec_v1/v4, bpf_capable). Default: root.</summary>
    public VerifierCapabilities Capabilities { get; init; } = VerifierCapabilities.Privileged;

    /// <summary>
    /// The log level bits (kernel: log_level): 1 the trace of the failing path, 2 every instruction with its
    /// state, 4 statistics. 0 writes only the error line.
    /// </summary>
    public uint LogLevel { get; init; }

    /// <summary>BPF_F_STRICT_ALIGNMENT: check the alignment of every access as a strict-alignment CPU would.</summary>
    public bool StrictAlignment { get; init; }

    /// <summary>BPF_F_ANY_ALIGNMENT: no alignment checks at all (wins over <see cref="StrictAlignment"/>).</summary>
    public bool AnyAlignment { get; init; }

    /// <summary>
    /// BPF_F_TEST_STATE_FREQ: save a checkpoint at every prune point, not only after enough instructions and
    /// jumps (kernel: test_state_freq), so that pruning is exercised as often as it can be.
    /// </summary>
    public bool TestStateFreq { get; init; }

    /// <summary>
    /// The program is to be JIT-compiled by a JIT that supports tail calls from subprograms (kernel: prog->jit_requested
    /// with bpf_jit_supports_subprog_tailcalls(), as on x86-64 with bpf_jit_enable set). The default, true, is what
    /// the engines here give every program. False checks it as the kernel checks a program for its interpreter: stack
    /// frames count in 32-byte steps (at least 32), a tail call in a program with subprograms is refused, and so is a
    /// callback.
    /// </summary>
    public bool JitRequested { get; init; } = true;

    /// <summary>The expected attach type of the load (kernel: expected_attach_type); some types' rules depend on it.</summary>
    public uint ExpectedAttachType { get; init; }

    /// <summary>The license is GPL-compatible: GPL-only helpers may be called (kernel: gpl_compatible).</summary>
    public bool GplCompatible { get; init; } = true;

    /// <summary>The program may sleep (BPF_F_SLEEPABLE): helpers that might sleep are allowed.</summary>
    public bool Sleepable { get; init; }

    /// <summary>The number of CPU slots, the bound of bpf_get_smp_processor_id's result (kernel: nr_cpu_ids).</summary>
    public int PossibleCpus { get; init; } = Environment.ProcessorCount;

    /// <summary>The program's source lines by first instruction, in instruction order (kernel: prog->aux->linfo); null: none.</summary>
    public IReadOnlyList<VerifierLineInfo>? LineInfo { get; init; }

    /// <summary>
    /// The program's BTF (kernel: prog->aux->btf), which <see cref="FuncInfo"/> refers to; null: none. Needed for
    /// global functions and callbacks.
    /// </summary>
    public Elf.Btf.BtfBlob? Btf { get; init; }

    /// <summary>
    /// The func_info records, one per subprogram in start order, already checked as check_btf_func_early checks them
    /// (increasing offsets from 0, each naming a FUNC with a FUNC_PROTO in <see cref="Btf"/>); null or empty: none
    /// (kernel: prog->aux->func_info).
    /// </summary>
    public IReadOnlyList<VerifierFuncInfo>? FuncInfo { get; init; }

    /// <summary>
    /// The kernel's BTF (kernel: btf_vmlinux): the types of PTR_TO_BTF_ID registers that helpers such as
    /// bpf_get_current_task_btf return. Null where there is none; those helpers are then refused.
    /// </summary>
    public Elf.Btf.BtfBlob? KernelBtf { get; init; }
}
