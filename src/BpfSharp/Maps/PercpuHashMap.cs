namespace BpfSharp.Maps;

/// <summary>
/// BPF_MAP_TYPE_PERCPU_HASH (htab_percpu_map_ops): every element holds one value per possible
/// CPU. Programs read and write their CPU's slot; user space reads and writes all slots, each
/// rounded up to 8 bytes. Updates of an existing key are made in place.
/// </summary>
public sealed unsafe class PercpuHashMap : HashTable
{
    private PercpuHashMap(MapAttributes attributes, MapContext context)
        : base(attributes, context, RoundUp8((int)attributes.ValueSize) * context.PossibleCpus)
    {
    }

    /// <summary>Creates a PERCPU_HASH map after the kernel's checks: 0 or -errno.</summary>
    internal static int TryCreate(MapAttributes attributes, MapContext context, out Map? map) =>
        Create(attributes, context, a => new PercpuHashMap(a, context), out map);

    /// <inheritdoc/>
    public override bool IsPerCpu => true;

    /// <summary>htab_percpu_map_lookup_elem: the value slot of <paramref name="cpu"/>.</summary>
    public override byte* LookupElem(byte* key, int cpu) => LookupPercpuElem(key, (uint)cpu);

    /// <summary>htab_percpu_map_lookup_percpu_elem: null for a CPU that does not exist.</summary>
    public override byte* LookupPercpuElem(byte* key, uint cpu) => FindPercpuSlot(key, cpu);

    /// <inheritdoc/>
    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu) =>
        UpdatePercpu(key, value, flags, cpu, onAllCpus: false);

    /// <summary>bpf_percpu_hash_update: one value slot per possible CPU.</summary>
    public override int SysUpdate(byte* key, byte* value, ulong flags)
    {
        using var run = Context.Epochs.Enter();
        return UpdatePercpu(key, value, flags, 0, onAllCpus: true);
    }
}
