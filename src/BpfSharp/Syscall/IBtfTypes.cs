namespace BpfSharp.Syscall;

/// <summary>
/// What the command layer asks of a parsed BTF blob (BTF_LOAD, MAP_CREATE's key and value types).
/// Implemented over BpfSharp.Elf.Btf.BtfBlob by <see cref="BtfAdapter"/>.
/// </summary>
internal interface IBtfTypes
{
    /// <summary>The size in bytes of type <paramref name="typeId"/>, or null if it has none (or does not exist).</summary>
    uint? SizeOf(uint typeId);

    /// <summary>
    /// The byte offset of the single member of type <c>struct <paramref name="structName"/></c> inside
    /// type <paramref name="typeId"/>; -1 if there is none, -2 if there is more than one.
    /// </summary>
    int FindStructMember(uint typeId, string structName);

    /// <summary>The parsed blob itself, for the verifier's func_info and prototypes; null where the parser is a stand-in.</summary>
    Elf.Btf.BtfBlob? Blob => null;
}
