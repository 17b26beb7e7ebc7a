namespace BpfSharp;

/// <summary>The BPF_PROG_LOAD attributes besides the type and the instructions.</summary>
public sealed record BpfProgramOptions
{
    /// <summary>The license; "GPL" and compatible ones allow GPL-only helpers.</summary>
    public string License { get; init; } = "GPL";
    /// <summary>prog_name: at most 15 letters, digits, '_' or '.'.</summary>
    public string Name { get; init; } = "";
    /// <summary>prog_flags (see <see cref="Uapi.ProgFlags"/>).</summary>
    public uint Flags { get; init; }
    /// <summary>expected_attach_type (a <see cref="Uapi.BpfAttachType"/> number).</summary>
    public uint ExpectedAttachType { get; init; }

    /// <summary>
    /// attach_btf_id: the kernel BTF type a tracing or LSM program attaches to (a function, or a raw tracepoint's
    /// <c>btf_trace_*</c> typedef), an id of the system's kernel BTF (<see cref="BpfSystemOptions.KernelBtf"/>);
    /// <see cref="Elf.AttachBtf.Find"/> finds it by name. 0 for the other program types.
    /// </summary>
    public uint AttachBtfId { get; init; }
    /// <summary>kern_version.</summary>
    public uint KernelVersion { get; init; }
    /// <summary>
    /// log_level for the load: 0 fetches a level-1 log only if the load fails (as libbpf does); 1 or 2 keep the
    /// log of an accepted program too, in <see cref="BpfProgram.VerifierLog"/>.
    /// </summary>
    public uint LogLevel { get; init; }
    /// <summary>prog_btf_fd: the BTF that <see cref="FuncInfo"/> and <see cref="LineInfo"/> refer to.</summary>
    public BpfBtf? Btf { get; init; }
    /// <summary>func_info: the BTF FUNC of the program and of each subprogram, by first instruction.</summary>
    public IReadOnlyList<Elf.Btf.BtfFuncInfo>? FuncInfo { get; init; }
    /// <summary>line_info: source lines by instruction (the verifier log prints them).</summary>
    public IReadOnlyList<Elf.Btf.BtfLineInfo>? LineInfo { get; init; }
    /// <summary>log_size: the largest log kept (a longer one fails the load with ENOSPC, as in the kernel).</summary>
    public uint LogSize { get; init; } = 16 << 20;
}
