using BpfSharp.Uapi;
using A = BpfSharp.Uapi.BpfAttachType;
using T = BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Elf;

/// <summary>
/// What a program section's name says about its programs, by libbpf's <c>SEC()</c> conventions
/// (libbpf's section_defs): the program type, the expected attach type and the load flags.
/// </summary>
/// <param name="Type">prog_type.</param>
/// <param name="ExpectedAttachType">expected_attach_type.</param>
/// <param name="Flags">prog_flags the section implies (BPF_F_SLEEPABLE, BPF_F_XDP_HAS_FRAGS).</param>
/// <param name="AttachTarget">What follows the section's prefix and a '/', e.g. the function of <c>kprobe/do_sys_open</c> ("" for none).</param>
public readonly record struct ProgramSection(BpfProgType Type, uint ExpectedAttachType, uint Flags, string AttachTarget)
{
    private const uint Sleepable = ProgFlags.BPF_F_SLEEPABLE;
    private const uint Frags = ProgFlags.BPF_F_XDP_HAS_FRAGS;

    // A name ending in '+' matches itself or itself followed by '/' and anything; the others match exactly.
    // Order matters only among '+' entries sharing a prefix: the longer comes first.
    private static readonly (string Name, T Type, A Attach, uint Flags)[] s_defs =
    [
        ("socket", T.SocketFilter, 0, 0),
        ("sk_reuseport/migrate", T.SkReuseport, A.SkReuseportSelectOrMigrate, 0),
        ("sk_reuseport", T.SkReuseport, A.SkReuseportSelect, 0),
        ("kprobe+", T.Kprobe, 0, 0),
        ("uprobe+", T.Kprobe, 0, 0),
        ("uprobe.s+", T.Kprobe, 0, Sleepable),
        ("kretprobe+", T.Kprobe, 0, 0),
        ("uretprobe+", T.Kprobe, 0, 0),
        ("uretprobe.s+", T.Kprobe, 0, Sleepable),
        ("kprobe.multi+", T.Kprobe, A.TraceKprobeMulti, 0),
        ("kretprobe.multi+", T.Kprobe, A.TraceKprobeMulti, 0),
        ("kprobe.session+", T.Kprobe, A.TraceKprobeSession, 0),
        ("uprobe.multi+", T.Kprobe, A.TraceUprobeMulti, 0),
        ("uretprobe.multi+", T.Kprobe, A.TraceUprobeMulti, 0),
        ("uprobe.multi.s+", T.Kprobe, A.TraceUprobeMulti, Sleepable),
        ("uretprobe.multi.s+", T.Kprobe, A.TraceUprobeMulti, Sleepable),
        ("uprobe.session+", T.Kprobe, A.TraceUprobeSession, 0),
        ("uprobe.session.s+", T.Kprobe, A.TraceUprobeSession, Sleepable),
        ("ksyscall+", T.Kprobe, 0, 0),
        ("kretsyscall+", T.Kprobe, 0, 0),
        ("usdt+", T.Kprobe, 0, 0),
        ("usdt.s+", T.Kprobe, 0, Sleepable),
        ("tc/ingress", T.SchedCls, A.TcxIngress, 0),
        ("tc/egress", T.SchedCls, A.TcxEgress, 0),
        ("tcx/ingress", T.SchedCls, A.TcxIngress, 0),
        ("tcx/egress", T.SchedCls, A.TcxEgress, 0),
        ("tc", T.SchedCls, 0, 0),
        ("classifier", T.SchedCls, 0, 0),
        ("action", T.SchedAct, 0, 0),
        ("netkit/primary", T.SchedCls, A.NetkitPrimary, 0),
        ("netkit/peer", T.SchedCls, A.NetkitPeer, 0),
        ("tracepoint+", T.Tracepoint, 0, 0),
        ("tp+", T.Tracepoint, 0, 0),
        ("raw_tracepoint+", T.RawTracepoint, 0, 0),
        ("raw_tp+", T.RawTracepoint, 0, 0),
        ("raw_tracepoint.w+", T.RawTracepointWritable, 0, 0),
        ("raw_tp.w+", T.RawTracepointWritable, 0, 0),
        ("tp_btf+", T.Tracing, A.TraceRawTp, 0),
        ("fentry+", T.Tracing, A.TraceFentry, 0),
        ("fmod_ret+", T.Tracing, A.ModifyReturn, 0),
        ("fexit+", T.Tracing, A.TraceFexit, 0),
        ("fentry.s+", T.Tracing, A.TraceFentry, Sleepable),
        ("fmod_ret.s+", T.Tracing, A.ModifyReturn, Sleepable),
        ("fexit.s+", T.Tracing, A.TraceFexit, Sleepable),
        ("freplace+", T.Ext, 0, 0),
        ("lsm+", T.Lsm, A.LsmMac, 0),
        ("lsm.s+", T.Lsm, A.LsmMac, Sleepable),
        ("lsm_cgroup+", T.Lsm, A.LsmCgroup, 0),
        ("iter+", T.Tracing, A.TraceIter, 0),
        ("iter.s+", T.Tracing, A.TraceIter, Sleepable),
        ("syscall", T.Syscall, 0, Sleepable),
        ("xdp.frags/devmap", T.Xdp, A.XdpDevmap, Frags),
        ("xdp/devmap", T.Xdp, A.XdpDevmap, 0),
        ("xdp.frags/cpumap", T.Xdp, A.XdpCpumap, Frags),
        ("xdp/cpumap", T.Xdp, A.XdpCpumap, 0),
        ("xdp.frags", T.Xdp, A.Xdp, Frags),
        ("xdp", T.Xdp, A.Xdp, 0),
        ("perf_event", T.PerfEvent, 0, 0),
        ("lwt_in", T.LwtIn, 0, 0),
        ("lwt_out", T.LwtOut, 0, 0),
        ("lwt_xmit", T.LwtXmit, 0, 0),
        ("lwt_seg6local", T.LwtSeg6local, 0, 0),
        ("sockops", T.SockOps, A.CgroupSockOps, 0),
        ("sk_skb/stream_parser", T.SkSkb, A.SkSkbStreamParser, 0),
        ("sk_skb/stream_verdict", T.SkSkb, A.SkSkbStreamVerdict, 0),
        ("sk_skb/verdict", T.SkSkb, A.SkSkbVerdict, 0),
        ("sk_skb", T.SkSkb, 0, 0),
        ("sk_msg", T.SkMsg, A.SkMsgVerdict, 0),
        ("lirc_mode2", T.LircMode2, A.LircMode2, 0),
        ("flow_dissector", T.FlowDissector, A.FlowDissector, 0),
        ("cgroup_skb/ingress", T.CgroupSkb, A.CgroupInetIngress, 0),
        ("cgroup_skb/egress", T.CgroupSkb, A.CgroupInetEgress, 0),
        ("cgroup/skb", T.CgroupSkb, 0, 0),
        ("cgroup/sock_create", T.CgroupSock, A.CgroupInetSockCreate, 0),
        ("cgroup/sock_release", T.CgroupSock, A.CgroupInetSockRelease, 0),
        ("cgroup/sock", T.CgroupSock, A.CgroupInetSockCreate, 0),
        ("cgroup/post_bind4", T.CgroupSock, A.CgroupInet4PostBind, 0),
        ("cgroup/post_bind6", T.CgroupSock, A.CgroupInet6PostBind, 0),
        ("cgroup/bind4", T.CgroupSockAddr, A.CgroupInet4Bind, 0),
        ("cgroup/bind6", T.CgroupSockAddr, A.CgroupInet6Bind, 0),
        ("cgroup/connect4", T.CgroupSockAddr, A.CgroupInet4Connect, 0),
        ("cgroup/connect6", T.CgroupSockAddr, A.CgroupInet6Connect, 0),
        ("cgroup/connect_unix", T.CgroupSockAddr, A.CgroupUnixConnect, 0),
        ("cgroup/sendmsg4", T.CgroupSockAddr, A.CgroupUdp4Sendmsg, 0),
        ("cgroup/sendmsg6", T.CgroupSockAddr, A.CgroupUdp6Sendmsg, 0),
        ("cgroup/sendmsg_unix", T.CgroupSockAddr, A.CgroupUnixSendmsg, 0),
        ("cgroup/recvmsg4", T.CgroupSockAddr, A.CgroupUdp4Recvmsg, 0),
        ("cgroup/recvmsg6", T.CgroupSockAddr, A.CgroupUdp6Recvmsg, 0),
        ("cgroup/recvmsg_unix", T.CgroupSockAddr, A.CgroupUnixRecvmsg, 0),
        ("cgroup/getpeername4", T.CgroupSockAddr, A.CgroupInet4Getpeername, 0),
        ("cgroup/getpeername6", T.CgroupSockAddr, A.CgroupInet6Getpeername, 0),
        ("cgroup/getpeername_unix", T.CgroupSockAddr, A.CgroupUnixGetpeername, 0),
        ("cgroup/getsockname4", T.CgroupSockAddr, A.CgroupInet4Getsockname, 0),
        ("cgroup/getsockname6", T.CgroupSockAddr, A.CgroupInet6Getsockname, 0),
        ("cgroup/getsockname_unix", T.CgroupSockAddr, A.CgroupUnixGetsockname, 0),
        ("cgroup/sysctl", T.CgroupSysctl, A.CgroupSysctl, 0),
        ("cgroup/getsockopt", T.CgroupSockopt, A.CgroupGetsockopt, 0),
        ("cgroup/setsockopt", T.CgroupSockopt, A.CgroupSetsockopt, 0),
        ("cgroup/dev", T.CgroupDevice, A.CgroupDevice, 0),
        ("struct_ops+", T.StructOps, 0, 0),
        ("struct_ops.s+", T.StructOps, 0, Sleepable),
        ("sk_lookup", T.SkLookup, A.SkLookup, 0),
        ("netfilter", T.Netfilter, A.Netfilter, 0),
    ];

    /// <summary>Reads <paramref name="sectionName"/> as libbpf does; false if no convention matches.</summary>
    public static bool TryParse(string sectionName, out ProgramSection section)
    {
        ArgumentNullException.ThrowIfNull(sectionName);
        foreach (var (name, type, attach, flags) in s_defs)
        {
            if (!name.EndsWith('+'))
            {
                if (sectionName == name)
                {
                    section = new ProgramSection(type, (uint)attach, flags, "");
                    return true;
                }
                continue;
            }
            string prefix = name[..^1];
            if (sectionName == prefix || sectionName.StartsWith(prefix + "/", StringComparison.Ordinal))
            {
                string target = sectionName.Length > prefix.Length ? sectionName[(prefix.Length + 1)..] : "";
                section = new ProgramSection(type, (uint)attach, flags, target);
                return true;
            }
        }
        section = default;
        return false;
    }

    /// <summary>
    /// Reads <paramref name="sectionName"/> as libbpf before 1.0 did for its older conventions: by prefix, so that
    /// <c>socket1</c> is a socket filter and <c>xdp_prog</c> an XDP program (the kernel's old samples/bpf and
    /// prototype-kernel objects name their sections so). The longest matching prefix wins; the attach target is "".
    /// Use it only when <see cref="TryParse"/> finds nothing, as libbpf 0.x's sloppy matching came after the strict one.
    /// </summary>
    public static bool TryParseLegacy(string sectionName, out ProgramSection section)
    {
        ArgumentNullException.ThrowIfNull(sectionName);
        int best = -1, bestLength = 0;
        for (int i = 0; i < s_defs.Length; i++)
        {
            string prefix = s_defs[i].Name.TrimEnd('+');
            if (prefix.Length > bestLength && sectionName.StartsWith(prefix, StringComparison.Ordinal))
                (best, bestLength) = (i, prefix.Length);
        }
        if (best < 0)
        {
            section = default;
            return false;
        }
        var (_, type, attach, flags) = s_defs[best];
        section = new ProgramSection(type, (uint)attach, flags, "");
        return true;
    }
}
