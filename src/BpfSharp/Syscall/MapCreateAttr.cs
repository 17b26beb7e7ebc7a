using System.Runtime.InteropServices;

namespace BpfSharp.Syscall;

/// <summary>The BPF_MAP_CREATE view of <c>union bpf_attr</c>.</summary>
[StructLayout(LayoutKind.Explicit, Size = 72)]
public struct MapCreateAttr
{
    /// <summary>End of the last field (kernel: BPF_MAP_CREATE_LAST_FIELD map_extra); later bytes must be zero.</summary>
    internal const int End = 72;

    /// <summary>map_type: one of <see cref="Uapi.BpfMapType"/>.</summary>
    [FieldOffset(0)] public uint MapType;
    /// <summary>key_size in bytes.</summary>
    [FieldOffset(4)] public uint KeySize;
    /// <summary>value_size in bytes.</summary>
    [FieldOffset(8)] public uint ValueSize;
    /// <summary>max_entries.</summary>
    [FieldOffset(12)] public uint MaxEntries;
    /// <summary>map_flags (BPF_F_*, see <see cref="Uapi.MapFlags"/>).</summary>
    [FieldOffset(16)] public uint MapFlags;
    /// <summary>inner_map_fd: the inner-map template of a map-in-map.</summary>
    [FieldOffset(20)] public uint InnerMapFd;
    /// <summary>numa_node (with BPF_F_NUMA_NODE).</summary>
    [FieldOffset(24)] public uint NumaNode;
    /// <summary>map_name.</summary>
    [FieldOffset(28)] public BpfObjName MapName;
    /// <summary>map_ifindex: a device to offload to; must be 0 (no devices here).</summary>
    [FieldOffset(44)] public uint MapIfindex;
    /// <summary>btf_fd: the BTF object that describes key and value.</summary>
    [FieldOffset(48)] public uint BtfFd;
    /// <summary>btf_key_type_id.</summary>
    [FieldOffset(52)] public uint BtfKeyTypeId;
    /// <summary>btf_value_type_id.</summary>
    [FieldOffset(56)] public uint BtfValueTypeId;
    /// <summary>btf_vmlinux_value_type_id (struct_ops maps; not supported).</summary>
    [FieldOffset(60)] public uint BtfVmlinuxValueTypeId;
    /// <summary>map_extra (bloom filter: number of hash functions in the low 4 bits).</summary>
    [FieldOffset(64)] public ulong MapExtra;
}
