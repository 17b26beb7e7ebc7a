namespace BpfSharp.Runtime.Helpers;

// Ids (enum bpf_func_id) of the helpers this folder implements, spelled as the kernel spells them.
internal static partial class BpfFunc
{
    public const int BPF_FUNC_map_lookup_elem = 1;
    public const int BPF_FUNC_map_update_elem = 2;
    public const int BPF_FUNC_map_delete_elem = 3;
    public const int BPF_FUNC_probe_read = 4;
    public const int BPF_FUNC_ktime_get_ns = 5;
    public const int BPF_FUNC_trace_printk = 6;
    public const int BPF_FUNC_get_prandom_u32 = 7;
    public const int BPF_FUNC_get_smp_processor_id = 8;
    public const int BPF_FUNC_tail_call = 12;
    public const int BPF_FUNC_get_current_pid_tgid = 14;
    public const int BPF_FUNC_get_current_uid_gid = 15;
    public const int BPF_FUNC_get_current_comm = 16;
    public const int BPF_FUNC_get_stackid = 27;
    public const int BPF_FUNC_get_current_task = 35;
    public const int BPF_FUNC_current_task_under_cgroup = 37;
    public const int BPF_FUNC_get_numa_node_id = 42;
    public const int BPF_FUNC_sk_redirect_map = 52;
    public const int BPF_FUNC_sock_map_update = 53;
    public const int BPF_FUNC_msg_redirect_map = 60;
    public const int BPF_FUNC_sock_hash_update = 70;
    public const int BPF_FUNC_msg_redirect_hash = 71;
    public const int BPF_FUNC_sk_redirect_hash = 72;
    public const int BPF_FUNC_probe_read_str = 45;
    public const int BPF_FUNC_get_stack = 67;
    public const int BPF_FUNC_map_push_elem = 87;
    public const int BPF_FUNC_map_pop_elem = 88;
    public const int BPF_FUNC_map_peek_elem = 89;
    public const int BPF_FUNC_spin_lock = 93;
    public const int BPF_FUNC_spin_unlock = 94;
    public const int BPF_FUNC_strtol = 105;
    public const int BPF_FUNC_strtoul = 106;
    public const int BPF_FUNC_probe_read_user = 112;
    public const int BPF_FUNC_probe_read_kernel = 113;
    public const int BPF_FUNC_probe_read_user_str = 114;
    public const int BPF_FUNC_probe_read_kernel_str = 115;
    public const int BPF_FUNC_jiffies64 = 118;
    public const int BPF_FUNC_ktime_get_boot_ns = 125;
    public const int BPF_FUNC_get_current_task_btf = 158;
    public const int BPF_FUNC_ktime_get_coarse_ns = 160;
    public const int BPF_FUNC_for_each_map_elem = 164;
    public const int BPF_FUNC_snprintf = 165;
    public const int BPF_FUNC_trace_vprintk = 177;
    public const int BPF_FUNC_loop = 181;
    public const int BPF_FUNC_strncmp = 182;
    public const int BPF_FUNC_map_lookup_percpu_elem = 195;
    public const int BPF_FUNC_ktime_get_tai_ns = 208;

    /// <summary>The kernel's name of helper <paramref name="id"/>.</summary>
    public static string Name(int id) => Uapi.HelperNames.Get(id) ?? throw new ArgumentOutOfRangeException(nameof(id));
}
