using System.Buffers.Binary;
using BpfSharp.Elf.Btf;
using BpfSharp.Uapi;

namespace BpfSharp.Elf;

// Maps: BTF-defined (.maps, libbpf's parse_btf_map_def) and legacy (maps, struct bpf_map_def).
internal sealed partial class ObjectReader
{
    private const int LegacyDefSize = 20; // struct bpf_map_def: type, key_size, value_size, max_entries, map_flags
    private const int BpfLoadDefSize = 28; // samples/bpf's bpf_load_map_def: the above, inner_map_idx, numa_node
    private const int BpfElfMapSize = 36; // iproute2's bpf_elf_map: the above, id, pinning, inner_id, inner_idx

    // Each .maps variable: where it lies in the section and where its `values` array starts (-1: none).
    private readonly List<(MapSpec Map, ulong Offset, ulong Size, long ValuesOffset)> _btfMapVars = [];

    private void ReadMaps()
    {
        if (_legacyMaps is not null) ReadLegacyMaps(_legacyMaps);
        if (_btfMaps is not null) ReadBtfMaps(_btfMaps);
    }

    // libbpf's (pre-1.0) bpf_object__init_user_maps: the section holds equal-sized definitions, one per symbol.
    private void ReadLegacyMaps(ElfSection s)
    {
        var symbols = SymbolsIn(s).Where(sym => sym.Type != STT_SECTION && sym.Name.Length > 0)
            .OrderBy(sym => sym.Value).ToArray();
        if (symbols.Length == 0 || s.Size % (ulong)symbols.Length != 0)
            throw Fault(s, 0, $"{s.Size} bytes do not divide into {symbols.Length} map definitions");
        ulong defSize = s.Size / (ulong)symbols.Length;
        if (defSize < LegacyDefSize)
            throw Fault(s, 0, $"map definitions of {defSize} bytes are shorter than struct bpf_map_def ({LegacyDefSize})");
        ReadOnlySpan<byte> data = _elf.Data(s);
        var read = new List<MapSpec>(symbols.Length);
        foreach (ElfSymbol sym in symbols)
        {
            if (sym.Value % defSize != 0 || sym.Value + defSize > s.Size)
                throw Fault(s, sym.Value, $"map '{sym.Name}' does not start a {defSize}-byte definition");
            ReadOnlySpan<byte> def = data.Slice((int)sym.Value, LegacyDefSize);
            var map = new MapSpec(sym.Name)
            {
                SectionName = s.Name,
                Type = (BpfMapType)BinaryPrimitives.ReadUInt32LittleEndian(def),
                KeySize = BinaryPrimitives.ReadUInt32LittleEndian(def[4..]),
                ValueSize = BinaryPrimitives.ReadUInt32LittleEndian(def[8..]),
                MaxEntries = BinaryPrimitives.ReadUInt32LittleEndian(def[12..]),
                Flags = BinaryPrimitives.ReadUInt32LittleEndian(def[16..]),
            };
            AddMap(map, s, sym.Value);
            read.Add(map);
        }
        if (defSize == BpfLoadDefSize)
            LinkLegacyInnerMaps(s, symbols, read);
        else if (defSize == BpfElfMapSize)
            LinkElfMapInnerMaps(s, symbols, read);
    }

    // iproute2's struct bpf_elf_map (tc objects, Cilium before BTF maps): the above, id, pinning, inner_id, inner_idx.
    // A map-in-map's inner map is the definition whose id is its inner_id. (Its pinning, iproute2's own namespaces
    // under /sys/fs/bpf/tc, is not libbpf's and is not applied.)
    private void LinkElfMapInnerMaps(ElfSection s, ElfSymbol[] symbols, List<MapSpec> maps)
    {
        ReadOnlySpan<byte> data = _elf.Data(s);
        for (int i = 0; i < maps.Count; i++)
        {
            MapSpec map = maps[i];
            if (map.Type is not (BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps))
                continue;
            uint innerId = BinaryPrimitives.ReadUInt32LittleEndian(data[((int)symbols[i].Value + 28)..]);
            int inner = -1;
            for (int j = 0; j < maps.Count && inner < 0; j++)
                if (j != i && innerId != 0 && BinaryPrimitives.ReadUInt32LittleEndian(data[((int)symbols[j].Value + 20)..]) == innerId)
                    inner = j;
            if (inner < 0)
                throw Fault(s, symbols[i].Value, $"map '{map.Name}': no map definition has the id {innerId} its inner_id names");
            SetLegacyInnerMap(s, symbols[i], map, maps[inner]);
        }
    }

