namespace BpfSharp.Elf;

/// <summary>One entry of an ELF64 symbol table.</summary>
/// <param name="Name">Name from the linked string table.</param>
/// <param name="Info">st_info: binding in the high nibble, type in the low nibble.</param>
/// <param name="SectionIndex">st_shndx.</param>
/// <param name="Value">st_value: the offset within its section for relocatable objects.</param>
/// <param name="Size">st_size in bytes.</param>
/// <param name="Other">st_other: the visibility in the low two bits.</param>
public sealed record ElfSymbol(string Name, byte Info, ushort SectionIndex, ulong Value, ulong Size, byte Other = 0)
{
    /// <summary>Symbol visibility (STV_*: 0 default, 1 internal, 2 hidden, 3 protected).</summary>
    public byte Visibility => (byte)(Other & 3);

    /// <summary>Symbol type (STT_*).</summary>
    public byte Type => (byte)(Info & 0xf);

    /// <summary>Symbol binding (STB_*).</summary>
    public byte Binding => (byte)(Info >> 4);
}
