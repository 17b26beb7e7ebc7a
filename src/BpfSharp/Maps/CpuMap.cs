using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// BPF_MAP_TYPE_CPUMAP (kernel: cpumap.c): CPUs by index, the targets of bpf_redirect_map in XDP programs. A slot
/// holds the queue size of the CPU's frame queue (and with an 8-byte value the fd, read back as the id, of an XDP
/// program for BPF_XDP_CPUMAP).
/// </summary>
public sealed unsafe class CpuMap : RedirectArrayMap
{
    private const uint MaxQueueSize = 16384; // kernel: the sanity limit of cpu_map_update_elem
    private const uint NrCpus = 8192;       // kernel: NR_CPUS of the distributions' x86-64 configurations

    private CpuMap(MapAttributes a, MapContext c, nint values, ulong bytes) : base(a, c, (byte*)values, bytes) { }

    /// <summary>kernel: cpu_map_alloc: -EINVAL as a devmap but only NUMA_NODE allowed; -E2BIG past NR_CPUS entries.</summary>
    internal static int TryCreate(MapAttributes a, MapContext context, out Map? map)
    {
        map = null;
        int err = CheckRedirectAttributes(a, MapFlags.BPF_F_NUMA_NODE);
        if (err < 0) return err;
        if (a.MaxEntries > NrCpus) return -Errno.E2BIG;
        return Allocate(a, context, out map, static (a, c, v, b) => new CpuMap(a, c, v, b));
    }

    /// <summary>
    /// kernel: cpu_map_update_elem after the array checks: -EOVERFLOW for a queue over 16384, -ENODEV for a CPU that is
    /// not possible, then a queue size of 0 empties the slot.
    /// </summary>
    private protected override int CheckTarget(uint cpu, uint qsize, int progFd, out uint progId)
    {
        progId = 0;
        if (qsize > MaxQueueSize) return -Errno.EOVERFLOW;
        if (cpu >= (uint)Context.PossibleCpus) return -Errno.ENODEV;
        if (qsize == 0) return 0;
        return progFd > 0 ? TargetProgram(progFd, BpfAttachType.XdpCpumap, out progId) : 0;
    }
}
