using BpfSharp.Memory;
using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// BPF_MAP_TYPE_CGROUP_ARRAY (kernel: arraymap.c, cgroup_array_map_ops): u32 index keys, u32 values that are cgroup
/// directory fds, for bpf_current_task_under_cgroup and bpf_skb_under_cgroup.
/// </summary>
/// <remarks>
/// A <see cref="BpfSystem"/> has no cgroup hierarchy, so no fd names a cgroup: storing any fd is -EBADF (the kernel's
/// answer for an fd that is not a cgroup), the slots stay empty, and the helpers answer for an empty slot (-EAGAIN).
/// Creation, deletion, get_next_key and user-space lookup (-ENOTSUPP) are the kernel's.
/// </remarks>
public sealed unsafe class CgroupArray : FdArrayMap
{
    private CgroupArray(MapAttributes attributes, MapContext context) : base(attributes, context) { }

    /// <summary>kernel: fd_array_map_alloc_check: the fd array's rules.</summary>
    internal static int TryCreate(MapAttributes attributes, MapContext context, out Map? map)
    {
        map = null;
        int err = CheckFdArrayAttributes(attributes);
        if (err != 0) return err;
        if (!TryChargeSlots(attributes, context)) return -Errno.ENOMEM;
        map = new CgroupArray(attributes, context);
        return 0;
    }

    /// <summary>
    /// kernel: bpf_current_task_under_cgroup's map part: -E2BIG for an index not below max_entries, -EAGAIN for an
    /// empty slot (every slot here: see the remarks).
    /// </summary>
    public int CurrentTaskUnderCgroup(uint index) => index >= MaxEntries ? -Errno.E2BIG : -Errno.EAGAIN;

    /// <summary>Programs cannot look cgroups up (kernel: fd_array_map_lookup_elem): always null.</summary>
    public override byte* LookupElem(byte* key, int cpu) => null;

    /// <summary>kernel: no map_fd_sys_lookup_elem for cgroup arrays: -ENOTSUPP.</summary>
    public override int SysLookup(byte* key, byte* value, ulong flags) => -Errno.ENOTSUPP;

    /// <summary>kernel: cgroup_fd_array_get_ptr (cgroup_get_from_fd): no fd is a cgroup here, so -EBADF.</summary>
    protected override int GetPtr(uint fd, out BpfObject? obj)
    {
        obj = null;
        return -Errno.EBADF;
    }
}
