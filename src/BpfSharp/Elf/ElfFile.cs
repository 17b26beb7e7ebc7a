using System.Buffers.Binary;
using BpfSharp.Isa;

namespace BpfSharp.Elf;

/// <summary>
/// A read-only view of an ELF64 little-endian object file: its sections and symbols. Every
/// offset and size is checked against the file; a malformed file raises
/// <see cref="BpfFormatException"/> with the section and byte offset of the fault. The addends of SHT_RELA
/// sections are placed, when the file is read, where SHT_REL objects keep them (in a copy of the image), so that
/// section data reads the same for both kinds.
/// </summary>
public sealed class ElfFile
{
    /// <summary>e_machine of BPF objects.</summary>
    public const ushort EM_BPF = 247;
    /// <summary>Section holding program code.</summary>
    public const ulong SHF_EXECINSTR = 0x4;
    /// <summary>Symbol table section type.</summary>
    public const uint SHT_SYMTAB = 2;
    /// <summary>Symbol type of a function.</summary>
    public const byte STT_FUNC = 2;

    private const int HeaderSize = 64;
    private const int SectionHeaderSize = 64;
    private const int SymbolSize = 24;

    private byte[] _image;

    /// <summary>The file's sections in header order; index 0 is the null section.</summary>
    public IReadOnlyList<ElfSection> Sections { get; }

    /// <summary>The entries of the symbol table (empty if the file has none).</summary>
    public IReadOnlyList<ElfSymbol> Symbols { get; }

    /// <summary>e_machine from the header.</summary>
    public ushort Machine { get; }

    private ElfFile(byte[] image, ushort machine, ElfSection[] sections, ElfSymbol[] symbols)
    {
        _image = image;
        Machine = machine;
        Sections = sections;
        Symbols = symbols;
    }

    /// <summary>The bytes of <paramref name="section"/> (empty for SHT_NOBITS).</summary>
    public ReadOnlySpan<byte> Data(ElfSection section) =>
        section.Type == ElfSection.SHT_NOBITS ? default : _image.AsSpan((int)section.FileOffset, (int)section.Size);

    /// <summary>
    /// The entries of SHT_REL or SHT_RELA section <paramref name="section"/>, each checked: the offset inside the
    /// section the relocations apply to (sh_info) and the symbol index inside the symbol table.
    /// </summary>
    /// <exception cref="BpfFormatException">The section is neither SHT_REL nor SHT_RELA or an entry is out of range.</exception>
    public ElfRelocation[] Relocations(ElfSection section) => Relocations(section, placeAddends: false);

    private ElfRelocation[] Relocations(ElfSection section, bool placeAddends)
    {
        bool rela = section.Type == ElfRelocation.SHT_RELA;
        if (section.Type != ElfRelocation.SHT_REL && !rela)
            throw Fault($"section type {section.Type} is not SHT_REL or SHT_RELA", (long)section.FileOffset, section.Name);
        if (section.Info == 0 || section.Info >= (uint)Sections.Count)
            throw Fault($"relocated section index {section.Info} is out of range", (long)section.FileOffset, section.Name);
        int size = rela ? ElfRelocation.RelaSize : ElfRelocation.Size;
        if (section.Size % (ulong)size != 0)
            throw Fault($"size {section.Size} is not a multiple of {size}", (long)section.FileOffset, section.Name);
        ElfSection target = Sections[(int)section.Info];
        ReadOnlySpan<byte> data = Data(section);
        var result = new ElfRelocation[data.Length / size];
        for (int i = 0; i < result.Length; i++)
        {
            ReadOnlySpan<byte> e = data.Slice(i * size, size);
            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(e);
            ulong info = BinaryPrimitives.ReadUInt64LittleEndian(e[8..]);
            long at = (long)section.FileOffset + i * size;
            if (offset >= target.Size)
                throw Fault($"relocation {i} offset {offset} lies outside {target.Name} ({target.Size} bytes)", at, section.Name);
            if ((info >> 32) >= (ulong)Symbols.Count)
                throw Fault($"relocation {i} symbol index {info >> 32} is out of range ({Symbols.Count} symbols)", at, section.Name);
            result[i] = new ElfRelocation(offset, (uint)(info >> 32), (uint)info);
            if (rela && placeAddends)
                PlaceAddend(target, result[i], BinaryPrimitives.ReadInt64LittleEndian(e[16..]), at, section.Name);
        }
        return result;
    }

