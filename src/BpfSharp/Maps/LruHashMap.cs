using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// BPF_MAP_TYPE_LRU_HASH (htab_lru_map_ops): a preallocated hash map that never fails for lack
/// of room: an update takes a node from the LRU lists (<see cref="LruList"/>), evicting the least
/// recently used elements when none is free. Program lookups mark an element referenced; user
/// space lookups do not (so a map walk does not disturb the eviction order).
/// </summary>
public sealed unsafe class LruHashMap : HashTable
{
    private LruHashMap(MapAttributes attributes, MapContext context)
        : base(attributes, context, RoundUp8((int)attributes.ValueSize))
    {
        Lru = new LruList(this, context.PossibleCpus, (attributes.Flags & MapFlags.BPF_F_NO_COMMON_LRU) != 0);
    }

    /// <summary>Creates an LRU_HASH map after the kernel's checks: 0 or -errno.</summary>
    internal static int TryCreate(MapAttributes attributes, MapContext context, out Map? map) =>
        Create(attributes, context, a => new LruHashMap(a, context), out map);

    /// <summary>htab_lru_map_lookup_elem: marks the element referenced.</summary>
    public override byte* LookupElem(byte* key, int cpu)
    {
        HashElement* e = Find(key);
        if (e == null) return null;
        if (e->Ref == 0) e->Ref = 1;
        return ValueOf(e);
    }

    /// <inheritdoc/>
    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu) => UpdateLru(key, value, flags, cpu);

    /// <summary>MAP_UPDATE_ELEM: as from a program on CPU 0.</summary>
    public override int SysUpdate(byte* key, byte* value, ulong flags)
    {
        using var run = Context.Epochs.Enter();
        return UpdateLru(key, value, flags, 0);
    }
}
