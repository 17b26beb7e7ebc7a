using BpfSharp.Elf.Btf;

namespace BpfSharp.Syscall;

/// <summary>The one place BTF_LOAD and MAP_CREATE reach the BTF parser (<see cref="BtfBlob"/>).</summary>
internal static class BtfAdapter
{
    /// <summary>Parses and validates a BTF blob: its types, or null with the kernel's errno and reason.</summary>
    public static IBtfTypes? Parse(ReadOnlySpan<byte> blob, out int errno, out string? error)
    {
        BtfBlob? parsed = BtfBlob.TryParse(blob, out errno, out error);
        return parsed is null ? null : new BlobTypes(parsed);
    }

    private sealed class BlobTypes(BtfBlob blob) : IBtfTypes
    {
        public uint? SizeOf(uint typeId) => blob.SizeOf(typeId);

        public int FindStructMember(uint typeId, string structName) => blob.FindStructMember(typeId, structName);

        public BtfBlob Blob => blob;
    }
}