    // An SHT_RELA addend goes where SHT_REL keeps it (what was there is not part of the value): the immediate of an
    // lddw (R_BPF_NONE too, which LLVM before 2017 wrote for it), the data word of a data relocation. A call's
    // immediate already holds its target; only a zero addend is meaningful there.
    private void PlaceAddend(ElfSection target, ElfRelocation r, long addend, long at, string name)
    {
        if (r.Type == ElfRelocation.R_BPF_64_32 && addend == 0)
            return;
        if (target.Type == ElfSection.SHT_NOBITS)
            throw Fault("relocation with an addend in a section without data", at, name);
        (int width, ulong field) = r.Type switch
        {
            ElfRelocation.R_BPF_64_64 or ElfRelocation.R_BPF_NONE => (4, 4ul),
            ElfRelocation.R_BPF_64_ABS64 => (8, 0ul),
            ElfRelocation.R_BPF_64_ABS32 or ElfRelocation.R_BPF_64_NODYLD32 => (4, 0ul),
            _ => throw Fault($"relocation type {r.Type} with addend {addend} is not supported", at, name),
        };
        if (r.Offset + field + (ulong)width > target.Size)
            throw Fault($"relocation at {r.Offset} runs past the end of {target.Name}", at, name);
        Span<byte> word = _image.AsSpan((int)(target.FileOffset + r.Offset + field), width);
        if (width == 8) BinaryPrimitives.WriteInt64LittleEndian(word, addend);
        else BinaryPrimitives.WriteInt32LittleEndian(word, (int)addend);
    }

