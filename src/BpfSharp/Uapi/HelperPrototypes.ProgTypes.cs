using static BpfSharp.Uapi.BpfTypeFlag;
using static BpfSharp.Uapi.HelperArgType;
using static BpfSharp.Uapi.HelperReturnType;

namespace BpfSharp.Uapi;

// The helpers of the other program types (sockmap, sock_ops, the cgroup hooks, lwt, sk_reuseport, syscall
// programs), as Linux 6.18 declares them (net/core/filter.c, net/core/sock_map.c, kernel/bpf/cgroup.c,
// kernel/bpf/syscall.c, kernel/trace/bpf_trace.c); the context form where types differ (cgroup/sockopt's
// setsockopt and getsockopt take a socket: see ProgramTypes.HelperVariants). Argument kinds, GPL flags and
// the first pointer argument of each are checked against the live kernel by HelperPrototypeKernelTests.
public static partial class HelperPrototypes
{
    private const int BPF_FUNC_setsockopt = 49;
    private const int BPF_FUNC_sk_redirect_map = 52;
    private const int BPF_FUNC_sock_map_update = 53;
    private const int BPF_FUNC_getsockopt = 57;
    private const int BPF_FUNC_sock_ops_cb_flags_set = 59;
    private const int BPF_FUNC_msg_redirect_map = 60;
    private const int BPF_FUNC_bind = 64;
    private const int BPF_FUNC_sock_hash_update = 70;
    private const int BPF_FUNC_msg_redirect_hash = 71;
    private const int BPF_FUNC_sk_redirect_hash = 72;
    private const int BPF_FUNC_lwt_push_encap = 73;
    private const int BPF_FUNC_lwt_seg6_store_bytes = 74;
    private const int BPF_FUNC_lwt_seg6_adjust_srh = 75;
    private const int BPF_FUNC_lwt_seg6_action = 76;
    private const int BPF_FUNC_sk_select_reuseport = 82;
    private const int BPF_FUNC_sysctl_get_name = 101;
    private const int BPF_FUNC_sysctl_get_current_value = 102;
    private const int BPF_FUNC_sysctl_get_new_value = 103;
    private const int BPF_FUNC_sysctl_set_new_value = 104;
    private const int BPF_FUNC_skb_output = 111;
    private const int BPF_FUNC_xdp_output = 121;
    private const int BPF_FUNC_load_hdr_opt = 142;
    private const int BPF_FUNC_store_hdr_opt = 143;
    private const int BPF_FUNC_reserve_hdr_opt = 144;
    private const int BPF_FUNC_sock_from_file = 162;
    private const int BPF_FUNC_sys_bpf = 166;
    private const int BPF_FUNC_btf_find_by_name_kind = 167;
    private const int BPF_FUNC_sys_close = 168;
    private const int BPF_FUNC_kallsyms_lookup_name = 179;
    private const int BPF_FUNC_get_retval = 186;
    private const int BPF_FUNC_set_retval = 187;

    private static HelperPrototype[] ProgTypeTable() =>
    [
        new(BPF_FUNC_setsockopt, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE),
        new(BPF_FUNC_sk_redirect_map, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING, ARG_ANYTHING),
        new(BPF_FUNC_sock_map_update, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY, ARG_ANYTHING),
        new(BPF_FUNC_getsockopt, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE),
        new(BPF_FUNC_sock_ops_cb_flags_set, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING),
        new(BPF_FUNC_msg_redirect_map, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING, ARG_ANYTHING),
        new(BPF_FUNC_bind, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE),
        new(BPF_FUNC_sock_hash_update, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY, ARG_ANYTHING),
        new(BPF_FUNC_msg_redirect_hash, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY, ARG_ANYTHING),
        new(BPF_FUNC_sk_redirect_hash, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY, ARG_ANYTHING),
        new(BPF_FUNC_lwt_push_encap, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE),
        new(BPF_FUNC_lwt_seg6_store_bytes, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE),
        new(BPF_FUNC_lwt_seg6_adjust_srh, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING),
        new(BPF_FUNC_lwt_seg6_action, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE),
        new(BPF_FUNC_sk_select_reuseport, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY, ARG_ANYTHING),
        new(BPF_FUNC_sysctl_get_name, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_PTR_TO_MEM | MEM_WRITE, ARG_CONST_SIZE, ARG_ANYTHING),
        new(BPF_FUNC_sysctl_get_current_value, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE),
        new(BPF_FUNC_sysctl_get_new_value, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE),
        new(BPF_FUNC_sysctl_set_new_value, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE),
        new(BPF_FUNC_skb_output, RET_INTEGER, gplOnly: true, ARG_PTR_TO_BTF_ID, ARG_CONST_MAP_PTR, ARG_ANYTHING, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE_OR_ZERO),
        new(BPF_FUNC_xdp_output, RET_INTEGER, gplOnly: true, ARG_PTR_TO_BTF_ID, ARG_CONST_MAP_PTR, ARG_ANYTHING, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE_OR_ZERO),
        new(BPF_FUNC_load_hdr_opt, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_PTR_TO_MEM | MEM_WRITE, ARG_CONST_SIZE, ARG_ANYTHING),
        new(BPF_FUNC_store_hdr_opt, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE, ARG_ANYTHING),
        new(BPF_FUNC_reserve_hdr_opt, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING),
        new(BPF_FUNC_sock_from_file, RET_PTR_TO_BTF_ID_OR_NULL, gplOnly: false, ARG_PTR_TO_BTF_ID),
        new(BPF_FUNC_sys_bpf, RET_INTEGER, gplOnly: false, ARG_ANYTHING, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE),
        new(BPF_FUNC_btf_find_by_name_kind, RET_INTEGER, gplOnly: false, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE, ARG_ANYTHING, ARG_ANYTHING),
        new(BPF_FUNC_sys_close, RET_INTEGER, gplOnly: false, ARG_ANYTHING),
        new(BPF_FUNC_kallsyms_lookup_name, RET_INTEGER, gplOnly: false, ARG_PTR_TO_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING,
            ARG_PTR_TO_FIXED_SIZE_MEM.WithSize(8) | MEM_UNINIT | MEM_WRITE | MEM_ALIGNED),
        new(BPF_FUNC_get_retval, RET_INTEGER, gplOnly: false),
        new(BPF_FUNC_set_retval, RET_INTEGER, gplOnly: false, ARG_ANYTHING),
    ];
}
