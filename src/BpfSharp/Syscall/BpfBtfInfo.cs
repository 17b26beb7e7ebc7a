using System.Runtime.InteropServices;

namespace BpfSharp.Syscall;

/// <summary><c>struct bpf_btf_info</c>: what BPF_OBJ_GET_INFO_BY_FD reports about a BTF object.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public struct BpfBtfInfo
{
    /// <summary>btf: address that receives a copy of the blob (up to btf_size bytes), or 0.</summary>
    [FieldOffset(0)] public ulong Btf;
    /// <summary>btf_size: in, the size of the buffer at btf; out, the size of the blob.</summary>
    [FieldOffset(8)] public uint BtfSize;
    /// <summary>id.</summary>
    [FieldOffset(12)] public uint Id;
    /// <summary>name: address that receives the NUL-terminated name (empty for loaded BTF), or 0.</summary>
    [FieldOffset(16)] public ulong Name;
    /// <summary>name_len: in, the size of the buffer at name; out, the length of the name.</summary>
    [FieldOffset(24)] public uint NameLen;
    /// <summary>kernel_btf: 1 for the kernel's own BTF (never here).</summary>
    [FieldOffset(28)] public uint KernelBtf;
}
