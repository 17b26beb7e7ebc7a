using System.Runtime.InteropServices;

namespace BpfSharp.Syscall;

/// <summary>The BPF_BTF_LOAD view of <c>union bpf_attr</c>.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public struct BtfLoadAttr
{
    /// <summary>End of the last field (kernel: BPF_BTF_LOAD_LAST_FIELD btf_log_level).</summary>
    internal const int End = 28;

    /// <summary>btf: address of the BTF blob.</summary>
    [FieldOffset(0)] public ulong Btf;
    /// <summary>btf_log_buf: address of the log buffer.</summary>
    [FieldOffset(8)] public ulong BtfLogBuf;
    /// <summary>btf_size: size of the blob.</summary>
    [FieldOffset(16)] public uint BtfSize;
    /// <summary>btf_log_size: size of the log buffer.</summary>
    [FieldOffset(20)] public uint BtfLogSize;
    /// <summary>btf_log_level.</summary>
    [FieldOffset(24)] public uint BtfLogLevel;
}
