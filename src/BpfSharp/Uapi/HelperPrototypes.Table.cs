using static BpfSharp.Uapi.BpfTypeFlag;
using static BpfSharp.Uapi.HelperArgType;
using static BpfSharp.Uapi.HelperReturnType;

namespace BpfSharp.Uapi;

// The rows, in helper id order, as the kernel's struct bpf_func_proto spells them (ret_type, gpl_only,
// arg1_type .. arg5_type, pkt_access, might_sleep). Sources: kernel/bpf/helpers.c, bpf_iter.c (loop,
// for_each_map_elem), core.c (tail_call), ringbuf.c, kernel/trace/bpf_trace.c (probe_read*, trace_printk,
// perf_event_*, task helpers), net/core/filter.c (skb_*, xdp_*, csum_*, redirect*, msg_*).
public static partial class HelperPrototypes
{
    private const int BPF_FUNC_map_lookup_elem = 1;
    private const int BPF_FUNC_map_update_elem = 2;
    private const int BPF_FUNC_map_delete_elem = 3;
    private const int BPF_FUNC_probe_read = 4;
    private const int BPF_FUNC_ktime_get_ns = 5;
    private const int BPF_FUNC_trace_printk = 6;
    private const int BPF_FUNC_get_prandom_u32 = 7;
    private const int BPF_FUNC_get_smp_processor_id = 8;
    private const int BPF_FUNC_skb_store_bytes = 9;
    private const int BPF_FUNC_l3_csum_replace = 10;
    private const int BPF_FUNC_l4_csum_replace = 11;
    private const int BPF_FUNC_tail_call = 12;
    private const int BPF_FUNC_clone_redirect = 13;
    private const int BPF_FUNC_get_current_pid_tgid = 14;
    private const int BPF_FUNC_get_current_uid_gid = 15;
    private const int BPF_FUNC_get_current_comm = 16;
    private const int BPF_FUNC_get_cgroup_classid = 17;
    private const int BPF_FUNC_skb_vlan_push = 18;
    private const int BPF_FUNC_skb_vlan_pop = 19;
    private const int BPF_FUNC_perf_event_read = 22;
    private const int BPF_FUNC_redirect = 23;
    private const int BPF_FUNC_get_route_realm = 24;
    private const int BPF_FUNC_perf_event_output = 25;
    private const int BPF_FUNC_skb_load_bytes = 26;
    private const int BPF_FUNC_csum_diff = 28;
    private const int BPF_FUNC_skb_change_proto = 31;
    private const int BPF_FUNC_skb_change_type = 32;
    private const int BPF_FUNC_get_hash_recalc = 34;
    private const int BPF_FUNC_get_current_task = 35;
    private const int BPF_FUNC_probe_write_user = 36;
    private const int BPF_FUNC_current_task_under_cgroup = 37;
    private const int BPF_FUNC_skb_change_tail = 38;
    private const int BPF_FUNC_skb_pull_data = 39;
    private const int BPF_FUNC_csum_update = 40;
    private const int BPF_FUNC_set_hash_invalid = 41;
    private const int BPF_FUNC_get_numa_node_id = 42;
    private const int BPF_FUNC_skb_change_head = 43;
    private const int BPF_FUNC_xdp_adjust_head = 44;
    private const int BPF_FUNC_probe_read_str = 45;
    private const int BPF_FUNC_set_hash = 48;
    private const int BPF_FUNC_skb_adjust_room = 50;
    private const int BPF_FUNC_redirect_map = 51;
    private const int BPF_FUNC_xdp_adjust_meta = 54;
    private const int BPF_FUNC_perf_event_read_value = 55;
    private const int BPF_FUNC_msg_apply_bytes = 61;
    private const int BPF_FUNC_msg_cork_bytes = 62;
    private const int BPF_FUNC_msg_pull_data = 63;
    private const int BPF_FUNC_xdp_adjust_tail = 65;
    private const int BPF_FUNC_skb_load_bytes_relative = 68;
    private const int BPF_FUNC_get_current_cgroup_id = 80;
    private const int BPF_FUNC_map_push_elem = 87;
    private const int BPF_FUNC_map_pop_elem = 88;
    private const int BPF_FUNC_map_peek_elem = 89;
    private const int BPF_FUNC_msg_push_data = 90;
    private const int BPF_FUNC_msg_pop_data = 91;
    private const int BPF_FUNC_spin_lock = 93;
    private const int BPF_FUNC_spin_unlock = 94;
    private const int BPF_FUNC_strtol = 105;
    private const int BPF_FUNC_strtoul = 106;
    private const int BPF_FUNC_send_signal = 109;
    private const int BPF_FUNC_probe_read_user = 112;
    private const int BPF_FUNC_probe_read_kernel = 113;
    private const int BPF_FUNC_probe_read_user_str = 114;
    private const int BPF_FUNC_probe_read_kernel_str = 115;
    private const int BPF_FUNC_send_signal_thread = 117;
    private const int BPF_FUNC_jiffies64 = 118;
    private const int BPF_FUNC_get_ns_current_pid_tgid = 120;
    private const int BPF_FUNC_get_current_ancestor_cgroup_id = 123;
    private const int BPF_FUNC_ktime_get_boot_ns = 125;
    private const int BPF_FUNC_ringbuf_output = 130;
    private const int BPF_FUNC_ringbuf_reserve = 131;
    private const int BPF_FUNC_ringbuf_submit = 132;
    private const int BPF_FUNC_ringbuf_discard = 133;
    private const int BPF_FUNC_ringbuf_query = 134;
    private const int BPF_FUNC_csum_level = 135;
    private const int BPF_FUNC_d_path = 147;
    private const int BPF_FUNC_copy_from_user = 148;
    private const int BPF_FUNC_snprintf_btf = 149;
    private const int BPF_FUNC_redirect_neigh = 152;
    private const int BPF_FUNC_per_cpu_ptr = 153;
    private const int BPF_FUNC_this_cpu_ptr = 154;
    private const int BPF_FUNC_redirect_peer = 155;
    private const int BPF_FUNC_get_current_task_btf = 158;
    private const int BPF_FUNC_ktime_get_coarse_ns = 160;
    private const int BPF_FUNC_for_each_map_elem = 164;
    private const int BPF_FUNC_snprintf = 165;
    private const int BPF_FUNC_timer_init = 169;
    private const int BPF_FUNC_timer_set_callback = 170;
    private const int BPF_FUNC_timer_start = 171;
    private const int BPF_FUNC_timer_cancel = 172;
    private const int BPF_FUNC_task_pt_regs = 175;
    private const int BPF_FUNC_get_branch_snapshot = 176;
    private const int BPF_FUNC_trace_vprintk = 177;
    private const int BPF_FUNC_loop = 181;
    private const int BPF_FUNC_strncmp = 182;
    private const int BPF_FUNC_xdp_get_buff_len = 188;
    private const int BPF_FUNC_xdp_load_bytes = 189;
    private const int BPF_FUNC_xdp_store_bytes = 190;
    private const int BPF_FUNC_copy_from_user_task = 191;
    private const int BPF_FUNC_kptr_xchg = 194;
    private const int BPF_FUNC_map_lookup_percpu_elem = 195;
    private const int BPF_FUNC_dynptr_from_mem = 197;
    private const int BPF_FUNC_ringbuf_reserve_dynptr = 198;
    private const int BPF_FUNC_ringbuf_submit_dynptr = 199;
    private const int BPF_FUNC_ringbuf_discard_dynptr = 200;
    private const int BPF_FUNC_dynptr_read = 201;
    private const int BPF_FUNC_dynptr_write = 202;
    private const int BPF_FUNC_dynptr_data = 203;
    private const int BPF_FUNC_ktime_get_tai_ns = 208;
    private const int BPF_FUNC_user_ringbuf_drain = 209;

