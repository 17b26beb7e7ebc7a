using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp;

/// <summary>
/// What <see cref="BpfMap.Create(BpfSystem, BpfMapSpec)"/> creates: the BPF_MAP_CREATE attributes
/// (map_type, key_size, value_size, max_entries, map_flags, map_name, inner_map_fd, map_extra, ...).
/// </summary>
/// <param name="Type">map_type.</param>
/// <param name="KeySize">key_size in bytes (0 for queue, stack and bloom filter).</param>
/// <param name="ValueSize">value_size in bytes (one CPU's value for per-CPU maps).</param>
/// <param name="MaxEntries">max_entries.</param>
public sealed record BpfMapSpec(BpfMapType Type, uint KeySize, uint ValueSize, uint MaxEntries)
{
    /// <summary>map_flags: BPF_F_NO_PREALLOC, BPF_F_MMAPABLE, BPF_F_RDONLY_PROG, ... (see <see cref="MapFlags"/>).</summary>
    public uint Flags { get; init; }

    /// <summary>map_name: at most 15 letters, digits, '_' or '.'; empty for none.</summary>
    public string Name { get; init; } = "";

    /// <summary>For ARRAY_OF_MAPS and HASH_OF_MAPS: the inner-map template (inner_map_fd).</summary>
    public BpfMap? InnerMap { get; init; }

    /// <summary>map_extra (bloom filter: number of hash functions in the low 4 bits).</summary>
    public ulong MapExtra { get; init; }

    /// <summary>numa_node (used with BPF_F_NUMA_NODE).</summary>
    public uint NumaNode { get; init; }

    /// <summary>btf_fd: a BTF object describing key and value (0: none).</summary>
    public int BtfFd { get; init; }

    /// <summary>btf_key_type_id.</summary>
    public uint BtfKeyTypeId { get; init; }

    /// <summary>btf_value_type_id (a value holding a <c>struct bpf_spin_lock</c> is described here).</summary>
    public uint BtfValueTypeId { get; init; }

    /// <summary>The BPF_MAP_CREATE attr for this spec.</summary>
    /// <exception cref="ArgumentException"><see cref="Name"/> is 16 characters or longer.</exception>
    internal BpfAttr ToAttr()
    {
        BpfAttr attr = default;
        attr.MapCreate.MapType = (uint)Type;
        attr.MapCreate.KeySize = KeySize;
        attr.MapCreate.ValueSize = ValueSize;
        attr.MapCreate.MaxEntries = MaxEntries;
        attr.MapCreate.MapFlags = Flags;
        attr.MapCreate.MapName = BpfObjName.From(Name ?? "");
        attr.MapCreate.InnerMapFd = InnerMap is null ? 0u : (uint)InnerMap.Fd;
        attr.MapCreate.MapExtra = MapExtra;
        attr.MapCreate.NumaNode = NumaNode;
        attr.MapCreate.BtfFd = (uint)BtfFd;
        attr.MapCreate.BtfKeyTypeId = BtfKeyTypeId;
        attr.MapCreate.BtfValueTypeId = BtfValueTypeId;
        return attr;
    }
}
