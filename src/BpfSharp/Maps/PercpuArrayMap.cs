using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// BPF_MAP_TYPE_PERCPU_ARRAY (kernel: arraymap.c, percpu_array_map_ops): one zeroed
/// <c>round_up(value_size, 8)</c> slot per element and possible CPU. Programs reach the running CPU's
/// slot (and any CPU's with bpf_map_lookup_percpu_elem); user space reads and writes all CPUs' slots
/// at once, one after the other.
/// </summary>
public sealed unsafe class PercpuArrayMap : ArrayMapBase
{
    // CPU-major: each CPU's values are contiguous, so CPUs do not share cache lines.
    private readonly byte* _values;
    private readonly ulong _bytes;
    private readonly uint _cpus;

    private PercpuArrayMap(MapAttributes attributes, MapContext context, byte* values, ulong bytes)
        : base(attributes, context)
    {
        _values = values;
        _bytes = bytes;
        _cpus = (uint)context.PossibleCpus;
    }

    /// <summary>kernel: array_map_alloc_check + array_map_alloc (per-CPU). 0 and the map, or -EINVAL, -E2BIG, -ENOMEM.</summary>
    internal static int TryCreate(MapAttributes attributes, MapContext context, out Map? map)
    {
        map = null;
        int err = CheckAttributes(attributes);
        if (err != 0) return err;
        ulong bytes = (ulong)attributes.MaxEntries * (((ulong)attributes.ValueSize + 7) & ~7ul) * (ulong)context.PossibleCpus;
        byte* values = MapMemory.AllocZeroed(context, bytes, 64);
        if (values == null) return -Errno.ENOMEM;
        map = new PercpuArrayMap(attributes, context, values, bytes);
        return 0;
    }

    /// <inheritdoc/>
    public override bool IsPerCpu => true;

    /// <summary>The address of element <paramref name="index"/>'s value on <paramref name="cpu"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index or CPU is out of range.</exception>
    public nint ValueAddress(uint index, uint cpu)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, MaxEntries);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(cpu, _cpus);
        return (nint)Slot(index, cpu);
    }

    private byte* Slot(uint index, uint cpu) => _values + ((ulong)cpu * MaxEntries + index) * ElemSize;

    // ---- program side ----

    /// <summary>kernel: percpu_array_map_lookup_elem: the running CPU's value, or null for an index not below max_entries.</summary>
    public override byte* LookupElem(byte* key, int cpu)
    {
        uint index = IndexOf(key);
        return index < MaxEntries && (uint)cpu < _cpus ? Slot(index, (uint)cpu) : null;
    }

    /// <summary>kernel: percpu_array_map_lookup_percpu_elem: <paramref name="cpu"/>'s value, or null for a bad index or CPU.</summary>
    public override byte* LookupPercpuElem(byte* key, uint cpu)
    {
        uint index = IndexOf(key);
        return index < MaxEntries && cpu < _cpus ? Slot(index, cpu) : null;
    }

    /// <summary>
    /// kernel: array_map_update_elem on a per-CPU array: the running CPU's value only; -EINVAL for
    /// unknown flags or BPF_F_LOCK (no spin lock in per-CPU values), -E2BIG, -EEXIST for BPF_NOEXIST.
    /// </summary>
    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu)
    {
        uint index = IndexOf(key);
        int err = CheckUpdate(index, flags, MapFlags.BPF_F_LOCK);
        if (err != 0) return err;
        if ((uint)cpu >= _cpus) return -Errno.EINVAL;
        StoreValue(Slot(index, (uint)cpu), value, false);
        return 0;
    }

    // ---- user side ----

    /// <summary>
    /// kernel: bpf_percpu_array_copy: -ENOENT for an index not below max_entries; otherwise copies every
    /// possible CPU's whole <c>round_up(value_size, 8)</c> slot, CPU 0 first.
    /// </summary>
    public override int SysLookup(byte* key, byte* value, ulong flags)
    {
        uint index = IndexOf(key);
        if (index >= MaxEntries) return -Errno.ENOENT;
        for (uint cpu = 0; cpu < _cpus; cpu++)
            Buffer.MemoryCopy(Slot(index, cpu), value + (ulong)cpu * ElemSize, ElemSize, ElemSize);
        return 0;
    }

    /// <summary>
    /// kernel: bpf_percpu_array_update: -EINVAL for flags other than BPF_ANY/NOEXIST/EXIST, -E2BIG for an
    /// index not below max_entries, -EEXIST for BPF_NOEXIST; otherwise writes every CPU's whole slot.
    /// </summary>
    public override int SysUpdate(byte* key, byte* value, ulong flags)
    {
        uint index = IndexOf(key);
        int err = CheckUpdate(index, flags, 0);
        if (err != 0) return err;
        for (uint cpu = 0; cpu < _cpus; cpu++)
            Buffer.MemoryCopy(value + (ulong)cpu * ElemSize, Slot(index, cpu), ElemSize, ElemSize);
        return 0;
    }

    /// <inheritdoc/>
    protected override void Free()
    {
        MapMemory.Free(Context, _values, _bytes);
        base.Free();
    }
}
