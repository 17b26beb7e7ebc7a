namespace BpfSharp.Elf.Btf;

/// <summary>
/// The running kernel's BTF (<c>/sys/kernel/btf/vmlinux</c>), the target libbpf resolves CO-RE relocations against by
/// default. Read and verified once per process on first use; null where the file is absent or unreadable.
/// </summary>
public static class KernelBtf
{
    /// <summary>Where Linux exposes its BTF.</summary>
    public const string Path = "/sys/kernel/btf/vmlinux";

    private static readonly Lazy<BtfBlob?> s_vmlinux = new(Read, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The running kernel's types, or null if this system does not expose them.</summary>
    public static BtfBlob? Vmlinux => s_vmlinux.Value;

    private static BtfBlob? Read()
    {
        try
        {
            return File.Exists(Path) ? BtfBlob.TryParse(File.ReadAllBytes(Path), out _, out _) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