    private void SetLegacyInnerMap(ElfSection s, ElfSymbol sym, MapSpec map, MapSpec inner)
    {
        map.InnerMap = inner.Copy();
        SetMapInMapValue(s, sym.Value, map);
    }

    // The value of a map-in-map is the inner map's fd: value_size 4, or 0 for the loader to set (libbpf sets 4 when
    // `values` names the inner type, bpf_load.c and iproute2 when the definition leaves it out).
    private void SetMapInMapValue(ElfSection s, ulong at, MapSpec map)
    {
        if (map.ValueSize is not (0 or 4)) throw Fault(s, at, $"map '{map.Name}': value_size {map.ValueSize} of a map-in-map is not 4");
        map.ValueSize = 4;
    }

    // The kernel's old samples/bpf loader (bpf_load.c) extended the definition with inner_map_idx and numa_node: a
    // map-in-map's inner map is the definition at that index (in section order), its value the 4-byte inner map fd.
    private void LinkLegacyInnerMaps(ElfSection s, ElfSymbol[] symbols, List<MapSpec> maps)
    {
        ReadOnlySpan<byte> data = _elf.Data(s);
        for (int i = 0; i < maps.Count; i++)
        {
            MapSpec map = maps[i];
            map.NumaNode = BinaryPrimitives.ReadUInt32LittleEndian(data[((int)symbols[i].Value + 24)..]);
            if (map.Type is not (BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps))
                continue;
            uint inner = BinaryPrimitives.ReadUInt32LittleEndian(data[((int)symbols[i].Value + 20)..]);
            if (inner >= (uint)maps.Count || inner == (uint)i)
                throw Fault(s, symbols[i].Value, $"map '{map.Name}': inner_map_idx {inner} names no other map definition");
            SetLegacyInnerMap(s, symbols[i], map, maps[(int)inner]);
        }
    }

    private void AddMap(MapSpec map, ElfSection s, ulong offset)
    {
        if (!_spec.Maps.TryAdd(map.Name, map))
            throw Fault(s, offset, $"map name '{map.Name}' is defined twice");
    }

    private void ReadBtfMaps(ElfSection s)
    {
        BtfBlob btf = _spec.Btf ?? throw Fault(s, 0, "BTF-defined maps need the object's .BTF section");
        uint datasec = btf.FindByName(".maps", BtfKind.Datasec) ?? throw Fault(s, 0, "no DATASEC '.maps' in .BTF");
        foreach (BtfVarSecinfo vsi in btf.GetType(datasec).SecInfos)
        {
            BtfType v = btf.GetType(vsi.Type);
            if (v.Kind != BtfKind.Var) throw Fault(s, vsi.Offset, $"DATASEC entry [{vsi.Type}] is {v.Kind}, not VAR");
            uint def = btf.SkipModifiers(v.Type);
            if (btf.GetType(def).Kind != BtfKind.Struct)
                throw Fault(s, vsi.Offset, $"map '{v.Name}': definition is {btf.GetType(def).Kind}, not a struct");
            if ((ulong)vsi.Offset + vsi.Size > s.Size)
                throw Fault(s, vsi.Offset, $"map '{v.Name}' lies outside the section");
            MapSpec map = ReadMapDef(btf, def, v.Name, s, vsi.Offset, inner: false, out long valuesOffset);
            AddMap(map, s, vsi.Offset);
            _btfMapVars.Add((map, vsi.Offset, vsi.Size, valuesOffset));
        }
        ReadMapSlots(s);
    }

