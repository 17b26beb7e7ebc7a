namespace BpfSharp.Elf;

/// <summary>One section header of an <see cref="ElfFile"/>.</summary>
/// <param name="Index">Index in the section header table.</param>
/// <param name="Name">Name from the section name string table.</param>
/// <param name="Type">sh_type (SHT_PROGBITS, SHT_SYMTAB, SHT_REL, ...).</param>
/// <param name="Flags">sh_flags (SHF_EXECINSTR, SHF_ALLOC, SHF_WRITE, ...).</param>
/// <param name="FileOffset">sh_offset.</param>
/// <param name="Size">sh_size in bytes.</param>
/// <param name="Link">sh_link.</param>
/// <param name="Info">sh_info.</param>
public sealed record ElfSection(int Index, string Name, uint Type, ulong Flags, ulong FileOffset, ulong Size, uint Link, uint Info)
{
    /// <summary>Section type of .bss-like sections that occupy no file space.</summary>
    public const uint SHT_NOBITS = 8;

    /// <summary>True if the section holds executable code.</summary>
    public bool IsExecutable => (Flags & ElfFile.SHF_EXECINSTR) != 0;
}
