using BpfSharp.ProgramTypes;
using BpfSharp.Uapi;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.ProgramTypes;

/// <summary>
/// Invariants of <see cref="HelperAvailability"/> that follow from the 6.18 get_func_proto functions
/// (net/core/filter.c, kernel/trace/bpf_trace.c, kernel/bpf/helpers.c); the whole table is checked
/// against the live kernel by <see cref="HelperAvailabilityKernelTests"/>.
/// </summary>
public class HelperAvailabilityTests
{
    private static readonly BpfProgType[] Skb = [SocketFilter, SchedCls, SchedAct, CgroupSkb];
    private static readonly BpfProgType[] Tracing = [Kprobe, Tracepoint, RawTracepoint, PerfEvent];

    public static TheoryData<string, BpfProgType, bool, bool> Cases()
    {
        var data = new TheoryData<string, BpfProgType, bool, bool>();
        foreach (var type in (BpfProgType[])[.. Skb, SchedAct, Xdp, .. Tracing])
        {
            bool isSkb = Array.IndexOf(Skb, type) >= 0, isTracing = Array.IndexOf(Tracing, type) >= 0;
            // bpf_base_func_proto's first switch: everyone, privileged or not.
            data.Add("bpf_map_lookup_elem", type, false, true);
            data.Add("bpf_map_update_elem", type, false, true);
            data.Add("bpf_get_prandom_u32", type, false, true);
            data.Add("bpf_tail_call", type, false, true);
            // bpf_base_func_proto's CAP_PERFMON switch: every type as root (as of 6.18 also probe_read_kernel).
            data.Add("bpf_trace_printk", type, true, true);
            data.Add("bpf_probe_read_kernel", type, true, true);
            // bpf_base_func_proto's CAP_BPF switch.
            data.Add("bpf_loop", type, true, true);
            data.Add("bpf_spin_lock", type, true, true);
            // Type-specific helpers.
            data.Add("bpf_xdp_adjust_head", type, true, type == Xdp);
            data.Add("bpf_skb_load_bytes", type, true, isSkb);
            data.Add("bpf_skb_store_bytes", type, true, type is SchedCls or SchedAct); // not cgroup/skb (live 6.18)
            data.Add("bpf_probe_read", type, true, isTracing); // the deprecated, unsuffixed probe_read: tracing only
            data.Add("bpf_get_func_ip", type, true, isTracing);
            data.Add("bpf_perf_prog_read_value", type, true, type == PerfEvent);
        }
        // Without CAP_BPF / CAP_PERFMON (only socket filters and cgroup/skb can be loaded so at all).
        foreach (var type in new[] { SocketFilter, CgroupSkb })
        {
            data.Add("bpf_trace_printk", type, false, false);
            data.Add("bpf_probe_read_kernel", type, false, false);
            data.Add("bpf_loop", type, false, false);
            data.Add("bpf_spin_lock", type, false, false);
            data.Add("bpf_skc_to_tcp_sock", type, false, false);
            data.Add("bpf_skb_load_bytes", type, false, true);
            data.Add("bpf_get_socket_cookie", type, false, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Helper_availability(string helper, BpfProgType type, bool privileged, bool expected)
    {
        Assert.True(HelperNames.TryGetId(helper, out int id), helper);
        Assert.Equal(expected, HelperAvailability.IsAllowed(type, id, privileged));
    }

    // Helpers that exist for one expected attach type of a type and not another (the attach-type switches of
    // sock_addr_func_proto, cg_sockopt_func_proto and cgroup_current_func_proto), and type-specific ones.
    [Theory]
    [InlineData("bpf_bind", CgroupSockAddr, BpfAttachType.CgroupInet4Connect, true)]
    [InlineData("bpf_bind", CgroupSockAddr, BpfAttachType.CgroupInet6Connect, true)]
    [InlineData("bpf_bind", CgroupSockAddr, BpfAttachType.CgroupInet4Bind, false)]
    [InlineData("bpf_bind", CgroupSockAddr, BpfAttachType.CgroupUdp4Sendmsg, false)]
    [InlineData("bpf_setsockopt", CgroupSockopt, BpfAttachType.CgroupSetsockopt, true)]
    [InlineData("bpf_setsockopt", CgroupSockopt, BpfAttachType.CgroupGetsockopt, false)]
    [InlineData("bpf_sk_assign", SkLookup, BpfAttachType.SkLookup, true)]
    [InlineData("bpf_sk_select_reuseport", SkReuseport, BpfAttachType.SkReuseportSelect, true)]
    [InlineData("bpf_msg_redirect_map", SkMsg, BpfAttachType.CgroupInetIngress, true)]
    [InlineData("bpf_msg_redirect_map", SkSkb, BpfAttachType.CgroupInetIngress, false)]
    [InlineData("bpf_sk_redirect_map", SkSkb, BpfAttachType.CgroupInetIngress, true)]
    [InlineData("bpf_sock_ops_cb_flags_set", SockOps, BpfAttachType.CgroupInetIngress, true)]
    [InlineData("bpf_sysctl_get_name", CgroupSysctl, BpfAttachType.CgroupInetIngress, true)]
    [InlineData("bpf_sysctl_get_name", CgroupDevice, BpfAttachType.CgroupInetIngress, false)]
    [InlineData("bpf_lwt_push_encap", LwtIn, BpfAttachType.CgroupInetIngress, true)]
    [InlineData("bpf_lwt_push_encap", LwtOut, BpfAttachType.CgroupInetIngress, false)]
    [InlineData("bpf_lwt_push_encap", LwtXmit, BpfAttachType.CgroupInetIngress, true)]
    [InlineData("bpf_skb_load_bytes", BpfProgType.FlowDissector, BpfAttachType.CgroupInetIngress, true)]
    [InlineData("bpf_skb_store_bytes", BpfProgType.FlowDissector, BpfAttachType.CgroupInetIngress, false)]
    public void Helper_availability_by_attach_type(string helper, BpfProgType type, BpfAttachType attach, bool expected)
    {
        Assert.True(HelperNames.TryGetId(helper, out int id), helper);
        Assert.Equal(expected, HelperAvailability.IsAllowed(type, (uint)attach, id));
    }

    [Theory]
    [InlineData(SocketFilter, 0)]
    [InlineData(SocketFilter, -1)]
    [InlineData(Kprobe, HelperAvailability.MaxHelperId + 1)]
    [InlineData(Xdp, int.MaxValue)]
    [InlineData(BpfProgType.StructOps, 1)] // not covered by the table
    [InlineData(Unspec, 1)]
    public void Out_of_table_is_not_allowed(BpfProgType type, int helperId)
    {
        Assert.False(HelperAvailability.IsAllowed(type, helperId));
        Assert.False(HelperAvailability.IsAllowed(type, helperId, privileged: false));
    }

    [Theory]
    [InlineData(SocketFilter, true)]
    [InlineData(PerfEvent, true)]
    [InlineData(CgroupSock, true)]
    [InlineData(BpfProgType.Lsm, false)]
    [InlineData(BpfProgType.Tracing, true)]
    public void Covered_types(BpfProgType type, bool covered) => Assert.Equal(covered, HelperAvailability.IsCovered(type));

    [Theory]
    [InlineData("bpf_loop", true)]
    [InlineData("bpf_get_current_cgroup_id", true)]
    [InlineData("bpf_find_vma", true)]
    [InlineData("bpf_skc_to_unix_sock", true)]
    [InlineData("bpf_map_lookup_elem", false)]
    [InlineData("bpf_ktime_get_ns", false)]
    [InlineData("bpf_get_current_pid_tgid", false)]
    public void Capability_gated_helpers(string helper, bool gated)
    {
        Assert.True(HelperNames.TryGetId(helper, out int id), helper);
        Assert.Equal(gated, HelperAvailability.IsCapabilityGated(id));
    }
}
