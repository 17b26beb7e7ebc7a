using System.Runtime.CompilerServices;
using BpfSharp.Memory;
using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// An array of object references (kernel: the fd arrays of arraymap.c, <c>array->ptrs</c>): user space
/// stores a u32 fd and the slot holds a reference to the object behind it; user-space lookups return the
/// object's id. PROG_ARRAY and ARRAY_OF_MAPS derive from it.
/// </summary>
/// <remarks>
/// A reference replaced or deleted while programs run is dropped only after every run that might still
/// use it has left (<see cref="EpochManager.Defer"/>, the kernel's deferred put); freeing the map drops
/// all its references at once.
/// </remarks>
public abstract unsafe class FdArrayMap : ArrayMapBase
{
    private readonly BpfObject?[] _slots;

    /// <summary>Creates the slots, all empty; <see cref="TryChargeSlots"/> must have succeeded.</summary>
    protected FdArrayMap(MapAttributes attributes, MapContext context) : base(attributes, context)
    {
        _slots = new BpfObject?[attributes.MaxEntries];
    }

    /// <summary>Charges the slot array to the context: false (-ENOMEM) when over the limit or too large.</summary>
    protected static bool TryChargeSlots(MapAttributes attributes, MapContext context) =>
        attributes.MaxEntries <= (uint)Array.MaxLength && context.TryCharge(SlotBytes(attributes.MaxEntries));

    private static long SlotBytes(uint maxEntries) => (long)maxEntries * sizeof(ulong);

    /// <summary>
    /// kernel: map_fd_get_ptr. The object user space's <paramref name="fd"/> stands for, with a reference
    /// taken for the slot, or -errno (-EBADF for an fd that is not open, -EINVAL for the wrong kind of object).
    /// </summary>
    protected abstract int GetPtr(uint fd, out BpfObject? obj);

    /// <summary>The object in slot <paramref name="index"/>, or null for an empty slot or an index not below max_entries.</summary>
    protected BpfObject? Get(uint index) => index < MaxEntries ? Volatile.Read(ref _slots[index]) : null;

    /// <summary>Programs cannot store fds: -EINVAL (the verifier only lets them look up or tail-call).</summary>
    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu) => -Errno.EINVAL;

    /// <summary>
    /// kernel: bpf_fd_array_map_lookup_elem: the u32 id of the object in the slot (map_fd_sys_lookup_elem);
    /// -ENOENT for an empty slot or an index not below max_entries.
    /// </summary>
    public override int SysLookup(byte* key, byte* value, ulong flags)
    {
        BpfObject? obj = Get(IndexOf(key));
        if (obj is null) return -Errno.ENOENT;
        Unsafe.WriteUnaligned(value, obj.Id);
        return 0;
    }

    /// <summary>
    /// kernel: bpf_fd_array_map_update_elem: -EINVAL for any flags but BPF_ANY, -E2BIG for an index not
    /// below max_entries, then the fd's own errors; the slot's previous object is released.
    /// </summary>
    public override int SysUpdate(byte* key, byte* value, ulong flags)
    {
        if (flags != MapFlags.BPF_ANY) return -Errno.EINVAL;
        uint index = IndexOf(key);
        if (index >= MaxEntries) return -Errno.E2BIG;
        int err = GetPtr(Unsafe.ReadUnaligned<uint>(value), out BpfObject? obj);
        if (err != 0) return err;
        ReleaseAfterRuns(Interlocked.Exchange(ref _slots[index], obj));
        return 0;
    }

    /// <summary>
    /// kernel: fd_array_map_delete_elem: empties the slot and releases its object; -E2BIG for an index not
    /// below max_entries, -ENOENT for an empty slot.
    /// </summary>
    public override int DeleteElem(byte* key)
    {
        uint index = IndexOf(key);
        if (index >= MaxEntries) return -Errno.E2BIG;
        BpfObject? old = Interlocked.Exchange(ref _slots[index], null);
        if (old is null) return -Errno.ENOENT;
        ReleaseAfterRuns(old);
        return 0;
    }

    /// <summary>kernel: bpf_fd_array_map_clear: empties every slot (a PROG_ARRAY does so when user space lets go of it).</summary>
    public void Clear()
    {
        for (int i = 0; i < _slots.Length; i++)
            ReleaseAfterRuns(Interlocked.Exchange(ref _slots[i], null));
    }

    private void ReleaseAfterRuns(BpfObject? obj)
    {
        if (obj is not null) Context.Epochs.Defer(obj.Release);
    }

    /// <summary>Releases every held reference at once (no run can reach this map any more), then frees the map.</summary>
    protected override void Free()
    {
        for (int i = 0; i < _slots.Length; i++)
            Interlocked.Exchange(ref _slots[i], null)?.Release();
        Context.Uncharge(SlotBytes(MaxEntries));
        base.Free();
    }
}
