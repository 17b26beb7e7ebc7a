using System.Runtime.InteropServices;

namespace BpfSharp.Syscall;

/// <summary>The view of <c>union bpf_attr</c> used by BPF_*_GET_NEXT_ID and BPF_*_GET_FD_BY_ID.</summary>
[StructLayout(LayoutKind.Explicit, Size = 12)]
public struct GetIdAttr
{
    /// <summary>start_id (GET_NEXT_ID): find the first id after this one.</summary>
    [FieldOffset(0)] public uint StartId;
    /// <summary>prog_id (PROG_GET_FD_BY_ID).</summary>
    [FieldOffset(0)] public uint ProgId;
    /// <summary>map_id (MAP_GET_FD_BY_ID).</summary>
    [FieldOffset(0)] public uint MapId;
    /// <summary>btf_id (BTF_GET_FD_BY_ID).</summary>
    [FieldOffset(0)] public uint BtfId;
    /// <summary>next_id (out, GET_NEXT_ID).</summary>
    [FieldOffset(4)] public uint NextId;
    /// <summary>open_flags (MAP_GET_FD_BY_ID): BPF_F_RDONLY / BPF_F_WRONLY.</summary>
    [FieldOffset(8)] public uint OpenFlags;
}
