using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>The kernel's map_flags rules that several map types' alloc checks share.</summary>
internal static class MapFlagRules
{
    /// <summary>
    /// kernel: bpf_map_flags_access_ok (not both BPF_F_RDONLY_PROG and BPF_F_WRONLY_PROG) and
    /// bpf_get_file_flag (not both BPF_F_RDONLY and BPF_F_WRONLY); false means -EINVAL.
    /// </summary>
    public static bool AccessOk(uint flags)
    {
        const uint prog = MapFlags.BPF_F_RDONLY_PROG | MapFlags.BPF_F_WRONLY_PROG;
        const uint user = MapFlags.BPF_F_RDONLY | MapFlags.BPF_F_WRONLY;
        return (flags & prog) != prog && (flags & user) != user;
    }

    /// <summary>
    /// kernel: bpf_map_flags_retain_permanent: the map_flags the map object itself keeps (BPF_F_RDONLY
    /// and BPF_F_WRONLY belong to the fd, not to the map).
    /// </summary>
    public static uint RetainPermanent(uint flags) => flags & ~(MapFlags.BPF_F_RDONLY | MapFlags.BPF_F_WRONLY);

    /// <summary>kernel: bpf_map_attr_numa_node: the requested node, or -1 (NUMA_NO_NODE) without BPF_F_NUMA_NODE.</summary>
    public static int NumaNode(MapAttributes attributes) =>
        (attributes.Flags & MapFlags.BPF_F_NUMA_NODE) != 0 ? (int)attributes.NumaNode : -1;
}
