using static BpfSharp.Uapi.BpfTypeFlag;
using static BpfSharp.Uapi.HelperArgType;
using static BpfSharp.Uapi.HelperReturnType;

namespace BpfSharp.Uapi;

// The socket, skb and xdp helpers that tc, xdp, socket filter and cgroup/skb programs call beyond the main
// table, as Linux 6.18 declares them (net/core/filter.c, net/core/bpf_sk_storage.c, kernel/bpf/helpers.c for
// get_local_storage); the skb variant where tc and xdp differ in name only. Argument kinds, GPL flags and the
// first pointer argument of each are checked against the live kernel by HelperPrototypeKernelTests.
public static partial class HelperPrototypes
{
    private const int BPF_FUNC_skb_get_tunnel_key = 20;
    private const int BPF_FUNC_skb_set_tunnel_key = 21;
    private const int BPF_FUNC_skb_get_tunnel_opt = 29;
    private const int BPF_FUNC_skb_set_tunnel_opt = 30;
    private const int BPF_FUNC_skb_under_cgroup = 33;
    private const int BPF_FUNC_get_socket_cookie = 46;
    private const int BPF_FUNC_get_socket_uid = 47;
    private const int BPF_FUNC_skb_get_xfrm_state = 66;
    private const int BPF_FUNC_fib_lookup = 69;
    private const int BPF_FUNC_skb_cgroup_id = 79;
    private const int BPF_FUNC_get_local_storage = 81;
    private const int BPF_FUNC_skb_ancestor_cgroup_id = 83;
    private const int BPF_FUNC_sk_lookup_tcp = 84;
    private const int BPF_FUNC_sk_lookup_udp = 85;
    private const int BPF_FUNC_sk_release = 86;
    private const int BPF_FUNC_sk_fullsock = 95;
    private const int BPF_FUNC_tcp_sock = 96;
    private const int BPF_FUNC_skb_ecn_set_ce = 97;
    private const int BPF_FUNC_get_listener_sock = 98;
    private const int BPF_FUNC_skc_lookup_tcp = 99;
    private const int BPF_FUNC_tcp_check_syncookie = 100;
    private const int BPF_FUNC_sk_storage_get = 107;
    private const int BPF_FUNC_sk_storage_delete = 108;
    private const int BPF_FUNC_tcp_gen_syncookie = 110;
    private const int BPF_FUNC_get_netns_cookie = 122;
    private const int BPF_FUNC_sk_assign = 124;
    private const int BPF_FUNC_sk_cgroup_id = 128;
    private const int BPF_FUNC_sk_ancestor_cgroup_id = 129;
    private const int BPF_FUNC_skc_to_tcp6_sock = 136;
    private const int BPF_FUNC_skc_to_tcp_sock = 137;
    private const int BPF_FUNC_skc_to_tcp_timewait_sock = 138;
    private const int BPF_FUNC_skc_to_tcp_request_sock = 139;
    private const int BPF_FUNC_skc_to_udp6_sock = 140;
    private const int BPF_FUNC_skb_cgroup_classid = 151;
    private const int BPF_FUNC_check_mtu = 163;
    private const int BPF_FUNC_skc_to_unix_sock = 178;
    private const int BPF_FUNC_skb_set_tstamp = 192;
    private const int BPF_FUNC_skc_to_mptcp_sock = 196;
    private const int BPF_FUNC_tcp_raw_gen_syncookie_ipv4 = 204;
    private const int BPF_FUNC_tcp_raw_gen_syncookie_ipv6 = 205;
    private const int BPF_FUNC_tcp_raw_check_syncookie_ipv4 = 206;
    private const int BPF_FUNC_tcp_raw_check_syncookie_ipv6 = 207;

    private const int SizeofIphdr = 20, SizeofIpv6hdr = 40, SizeofTcphdr = 20;