    // libbpf's parse_btf_map_def: each member of the anonymous struct is one attribute.
    private MapSpec ReadMapDef(BtfBlob btf, uint def, string name, ElfSection s, ulong at, bool inner, out long valuesOffset)
    {
        var map = new MapSpec(name) { SectionName = s.Name };
        valuesOffset = -1;
        uint? keySize = null, valueSize = null;
        foreach (BtfMember m in btf.GetType(def).Members)
        {
            string Where() => $"map '{name}' attribute '{m.Name}'";
            switch (m.Name)
            {
                case "type": map.Type = (BpfMapType)MapInt(btf, m, s, at, Where()); break;
                case "max_entries": map.MaxEntries = (uint)MapInt(btf, m, s, at, Where()); break;
                case "map_flags": map.Flags = (uint)MapInt(btf, m, s, at, Where()); break;
                case "numa_node": map.NumaNode = (uint)MapInt(btf, m, s, at, Where()); break;
                case "map_extra": map.MapExtra = MapInt(btf, m, s, at, Where()); break;
                case "key_size": keySize = (uint)MapInt(btf, m, s, at, Where()); break;
                case "value_size": valueSize = (uint)MapInt(btf, m, s, at, Where()); break;
                case "pinning":
                    // Kept as is: loaders define their own values (Cilium's CILIUM_PIN_REPLACE is 16); loading refuses
                    // the ones it does not know, as cilium/ebpf does, but the programs can still be verified.
                    ulong pin = MapInt(btf, m, s, at, Where());
                    if (pin > uint.MaxValue) throw Fault(s, at, $"{Where()}: pinning {pin} is out of range");
                    map.Pinning = (MapPinning)pin;
                    break;
                case "key":
                    map.BtfKeyTypeId = PointedType(btf, m, s, at, Where());
                    map.KeySize = btf.SizeOf(map.BtfKeyTypeId) ?? throw Fault(s, at, $"{Where()}: type has no size");
                    break;
                case "value":
                    map.BtfValueTypeId = PointedType(btf, m, s, at, Where());
                    map.ValueSize = btf.SizeOf(map.BtfValueTypeId) ?? throw Fault(s, at, $"{Where()}: type has no size");
                    break;
                case "values":
                    if (inner) throw Fault(s, at, $"{Where()}: an inner map cannot have values");
                    valuesOffset = m.BitOffset / 8;
                    map.InnerMap = ReadValues(btf, m, s, at, name, Where());
                    break;
                default:
                    throw Fault(s, at, $"map '{name}': unknown attribute '{m.Name}'");
            }
        }
        if (keySize is { } k)
        {
            if (map.BtfKeyTypeId != 0 && k != map.KeySize) throw Fault(s, at, $"map '{name}': key_size {k} does not match the key type's size {map.KeySize}");
            map.KeySize = k;
        }
        if (valueSize is { } vs)
        {
            if (map.BtfValueTypeId != 0 && vs != map.ValueSize) throw Fault(s, at, $"map '{name}': value_size {vs} does not match the value type's size {map.ValueSize}");
            map.ValueSize = vs;
        }
        if (valueSize is null && map.BtfValueTypeId != 0 && map.Type is BpfMapType.Ringbuf or BpfMapType.Arena or BpfMapType.PerfEventArray)
        {
            // cilium/ebpf: these maps have no value of their own (a perf event array's is a 4-byte fd slot); a
            // `__type(value, struct event)` there only names the record type for code generators such as bpf2go.
            map.ValueSize = map.Type == BpfMapType.PerfEventArray ? 4u : 0u;
            map.BtfValueTypeId = 0;
        }
        if (map.InnerMap is not null)
        {
            if (map.Type is not (BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps))
                throw Fault(s, at, $"map '{name}': 'values' holds maps but the map type is {map.Type}");
            SetMapInMapValue(s, at, map);
        }
        else if (valuesOffset >= 0)
        {
            if (map.Type != BpfMapType.ProgArray)
                throw Fault(s, at, $"map '{name}': 'values' holds programs but the map type is {map.Type}");
            if (map.ValueSize is not (0 or 4)) throw Fault(s, at, $"map '{name}': value_size {map.ValueSize} of a program array is not 4");
            map.ValueSize = 4;
        }
        return map;
    }

