using System.Runtime.InteropServices;

namespace BpfSharp.Syscall;

/// <summary><c>struct bpf_map_info</c>: what BPF_OBJ_GET_INFO_BY_FD reports about a map.</summary>
[StructLayout(LayoutKind.Explicit, Size = 88)]
public struct BpfMapInfo
{
    /// <summary>type: the map type.</summary>
    [FieldOffset(0)] public uint Type;
    /// <summary>id.</summary>
    [FieldOffset(4)] public uint Id;
    /// <summary>key_size.</summary>
    [FieldOffset(8)] public uint KeySize;
    /// <summary>value_size.</summary>
    [FieldOffset(12)] public uint ValueSize;
    /// <summary>max_entries.</summary>
    [FieldOffset(16)] public uint MaxEntries;
    /// <summary>map_flags, without BPF_F_RDONLY / BPF_F_WRONLY (those belong to fds, not to the map).</summary>
    [FieldOffset(20)] public uint MapFlags;
    /// <summary>name.</summary>
    [FieldOffset(24)] public BpfObjName Name;
    /// <summary>ifindex (0: not offloaded).</summary>
    [FieldOffset(40)] public uint Ifindex;
    /// <summary>btf_vmlinux_value_type_id.</summary>
    [FieldOffset(44)] public uint BtfVmlinuxValueTypeId;
    /// <summary>netns_dev.</summary>
    [FieldOffset(48)] public ulong NetnsDev;
    /// <summary>netns_ino.</summary>
    [FieldOffset(56)] public ulong NetnsIno;
    /// <summary>btf_id: the id of the map's BTF object, or 0.</summary>
    [FieldOffset(64)] public uint BtfId;
    /// <summary>btf_key_type_id.</summary>
    [FieldOffset(68)] public uint BtfKeyTypeId;
    /// <summary>btf_value_type_id.</summary>
    [FieldOffset(72)] public uint BtfValueTypeId;
    /// <summary>map_extra.</summary>
    [FieldOffset(80)] public ulong MapExtra;
}
