using BpfSharp.Isa;

namespace BpfSharp.Syscall;

/// <summary>
/// The one place BTF_LOAD reaches the BTF parser (BpfSharp.Elf.Btf.BtfBlob, another branch).
/// Until that branch is merged, parsing is unavailable and every BTF_LOAD fails with -EINVAL.
/// Wiring (lead): <c>Parse(blob) => new BlobTypes(BtfBlob.Parse(blob))</c> with
/// <c>sealed class BlobTypes(BtfBlob b) : IBtfTypes { SizeOf => b.SizeOf; FindStructMember => b.FindStructMember }</c>.
/// </summary>
internal static class BtfAdapter
{
    /// <summary>Parses and validates a BTF blob.</summary>
    /// <exception cref="BpfFormatException">The blob is not valid BTF; the message says why.</exception>
    public static IBtfTypes Parse(ReadOnlySpan<byte> blob) =>
        throw new BpfFormatException("BTF parsing is not available in this build");
}
