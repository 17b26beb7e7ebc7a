namespace BpfSharp.Tests.Elf.Btf;

/// <summary>
/// One BTF blob and what the kernel's BPF_BTF_LOAD does with it: <see cref="Errno"/> 0 accepts it,
/// otherwise it is rejected with that errno and a verifier log whose last line ends with <see cref="Fault"/>
/// (the fault text of kernel/bpf/btf.c).
/// </summary>
public sealed record BtfCase(string Name, int Errno, string Fault, Func<byte[]> Blob)
{
    /// <summary>True if the kernel rejects this blob before writing any log line (the 16 MiB limit).</summary>
    public bool SilentInKernel { get; init; }

    /// <summary>True if the blob is too large to compare with the kernel cheaply.</summary>
    public bool UnitOnly { get; init; }

    public override string ToString() => Name;
}
