using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// BPF_MAP_TYPE_DEVMAP (kernel: devmap.c): network devices by index, the targets of bpf_redirect_map in XDP programs.
/// A slot holds an ifindex (and with an 8-byte value the fd, read back as the id, of an XDP program for
/// BPF_XDP_DEVMAP run on redirected frames). The only device here is loopback (ifindex 1).
/// </summary>
public sealed unsafe class DevMap : RedirectArrayMap
{
    private const uint LoopbackIfindex = 1;

    private DevMap(MapAttributes a, MapContext c, nint values, ulong bytes) : base(a, c, (byte*)values, bytes) { }

    /// <summary>kernel: dev_map_alloc_check: -EINVAL for key_size other than 4, value_size other than 4 or 8, max_entries 0, other flags than NUMA_NODE/RDONLY/WRONLY.</summary>
    internal static int TryCreate(MapAttributes a, MapContext context, out Map? map)
    {
        map = null;
        int err = CheckRedirectAttributes(a, MapFlags.BPF_F_NUMA_NODE | MapFlags.BPF_F_RDONLY | MapFlags.BPF_F_WRONLY);
        return err < 0 ? err : Allocate(a, context, out map, static (a, c, v, b) => new DevMap(a, c, v, b));
    }

    /// <summary>kernel: __dev_map_update_elem: ifindex 0 empties the slot (with no program fd), else the device must exist (-EINVAL).</summary>
    private protected override int CheckTarget(uint index, uint ifindex, int progFd, out uint progId)
    {
        progId = 0;
        if (ifindex == 0) return progFd > 0 ? -Errno.EINVAL : 0;
        if (ifindex != LoopbackIfindex) return -Errno.EINVAL; // dev_get_by_index found nothing
        return progFd > 0 ? TargetProgram(progFd, BpfAttachType.XdpDevmap, out progId) : 0;
    }
}
