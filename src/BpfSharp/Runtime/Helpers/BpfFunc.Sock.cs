namespace BpfSharp.Runtime.Helpers;

// Ids (enum bpf_func_id) of the socket lookup and socket view helpers.
internal static partial class BpfFunc
{
    public const int BPF_FUNC_sk_lookup_tcp = 84;
    public const int BPF_FUNC_sk_lookup_udp = 85;
    public const int BPF_FUNC_sk_release = 86;
    public const int BPF_FUNC_sk_fullsock = 95;
    public const int BPF_FUNC_tcp_sock = 96;
    public const int BPF_FUNC_get_listener_sock = 98;
    public const int BPF_FUNC_skc_lookup_tcp = 99;
    public const int BPF_FUNC_skc_to_tcp6_sock = 136;
    public const int BPF_FUNC_skc_to_tcp_sock = 137;
    public const int BPF_FUNC_skc_to_tcp_timewait_sock = 138;
    public const int BPF_FUNC_skc_to_tcp_request_sock = 139;
    public const int BPF_FUNC_skc_to_udp6_sock = 140;
    public const int BPF_FUNC_skc_to_unix_sock = 178;
    public const int BPF_FUNC_skc_to_mptcp_sock = 196;
}
