using BpfSharp.ProgramTypes;
using BpfSharp.Uapi;
using BpfSharp.Verifier;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.ProgramTypes;

/// <summary>
/// <see cref="VerifierOps.GetFuncProto(int, VerifierCapabilities, uint)"/> of the kernel's program types: which helpers, gated by which
/// capabilities, with which per-type variant (each case the answer of the live 6.18 kernel; the whole table is
/// compared with it by <see cref="HelperPrototypeKernelTests"/>).
/// </summary>
public class GetFuncProtoTests
{
    private static readonly VerifierCapabilities Root = VerifierCapabilities.Privileged;

    private static HelperPrototype? Proto(BpfProgType type, string helper, VerifierCapabilities? caps = null)
    {
        Assert.True(HelperNames.TryGetId(helper, out int id), helper);
        return ProgramTypeOps.For(type)!.GetFuncProto(id, caps ?? Root);
    }

    [Theory]
    [InlineData(SocketFilter, "bpf_map_lookup_elem", true)]
    [InlineData(Kprobe, "bpf_map_lookup_elem", true)]
    [InlineData(Xdp, "bpf_xdp_adjust_head", true)]
    [InlineData(SchedCls, "bpf_xdp_adjust_head", false)]
    [InlineData(SchedCls, "bpf_skb_store_bytes", true)]
    [InlineData(CgroupSkb, "bpf_skb_store_bytes", false)]
    [InlineData(SocketFilter, "bpf_skb_load_bytes", true)]
    [InlineData(Kprobe, "bpf_skb_load_bytes", false)]
    [InlineData(Kprobe, "bpf_get_stackid", true)]
    [InlineData(SchedCls, "bpf_get_stackid", false)]
    [InlineData(PerfEvent, "bpf_perf_prog_read_value", true)]
    [InlineData(Tracepoint, "bpf_perf_prog_read_value", false)]
    [InlineData(CgroupSkb, "bpf_get_local_storage", true)]
    [InlineData(SchedCls, "bpf_sk_lookup_tcp", true)]
    [InlineData(SocketFilter, "bpf_sk_lookup_tcp", false)]
    public void Allowed_or_not(BpfProgType type, string helper, bool allowed) =>
        Assert.Equal(allowed, Proto(type, helper) is not null);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(212)]
    [InlineData(int.MaxValue)]
    public void Ids_outside_the_helper_list_have_no_prototype(int id)
    {
        foreach (BpfProgType type in HelperAvailabilityKernelTests.CoveredTypes)
            Assert.Null(ProgramTypeOps.For(type)!.GetFuncProto(id, Root));
    }

    [Fact]
    public void Every_allowed_helper_has_a_prototype()
    {
        foreach (BpfProgType type in HelperAvailabilityKernelTests.CoveredTypes)
            for (int id = 1; id <= HelperAvailability.MaxHelperId; id++)
                Assert.True(HelperAvailability.IsAllowed(type, id) == (ProgramTypeOps.For(type)!.GetFuncProto(id, Root) is not null),
                    $"{type} {HelperNames.Get(id)}#{id}");
    }

    [Theory]
    [InlineData("bpf_trace_printk", false, false, false)] // CAP_PERFMON switch of bpf_base_func_proto
    [InlineData("bpf_trace_printk", true, false, false)]
    [InlineData("bpf_trace_printk", true, true, true)]
    [InlineData("bpf_loop", false, false, false)] // CAP_BPF switch
    [InlineData("bpf_loop", true, false, true)]
    [InlineData("bpf_skc_to_tcp_sock", true, false, false)] // bpf_sk_base_func_proto: CAP_PERFMON
    [InlineData("bpf_skc_to_tcp_sock", true, true, true)]
    [InlineData("bpf_skb_load_bytes", false, false, true)] // the socket filter's own helpers: no capability
    [InlineData("bpf_map_lookup_elem", false, false, true)]
    public void Capabilities_gate_the_base_helpers(string helper, bool bpf, bool perfmon, bool allowed)
    {
        var caps = new VerifierCapabilities(AllowPtrLeaks: perfmon, BypassSpecV1: perfmon, BypassSpecV4: perfmon, BpfCapable: bpf);
        Assert.Equal(allowed, Proto(SocketFilter, helper, caps) is not null);
    }

    [Theory]
    [InlineData(SchedCls, 1)]
    [InlineData(SchedAct, 1)]
    [InlineData(SocketFilter, 0)]
    [InlineData(Xdp, 0)]
    [InlineData(CgroupSkb, 0)]
    [InlineData(Kprobe, 0)]
    [InlineData(PerfEvent, 0)]
    public void Get_cgroup_classid_takes_the_skb_only_in_tc(BpfProgType type, int args)
    {
        HelperPrototype proto = Proto(type, "bpf_get_cgroup_classid")!;
        Assert.Equal(args, proto.ArgCount);
        if (args == 1) Assert.Equal(HelperArgType.ARG_PTR_TO_CTX, proto.Arg(0));
    }

    [Theory]
    [InlineData(Kprobe, true)]
    [InlineData(Tracepoint, true)]
    [InlineData(RawTracepoint, true)]
    [InlineData(PerfEvent, false)]
    public void Get_stackid_is_gpl_only_but_in_perf_events(BpfProgType type, bool gplOnly)
    {
        HelperPrototype proto = Proto(type, "bpf_get_stackid")!;
        Assert.Equal(gplOnly, proto.GplOnly);
        Assert.Equal("ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING", string.Join(", ", proto.Args[..proto.ArgCount].ToArray()));
    }

    [Theory]
    [InlineData(Kprobe)]
    [InlineData(Tracepoint)]
    [InlineData(RawTracepoint)]
    [InlineData(PerfEvent)]
    public void Tracing_types_pass_their_context_to_the_stack_and_output_helpers(BpfProgType type)
    {
        foreach (string helper in (string[])["bpf_perf_event_output", "bpf_get_stackid", "bpf_get_stack"])
            Assert.Equal(HelperArgType.ARG_PTR_TO_CTX, Proto(type, helper)!.Arg(0));
        // As of 6.18 the raw tracepoint's get_stack writes its buffer like the others (it was read-only once).
        Assert.True(Proto(type, "bpf_get_stack")!.Arg(1).Has(BpfTypeFlag.MEM_WRITE));
    }

    [Theory]
    [InlineData(SchedCls)]
    [InlineData(Xdp)]
    [InlineData(CgroupSkb)]
    public void Socket_lookups_take_a_tuple_of_any_size(BpfProgType type)
    {
        HelperPrototype proto = Proto(type, "bpf_sk_lookup_tcp")!;
        Assert.Equal(HelperArgType.ARG_CONST_SIZE_OR_ZERO, proto.Arg(2));
        Assert.Equal(HelperReturnType.RET_PTR_TO_SOCKET_OR_NULL, proto.Return);
        Assert.True(proto.PacketAccess);
    }
}