    /// <summary>Parses an ELF64 little-endian image.</summary>
    /// <exception cref="BpfFormatException">The image is not a well-formed ELF64 LE file.</exception>
    public static ElfFile Read(byte[] image)
    {
        if (image.Length < HeaderSize || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
            throw Fault("not an ELF file (bad magic or shorter than the 64-byte header)", 0);
        if (image[4] != 2)
            throw Fault($"ELF class {image[4]} is not ELFCLASS64", 4);
        if (image[5] != 1)
            throw Fault($"ELF data encoding {image[5]} is not little endian", 5);

        ReadOnlySpan<byte> h = image;
        ushort machine = BinaryPrimitives.ReadUInt16LittleEndian(h[18..]);
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(h[40..]);
        ushort shentsize = BinaryPrimitives.ReadUInt16LittleEndian(h[58..]);
        ushort shnum = BinaryPrimitives.ReadUInt16LittleEndian(h[60..]);
        ushort shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(h[62..]);
        if (shnum == 0)
            throw Fault("no section headers", 60);
        if (shentsize != SectionHeaderSize)
            throw Fault($"section header size {shentsize} is not {SectionHeaderSize}", 58);
        CheckRange(image, shoff, (ulong)shnum * SectionHeaderSize, "section header table", 40);
        if (shstrndx >= shnum)
            throw Fault($"section name table index {shstrndx} is out of range ({shnum} sections)", 62);

        var raw = new (uint Name, uint Type, ulong Flags, ulong Offset, ulong Size, uint Link, uint Info, ulong EntSize)[shnum];
        for (int i = 0; i < shnum; i++)
        {
            var s = h.Slice((int)shoff + i * SectionHeaderSize, SectionHeaderSize);
            raw[i] = (BinaryPrimitives.ReadUInt32LittleEndian(s), BinaryPrimitives.ReadUInt32LittleEndian(s[4..]),
                BinaryPrimitives.ReadUInt64LittleEndian(s[8..]), BinaryPrimitives.ReadUInt64LittleEndian(s[24..]),
                BinaryPrimitives.ReadUInt64LittleEndian(s[32..]), BinaryPrimitives.ReadUInt32LittleEndian(s[40..]),
                BinaryPrimitives.ReadUInt32LittleEndian(s[44..]), BinaryPrimitives.ReadUInt64LittleEndian(s[56..]));
            if (raw[i].Type != ElfSection.SHT_NOBITS && i != 0)
                CheckRange(image, raw[i].Offset, raw[i].Size, $"section {i}", (long)shoff + i * SectionHeaderSize + 24);
        }

        var names = raw[shstrndx];
        var sections = new ElfSection[shnum];
        for (int i = 0; i < shnum; i++)
        {
            string name = i == 0 ? "" : ReadString(image, names.Offset, names.Size, raw[i].Name, "section name table");
            sections[i] = new ElfSection(i, name, raw[i].Type, raw[i].Flags, raw[i].Offset, raw[i].Size, raw[i].Link, raw[i].Info);
        }

        var symbols = Array.Empty<ElfSymbol>();
        foreach (var section in sections)
        {
            if (section.Type != SHT_SYMTAB) continue;
            if (section.Link >= shnum)
                throw Fault($"symbol table's string table index {section.Link} is out of range", (long)section.FileOffset, section.Name);
            var strtab = sections[section.Link];
            int count = (int)(section.Size / SymbolSize);
            symbols = new ElfSymbol[count];
            for (int i = 0; i < count; i++)
            {
                var s = h.Slice((int)section.FileOffset + i * SymbolSize, SymbolSize);
                uint nameOff = BinaryPrimitives.ReadUInt32LittleEndian(s);
                string name = ReadString(image, strtab.FileOffset, strtab.Size, nameOff, strtab.Name);
                symbols[i] = new ElfSymbol(name, s[4], BinaryPrimitives.ReadUInt16LittleEndian(s[6..]),
                    BinaryPrimitives.ReadUInt64LittleEndian(s[8..]), BinaryPrimitives.ReadUInt64LittleEndian(s[16..]), s[5]);
            }
            break;
        }
        var file = new ElfFile(image, machine, sections, symbols);
        if (sections.Any(s => s.Type == ElfRelocation.SHT_RELA))
        {
            file._image = (byte[])image.Clone(); // the caller's image is never written
            foreach (ElfSection s in sections)
                if (s.Type == ElfRelocation.SHT_RELA) file.Relocations(s, placeAddends: true);
        }
        return file;
    }

    private static void CheckRange(byte[] image, ulong offset, ulong size, string what, long at)
    {
        if (offset > (ulong)image.Length || size > (ulong)image.Length - offset)
            throw Fault($"{what} (offset {offset}, size {size}) lies outside the {image.Length}-byte file", at);
    }

    private static string ReadString(byte[] image, ulong tableOffset, ulong tableSize, uint offset, string table)
    {
        if (tableOffset > (ulong)image.Length || tableSize > (ulong)image.Length - tableOffset)
            throw Fault($"string table (offset {tableOffset}, size {tableSize}) lies outside the {image.Length}-byte file", (long)Math.Min(tableOffset, long.MaxValue), table);
        if (offset >= tableSize)
            throw Fault($"string offset {offset} is outside the table ({tableSize} bytes)", (long)tableOffset, table);
        var span = image.AsSpan((int)(tableOffset + offset), (int)(tableSize - offset));
        int end = span.IndexOf((byte)0);
        if (end < 0)
            throw Fault($"string at offset {offset} is not terminated", (long)(tableOffset + offset), table);
        return System.Text.Encoding.UTF8.GetString(span[..end]);
    }

    private static BpfFormatException Fault(string message, long offset, string? section = null) =>
        new($"ELF: {message}{(section is null ? "" : $" in {section}")} (byte offset {offset})", offset: offset, section: section);
}
