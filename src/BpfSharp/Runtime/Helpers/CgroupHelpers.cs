using BpfSharp.Maps;
using static BpfSharp.Runtime.Helpers.BpfFunc;
using static BpfSharp.Runtime.Helpers.HelperArgs;

namespace BpfSharp.Runtime.Helpers;

/// <summary>bpf_current_task_under_cgroup (helper 37) against a <see cref="CgroupArray"/>.</summary>
public static class CgroupHelpers
{
    /// <summary>Registers bpf_current_task_under_cgroup under its kernel id.</summary>
    public static void Register(HelperRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(BPF_FUNC_current_task_under_cgroup, Name(BPF_FUNC_current_task_under_cgroup), CurrentTaskUnderCgroup);
    }

    /// <summary>
    /// long bpf_current_task_under_cgroup(map, index): 1 if the current task is in the slot's cgroup hierarchy, 0 if
    /// not; -E2BIG for an index past the map, -EAGAIN for an empty slot (see <see cref="CgroupArray"/>).
    /// </summary>
    public static ulong CurrentTaskUnderCgroup(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        Map map = Map(run, r1);
        if (map is not CgroupArray cgroups) throw run.HelperFault($"0x{r1:x} is not a cgroup array");
        return Errno(cgroups.CurrentTaskUnderCgroup((uint)r2));
    }
}
