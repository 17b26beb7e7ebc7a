using BpfSharp.Isa;
using BpfSharp.Uapi;

namespace BpfSharp.Elf;

// Global data: .data, .rodata, .bss and their dotted variants become single-element array maps.
internal sealed partial class ObjectReader
{
    private const int ObjNameLen = 16; // BPF_OBJ_NAME_LEN
    private const byte STB_GLOBAL = 1;
    // A .bss takes no file space, so its size is the only sign of a corrupt header: refuse absurd ones.
    private const ulong MaxGlobalData = 64 << 20;

    private static bool IsGlobalData(ElfSection s) =>
        s.Size > 0 && !s.IsExecutable && (HasPrefix(s.Name, ".data") || HasPrefix(s.Name, ".rodata") || HasPrefix(s.Name, ".bss"));

    private static bool HasPrefix(string name, string prefix) =>
        name == prefix || name.StartsWith(prefix + ".", StringComparison.Ordinal);

    // bpf_object__init_internal_map: one ARRAY element holding the whole section.
    private void AddDataMap(ElfSection s)
    {
        if (s.Size > MaxGlobalData) throw Fault(s, 0, $"size {s.Size} is larger than the {MaxGlobalData >> 20} MiB this loader accepts for global data");
        bool rodata = HasPrefix(s.Name, ".rodata");
        bool mmapable = false;
        var map = new MapSpec(InternalMapName(_spec.ObjectName, s.Name))
        {
            SectionName = s.Name,
            Type = BpfMapType.Array,
            KeySize = 4,
            ValueSize = (uint)s.Size,
            MaxEntries = 1,
            Contents = s.Type == ElfSection.SHT_NOBITS ? new byte[s.Size] : _elf.Data(s).ToArray(),
            Freeze = rodata,
            BtfValueTypeId = _spec.Btf?.FindByName(s.Name, Btf.BtfKind.Datasec) ?? 0, // libbpf describes the value by its DATASEC
        };
        foreach (ElfSymbol sym in SymbolsIn(s))
        {
            if (sym.Type != STT_OBJECT || sym.Name.Length == 0) continue;
            if (sym.Value > s.Size || sym.Size > s.Size - sym.Value)
                throw Fault(s, sym.Value, $"variable '{sym.Name}' ({sym.Size} bytes) lies outside the section");
            _spec.Variables.TryAdd(sym.Name, new VariableSpec(sym.Name, map.Name, (uint)sym.Value, (int)sym.Size));
            mmapable |= sym.Binding == STB_GLOBAL;
        }
        map.Flags = (rodata ? MapFlags.BPF_F_RDONLY_PROG : 0) | (mmapable ? MapFlags.BPF_F_MMAPABLE : 0);
        if (!_spec.Maps.TryAdd(map.Name, map))
            throw Fault(s, 0, $"global data map name '{map.Name}' is already taken");
        _dataMaps[s.Index] = map;
    }

    private const byte STB_WEAK = 2;
    private MapSpec? _kconfigMap;

    // libbpf's .kconfig map: one read-only element holding every __kconfig extern's value; a strong extern whose value
    // is unknown is an error (libbpf: "extern (kcfg) 'X': value not found"), a weak one reads 0.
    private void AddKconfigMap()
    {
        if (_kconfig.Count == 0) return;
        KconfigVar last = _kconfig[^1];
        var contents = new byte[last.Offset + last.Size];
        foreach (KconfigVar v in _kconfig)
        {
            ElfSymbol? sym = SymbolsIn(_elf.Sections[0]).Find(s => s.Name == v.Name && s.Name.Length > 0);
            byte[]? value = Kconfig.Value(v.Name, v.Size);
            if (value is null && sym?.Binding != STB_WEAK)
                throw new BpfFormatException($"ELF: extern (kcfg) '{v.Name}': value not found", section: KconfigSection);
            value?.CopyTo(contents, v.Offset);
        }
        _kconfigMap = new MapSpec(InternalMapName(_spec.ObjectName, KconfigSection))
        {
            SectionName = KconfigSection,
            Type = BpfMapType.Array,
            KeySize = 4,
            ValueSize = (uint)contents.Length,
            MaxEntries = 1,
            Flags = MapFlags.BPF_F_RDONLY_PROG | MapFlags.BPF_F_MMAPABLE,
            Contents = contents,
            Freeze = true,
            BtfValueTypeId = _spec.Btf?.FindByName(KconfigSection, Btf.BtfKind.Datasec) ?? 0,
        };
        if (!_spec.Maps.TryAdd(_kconfigMap.Name, _kconfigMap))
            throw new BpfFormatException($"ELF: map name '{_kconfigMap.Name}' is already taken", section: KconfigSection);
    }

    /// <summary>
    /// libbpf's internal_map_name: the object name's first letters then the section name, within the
    /// 15 characters a map name may have; sections with a second '.' (<c>.rodata.str1.1</c>) get no prefix.
    /// Characters the kernel does not allow become '_'.
    /// </summary>
    internal static string InternalMapName(string objectName, string section)
    {
        int suffix = Math.Max(7, section.Length);
        int prefix = section.IndexOf('.', 1) >= 0 ? 0 : Math.Min(Math.Max(ObjNameLen - suffix - 1, 0), objectName.Length);
        return SanitizedName(objectName[..prefix] + section[..Math.Min(section.Length, ObjNameLen - 1 - prefix)]);
    }

    /// <summary>
    /// <paramref name="name"/> with every character the kernel refuses in an object name (bpf_obj_name_cpy) replaced
    /// by '_', as libbpf and cilium/ebpf sanitize names.
    /// </summary>
    internal static string SanitizedName(string name) => string.Create(name.Length, name, static (span, n) =>
    {
        for (int i = 0; i < span.Length; i++)
            span[i] = char.IsAsciiLetterOrDigit(n[i]) || n[i] is '_' or '.' ? n[i] : '_';
    });
}
