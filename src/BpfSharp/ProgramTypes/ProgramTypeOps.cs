using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// The kernel's program types as the verifier sees them (kernel: the bpf_verifier_ops of each type): one shared,
/// immutable, thread-safe <see cref="VerifierOps"/> per type.
/// </summary>
public static class ProgramTypeOps
{
    private static readonly VerifierOps s_socketFilter = new SocketFilterOps();
    private static readonly VerifierOps s_schedCls = new TcClsActOps(BpfProgType.SchedCls);
    private static readonly VerifierOps s_schedAct = new TcClsActOps(BpfProgType.SchedAct);
    private static readonly VerifierOps s_xdp = new XdpOps();
    private static readonly VerifierOps s_cgroupSkb = new CgroupSkbOps(bpfCapable: true);
    private static readonly VerifierOps s_cgroupSkbWithoutCapBpf = new CgroupSkbOps(bpfCapable: false);
    private static readonly VerifierOps s_kprobe = new KprobeOps();
    private static readonly VerifierOps s_tracepoint = new TracepointOps();
    private static readonly VerifierOps s_rawTracepoint = new RawTracepointOps();
    private static readonly VerifierOps s_perfEvent = new PerfEventOps();
    private static readonly VerifierOps s_skSkb = new SkSkbOps();
    private static readonly VerifierOps s_skMsg = new SkMsgOps();
    private static readonly VerifierOps s_sockOps = new SockOpsOps();
    private static readonly VerifierOps s_cgroupSock = new CgroupSockOps();
    private static readonly VerifierOps s_cgroupSockAddr = new CgroupSockAddrOps();
    private static readonly VerifierOps s_lwtIn = new LwtOps(BpfProgType.LwtIn);
    private static readonly VerifierOps s_lwtOut = new LwtOps(BpfProgType.LwtOut);
    private static readonly VerifierOps s_lwtXmit = new LwtOps(BpfProgType.LwtXmit);
    private static readonly VerifierOps s_lwtSeg6local = new LwtOps(BpfProgType.LwtSeg6local);
    private static readonly VerifierOps s_flowDissector = new FlowDissectorOps();
    private static readonly VerifierOps s_cgroupDevice = new CgroupDeviceOps();
    private static readonly VerifierOps s_cgroupSysctl = new CgroupSysctlOps();
    private static readonly VerifierOps s_cgroupSockopt = new CgroupSockoptOps();
    private static readonly VerifierOps s_skReuseport = new SkReuseportOps();
    private static readonly VerifierOps s_skLookup = new SkLookupOps();
    private static readonly VerifierOps s_rawTracepointWritable = new RawTracepointWritableOps();
    private static readonly VerifierOps s_netfilter = new NetfilterOps();
    private static readonly VerifierOps s_syscall = new SyscallOps();
    private static readonly VerifierOps s_tracing = new TracingOps(null, (uint)BpfAttachType.TraceRawTp, 0, sleepable: false);

    /// <summary>
    /// The rules of <paramref name="type"/> for a loader with CAP_BPF (as root), or null for a type not
    /// implemented (yet).
    /// </summary>
    public static VerifierOps? For(BpfProgType type) => type switch
    {
        BpfProgType.SocketFilter => s_socketFilter,
        BpfProgType.SchedCls => s_schedCls,
        BpfProgType.SchedAct => s_schedAct,
        BpfProgType.Xdp => s_xdp,
        BpfProgType.CgroupSkb => s_cgroupSkb,
        BpfProgType.Kprobe => s_kprobe,
        BpfProgType.Tracepoint => s_tracepoint,
        BpfProgType.RawTracepoint => s_rawTracepoint,
        BpfProgType.PerfEvent => s_perfEvent,
        BpfProgType.SkSkb => s_skSkb,
        BpfProgType.SkMsg => s_skMsg,
        BpfProgType.SockOps => s_sockOps,
        BpfProgType.CgroupSock => s_cgroupSock,
        BpfProgType.CgroupSockAddr => s_cgroupSockAddr,
        BpfProgType.LwtIn => s_lwtIn,
        BpfProgType.LwtOut => s_lwtOut,
        BpfProgType.LwtXmit => s_lwtXmit,
        BpfProgType.LwtSeg6local => s_lwtSeg6local,
        BpfProgType.FlowDissector => s_flowDissector,
        BpfProgType.CgroupDevice => s_cgroupDevice,
        BpfProgType.CgroupSysctl => s_cgroupSysctl,
        BpfProgType.CgroupSockopt => s_cgroupSockopt,
        BpfProgType.SkReuseport => s_skReuseport,
        BpfProgType.SkLookup => s_skLookup,
        BpfProgType.RawTracepointWritable => s_rawTracepointWritable,
        BpfProgType.Netfilter => s_netfilter,
        BpfProgType.Syscall => s_syscall,
        BpfProgType.Tracing => s_tracing, // without an attach target: helpers only (a load builds its own TracingOps)
        _ => null,
    };

    /// <summary>
    /// The rules of <paramref name="type"/> for a loader with <paramref name="caps"/>: the same as
    /// <see cref="For(BpfProgType)"/> except that a cgroup/skb program loaded without CAP_BPF may not read the
    /// packet pointers or write tstamp (kernel: the bpf_token_capable(CAP_BPF) checks of cg_skb_is_valid_access).
    /// Helper availability depends on the capabilities passed to <see cref="VerifierOps.GetFuncProto(int, VerifierCapabilities, uint)"/>.
    /// </summary>
    public static VerifierOps? For(BpfProgType type, VerifierCapabilities caps) =>
        type == BpfProgType.CgroupSkb && !caps.BpfCapable ? s_cgroupSkbWithoutCapBpf : For(type);
}
