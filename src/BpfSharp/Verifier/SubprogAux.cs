namespace BpfSharp.Verifier;

/// <summary>
/// What the walk learns and keeps about one subprogram (kernel: struct bpf_func_info_aux and the argument part of
/// struct bpf_subprog_info): its BTF function, whether it is global, whether a call reached it and it was verified,
/// and its arguments as btf_prepare_func_args derived them from the prototype.
/// </summary>
internal sealed class SubprogAux
{
    /// <summary>BTF_FUNC_STATIC.</summary>
    public const int Static = 0;

    /// <summary>BTF_FUNC_GLOBAL.</summary>
    public const int Global = 1;

    /// <summary>The BTF FUNC of its func_info record, 0 without func_info (kernel: func_info[i].type_id).</summary>
    public uint TypeId { get; init; }

    /// <summary>The FUNC's linkage (kernel: linkage): <see cref="Static"/>, <see cref="Global"/> or extern.</summary>
    public int Linkage { get; init; }

    /// <summary>The FUNC's name, "" without func_info (kernel: subprog_name).</summary>
    public string Name { get; init; } = "";

    /// <summary>Its BTF did not match a call or could not be converted (kernel: unreliable).</summary>
    public bool Unreliable { get; set; }

    /// <summary>A global function some verified path calls: it is verified after the main program (kernel: called).</summary>
    public bool Called { get; set; }

    /// <summary>Verified on its own already (kernel: verified).</summary>
    public bool Verified { get; set; }

    /// <summary>Passed to a helper as a callback (kernel: is_cb).</summary>
    public bool IsCallback { get; set; }

    /// <summary>It, or a subprogram it calls, may call a helper that changes packet data (kernel: changes_pkt_data).</summary>
    public bool ChangesPacketData { get; set; }

    /// <summary><see cref="Args"/> holds the prototype's arguments (kernel: args_cached).</summary>
    public bool ArgsCached { get; set; }

    /// <summary>The prototype's argument count (kernel: arg_cnt).</summary>
    public int ArgCount { get; set; }

    /// <summary>The arguments R1-R5 (kernel: args).</summary>
    public SubprogArg[] Args { get; } = new SubprogArg[5];
}

/// <summary>What one argument of a function with BTF is (kernel: struct bpf_subprog_arg_info).</summary>
/// <param name="Kind">The kind of value.</param>
/// <param name="MaybeNull">A memory argument that may be NULL (kernel: PTR_MAYBE_NULL).</param>
/// <param name="MemSize">The size of a memory argument's target (kernel: mem_size).</param>
internal readonly record struct SubprogArg(SubprogArgKind Kind, bool MaybeNull = false, uint MemSize = 0);

/// <summary>The argument types btf_prepare_func_args derives (kernel: arg_type).</summary>
internal enum SubprogArgKind
{
    /// <summary>A scalar (kernel: ARG_ANYTHING).</summary>
    Anything,
    /// <summary>The program's context (kernel: ARG_PTR_TO_CTX).</summary>
    Ctx,
    /// <summary>Memory of <see cref="SubprogArg.MemSize"/> bytes (kernel: ARG_PTR_TO_MEM).</summary>
    Mem,
    /// <summary>An arena pointer or a scalar (kernel: ARG_PTR_TO_ARENA).</summary>
    Arena,
}
