namespace BpfSharp.Runtime.Helpers;

// Ids (enum bpf_func_id) of the packet helpers.
internal static partial class BpfFunc
{
    public const int BPF_FUNC_skb_store_bytes = 9;
    public const int BPF_FUNC_l3_csum_replace = 10;
    public const int BPF_FUNC_l4_csum_replace = 11;
    public const int BPF_FUNC_get_cgroup_classid = 17;
    public const int BPF_FUNC_redirect = 23;
    public const int BPF_FUNC_skb_load_bytes = 26;
    public const int BPF_FUNC_csum_diff = 28;
    public const int BPF_FUNC_skb_change_type = 32;
    public const int BPF_FUNC_get_hash_recalc = 34;
    public const int BPF_FUNC_skb_change_tail = 38;
    public const int BPF_FUNC_skb_pull_data = 39;
    public const int BPF_FUNC_csum_update = 40;
    public const int BPF_FUNC_set_hash_invalid = 41;
    public const int BPF_FUNC_skb_change_head = 43;
    public const int BPF_FUNC_xdp_adjust_head = 44;
    public const int BPF_FUNC_set_hash = 48;
    public const int BPF_FUNC_redirect_map = 51;
    public const int BPF_FUNC_xdp_adjust_meta = 54;
    public const int BPF_FUNC_xdp_adjust_tail = 65;
    public const int BPF_FUNC_skb_load_bytes_relative = 68;
    public const int BPF_FUNC_xdp_get_buff_len = 188;
}
