using BpfSharp.Uapi;

namespace BpfSharp.Verifier;

/// <summary>
/// What a program type tells the verifier (kernel: struct bpf_verifier_ops plus the per-type parts of
/// check_return_code): which context bytes the program may read or write and what a load of them yields,
/// which helpers it may call with which prototype, and the values it may return. The kernel's program
/// types implement it in <c>BpfSharp.ProgramTypes</c>; a host defines its own to verify programs against
/// its own context and helpers.
/// </summary>
public abstract class VerifierOps
{
    /// <summary>The program type (kernel: enum bpf_prog_type); the host-defined type uses its own number.</summary>
    public abstract BpfProgType ProgType { get; }

    /// <summary>
    /// The size of the context R1 points to at entry; accesses are checked by <see cref="IsValidAccess"/>
    /// within it.
    /// </summary>
    public abstract int ContextSize { get; }

    /// <summary>
    /// Whether an access of <paramref name="size"/> bytes at context offset <paramref name="off"/> is allowed
    /// (kernel: is_valid_access); on success fills <paramref name="info"/> (the loaded register's type, the
    /// field size of a narrow load). <paramref name="info"/> arrives with <see cref="CtxAccessInfo.RegType"/>
    /// = SCALAR_VALUE and <see cref="CtxAccessInfo.IsLdsx"/> set for a sign-extending load.
    /// </summary>
    public abstract bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType,
        ref CtxAccessInfo info);

    /// <summary>
    /// The prototype of helper <paramref name="helperId"/> as this program type offers it, or null if the type
    /// may not call it (kernel: get_func_proto). <paramref name="caps"/> are the loader's capabilities: some
    /// helpers need CAP_BPF or CAP_PERFMON.
    /// </summary>
    public abstract HelperPrototype? GetFuncProto(int helperId, VerifierCapabilities caps);

    /// <summary>
    /// <see cref="GetFuncProto(int, VerifierCapabilities)"/> for a program loaded with
    /// <paramref name="expectedAttachType"/>: some types offer helpers by attach type (kernel: get_func_proto reads
    /// prog->expected_attach_type). The verifier calls this one; by default it ignores the attach type.
    /// </summary>
    public virtual HelperPrototype? GetFuncProto(int helperId, VerifierCapabilities caps, uint expectedAttachType) =>
        GetFuncProto(helperId, caps);

    /// <summary>
    /// The values R0 may hold when the main program exits, or null if the type does not restrict them
    /// (kernel: the range check_return_code picks per program type and expected attach type).
    /// </summary>
    public virtual RetvalRange? ReturnRange(uint expectedAttachType) => null;

    /// <summary>
    /// Checks the program's attach target before any instruction is walked (kernel: check_attach_btf_id, after the
    /// control-flow checks): 0, or -errno and the verifier's message (null for none). By default every program passes.
    /// </summary>
    public virtual int CheckAttachTarget(out string? message)
    {
        message = null;
        return 0;
    }

    /// <summary>True if the type may read packet data directly through data/data_end (kernel: may_access_direct_pkt_data, reads).</summary>
    public virtual bool MayReadPacketData => false;

    /// <summary>True if the type may write packet data directly (kernel: may_access_direct_pkt_data, writes).</summary>
    public virtual bool MayWritePacketData => false;

    /// <summary>True if the type may use LD_ABS/LD_IND (kernel: may_access_skb).</summary>
    public virtual bool MayAccessSkb => false;

    /// <summary>
    /// The name programs give their context's struct in BTF (kernel: the prog_ctx_type of include/linux/bpf_types.h,
    /// such as <c>__sk_buff</c> or <c>xdp_md</c>): a global function's argument that points to a struct of this name is
    /// the context. Null for types whose context is no named struct; there only an <c>arg:ctx</c> decl tag makes an
    /// argument the context.
    /// </summary>
    public virtual string? ContextTypeName => ProgType switch
    {
        BpfProgType.SocketFilter or BpfProgType.SchedCls or BpfProgType.SchedAct or BpfProgType.CgroupSkb
            or BpfProgType.LwtIn or BpfProgType.LwtOut or BpfProgType.LwtXmit or BpfProgType.LwtSeg6local
            or BpfProgType.SkSkb or BpfProgType.FlowDissector => "__sk_buff",
        BpfProgType.Xdp => "xdp_md",
        BpfProgType.CgroupSock => "bpf_sock",
        BpfProgType.CgroupSockAddr => "bpf_sock_addr",
        BpfProgType.SockOps => "bpf_sock_ops",
        BpfProgType.SkMsg => "sk_msg_md",
        BpfProgType.Kprobe => "bpf_user_pt_regs_t",
        BpfProgType.PerfEvent => "bpf_perf_event_data",
        BpfProgType.RawTracepoint or BpfProgType.RawTracepointWritable => "bpf_raw_tracepoint_args",
        BpfProgType.CgroupDevice => "bpf_cgroup_dev_ctx",
        BpfProgType.CgroupSysctl => "bpf_sysctl",
        BpfProgType.CgroupSockopt => "bpf_sockopt",
        BpfProgType.SkReuseport => "sk_reuseport_md",
        BpfProgType.SkLookup => "bpf_sk_lookup",
        BpfProgType.Netfilter => "bpf_nf_ctx",
        _ => null,
    };
}