    // `__array(values, struct inner)` is an array of pointers to the inner definition; for a prog array, to a FUNC_PROTO.
    private MapSpec? ReadValues(BtfBlob btf, BtfMember m, ElfSection s, ulong at, string name, string where)
    {
        BtfType array = btf.GetType(btf.SkipModifiers(m.Type));
        if (array.Kind != BtfKind.Array) throw Fault(s, at, $"{where}: expected an ARRAY, got {array.Kind}");
        BtfType ptr = btf.GetType(btf.SkipModifiers(array.Array.Type));
        if (ptr.Kind != BtfKind.Ptr) throw Fault(s, at, $"{where}: expected an array of PTR, got {ptr.Kind}");
        uint target = btf.SkipModifiers(ptr.Type);
        return btf.GetType(target).Kind switch
        {
            BtfKind.Struct => ReadMapDef(btf, target, name + ".inner", s, at, inner: true, out _),
            BtfKind.FuncProto => null,
            var k => throw Fault(s, at, $"{where}: expected pointers to a map definition or a function, got {k}"),
        };
    }

    // `__uint(name, val)` is `int (*name)[val]`: the value is the array's element count. `__ulong` is an enum of one value.
    private static ulong MapInt(BtfBlob btf, BtfMember m, ElfSection s, ulong at, string where)
    {
        BtfType t = btf.GetType(btf.SkipModifiers(m.Type));
        if (t.Kind is BtfKind.Enum or BtfKind.Enum64 && t.Vlen == 1)
            return (ulong)t.EnumValue(0).Value;
        if (t.Kind != BtfKind.Ptr) throw Fault(s, at, $"{where}: expected PTR, got {t.Kind}");
        BtfType array = btf.GetType(btf.SkipModifiers(t.Type));
        if (array.Kind != BtfKind.Array) throw Fault(s, at, $"{where}: expected a pointer to ARRAY, got {array.Kind}");
        return array.Array.Nelems;
    }

    // `__type(key, T)` is `T *key`.
    private static uint PointedType(BtfBlob btf, BtfMember m, ElfSection s, ulong at, string where)
    {
        BtfType t = btf.GetType(btf.SkipModifiers(m.Type));
        if (t.Kind != BtfKind.Ptr) throw Fault(s, at, $"{where}: expected PTR, got {t.Kind}");
        return t.Type;
    }

    // .rel.maps: each relocation fills one `values` slot with a map (map-in-map) or a program (prog array).
    private void ReadMapSlots(ElfSection s)
    {
        if (!_relocations.TryGetValue(s.Index, out ElfRelocation[]? relocs)) return;
        foreach (ElfRelocation r in relocs)
        {
            // LLVM before 14 wrote R_BPF_64_64 for a 64-bit data word; libbpf does not look at the type here.
            if (r.Type is not (ElfRelocation.R_BPF_64_ABS64 or ElfRelocation.R_BPF_64_64))
                throw Fault(s, r.Offset, $"relocation type {r.Type} is not R_BPF_64_ABS64");
            var owner = _btfMapVars.FirstOrDefault(v => r.Offset >= v.Offset && r.Offset < v.Offset + v.Size);
            if (owner.Map is null || owner.ValuesOffset < 0 || r.Offset < owner.Offset + (ulong)owner.ValuesOffset)
                throw Fault(s, r.Offset, "relocation outside any map's 'values'");
            ulong rel = r.Offset - owner.Offset - (ulong)owner.ValuesOffset;
            if (rel % 8 != 0) throw Fault(s, r.Offset, "relocation is not at a slot's start");
            ElfSymbol sym = Symbol(r.Symbol);
            uint index = (uint)(rel / 8);
            if (owner.Map.MaxEntries != 0 && index >= owner.Map.MaxEntries)
                throw Fault(s, r.Offset, $"map '{owner.Map.Name}': slot {index} is beyond max_entries {owner.Map.MaxEntries}");
            owner.Map.Slots.Add(new MapSlot(index, sym.Name));
        }
    }
}
