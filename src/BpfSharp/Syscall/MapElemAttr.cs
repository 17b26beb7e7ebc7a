using System.Runtime.InteropServices;

namespace BpfSharp.Syscall;

/// <summary>The view of <c>union bpf_attr</c> used by the BPF_MAP_*_ELEM commands, GET_NEXT_KEY and FREEZE.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public struct MapElemAttr
{
    /// <summary>map_fd.</summary>
    [FieldOffset(0)] public uint MapFd;
    /// <summary>key: address of key_size bytes.</summary>
    [FieldOffset(8)] public ulong Key;
    /// <summary>value: address of the value (all CPUs' slots for per-CPU maps).</summary>
    [FieldOffset(16)] public ulong Value;
    /// <summary>next_key (GET_NEXT_KEY; shares its place with value).</summary>
    [FieldOffset(16)] public ulong NextKey;
    /// <summary>flags: BPF_ANY, BPF_NOEXIST, BPF_EXIST, BPF_F_LOCK.</summary>
    [FieldOffset(24)] public ulong Flags;
}
