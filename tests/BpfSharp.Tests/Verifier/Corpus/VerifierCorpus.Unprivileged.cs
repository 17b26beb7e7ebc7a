using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// Loads with fewer capabilities (kernel: bpf_prog_load's capability checks, env->allow_ptr_leaks,
// bpf_base_func_proto's CAP_BPF / CAP_PERFMON gates). BpfOnly cases (CAP_BPF + CAP_NET_ADMIN) run live
// wherever the tests run as root. Unprivileged cases need kernel.unprivileged_bpf_disabled = 0: this
// machine has 2, so their verdicts were recorded with the sysctl set to 0 for the recording only (then put
// back to 2), and their live test is skipped unless the sysctl is 0.
internal static partial class VerifierCorpus
{
    private static VerifierCase[] Unpriv() =>
    [
        new("unpriv/socket_filter", SocketFilter, Unprivileged, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("unpriv/cgroup_skb", CgroupSkb, Unprivileged, """
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept),
        new("unpriv/sched_cls", SchedCls, Unprivileged, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(1, "")),
        new("unpriv/sched_cls_bpfonly", SchedCls, BpfOnly, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("unpriv/xdp_bpfonly", Xdp, BpfOnly, """
            r0 = 2
            exit
            """, NoMaps, Kernel: Accept),
        new("unpriv/kprobe_bpfonly", Kprobe, BpfOnly, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(1, "")),
        new("unpriv/tracepoint_bpfonly", Tracepoint, BpfOnly, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(1, "")),
        new("unpriv/store_pointer_in_map_root", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            *(u64 *)(r0 +0) = r10
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("unpriv/store_pointer_in_map_bpfonly", SocketFilter, BpfOnly, $"""
            {Lookup}
            if r0 == 0x0 goto out
            *(u64 *)(r0 +0) = r10
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R10 leaks addr into map")),
        new("unpriv/store_pointer_in_ctx_root", SocketFilter, Root, """
            r2 = r10
            *(u64 *)(r1 +48) = r2
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("unpriv/store_pointer_in_ctx_bpfonly", SocketFilter, BpfOnly, """
            r2 = r10
            *(u64 *)(r1 +48) = r2
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R2 leaks addr into ctx")),
        new("unpriv/spill_pointer_bpfonly", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = r1
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("unpriv/pointer_as_helper_scalar_arg_bpfonly", SocketFilter, BpfOnly, $"""
            {KeyAndValue}
            r1 = map[idx:0]
            r4 = r10
            call bpf_map_update_elem
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R4 leaks addr into helper function")),
        new("unpriv/pointer_as_helper_scalar_arg_root", SocketFilter, Root, $"""
            {KeyAndValue}
            r1 = map[idx:0]
            r4 = r10
            call bpf_map_update_elem
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("unpriv/spilled_pointer_as_map_value_bpfonly", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 0
            *(u64 *)(r10 -24) = r1
            *(u64 *)(r10 -16) = 0
            r2 = r10
            r2 += -8
            r3 = r10
            r3 += -24
            r1 = map[idx:0]
            r4 = 0
            call bpf_map_update_elem
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "invalid read from stack R3 off -24+0 size 16")),
        new("unpriv/trace_printk_root", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            r1 = r10
            r1 += -8
            r2 = 8
            call bpf_trace_printk
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("unpriv/trace_printk_bpfonly", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 0
            r1 = r10
            r1 += -8
            r2 = 8
            call bpf_trace_printk
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "program of this type cannot use helper bpf_trace_printk#6")),
        new("unpriv/jiffies64_bpfonly", SocketFilter, BpfOnly, """
            call bpf_jiffies64
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("unpriv/jiffies64_unpriv", SocketFilter, Unprivileged, """
            call bpf_jiffies64
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "program of this type cannot use helper bpf_jiffies64#118")),
        new("unpriv/ktime_unpriv", SocketFilter, Unprivileged, """
            call bpf_ktime_get_ns
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("unpriv/ld_map_fd_bpfonly", SocketFilter, BpfOnly, """
            r1 = map[idx:0]
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("unpriv/ld_map_fd_unpriv", SocketFilter, Unprivileged, """
            r1 = map[idx:0]
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("unpriv/lookup_unpriv", SocketFilter, Unprivileged, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u64 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("unpriv/ld_map_value_unpriv", SocketFilter, Unprivileged, """
            r1 = map[idx:0][0]+8
            r0 = *(u64 *)(r1 +0)
            r0 = 0
            exit
            """, GlobalDataMap, Kernel: Accept),
        new("unpriv/map_pointer_returned_bpfonly", SocketFilter, BpfOnly, """
            r0 = map[idx:0]
            exit
            """, HashMap, Kernel: Reject(13, "R0 leaks addr as return value")),
        new("unpriv/lddw_constant_unpriv", SocketFilter, Unprivileged, """
            r0 = 0x123456789 ll
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("unpriv/ptr_sub_ptr_unpriv", SocketFilter, Unprivileged, """
            r1 = r10
            r1 -= r10
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 pointer -= pointer prohibited")),
        new("unpriv/mov32_pointer_unpriv", SocketFilter, Unprivileged, """
            w1 = w10
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R10 partial copy of pointer")),
        new("unpriv/map_value_plus_masked_bpfonly", SocketFilter, BpfOnly, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u8 *)(r0 +0)
            r1 &= 7
            r0 += r1
            r1 = *(u8 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("unpriv/tail_call_unpriv", SocketFilter, Unprivileged, """
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Accept),
    ];
}
