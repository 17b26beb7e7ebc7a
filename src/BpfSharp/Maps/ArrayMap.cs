using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// BPF_MAP_TYPE_ARRAY (kernel: arraymap.c, array_map_ops): max_entries preallocated, zeroed values of
/// <c>round_up(value_size, 8)</c> bytes each, contiguous in native memory. Keys are u32 indexes; every
/// element always exists, so delete is -EINVAL and BPF_NOEXIST is -EEXIST. With BPF_F_MMAPABLE the
/// values start on a page and user space may use them in place (<see cref="MmapSpan"/>).
/// Single-element arrays give programs direct value access (global data: .data, .rodata, .bss).
/// </summary>
public sealed unsafe class ArrayMap : ArrayMapBase, IDirectValueMap
{
    private readonly byte* _values;
    private readonly ulong _bytes;
    private readonly object _mmapLock = new();
    private int _writableMappings;

    private ArrayMap(MapAttributes attributes, MapContext context, byte* values, ulong bytes)
        : base(attributes, context)
    {
        _values = values;
        _bytes = bytes;
    }

    /// <summary>kernel: array_map_alloc_check + array_map_alloc. 0 and the map, or -EINVAL, -E2BIG, -ENOMEM.</summary>
    internal static int TryCreate(MapAttributes attributes, MapContext context, out Map? map)
    {
        map = null;
        int err = CheckAttributes(attributes);
        if (err != 0) return err;
        ulong bytes = (ulong)attributes.MaxEntries * (((ulong)attributes.ValueSize + 7) & ~7ul);
        bool mmapable = (attributes.Flags & MapFlags.BPF_F_MMAPABLE) != 0;
        if (mmapable) bytes = MapMemory.PageAlign(bytes);
        byte* values = MapMemory.AllocZeroed(context, bytes, mmapable ? MapMemory.PageSize : 64);
        if (values == null) return -Errno.ENOMEM;
        map = new ArrayMap(attributes, context, values, bytes);
        return 0;
    }

    /// <summary>True when created with BPF_F_MMAPABLE.</summary>
    public bool IsMmapable => (Flags & MapFlags.BPF_F_MMAPABLE) != 0;

    /// <summary>The address of element <paramref name="index"/>'s value (programs see the same address).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below max_entries.</exception>
    public nint ValueAddress(uint index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, MaxEntries);
        return (nint)(_values + (ulong)index * ElemSize);
    }

    // ---- program side ----

    /// <summary>kernel: array_map_lookup_elem: the element's address, or null for an index not below max_entries.</summary>
    public override byte* LookupElem(byte* key, int cpu)
    {
        uint index = IndexOf(key);
        return index < MaxEntries ? _values + (ulong)index * ElemSize : null;
    }

    /// <summary>
    /// kernel: array_map_update_elem: -EINVAL for unknown flags or BPF_F_LOCK without a spin lock,
    /// -E2BIG for an index not below max_entries, -EEXIST for BPF_NOEXIST; otherwise copies value_size bytes.
    /// </summary>
    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu)
    {
        uint index = IndexOf(key);
        int err = CheckUpdate(index, flags, MapFlags.BPF_F_LOCK);
        if (err != 0) return err;
        StoreValue(_values + (ulong)index * ElemSize, value, (flags & MapFlags.BPF_F_LOCK) != 0);
        return 0;
    }

    // ---- direct value access (BPF_PSEUDO_MAP_VALUE) ----

    /// <summary>
    /// kernel: array_map_direct_value_addr, for <c>lddw rX, map_value[off]</c>: the address of the single
    /// value (the caller adds <paramref name="offset"/>, as the verifier does). -ENOTSUPP unless max_entries
    /// is 1; -EINVAL if <paramref name="offset"/> is not below value_size.
    /// </summary>
    public int DirectValueAddress(uint offset, out nint address)
    {
        address = 0;
        if (MaxEntries != 1) return -Errno.ENOTSUPP;
        if (offset >= ValueSize) return -Errno.EINVAL;
        address = (nint)_values;
        return 0;
    }

    /// <summary>
    /// kernel: array_map_direct_value_meta: the offset of <paramref name="address"/> inside the single
    /// value (for dumping translated programs). -ENOTSUPP unless max_entries is 1; -ENOENT outside the element.
    /// </summary>
    public int DirectValueMeta(ulong address, out uint offset)
    {
        offset = 0;
        if (MaxEntries != 1) return -Errno.ENOTSUPP;
        ulong start = (ulong)_values;
        if (address < start || address >= start + ElemSize) return -Errno.ENOENT;
        offset = (uint)(address - start);
        return 0;
    }

    // ---- BPF_F_MMAPABLE ----

    /// <summary>
    /// The value area as user space maps it (kernel: array_map_mmap): page-aligned, whole pages long;
    /// reads and writes go straight to the values programs use.
    /// </summary>
    /// <exception cref="InvalidOperationException">The map was not created with BPF_F_MMAPABLE, or the area exceeds a span's length.</exception>
    public Span<byte> MmapSpan
    {
        get
        {
            if (!IsMmapable) throw new InvalidOperationException("the map was not created with BPF_F_MMAPABLE");
            if (_bytes > int.MaxValue) throw new InvalidOperationException("the value area is larger than a Span; use MmapAddress and MmapLength");
            return new Span<byte>(_values, (int)_bytes);
        }
    }

    /// <summary>The start of the mappable value area (page-aligned), or 0 without BPF_F_MMAPABLE.</summary>
    public nint MmapAddress => IsMmapable ? (nint)_values : 0;

    /// <summary>The length of the mappable value area: <c>PAGE_ALIGN(max_entries * elem_size)</c>, or 0 without BPF_F_MMAPABLE.</summary>
    public ulong MmapLength => IsMmapable ? _bytes : 0;

    /// <summary>
    /// Records a writable mapping of the values (kernel: bpf_map_mmap with VM_WRITE): -EINVAL without
    /// BPF_F_MMAPABLE, -EPERM once the map is frozen. While any is held, <see cref="Freeze"/> is -EBUSY.
    /// </summary>
    public int AcquireWritableMapping()
    {
        if (!IsMmapable) return -Errno.EINVAL;
        lock (_mmapLock)
        {
            if (IsFrozen) return -Errno.EPERM;
            _writableMappings++;
            return 0;
        }
    }

    /// <summary>Ends a writable mapping taken with <see cref="AcquireWritableMapping"/>.</summary>
    public void ReleaseWritableMapping()
    {
        lock (_mmapLock)
        {
            if (_writableMappings == 0) throw new InvalidOperationException("no writable mapping is held");
            _writableMappings--;
        }
    }

    /// <summary>MAP_FREEZE; -EBUSY while a writable mapping is held (kernel: bpf_map_write_active).</summary>
    public override int Freeze()
    {
        lock (_mmapLock)
            return _writableMappings > 0 ? -Errno.EBUSY : base.Freeze();
    }

    /// <inheritdoc/>
    protected override void Free()
    {
        MapMemory.Free(Context, _values, _bytes);
        base.Free();
    }
}
