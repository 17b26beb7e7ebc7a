using BpfSharp.Uapi;
using static BpfSharp.Uapi.BpfAttachType;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.ProgramTypes;

/// <summary>A program type as loaded: with an expected attach type and the prog_flags it needs (syscall programs must be sleepable).</summary>
public sealed record ProgramVariant(string Name, BpfProgType Type, BpfAttachType ExpectedAttachType = 0, uint ProgFlags = 0,
    string? AttachBtf = null)
{
    /// <summary>attach_btf_id: <see cref="AttachBtf"/> (a <c>btf_trace_*</c> typedef) in the running kernel's BTF, or 0.</summary>
    public uint AttachBtfId() => AttachBtf is null ? 0
        : BpfSharp.Elf.Btf.KernelBtf.Vmlinux?.FindByName(AttachBtf, BpfSharp.Elf.Btf.BtfKind.Typedef)
            ?? throw new InvalidOperationException($"{Name}: no {AttachBtf} in the kernel's BTF");

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>
/// The program types BpfSharp models, each with the expected attach types the kernel's rules tell apart (context
/// access, helpers, return values) or that loaders use (libbpf's section names): the variants the kernel-oracle
/// tests of this folder walk, in the order of the generated helper table.
/// </summary>
public static class ProgramVariants
{
    private const uint BPF_F_SLEEPABLE = 1u << 4;

    /// <summary>Every variant.</summary>
    public static readonly ProgramVariant[] All =
    [
        new("socket_filter", SocketFilter),
        new("sched_cls", SchedCls),
        new("sched_act", SchedAct),
        new("xdp", BpfProgType.Xdp),
        new("xdp_devmap", BpfProgType.Xdp, XdpDevmap),
        new("cgroup_skb_ingress", CgroupSkb, CgroupInetIngress),
        new("cgroup_skb_egress", CgroupSkb, CgroupInetEgress),
        new("kprobe", Kprobe),
        new("tracepoint", Tracepoint),
        new("raw_tracepoint", RawTracepoint),
        new("perf_event", BpfProgType.PerfEvent),
        new("sk_skb", SkSkb),
        new("sk_skb_stream_parser", SkSkb, SkSkbStreamParser),
        new("sk_skb_stream_verdict", SkSkb, SkSkbStreamVerdict),
        new("sk_skb_verdict", SkSkb, SkSkbVerdict),
        new("sk_msg", SkMsg),
        new("sk_msg_verdict", SkMsg, SkMsgVerdict),
        new("sock_ops", SockOps),
        new("sock_ops_cgroup", SockOps, CgroupSockOps),
        new("cgroup_sock_create", CgroupSock, CgroupInetSockCreate),
        new("cgroup_sock_release", CgroupSock, CgroupInetSockRelease),
        new("cgroup_sock_post_bind4", CgroupSock, CgroupInet4PostBind),
        new("cgroup_sock_post_bind6", CgroupSock, CgroupInet6PostBind),
        new("cgroup_sock_addr_bind4", CgroupSockAddr, CgroupInet4Bind),
        new("cgroup_sock_addr_bind6", CgroupSockAddr, CgroupInet6Bind),
        new("cgroup_sock_addr_connect4", CgroupSockAddr, CgroupInet4Connect),
        new("cgroup_sock_addr_connect6", CgroupSockAddr, CgroupInet6Connect),
        new("cgroup_sock_addr_connect_unix", CgroupSockAddr, CgroupUnixConnect),
        new("cgroup_sock_addr_getpeername4", CgroupSockAddr, CgroupInet4Getpeername),
        new("cgroup_sock_addr_getpeername6", CgroupSockAddr, CgroupInet6Getpeername),
        new("cgroup_sock_addr_getpeername_unix", CgroupSockAddr, CgroupUnixGetpeername),
        new("cgroup_sock_addr_getsockname4", CgroupSockAddr, CgroupInet4Getsockname),
        new("cgroup_sock_addr_getsockname6", CgroupSockAddr, CgroupInet6Getsockname),
        new("cgroup_sock_addr_getsockname_unix", CgroupSockAddr, CgroupUnixGetsockname),
        new("cgroup_sock_addr_sendmsg4", CgroupSockAddr, CgroupUdp4Sendmsg),
        new("cgroup_sock_addr_sendmsg6", CgroupSockAddr, CgroupUdp6Sendmsg),
        new("cgroup_sock_addr_sendmsg_unix", CgroupSockAddr, CgroupUnixSendmsg),
        new("cgroup_sock_addr_recvmsg4", CgroupSockAddr, CgroupUdp4Recvmsg),
        new("cgroup_sock_addr_recvmsg6", CgroupSockAddr, CgroupUdp6Recvmsg),
        new("cgroup_sock_addr_recvmsg_unix", CgroupSockAddr, CgroupUnixRecvmsg),
        new("lwt_in", LwtIn),
        new("lwt_out", LwtOut),
        new("lwt_xmit", LwtXmit),
        new("lwt_seg6local", LwtSeg6local),
        new("flow_dissector", BpfProgType.FlowDissector),
        new("flow_dissector_attach", BpfProgType.FlowDissector, BpfAttachType.FlowDissector),
        new("cgroup_device", BpfProgType.CgroupDevice),
        new("cgroup_device_attach", BpfProgType.CgroupDevice, BpfAttachType.CgroupDevice),
        new("cgroup_sysctl", BpfProgType.CgroupSysctl),
        new("cgroup_sysctl_attach", BpfProgType.CgroupSysctl, BpfAttachType.CgroupSysctl),
        new("cgroup_sockopt_get", CgroupSockopt, CgroupGetsockopt),
        new("cgroup_sockopt_set", CgroupSockopt, CgroupSetsockopt),
        new("sk_reuseport_select", SkReuseport, SkReuseportSelect),
        new("sk_reuseport_migrate", SkReuseport, SkReuseportSelectOrMigrate),
        new("sk_lookup", BpfProgType.SkLookup, BpfAttachType.SkLookup),
        new("raw_tracepoint_writable", RawTracepointWritable),
        new("netfilter", BpfProgType.Netfilter, BpfAttachType.Netfilter),
        new("syscall", BpfProgType.Syscall, 0, BPF_F_SLEEPABLE),
    ];

    /// <summary>The variants by name.</summary>
    /// <summary>
    /// The variants that attach to a kernel BTF type (tp_btf), recorded for helper availability only (the other tests
    /// iterate <see cref="All"/>). fentry/fexit/fmod_ret cannot be loaded by this machine's kernel (no BPF trampolines:
    /// EPERM before verification), so their table is derived from this one (see HelperAvailability).
    /// </summary>
    public static readonly ProgramVariant[] AttachBtf =
    [
        new("tracing_raw_tp", BpfProgType.Tracing, TraceRawTp, 0, "btf_trace_sched_switch"),
    ];

    public static readonly IReadOnlyDictionary<string, ProgramVariant> ByName = All.Concat(AttachBtf).ToDictionary(v => v.Name);

    /// <summary>The variant names, for [MemberData].</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var v in All) data.Add(v.Name);
        return data;
    }

    /// <summary>The first variant of each program type (the one its default attach type gives), by type.</summary>
    public static ProgramVariant Default(BpfProgType type) => All.First(v => v.Type == type);
}
