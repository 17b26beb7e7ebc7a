using BpfSharp.Uapi;

namespace BpfSharp.ProgramTypes;

public static partial class HelperAvailability
{
    // bpf_base_func_proto (kernel/bpf/helpers.c, 6.18): the switch behind `bpf_token_capable(token, CAP_BPF)`.
    private static readonly string[] BpfCapableHelpers =
    [
        "bpf_spin_lock", "bpf_spin_unlock", "bpf_jiffies64", "bpf_per_cpu_ptr", "bpf_this_cpu_ptr",
        "bpf_timer_init", "bpf_timer_set_callback", "bpf_timer_start", "bpf_timer_cancel", "bpf_kptr_xchg",
        "bpf_for_each_map_elem", "bpf_loop", "bpf_user_ringbuf_drain", "bpf_ringbuf_reserve_dynptr",
        "bpf_ringbuf_submit_dynptr", "bpf_ringbuf_discard_dynptr", "bpf_dynptr_from_mem", "bpf_dynptr_read",
        "bpf_dynptr_write", "bpf_dynptr_data", "bpf_cgrp_storage_get", "bpf_cgrp_storage_delete",
        "bpf_get_current_cgroup_id", "bpf_get_current_ancestor_cgroup_id", "bpf_current_task_under_cgroup",
        "bpf_get_cgroup_classid", "bpf_task_storage_get", "bpf_task_storage_delete",
    ];

    // bpf_base_func_proto: the switch behind `bpf_token_capable(token, CAP_PERFMON)`; then the bpf_skc_to_*
    // casts that bpf_sk_base_func_proto (net/core/filter.c) returns only to a perfmon_capable loader.
    private static readonly string[] PerfmonCapableHelpers =
    [
        "bpf_trace_printk", "bpf_get_current_task", "bpf_get_current_task_btf", "bpf_get_current_comm",
        "bpf_probe_read_user", "bpf_probe_read_kernel", "bpf_probe_read_user_str", "bpf_probe_read_kernel_str",
        "bpf_copy_from_user", "bpf_copy_from_user_task", "bpf_snprintf_btf", "bpf_snprintf", "bpf_task_pt_regs",
        "bpf_trace_vprintk", "bpf_perf_event_read_value", "bpf_perf_event_read", "bpf_send_signal",
        "bpf_send_signal_thread", "bpf_get_task_stack", "bpf_get_branch_snapshot", "bpf_find_vma",
        "bpf_skc_to_tcp6_sock", "bpf_skc_to_tcp_sock", "bpf_skc_to_tcp_timewait_sock",
        "bpf_skc_to_tcp_request_sock", "bpf_skc_to_udp6_sock", "bpf_skc_to_unix_sock", "bpf_skc_to_mptcp_sock",
    ];

    private static ReadOnlySpan<ulong> CapabilityGatedBits => CapabilityGatedSet.Any;

    /// <summary>
    /// True when a loader with the given capabilities gets helper <paramref name="helperId"/> from
    /// <c>bpf_base_func_proto</c> / <c>bpf_sk_base_func_proto</c>: the CAP_BPF switch needs
    /// <paramref name="bpfCapable"/>, the CAP_PERFMON switch and the <c>bpf_skc_to_*</c> casts need
    /// <paramref name="perfmonCapable"/>; every other helper needs neither.
    /// </summary>
    public static bool HasCapabilityFor(int helperId, bool bpfCapable, bool perfmonCapable)
    {
        if ((uint)helperId > MaxHelperId) return false;
        ulong bit = 1UL << (helperId & 63);
        if ((CapabilityGatedSet.Bpf[helperId >> 6] & bit) != 0) return bpfCapable;
        if ((CapabilityGatedSet.Perfmon[helperId >> 6] & bit) != 0) return perfmonCapable;
        return true;
    }

    // A nested class so the bitsets are built once, on first use; immutable afterwards.
    private static class CapabilityGatedSet
    {
        internal static readonly ulong[] Bpf = Build(BpfCapableHelpers);
        internal static readonly ulong[] Perfmon = Build(PerfmonCapableHelpers);
        internal static readonly ulong[] Any = [.. Bpf.Select((word, i) => word | Perfmon[i])];

        private static ulong[] Build(string[] names)
        {
            var bits = new ulong[(MaxHelperId >> 6) + 1];
            foreach (string name in names)
            {
                if (!HelperNames.TryGetId(name, out int id))
                    throw new InvalidOperationException($"unknown helper name {name}");
                bits[id >> 6] |= 1UL << (id & 63);
            }
            return bits;
        }
    }
}