    private static HelperPrototype[] Table() =>
    [
        new(BPF_FUNC_map_lookup_elem, RET_PTR_TO_MAP_VALUE_OR_NULL, gplOnly: false, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY) { PacketAccess = true },
        new(BPF_FUNC_map_update_elem, RET_INTEGER, gplOnly: false, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY, ARG_PTR_TO_MAP_VALUE, ARG_ANYTHING) { PacketAccess = true },
        new(BPF_FUNC_map_delete_elem, RET_INTEGER, gplOnly: false, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY) { PacketAccess = true },
        new(BPF_FUNC_probe_read, RET_INTEGER, gplOnly: true, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING),
        new(BPF_FUNC_ktime_get_ns, RET_INTEGER, gplOnly: false),
        new(BPF_FUNC_trace_printk, RET_INTEGER, gplOnly: true, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE),
        new(BPF_FUNC_get_prandom_u32, RET_INTEGER, gplOnly: false),
        new(BPF_FUNC_get_smp_processor_id, RET_INTEGER, gplOnly: false),
        new(BPF_FUNC_skb_store_bytes, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE, ARG_ANYTHING),
        new(BPF_FUNC_l3_csum_replace, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING, ARG_ANYTHING, ARG_ANYTHING),
        new(BPF_FUNC_l4_csum_replace, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING, ARG_ANYTHING, ARG_ANYTHING),
        new(BPF_FUNC_tail_call, RET_VOID, gplOnly: false, ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING),
        new(BPF_FUNC_clone_redirect, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING),
        new(BPF_FUNC_get_current_pid_tgid, RET_INTEGER, gplOnly: false),
        new(BPF_FUNC_get_current_uid_gid, RET_INTEGER, gplOnly: false),
        new(BPF_FUNC_get_current_comm, RET_INTEGER, gplOnly: false, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE),
        new(BPF_FUNC_get_cgroup_classid, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX),
        new(BPF_FUNC_skb_vlan_push, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING),
        new(BPF_FUNC_skb_vlan_pop, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX),
        new(BPF_FUNC_perf_event_read, RET_INTEGER, gplOnly: true, ARG_CONST_MAP_PTR, ARG_ANYTHING),
        new(BPF_FUNC_redirect, RET_INTEGER, gplOnly: false, ARG_ANYTHING, ARG_ANYTHING),
        new(BPF_FUNC_get_route_realm, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX),
        new(BPF_FUNC_perf_event_output, RET_INTEGER, gplOnly: true, ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE_OR_ZERO),
        new(BPF_FUNC_skb_load_bytes, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE),
        new(BPF_FUNC_csum_diff, RET_INTEGER, gplOnly: false, ARG_PTR_TO_MEM | PTR_MAYBE_NULL | MEM_RDONLY, ARG_CONST_SIZE_OR_ZERO, ARG_PTR_TO_MEM | PTR_MAYBE_NULL | MEM_RDONLY, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING) { PacketAccess = true },
        new(BPF_FUNC_skb_change_proto, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING),
        new(BPF_FUNC_skb_change_type, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING),
        new(BPF_FUNC_get_hash_recalc, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX),
        new(BPF_FUNC_get_current_task, RET_INTEGER, gplOnly: true),
        new(BPF_FUNC_probe_write_user, RET_INTEGER, gplOnly: true, ARG_ANYTHING, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE),
        new(BPF_FUNC_current_task_under_cgroup, RET_INTEGER, gplOnly: false, ARG_CONST_MAP_PTR, ARG_ANYTHING),
        new(BPF_FUNC_skb_change_tail, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING),
        new(BPF_FUNC_skb_pull_data, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING),
        new(BPF_FUNC_csum_update, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING),
        new(BPF_FUNC_set_hash_invalid, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX),
        new(BPF_FUNC_get_numa_node_id, RET_INTEGER, gplOnly: false),
        new(BPF_FUNC_skb_change_head, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING),
        new(BPF_FUNC_xdp_adjust_head, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING),
        new(BPF_FUNC_probe_read_str, RET_INTEGER, gplOnly: true, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING),
        new(BPF_FUNC_set_hash, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING),
        new(BPF_FUNC_skb_adjust_room, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING, ARG_ANYTHING),
        new(BPF_FUNC_redirect_map, RET_INTEGER, gplOnly: false, ARG_CONST_MAP_PTR, ARG_ANYTHING, ARG_ANYTHING),
        new(BPF_FUNC_xdp_adjust_meta, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING),
        new(BPF_FUNC_perf_event_read_value, RET_INTEGER, gplOnly: true, ARG_CONST_MAP_PTR, ARG_ANYTHING, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE),
        new(BPF_FUNC_msg_apply_bytes, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING),
        new(BPF_FUNC_msg_cork_bytes, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING),
        new(BPF_FUNC_msg_pull_data, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING, ARG_ANYTHING),
        new(BPF_FUNC_xdp_adjust_tail, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING),
        new(BPF_FUNC_skb_load_bytes_relative, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE, ARG_ANYTHING),
        new(BPF_FUNC_get_current_cgroup_id, RET_INTEGER, gplOnly: false),
        new(BPF_FUNC_map_push_elem, RET_INTEGER, gplOnly: false, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_VALUE, ARG_ANYTHING) { PacketAccess = true },
        new(BPF_FUNC_map_pop_elem, RET_INTEGER, gplOnly: false, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_VALUE | MEM_UNINIT | MEM_WRITE),
        new(BPF_FUNC_map_peek_elem, RET_INTEGER, gplOnly: false, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_VALUE | MEM_UNINIT | MEM_WRITE),
        new(BPF_FUNC_msg_push_data, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING, ARG_ANYTHING),
        new(BPF_FUNC_msg_pop_data, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING, ARG_ANYTHING),
        new(BPF_FUNC_spin_lock, RET_VOID, gplOnly: false, ARG_PTR_TO_SPIN_LOCK),
        new(BPF_FUNC_spin_unlock, RET_VOID, gplOnly: false, ARG_PTR_TO_SPIN_LOCK),
        new(BPF_FUNC_strtol, RET_INTEGER, gplOnly: false, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE, ARG_ANYTHING, ARG_PTR_TO_FIXED_SIZE_MEM.WithSize(8) | MEM_UNINIT | MEM_WRITE | MEM_ALIGNED),
        new(BPF_FUNC_strtoul, RET_INTEGER, gplOnly: false, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE, ARG_ANYTHING, ARG_PTR_TO_FIXED_SIZE_MEM.WithSize(8) | MEM_UNINIT | MEM_WRITE | MEM_ALIGNED),
        new(BPF_FUNC_send_signal, RET_INTEGER, gplOnly: false, ARG_ANYTHING),
        new(BPF_FUNC_probe_read_user, RET_INTEGER, gplOnly: true, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING),
        new(BPF_FUNC_probe_read_kernel, RET_INTEGER, gplOnly: true, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING),
        new(BPF_FUNC_probe_read_user_str, RET_INTEGER, gplOnly: true, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING),
        new(BPF_FUNC_probe_read_kernel_str, RET_INTEGER, gplOnly: true, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING),
        new(BPF_FUNC_send_signal_thread, RET_INTEGER, gplOnly: false, ARG_ANYTHING),
        new(BPF_FUNC_jiffies64, RET_INTEGER, gplOnly: false),
        new(BPF_FUNC_get_ns_current_pid_tgid, RET_INTEGER, gplOnly: false, ARG_ANYTHING, ARG_ANYTHING, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE),
        new(BPF_FUNC_get_current_ancestor_cgroup_id, RET_INTEGER, gplOnly: false, ARG_ANYTHING),
        new(BPF_FUNC_ktime_get_boot_ns, RET_INTEGER, gplOnly: false),
        new(BPF_FUNC_ringbuf_output, RET_INTEGER, gplOnly: false, ARG_CONST_MAP_PTR, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING),
        new(BPF_FUNC_ringbuf_reserve, RET_PTR_TO_RINGBUF_MEM_OR_NULL, gplOnly: false, ARG_CONST_MAP_PTR, ARG_CONST_ALLOC_SIZE_OR_ZERO, ARG_ANYTHING),
        new(BPF_FUNC_ringbuf_submit, RET_VOID, gplOnly: false, ARG_PTR_TO_RINGBUF_MEM | OBJ_RELEASE, ARG_ANYTHING),
        new(BPF_FUNC_ringbuf_discard, RET_VOID, gplOnly: false, ARG_PTR_TO_RINGBUF_MEM | OBJ_RELEASE, ARG_ANYTHING),
        new(BPF_FUNC_ringbuf_query, RET_INTEGER, gplOnly: false, ARG_CONST_MAP_PTR, ARG_ANYTHING),
        new(BPF_FUNC_csum_level, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING),
        new(BPF_FUNC_d_path, RET_INTEGER, gplOnly: false, ARG_PTR_TO_BTF_ID, ARG_PTR_TO_MEM, ARG_CONST_SIZE_OR_ZERO),
        new(BPF_FUNC_copy_from_user, RET_INTEGER, gplOnly: false, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING) { MightSleep = true },
        new(BPF_FUNC_snprintf_btf, RET_INTEGER, gplOnly: false, ARG_PTR_TO_MEM | MEM_WRITE, ARG_CONST_SIZE, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE, ARG_ANYTHING),
        new(BPF_FUNC_redirect_neigh, RET_INTEGER, gplOnly: false, ARG_ANYTHING, ARG_PTR_TO_MEM | PTR_MAYBE_NULL | MEM_RDONLY, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING),
        new(BPF_FUNC_per_cpu_ptr, RET_PTR_TO_MEM_OR_BTF_ID | PTR_MAYBE_NULL | MEM_RDONLY, gplOnly: false, ARG_PTR_TO_PERCPU_BTF_ID, ARG_ANYTHING),
        new(BPF_FUNC_this_cpu_ptr, RET_PTR_TO_MEM_OR_BTF_ID | MEM_RDONLY, gplOnly: false, ARG_PTR_TO_PERCPU_BTF_ID),
        new(BPF_FUNC_redirect_peer, RET_INTEGER, gplOnly: false, ARG_ANYTHING, ARG_ANYTHING),
        new(BPF_FUNC_get_current_task_btf, RET_PTR_TO_BTF_ID_TRUSTED, gplOnly: true),
        new(BPF_FUNC_ktime_get_coarse_ns, RET_INTEGER, gplOnly: false),
        new(BPF_FUNC_for_each_map_elem, RET_INTEGER, gplOnly: false, ARG_CONST_MAP_PTR, ARG_PTR_TO_FUNC, ARG_PTR_TO_STACK_OR_NULL, ARG_ANYTHING),
        new(BPF_FUNC_snprintf, RET_INTEGER, gplOnly: true, ARG_PTR_TO_MEM_OR_NULL | MEM_WRITE, ARG_CONST_SIZE_OR_ZERO, ARG_PTR_TO_CONST_STR, ARG_PTR_TO_MEM | PTR_MAYBE_NULL | MEM_RDONLY, ARG_CONST_SIZE_OR_ZERO),
        new(BPF_FUNC_timer_init, RET_INTEGER, gplOnly: true, ARG_PTR_TO_TIMER, ARG_CONST_MAP_PTR, ARG_ANYTHING),
        new(BPF_FUNC_timer_set_callback, RET_INTEGER, gplOnly: true, ARG_PTR_TO_TIMER, ARG_PTR_TO_FUNC),
        new(BPF_FUNC_timer_start, RET_INTEGER, gplOnly: true, ARG_PTR_TO_TIMER, ARG_ANYTHING, ARG_ANYTHING),
        new(BPF_FUNC_timer_cancel, RET_INTEGER, gplOnly: true, ARG_PTR_TO_TIMER),
        new(BPF_FUNC_task_pt_regs, RET_PTR_TO_BTF_ID, gplOnly: true, ARG_PTR_TO_BTF_ID),
        new(BPF_FUNC_get_branch_snapshot, RET_INTEGER, gplOnly: true, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO),
        new(BPF_FUNC_trace_vprintk, RET_INTEGER, gplOnly: true, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE, ARG_PTR_TO_MEM | PTR_MAYBE_NULL | MEM_RDONLY, ARG_CONST_SIZE_OR_ZERO),
        new(BPF_FUNC_loop, RET_INTEGER, gplOnly: false, ARG_ANYTHING, ARG_PTR_TO_FUNC, ARG_PTR_TO_STACK_OR_NULL, ARG_ANYTHING),
        new(BPF_FUNC_strncmp, RET_INTEGER, gplOnly: false, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE, ARG_PTR_TO_CONST_STR),
        new(BPF_FUNC_xdp_get_buff_len, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX),
        new(BPF_FUNC_xdp_load_bytes, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE),
        new(BPF_FUNC_xdp_store_bytes, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE),
        new(BPF_FUNC_copy_from_user_task, RET_INTEGER, gplOnly: true, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING, ARG_PTR_TO_BTF_ID, ARG_ANYTHING) { MightSleep = true },
        new(BPF_FUNC_kptr_xchg, RET_PTR_TO_BTF_ID_OR_NULL, gplOnly: false, ARG_KPTR_XCHG_DEST, ARG_PTR_TO_BTF_ID_OR_NULL | OBJ_RELEASE),
        new(BPF_FUNC_map_lookup_percpu_elem, RET_PTR_TO_MAP_VALUE_OR_NULL, gplOnly: false, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY, ARG_ANYTHING) { PacketAccess = true },
        new(BPF_FUNC_dynptr_from_mem, RET_INTEGER, gplOnly: false, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING, ARG_PTR_TO_DYNPTR | DYNPTR_TYPE_LOCAL | MEM_UNINIT | MEM_WRITE),
        new(BPF_FUNC_ringbuf_reserve_dynptr, RET_INTEGER, gplOnly: false, ARG_CONST_MAP_PTR, ARG_ANYTHING, ARG_ANYTHING, ARG_PTR_TO_DYNPTR | DYNPTR_TYPE_RINGBUF | MEM_UNINIT),
        new(BPF_FUNC_ringbuf_submit_dynptr, RET_VOID, gplOnly: false, ARG_PTR_TO_DYNPTR | DYNPTR_TYPE_RINGBUF | OBJ_RELEASE, ARG_ANYTHING),
        new(BPF_FUNC_ringbuf_discard_dynptr, RET_VOID, gplOnly: false, ARG_PTR_TO_DYNPTR | DYNPTR_TYPE_RINGBUF | OBJ_RELEASE, ARG_ANYTHING),
        new(BPF_FUNC_dynptr_read, RET_INTEGER, gplOnly: false, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_PTR_TO_DYNPTR | MEM_RDONLY, ARG_ANYTHING, ARG_ANYTHING),
        new(BPF_FUNC_dynptr_write, RET_INTEGER, gplOnly: false, ARG_PTR_TO_DYNPTR | MEM_RDONLY, ARG_ANYTHING, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING),
        new(BPF_FUNC_dynptr_data, RET_PTR_TO_DYNPTR_MEM_OR_NULL, gplOnly: false, ARG_PTR_TO_DYNPTR | MEM_RDONLY, ARG_ANYTHING, ARG_CONST_ALLOC_SIZE_OR_ZERO),
        new(BPF_FUNC_ktime_get_tai_ns, RET_INTEGER, gplOnly: false),
        new(BPF_FUNC_user_ringbuf_drain, RET_INTEGER, gplOnly: false, ARG_CONST_MAP_PTR, ARG_PTR_TO_FUNC, ARG_PTR_TO_STACK_OR_NULL, ARG_ANYTHING),
    ];
}
