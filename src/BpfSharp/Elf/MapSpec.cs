using BpfSharp.Uapi;

namespace BpfSharp.Elf;

/// <summary>
/// A map as an object file declares it (a <c>.maps</c> variable, a legacy <c>maps</c> entry or a global
/// data section), before it exists: what BPF_MAP_CREATE will be asked for, its initial contents and
/// slots, and how it is pinned. Change it freely before <c>Collection.Load</c>.
/// </summary>
public sealed class MapSpec
{
    /// <summary>Creates a spec named <paramref name="name"/>.</summary>
    public MapSpec(string name) => Name = name ?? throw new ArgumentNullException(nameof(name));

    /// <summary>The name programs and user space know it by (the C variable, or the internal name of a data section such as <c>prog.rodata</c>).</summary>
    public string Name { get; set; }
    /// <summary>The ELF section it was declared in (<c>.maps</c>, <c>maps</c>, <c>.data</c>, ...).</summary>
    public string SectionName { get; set; } = "";
    /// <summary>map_type.</summary>
    public BpfMapType Type { get; set; }
    /// <summary>key_size.</summary>
    public uint KeySize { get; set; }
    /// <summary>value_size.</summary>
    public uint ValueSize { get; set; }
    /// <summary>max_entries.</summary>
    public uint MaxEntries { get; set; }
    /// <summary>map_flags.</summary>
    public uint Flags { get; set; }
    /// <summary>numa_node.</summary>
    public uint NumaNode { get; set; }
    /// <summary>map_extra.</summary>
    public ulong MapExtra { get; set; }
    /// <summary>
    /// libbpf's pinning: <see cref="MapPinning.ByName"/> shares the map through the pin namespace. Other values an
    /// object may carry (a loader's own convention) are kept; <see cref="Collection.Load"/> refuses them.
    /// </summary>
    public MapPinning Pinning { get; set; }
    /// <summary>For map-in-map types: the inner map's definition (the template BPF_MAP_CREATE gets as inner_map_fd).</summary>
    public MapSpec? InnerMap { get; set; }
    /// <summary>The initial value of element 0 (global data sections), or null.</summary>
    public byte[]? Contents { get; set; }
    /// <summary>Initial slots (a <c>.values</c> initializer): a map-in-map slot names a map, a program array slot a program.</summary>
    public List<MapSlot> Slots { get; } = [];
    /// <summary>True if user space may not change it after load (<c>.rodata</c>: frozen once its contents are written).</summary>
    public bool Freeze { get; set; }
    /// <summary>BTF type id of the key in the object's BTF (0: none).</summary>
    public uint BtfKeyTypeId { get; set; }
    /// <summary>BTF type id of the value in the object's BTF (0: none).</summary>
    public uint BtfValueTypeId { get; set; }

    /// <summary>True for the maps the loader makes from global data sections.</summary>
    public bool IsGlobalData => Contents is not null;

    /// <summary>A deep copy: contents, slots and the inner map are copied too.</summary>
    public MapSpec Copy()
    {
        var copy = new MapSpec(Name)
        {
            SectionName = SectionName, Type = Type, KeySize = KeySize, ValueSize = ValueSize, MaxEntries = MaxEntries,
            Flags = Flags, NumaNode = NumaNode, MapExtra = MapExtra, Pinning = Pinning, InnerMap = InnerMap?.Copy(),
            Contents = Contents?.ToArray(), Freeze = Freeze, BtfKeyTypeId = BtfKeyTypeId, BtfValueTypeId = BtfValueTypeId,
        };
        copy.Slots.AddRange(Slots);
        return copy;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Name}: {Type} key {KeySize} value {ValueSize} max {MaxEntries}" + (Flags != 0 ? $" flags 0x{Flags:x}" : "");
}

/// <summary>libbpf's <c>pinning</c> attribute of a BTF-defined map.</summary>
public enum MapPinning
{
    /// <summary>LIBBPF_PIN_NONE: not pinned.</summary>
    None = 0,
    /// <summary>LIBBPF_PIN_BY_NAME: pinned under the map's name; an existing pin of that name is reused.</summary>
    ByName = 1,
}

/// <summary>One initial slot of a map-in-map or program array: the index and the name of the map or program it holds.</summary>
/// <param name="Index">The slot (array index).</param>
/// <param name="Target">The map's or program's name.</param>
public readonly record struct MapSlot(uint Index, string Target);
