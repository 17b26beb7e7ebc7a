namespace BpfSharp.Elf.Btf;

/// <summary>
/// <c>struct btf_header</c>: where the type and string sections lie, relative to the end of the header
/// (<see cref="HeaderLength"/> bytes from the start of the blob).
/// </summary>
/// <param name="Magic">magic: <see cref="BtfConstants.Magic"/>.</param>
/// <param name="Version">version: <see cref="BtfConstants.Version"/>.</param>
/// <param name="Flags">flags: must be 0.</param>
/// <param name="HeaderLength">hdr_len: the header's size in the blob (24 today; longer headers must be zero-padded).</param>
/// <param name="TypeOffset">type_off: the type section's offset after the header (4-aligned).</param>
/// <param name="TypeLength">type_len: the type section's length in bytes.</param>
/// <param name="StringOffset">str_off: the string section's offset after the header.</param>
/// <param name="StringLength">str_len: the string section's length in bytes.</param>
public readonly record struct BtfHeader(
    ushort Magic, byte Version, byte Flags, uint HeaderLength,
    uint TypeOffset, uint TypeLength, uint StringOffset, uint StringLength);
