using System.Buffers.Binary;
using System.Text;
using BpfSharp.Elf.Btf;
using BpfSharp.Isa;

namespace BpfSharp.Elf;

/// <summary>
/// Reads a clang-built BPF object into a <see cref="CollectionSpec"/> the way libbpf's
/// bpf_object__open does: sections by role (programs, <c>.text</c> subprograms, maps, global data,
/// license, version, BTF), then maps, then programs linked with their relocations.
/// Every fault is a <see cref="BpfFormatException"/> naming the section and offset.
/// </summary>
internal sealed partial class ObjectReader
{
    private const ushort SHN_UNDEF = 0;
    private const ushort SHN_LORESERVE = 0xff00;
    private const byte STT_OBJECT = 1;
    private const byte STT_SECTION = 3;
    private const byte STB_LOCAL = 0;

    private readonly ElfFile _elf;
    private readonly CollectionSpec _spec;
    // Relocations by the index of the section they apply to.
    private readonly Dictionary<int, ElfRelocation[]> _relocations = [];
    // Global data maps by section index.
    private readonly Dictionary<int, MapSpec> _dataMaps = [];
    private ElfSection? _text;
    private ElfSection? _legacyMaps;
    private ElfSection? _btfMaps;

    // The symbols defined in each section, in symbol table order.
    private readonly Dictionary<int, List<ElfSymbol>> _symbolsBySection = [];

    private ObjectReader(ElfFile elf, string objectName)
    {
        _elf = elf;
        _spec = new CollectionSpec(objectName);
        foreach (ElfSymbol sym in elf.Symbols)
        {
            if (!_symbolsBySection.TryGetValue(sym.SectionIndex, out List<ElfSymbol>? list))
                _symbolsBySection[sym.SectionIndex] = list = [];
            list.Add(sym);
        }
    }

    private List<ElfSymbol> SymbolsIn(ElfSection s) => _symbolsBySection.TryGetValue(s.Index, out List<ElfSymbol>? list) ? list : [];

    /// <summary>libbpf's object name: the file name up to its first '.'.</summary>
    public static string ObjectNameOf(string path)
    {
        string file = Path.GetFileName(path);
        int dot = file.IndexOf('.');
        return dot > 0 ? file[..dot] : file;
    }

    /// <summary>Reads <paramref name="image"/>.</summary>
    /// <exception cref="BpfFormatException">The image is not a BPF object this loader understands.</exception>
    public static CollectionSpec Read(byte[] image, string objectName)
    {
        ElfFile elf = ElfFile.Read(image);
        if (elf.Machine is not (ElfFile.EM_BPF or 0)) // libbpf: LLVM before 2017 wrote EM_NONE
            throw new BpfFormatException($"ELF: machine {elf.Machine} is not EM_BPF ({ElfFile.EM_BPF}) or EM_NONE", offset: 18);
        if (elf.Symbols.Count == 0)
            throw new BpfFormatException("ELF: the object has no symbol table");
        var reader = new ObjectReader(elf, objectName);
        reader.ReadBtf();
        reader.ReadSections();
        reader.AddKconfigMap();
        reader.ReadMaps();
        reader.ReadPrograms();
        return reader._spec;
    }

    private void ReadSections()
    {
        foreach (ElfSection s in _elf.Sections)
        {
            if (s.Index == 0) continue;
            if (s.Type is ElfRelocation.SHT_REL or ElfRelocation.SHT_RELA)
            {
                _relocations[(int)s.Info] = _elf.Relocations(s);
                continue;
            }
            switch (s.Name)
            {
                case "license":
                    _spec.License = ReadCString(s);
                    continue;
                case "version":
                    if (s.Size != 4) throw Fault(s, 0, $"size {s.Size} is not 4");
                    _spec.KernelVersion = BinaryPrimitives.ReadUInt32LittleEndian(_elf.Data(s));
                    continue;
                case "maps":
                    _legacyMaps = s;
                    continue;
                case ".maps":
                    _btfMaps = s;
                    continue;
                case ".text":
                    _text = s;
                    continue;
                case ".struct_ops" or ".struct_ops.link" or "?.struct_ops" or "?.struct_ops.link":
                    _spec.NeedsKernelBtf = true; // libbpf: has_st_ops
                    break;
            }
            if (IsGlobalData(s)) AddDataMap(s);
        }
    }

    private string ReadCString(ElfSection s)
    {
        ReadOnlySpan<byte> data = _elf.Data(s);
        int end = data.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? data : data[..end]);
    }

    private ElfSymbol Symbol(uint index) => _elf.Symbols[(int)index];

    private ElfSection SectionOf(ElfSymbol sym, ElfSection where, ulong offset)
    {
        if (sym.SectionIndex == SHN_UNDEF)
            throw Fault(where, offset, $"relocation against undefined (extern) symbol '{sym.Name}' is not supported");
        if (sym.SectionIndex >= SHN_LORESERVE || sym.SectionIndex >= _elf.Sections.Count)
            throw Fault(where, offset, $"relocation against symbol '{sym.Name}' in special section {sym.SectionIndex:x}");
        return _elf.Sections[sym.SectionIndex];
    }

    private static BpfFormatException Fault(ElfSection s, ulong offset, string message) =>
        new($"ELF: section '{s.Name}' offset {offset}: {message}", offset: (long)(s.FileOffset + offset), section: s.Name);
}
