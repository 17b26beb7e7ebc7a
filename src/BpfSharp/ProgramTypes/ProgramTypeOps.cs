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
        _ => null,
    };

    /// <summary>
    /// The rules of <paramref name="type"/> for a loader with <paramref name="caps"/>: the same as
    /// <see cref="For(BpfProgType)"/> except that a cgroup/skb program loaded without CAP_BPF may not read the
    /// packet pointers or write tstamp (kernel: the bpf_token_capable(CAP_BPF) checks of cg_skb_is_valid_access).
    /// Helper availability depends on the capabilities passed to <see cref="VerifierOps.GetFuncProto"/>.
    /// </summary>
    public static VerifierOps? For(BpfProgType type, VerifierCapabilities caps) =>
        type == BpfProgType.CgroupSkb && !caps.BpfCapable ? s_cgroupSkbWithoutCapBpf : For(type);
}
