namespace BpfSharp.Elf;

/// <summary>
/// One entry of an SHT_REL section of a BPF object (Elf64_Rel: no addend; BPF keeps it in the instruction), or of an
/// SHT_RELA section, whose addend <see cref="ElfFile"/> has already written where an SHT_REL object keeps it.
/// </summary>
/// <param name="Offset">r_offset: the byte offset in the section the relocations apply to.</param>
/// <param name="Symbol">The symbol table index.</param>
/// <param name="Type">The relocation type (R_BPF_*).</param>
public readonly record struct ElfRelocation(ulong Offset, uint Symbol, uint Type)
{
    /// <summary>R_BPF_NONE.</summary>
    public const uint R_BPF_NONE = 0;
    /// <summary>R_BPF_64_64: the 64-bit immediate of an <c>lddw</c> (maps, global data, function addresses).</summary>
    public const uint R_BPF_64_64 = 1;
    /// <summary>R_BPF_64_ABS64: a 64-bit data word (a <c>.maps</c> <c>values</c> slot).</summary>
    public const uint R_BPF_64_ABS64 = 2;
    /// <summary>R_BPF_64_ABS32: a 32-bit data word (DWARF, BTF).</summary>
    public const uint R_BPF_64_ABS32 = 3;
    /// <summary>R_BPF_64_NODYLD32: a 32-bit data word the dynamic loader leaves alone (.BTF.ext).</summary>
    public const uint R_BPF_64_NODYLD32 = 4;
    /// <summary>R_BPF_64_32: the immediate of a call instruction.</summary>
    public const uint R_BPF_64_32 = 10;

    /// <summary>SHT_REL.</summary>
    public const uint SHT_REL = 9;
    /// <summary>SHT_RELA: entries with an explicit addend (a few old objects, e.g. Open vSwitch's eBPF datapath).</summary>
    public const uint SHT_RELA = 4;
    /// <summary>Size of one Elf64_Rel.</summary>
    public const int Size = 16;
    /// <summary>Size of one Elf64_Rela.</summary>
    public const int RelaSize = 24;
}
