using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// BPF_MAP_TYPE_LRU_PERCPU_HASH (htab_lru_percpu_map_ops): the LRU eviction of
/// <see cref="LruHashMap"/> with the per-CPU values of <see cref="PercpuHashMap"/>; an update
/// of an existing key is made in place and marks it referenced.
/// </summary>
public sealed unsafe class LruPercpuHashMap : HashTable
{
    private LruPercpuHashMap(MapAttributes attributes, MapContext context)
        : base(attributes, context, RoundUp8((int)attributes.ValueSize) * context.PossibleCpus)
    {
        Lru = new LruList(this, context.PossibleCpus, (attributes.Flags & MapFlags.BPF_F_NO_COMMON_LRU) != 0);
    }

    /// <summary>Creates an LRU_PERCPU_HASH map after the kernel's checks: 0 or -errno.</summary>
    internal static int TryCreate(MapAttributes attributes, MapContext context, out Map? map) =>
        Create(attributes, context, a => new LruPercpuHashMap(a, context), out map);

    /// <inheritdoc/>
    public override bool IsPerCpu => true;

    /// <summary>htab_lru_percpu_map_lookup_elem: <paramref name="cpu"/>'s slot; marks the element referenced.</summary>
    public override byte* LookupElem(byte* key, int cpu) => LookupPercpuElem(key, (uint)cpu);

    /// <summary>htab_lru_percpu_map_lookup_percpu_elem: marks the element referenced; null for a CPU that does not exist.</summary>
    public override byte* LookupPercpuElem(byte* key, uint cpu) => FindPercpuSlot(key, cpu);

    /// <inheritdoc/>
    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu) =>
        UpdateLruPercpu(key, value, flags, cpu, onAllCpus: false);

    /// <summary>MAP_UPDATE_ELEM: one value slot per possible CPU, as from CPU 0.</summary>
    public override int SysUpdate(byte* key, byte* value, ulong flags)
    {
        using var run = Context.Epochs.Enter();
        return UpdateLruPercpu(key, value, flags, 0, onAllCpus: true);
    }
}
