using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// What a map is created with: the MAP_CREATE fields of <c>union bpf_attr</c>, with fds already
/// resolved to objects. Validation of the combination is each map type's job.
/// </summary>
public sealed record MapAttributes
{
    /// <summary>map_type.</summary>
    public BpfMapType Type { get; init; }
    /// <summary>key_size in bytes.</summary>
    public uint KeySize { get; init; }
    /// <summary>value_size in bytes.</summary>
    public uint ValueSize { get; init; }
    /// <summary>max_entries.</summary>
    public uint MaxEntries { get; init; }
    /// <summary>map_flags (BPF_F_*).</summary>
    public uint Flags { get; init; }
    /// <summary>map_name (at most 15 characters).</summary>
    public string Name { get; init; } = "";
    /// <summary>numa_node, meaningful with BPF_F_NUMA_NODE.</summary>
    public uint NumaNode { get; init; }
    /// <summary>map_extra (bloom filter: number of hash functions in the low 4 bits).</summary>
    public ulong MapExtra { get; init; }
    /// <summary>The inner-map template of a map-in-map; when null, the map behind <see cref="InnerMapFd"/>.</summary>
    public Map? InnerMap { get; init; }
    /// <summary>inner_map_fd: resolved through <see cref="MapContext.ResolveFd"/> when <see cref="InnerMap"/> is null.</summary>
    public uint InnerMapFd { get; init; }
    /// <summary>Offset of a <c>struct bpf_spin_lock</c> in the value (from BTF), or -1.</summary>
    public int SpinLockOffset { get; init; } = -1;
    /// <summary>Offset of a <c>struct bpf_timer</c> in the value (from BTF), or -1.</summary>
    public int TimerOffset { get; init; } = -1;
    /// <summary>btf_key_type_id, kept for OBJ_GET_INFO_BY_FD.</summary>
    public uint BtfKeyTypeId { get; init; }
    /// <summary>btf_value_type_id, kept for OBJ_GET_INFO_BY_FD.</summary>
    public uint BtfValueTypeId { get; init; }
    /// <summary>Id of the BTF object the map was created with, or 0.</summary>
    public uint BtfId { get; init; }
    /// <summary>
    /// The creator could bypass the Spectre v1 mitigations (kernel: map->bypass_spec_v1, CAP_PERFMON at MAP_CREATE,
    /// which array-based maps record). False makes the verifier treat a bpf_tail_call through the map as unprivileged
    /// (kernel: BPF_MAP_PTR_UNPRIV). Default: true.
    /// </summary>
    public bool BypassSpecV1 { get; init; } = true;
}