    private static HelperPrototype[] NetTable() =>
    [
        new(BPF_FUNC_skb_get_tunnel_key, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE, ARG_ANYTHING),
        new(BPF_FUNC_skb_set_tunnel_key, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE, ARG_ANYTHING),
        new(BPF_FUNC_skb_get_tunnel_opt, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE),
        new(BPF_FUNC_skb_set_tunnel_opt, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE),
        new(BPF_FUNC_skb_under_cgroup, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING),
        new(BPF_FUNC_get_socket_cookie, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX),
        new(BPF_FUNC_get_socket_uid, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX),
        new(BPF_FUNC_skb_get_xfrm_state, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE, ARG_ANYTHING),
        new(BPF_FUNC_fib_lookup, RET_INTEGER, gplOnly: true, ARG_PTR_TO_CTX, ARG_PTR_TO_MEM | MEM_WRITE, ARG_CONST_SIZE, ARG_ANYTHING),
        new(BPF_FUNC_skb_cgroup_id, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX),
        new(BPF_FUNC_get_local_storage, RET_PTR_TO_MAP_VALUE, gplOnly: false, ARG_CONST_MAP_PTR, ARG_ANYTHING),
        new(BPF_FUNC_skb_ancestor_cgroup_id, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING),
        new(BPF_FUNC_sk_lookup_tcp, RET_PTR_TO_SOCKET_OR_NULL, gplOnly: false, ARG_PTR_TO_CTX, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING, ARG_ANYTHING) { PacketAccess = true },
        new(BPF_FUNC_sk_lookup_udp, RET_PTR_TO_SOCKET_OR_NULL, gplOnly: false, ARG_PTR_TO_CTX, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING, ARG_ANYTHING) { PacketAccess = true },
        new(BPF_FUNC_sk_release, RET_INTEGER, gplOnly: false, ARG_PTR_TO_BTF_ID_SOCK_COMMON | OBJ_RELEASE),
        new(BPF_FUNC_sk_fullsock, RET_PTR_TO_SOCKET_OR_NULL, gplOnly: false, ARG_PTR_TO_SOCK_COMMON),
        new(BPF_FUNC_tcp_sock, RET_PTR_TO_TCP_SOCK_OR_NULL, gplOnly: false, ARG_PTR_TO_SOCK_COMMON),
        new(BPF_FUNC_skb_ecn_set_ce, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX),
        new(BPF_FUNC_get_listener_sock, RET_PTR_TO_SOCKET_OR_NULL, gplOnly: false, ARG_PTR_TO_SOCK_COMMON),
        new(BPF_FUNC_skc_lookup_tcp, RET_PTR_TO_SOCK_COMMON_OR_NULL, gplOnly: false, ARG_PTR_TO_CTX, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING, ARG_ANYTHING) { PacketAccess = true },
        new(BPF_FUNC_tcp_check_syncookie, RET_INTEGER, gplOnly: true, ARG_PTR_TO_BTF_ID_SOCK_COMMON, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE) { PacketAccess = true },
        new(BPF_FUNC_sk_storage_get, RET_PTR_TO_MAP_VALUE_OR_NULL, gplOnly: false, ARG_CONST_MAP_PTR, ARG_PTR_TO_BTF_ID_SOCK_COMMON, ARG_PTR_TO_MAP_VALUE_OR_NULL, ARG_ANYTHING),
        new(BPF_FUNC_sk_storage_delete, RET_INTEGER, gplOnly: false, ARG_CONST_MAP_PTR, ARG_PTR_TO_BTF_ID_SOCK_COMMON),
        new(BPF_FUNC_tcp_gen_syncookie, RET_INTEGER, gplOnly: true, ARG_PTR_TO_BTF_ID_SOCK_COMMON, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE) { PacketAccess = true },
        new(BPF_FUNC_get_netns_cookie, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX_OR_NULL),
        new(BPF_FUNC_sk_assign, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_PTR_TO_BTF_ID_SOCK_COMMON, ARG_ANYTHING),
        new(BPF_FUNC_sk_cgroup_id, RET_INTEGER, gplOnly: false, ARG_PTR_TO_BTF_ID_SOCK_COMMON),
        new(BPF_FUNC_sk_ancestor_cgroup_id, RET_INTEGER, gplOnly: false, ARG_PTR_TO_BTF_ID_SOCK_COMMON, ARG_ANYTHING),
        new(BPF_FUNC_skc_to_tcp6_sock, RET_PTR_TO_BTF_ID_OR_NULL, gplOnly: false, ARG_PTR_TO_BTF_ID_SOCK_COMMON),
        new(BPF_FUNC_skc_to_tcp_sock, RET_PTR_TO_BTF_ID_OR_NULL, gplOnly: false, ARG_PTR_TO_BTF_ID_SOCK_COMMON),
        new(BPF_FUNC_skc_to_tcp_timewait_sock, RET_PTR_TO_BTF_ID_OR_NULL, gplOnly: false, ARG_PTR_TO_BTF_ID_SOCK_COMMON),
        new(BPF_FUNC_skc_to_tcp_request_sock, RET_PTR_TO_BTF_ID_OR_NULL, gplOnly: false, ARG_PTR_TO_BTF_ID_SOCK_COMMON),
        new(BPF_FUNC_skc_to_udp6_sock, RET_PTR_TO_BTF_ID_OR_NULL, gplOnly: false, ARG_PTR_TO_BTF_ID_SOCK_COMMON),
        new(BPF_FUNC_skb_cgroup_classid, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX),
        new(BPF_FUNC_check_mtu, RET_INTEGER, gplOnly: true, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_PTR_TO_FIXED_SIZE_MEM.WithSize(sizeof(uint)) | MEM_WRITE | MEM_ALIGNED, ARG_ANYTHING, ARG_ANYTHING),
        new(BPF_FUNC_skc_to_unix_sock, RET_PTR_TO_BTF_ID_OR_NULL, gplOnly: false, ARG_PTR_TO_BTF_ID_SOCK_COMMON),
        new(BPF_FUNC_skb_set_tstamp, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING),
        new(BPF_FUNC_skc_to_mptcp_sock, RET_PTR_TO_BTF_ID_OR_NULL, gplOnly: false, ARG_PTR_TO_SOCK_COMMON),
        new(BPF_FUNC_tcp_raw_gen_syncookie_ipv4, RET_INTEGER, gplOnly: true, ARG_PTR_TO_FIXED_SIZE_MEM.WithSize(SizeofIphdr) | MEM_RDONLY, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE_OR_ZERO) { PacketAccess = true },
        new(BPF_FUNC_tcp_raw_gen_syncookie_ipv6, RET_INTEGER, gplOnly: true, ARG_PTR_TO_FIXED_SIZE_MEM.WithSize(SizeofIpv6hdr) | MEM_RDONLY, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE_OR_ZERO) { PacketAccess = true },
        new(BPF_FUNC_tcp_raw_check_syncookie_ipv4, RET_INTEGER, gplOnly: true, ARG_PTR_TO_FIXED_SIZE_MEM.WithSize(SizeofIphdr) | MEM_RDONLY, ARG_PTR_TO_FIXED_SIZE_MEM.WithSize(SizeofTcphdr) | MEM_RDONLY) { PacketAccess = true },
        new(BPF_FUNC_tcp_raw_check_syncookie_ipv6, RET_INTEGER, gplOnly: true, ARG_PTR_TO_FIXED_SIZE_MEM.WithSize(SizeofIpv6hdr) | MEM_RDONLY, ARG_PTR_TO_FIXED_SIZE_MEM.WithSize(SizeofTcphdr) | MEM_RDONLY) { PacketAccess = true },
    ];
}
