using System.Runtime.InteropServices;

namespace BpfSharp.Syscall;

/// <summary>The <c>info</c> view of <c>union bpf_attr</c> (BPF_OBJ_GET_INFO_BY_FD).</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct InfoAttr
{
    /// <summary>End of the last field (kernel: BPF_OBJ_GET_INFO_BY_FD_LAST_FIELD info.info).</summary>
    internal const int End = 16;

    /// <summary>bpf_fd: a map, program or BTF fd.</summary>
    [FieldOffset(0)] public uint BpfFd;
    /// <summary>info_len: in, the size of the buffer at info; out, the number of bytes written.</summary>
    [FieldOffset(4)] public uint InfoLen;
    /// <summary>info: address of a <see cref="BpfMapInfo"/>, <see cref="BpfProgInfo"/> or <see cref="BpfBtfInfo"/>.</summary>
    [FieldOffset(8)] public ulong Info;
}
