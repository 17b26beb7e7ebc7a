using System.Runtime.InteropServices;

namespace BpfSharp.Syscall;

/// <summary>The BPF_OBJ_PIN / BPF_OBJ_GET view of <c>union bpf_attr</c>.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct ObjAttr
{
    /// <summary>End of the last field (kernel: BPF_OBJ_LAST_FIELD file_flags).</summary>
    internal const int End = 16;

    /// <summary>pathname: address of a NUL-terminated path such as "/sys/fs/bpf/name".</summary>
    [FieldOffset(0)] public ulong Pathname;
    /// <summary>bpf_fd: the object to pin (OBJ_PIN); must be 0 for OBJ_GET.</summary>
    [FieldOffset(8)] public uint BpfFd;
    /// <summary>file_flags: BPF_F_RDONLY / BPF_F_WRONLY for OBJ_GET; must be 0 for OBJ_PIN.</summary>
    [FieldOffset(12)] public uint FileFlags;
}
