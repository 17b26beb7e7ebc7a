using BpfSharp.Uapi;
using static BpfSharp.Uapi.HelperArgType;
using static BpfSharp.Uapi.HelperReturnType;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// The prototypes a program type gets in place of the <see cref="HelperPrototypes"/> row for the same helper id
/// (kernel: the type's get_func_proto returning another struct bpf_func_proto). For the types implemented here
/// (6.18) the variants of perf_event_output, get_stack, redirect, fib_lookup, sk_lookup_* and the like mostly have
/// the table row's shape (checked against the live kernel by HelperPrototypeKernelTests); these differ.
/// </summary>
internal static class HelperVariants
{
    private const int BPF_FUNC_get_cgroup_classid = 17;
    private const int BPF_FUNC_get_stackid = 27;
    private const int BPF_FUNC_get_socket_cookie = 46;
    private const int BPF_FUNC_setsockopt = 49;
    private const int BPF_FUNC_getsockopt = 57;
    private const int BPF_FUNC_sk_storage_get = 107;
    private const int BPF_FUNC_sk_storage_delete = 108;
    private const int BPF_FUNC_sk_assign = 124;
    private const int BPF_FUNC_d_path = 147;
    private const int BPF_FUNC_xdp_get_buff_len = 188;

    // bpf_get_cgroup_classid_curr_proto (net/core/filter.c): the classid of the current task's cgroup, no
    // arguments; what bpf_base_func_proto gives every type but tc and lwt (which get the skb form of the table).
    private static readonly HelperPrototype GetCgroupClassidCurrent = new(BPF_FUNC_get_cgroup_classid, RET_INTEGER, gplOnly: false);

    // bpf_get_stackid_proto_pe (kernel/bpf/stackmap.c): perf event programs' get_stackid, the one variant of it
    // that is not gpl_only (the live 6.18 kernel lets a proprietary perf event program call it).
    private static readonly HelperPrototype GetStackidPerfEvent = new(BPF_FUNC_get_stackid, RET_INTEGER, gplOnly: false,
        ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING);

    // bpf_sk_setsockopt_proto / bpf_sk_getsockopt_proto (net/core/filter.c): cgroup/sockopt programs name the
    // socket, not the context.
    private static readonly HelperPrototype SetsockoptSock = new(BPF_FUNC_setsockopt, RET_INTEGER, gplOnly: false,
        ARG_PTR_TO_BTF_ID_SOCK_COMMON, ARG_ANYTHING, ARG_ANYTHING, ARG_PTR_TO_MEM | BpfTypeFlag.MEM_RDONLY, ARG_CONST_SIZE);
    private static readonly HelperPrototype GetsockoptSock = new(BPF_FUNC_getsockopt, RET_INTEGER, gplOnly: false,
        ARG_PTR_TO_BTF_ID_SOCK_COMMON, ARG_ANYTHING, ARG_ANYTHING, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE);

    // bpf_get_socket_ptr_cookie_proto: the cookie of a socket pointer (sk_reuseport, and the tracing set syscall
    // programs get).
    private static readonly HelperPrototype GetSocketPtrCookie = new(BPF_FUNC_get_socket_cookie, RET_INTEGER, gplOnly: false,
        ARG_PTR_TO_BTF_ID_SOCK_COMMON | BpfTypeFlag.PTR_MAYBE_NULL);

    // bpf_sk_lookup_assign_proto: sk_lookup's sk_assign selects a full socket, or NULL.
    private static readonly HelperPrototype SkLookupAssign = new(BPF_FUNC_sk_assign, RET_INTEGER, gplOnly: false,
        ARG_PTR_TO_CTX, ARG_PTR_TO_SOCKET | BpfTypeFlag.PTR_MAYBE_NULL, ARG_ANYTHING);

    // bpf_xdp_get_buff_len_trace_proto: the tracing form takes a struct xdp_buff pointer.
    private static readonly HelperPrototype XdpGetBuffLenTrace = new(BPF_FUNC_xdp_get_buff_len, RET_INTEGER, gplOnly: false,
        ARG_PTR_TO_BTF_ID);

    // The tracing forms of sk_storage_get / sk_storage_delete and d_path that syscall programs get: their allowed
    // callbacks (bpf_sk_storage_tracing_allowed, bpf_d_path_allowed) refuse a syscall program.
    private static readonly HelperPrototype SkStorageGetRefused = Refused(BPF_FUNC_sk_storage_get);
    private static readonly HelperPrototype SkStorageDeleteRefused = Refused(BPF_FUNC_sk_storage_delete);
    private static readonly HelperPrototype DPathRefused = Refused(BPF_FUNC_d_path);

    /// <summary>The prototype <paramref name="type"/> gets for <paramref name="helperId"/> when it is not the table's, else null.</summary>
    public static HelperPrototype? Get(BpfProgType type, int helperId) => helperId switch
    {
        BPF_FUNC_get_cgroup_classid when !HasSkbCgroupClassid(type) => GetCgroupClassidCurrent,
        BPF_FUNC_get_stackid when type == BpfProgType.PerfEvent => GetStackidPerfEvent,
        BPF_FUNC_setsockopt when type == BpfProgType.CgroupSockopt => SetsockoptSock,
        BPF_FUNC_getsockopt when type == BpfProgType.CgroupSockopt => GetsockoptSock,
        BPF_FUNC_get_socket_cookie when type is BpfProgType.SkReuseport or BpfProgType.Syscall or BpfProgType.Tracing => GetSocketPtrCookie,
        BPF_FUNC_sk_assign when type == BpfProgType.SkLookup => SkLookupAssign,
        BPF_FUNC_xdp_get_buff_len when type is BpfProgType.Syscall or BpfProgType.Tracing => XdpGetBuffLenTrace,
        BPF_FUNC_sk_storage_get when type == BpfProgType.Syscall => SkStorageGetRefused,
        BPF_FUNC_sk_storage_delete when type == BpfProgType.Syscall => SkStorageDeleteRefused,
        BPF_FUNC_d_path when type == BpfProgType.Syscall => DPathRefused,
        _ => null,
    };

    // The table's prototype of helper id, refused by its allowed callback.
    private static HelperPrototype Refused(int id)
    {
        HelperPrototype proto = HelperPrototypes.Get(id)!;
        return new HelperPrototype(id, proto.Return, proto.GplOnly, proto.Args.ToArray())
        {
            PacketAccess = proto.PacketAccess,
            MightSleep = proto.MightSleep,
            NotAllowed = true,
        };
    }

    // tc and the lwt types get the table's skb form of get_cgroup_classid (bpf_get_cgroup_classid_proto).
    private static bool HasSkbCgroupClassid(BpfProgType type) => type is BpfProgType.SchedCls or BpfProgType.SchedAct
        or BpfProgType.LwtIn or BpfProgType.LwtOut or BpfProgType.LwtXmit or BpfProgType.LwtSeg6local;
}
