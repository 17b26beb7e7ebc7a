namespace BpfSharp.Maps;

/// <summary>
/// BPF_MAP_TYPE_HASH (the kernel's htab_map_ops): a hash table of fixed-size keys and values.
/// An update builds a new element and retires the old one, so a program that looked up the old
/// value keeps a valid pointer until its run ends; BPF_F_LOCK updates in place under the value's
/// bpf_spin_lock. Elements are preallocated (max_entries, E2BIG when all are in use) unless
/// BPF_F_NO_PREALLOC asks for allocation on demand.
/// </summary>
public sealed unsafe class HashMap : HashTable
{
    private HashMap(MapAttributes attributes, MapContext context)
        : base(attributes, context, RoundUp8((int)attributes.ValueSize))
    {
    }

    /// <summary>Creates a HASH map after the kernel's checks (htab_map_alloc_check): 0 or -errno.</summary>
    internal static int TryCreate(MapAttributes attributes, MapContext context, out Map? map) =>
        Create(attributes, context, a => new HashMap(a, context), out map);

    /// <inheritdoc/>
    public override byte* LookupElem(byte* key, int cpu)
    {
        HashElement* e = Find(key);
        return e == null ? null : ValueOf(e);
    }

    /// <inheritdoc/>
    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu) => UpdateReplace(key, value, flags);

    /// <inheritdoc/>
    public override int SysUpdate(byte* key, byte* value, ulong flags)
    {
        using var run = Context.Epochs.Enter();
        return UpdateReplace(key, value, flags);
    }
}
