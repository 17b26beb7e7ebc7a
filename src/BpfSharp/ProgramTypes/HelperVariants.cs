using BpfSharp.Uapi;
using static BpfSharp.Uapi.HelperReturnType;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// The prototypes a program type gets in place of the <see cref="HelperPrototypes"/> row for the same helper id
/// (kernel: the type's get_func_proto returning another struct bpf_func_proto). For the types implemented here
/// (6.18) the variants of perf_event_output, get_stackid, get_stack, redirect, fib_lookup, sk_lookup_* and the
/// like all have the table row's shape; only bpf_get_cgroup_classid differs.
/// </summary>
internal static class HelperVariants
{
    private const int BPF_FUNC_get_cgroup_classid = 17;

    // bpf_get_cgroup_classid_curr_proto (net/core/filter.c): the classid of the current task's cgroup, no
    // arguments; what bpf_base_func_proto gives every type but tc (which gets the skb form of the table).
    private static readonly HelperPrototype GetCgroupClassidCurrent = new(BPF_FUNC_get_cgroup_classid, RET_INTEGER, gplOnly: false);

    /// <summary>The prototype <paramref name="type"/> gets for <paramref name="helperId"/> when it is not the table's, else null.</summary>
    public static HelperPrototype? Get(BpfProgType type, int helperId) => helperId switch
    {
        BPF_FUNC_get_cgroup_classid when type is not (BpfProgType.SchedCls or BpfProgType.SchedAct) => GetCgroupClassidCurrent,
        _ => null,
    };
}
