using BpfSharp.Uapi;
using static BpfSharp.Uapi.HelperArgType;
using static BpfSharp.Uapi.HelperReturnType;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// The prototypes a program type gets in place of the <see cref="HelperPrototypes"/> row for the same helper id
/// (kernel: the type's get_func_proto returning another struct bpf_func_proto). For the types implemented here
/// (6.18) the variants of perf_event_output, get_stack, redirect, fib_lookup, sk_lookup_* and the like all have
/// the table row's shape (checked against the live kernel); two differ.
/// </summary>
internal static class HelperVariants
{
    private const int BPF_FUNC_get_cgroup_classid = 17;
    private const int BPF_FUNC_get_stackid = 27;

    // bpf_get_cgroup_classid_curr_proto (net/core/filter.c): the classid of the current task's cgroup, no
    // arguments; what bpf_base_func_proto gives every type but tc (which gets the skb form of the table).
    private static readonly HelperPrototype GetCgroupClassidCurrent = new(BPF_FUNC_get_cgroup_classid, RET_INTEGER, gplOnly: false);

    // bpf_get_stackid_proto_pe (kernel/bpf/stackmap.c): perf event programs' get_stackid, the one variant of it
    // that is not gpl_only (the live 6.18 kernel lets a proprietary perf event program call it).
    private static readonly HelperPrototype GetStackidPerfEvent = new(BPF_FUNC_get_stackid, RET_INTEGER, gplOnly: false,
        ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING);

    /// <summary>The prototype <paramref name="type"/> gets for <paramref name="helperId"/> when it is not the table's, else null.</summary>
    public static HelperPrototype? Get(BpfProgType type, int helperId) => helperId switch
    {
        BPF_FUNC_get_cgroup_classid when type is not (BpfProgType.SchedCls or BpfProgType.SchedAct) => GetCgroupClassidCurrent,
        BPF_FUNC_get_stackid when type == BpfProgType.PerfEvent => GetStackidPerfEvent,
        _ => null,
    };
}
