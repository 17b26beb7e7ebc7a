using System.Runtime.InteropServices;
using BpfSharp.Memory;
using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// A BPF map (the kernel's <c>struct bpf_map</c> with its <c>bpf_map_ops</c>). Keys and values are
/// native memory; operations take raw pointers so that helpers called by programs, the bpf()
/// command layer and the typed API share one implementation. Results are 0 or <c>-errno</c>.
/// </summary>
/// <remarks>
/// Two families of operations, as in the kernel: the program side (<see cref="LookupElem"/> returns
/// the address of the value itself, valid until the end of the current run; per-CPU maps act on the
/// running CPU's slot) and the user side (<see cref="SysLookup"/> copies; per-CPU maps copy one
/// <c>round_up(value_size, 8)</c> slot per possible CPU). Access-flag, frozen and size checks of the
/// command interface live in the command layer, not here.
/// </remarks>
public abstract unsafe partial class Map : BpfObject
{
    private readonly void* _handle;
    private int _frozen;

    /// <summary>Creates the map object; subclasses allocate their storage and charge it to <paramref name="context"/>.</summary>
    protected Map(MapAttributes attributes, MapContext context)
    {
        Attributes = attributes;
        Context = context;
        // The address a program holds for this map (lddw BPF_PSEUDO_MAP_FD): a small native block, never a managed reference.
        _handle = NativeMemory.AlignedAlloc(16, 16);
        *(ulong*)_handle = 0;
        *((ulong*)_handle + 1) = 0;
    }

    /// <summary>The attributes the map was created with.</summary>
    public MapAttributes Attributes { get; }

    /// <summary>The owning system's reclamation domain, CPU count and memory budget.</summary>
    public MapContext Context { get; }

    /// <summary>map_type.</summary>
    public BpfMapType Type => Attributes.Type;
    /// <summary>key_size.</summary>
    public uint KeySize => Attributes.KeySize;
    /// <summary>value_size (of one CPU's slot for per-CPU maps).</summary>
    public uint ValueSize => Attributes.ValueSize;
    /// <summary>max_entries.</summary>
    public uint MaxEntries => Attributes.MaxEntries;
    /// <summary>map_flags.</summary>
    public uint Flags => Attributes.Flags;

    /// <summary>The native address that stands for this map in programs (CONST_PTR_TO_MAP).</summary>
    public nint Handle => (nint)_handle;

    /// <summary>Slot of this map in its system's <see cref="MapRegistry"/>, stored in the handle block.</summary>
    internal uint RegistrySlot
    {
        get => *(uint*)_handle;
        set => *(uint*)_handle = value;
    }

    /// <summary>True for per-CPU maps: user space sees one value slot per possible CPU.</summary>
    public virtual bool IsPerCpu => false;

    /// <summary>Size of a value as user space reads and writes it (all CPUs' slots for per-CPU maps).</summary>
    public uint UserValueSize => IsPerCpu ? PerCpuSlotSize * (uint)Context.PossibleCpus : ValueSize;

    /// <summary><c>round_up(value_size, 8)</c>: the size of one CPU's slot in a user-space per-CPU value.</summary>
    public uint PerCpuSlotSize => (ValueSize + 7) & ~7u;

    /// <summary>True once MAP_FREEZE succeeded: user space can no longer write.</summary>
    public bool IsFrozen => Volatile.Read(ref _frozen) != 0;

    /// <summary>Freezes the map for user-space writes (MAP_FREEZE). -EBUSY if already frozen.</summary>
    public virtual int Freeze() => Interlocked.Exchange(ref _frozen, 1) == 0 ? 0 : -Errno.EBUSY;

    // ---- program side (helpers) ----

    /// <summary>bpf_map_lookup_elem: the address of the value for <paramref name="key"/>, or null.</summary>
    public abstract byte* LookupElem(byte* key, int cpu);

    /// <summary>bpf_map_update_elem from a program: 0 or -errno.</summary>
    public abstract int UpdateElem(byte* key, byte* value, ulong flags, int cpu);

    /// <summary>bpf_map_delete_elem: 0 or -errno.</summary>
    public abstract int DeleteElem(byte* key);

    /// <summary>bpf_map_push_elem (queue, stack, bloom filter): 0 or -errno.</summary>
    public virtual int PushElem(byte* value, ulong flags) => -Errno.EINVAL;

    /// <summary>bpf_map_pop_elem (queue, stack): copies the value out and removes it; 0 or -errno.</summary>
    public virtual int PopElem(byte* value) => -Errno.EINVAL;

    /// <summary>bpf_map_peek_elem (queue, stack, bloom filter): 0 or -errno.</summary>
    public virtual int PeekElem(byte* value) => -Errno.EINVAL;

    /// <summary>bpf_map_lookup_percpu_elem: the value of <paramref name="key"/> on <paramref name="cpu"/>, or null.</summary>
    public virtual byte* LookupPercpuElem(byte* key, uint cpu) => null;

    /// <summary>
    /// PROG_ARRAY, for bpf_tail_call: the program in slot <paramref name="index"/>, or null (empty slot,
    /// index out of range). Other map types hold no programs.
    /// </summary>
    public virtual BpfObject? GetProgram(uint index) => null;

    /// <summary>
    /// MAP_GET_NEXT_KEY: writes the key after <paramref name="key"/> to <paramref name="nextKey"/>;
    /// a null or missing key gives the first key. -ENOENT after the last key.
    /// </summary>
    public abstract int GetNextKey(byte* key, byte* nextKey);

    // ---- user side (bpf() commands) ----

    /// <summary>MAP_LOOKUP_ELEM: copies the value (all CPUs for per-CPU maps) into <paramref name="value"/>.</summary>
    public virtual int SysLookup(byte* key, byte* value, ulong flags)
    {
        byte* v = LookupElem(key, 0);
        if (v == null) return -Errno.ENOENT;
        CopyValue(value, v, (flags & MapFlags.BPF_F_LOCK) != 0);
        return 0;
    }

    /// <summary>MAP_UPDATE_ELEM from user space.</summary>
    public virtual int SysUpdate(byte* key, byte* value, ulong flags) => UpdateElem(key, value, flags, 0);

    /// <summary>MAP_DELETE_ELEM from user space.</summary>
    public virtual int SysDelete(byte* key) => DeleteElem(key);

    /// <summary>MAP_LOOKUP_AND_DELETE_ELEM; queue and stack ignore the key and pop.</summary>
    public virtual int SysLookupAndDelete(byte* key, byte* value, ulong flags) => -Errno.ENOTSUPP;

    /// <summary>
    /// Copies a value out of the map; with <paramref name="locked"/> under the value's
    /// <c>bpf_spin_lock</c>, whose own bytes are never copied.
    /// </summary>
    protected void CopyValue(byte* destination, byte* source, bool locked)
    {
        int lockOffset = Attributes.SpinLockOffset;
        if (!locked || lockOffset < 0)
        {
            Buffer.MemoryCopy(source, destination, ValueSize, ValueSize);
            return;
        }
        SpinLock.Lock((uint*)(source + lockOffset));
        try
        {
            CopySkippingLock(destination, source, lockOffset);
        }
        finally
        {
            SpinLock.Unlock((uint*)(source + lockOffset));
        }
    }

    /// <summary>Copies a value into the map; with <paramref name="locked"/> under the destination's spin lock.</summary>
    protected void StoreValue(byte* destination, byte* source, bool locked)
    {
        int lockOffset = Attributes.SpinLockOffset;
        if (lockOffset < 0)
        {
            Buffer.MemoryCopy(source, destination, ValueSize, ValueSize);
            return;
        }
        if (!locked)
        {
            // The kernel never copies the lock word itself (copy_map_value skips it).
            CopySkippingLock(destination, source, lockOffset);
            return;
        }
        SpinLock.Lock((uint*)(destination + lockOffset));
        try
        {
            CopySkippingLock(destination, source, lockOffset);
        }
        finally
        {
            SpinLock.Unlock((uint*)(destination + lockOffset));
        }
    }

    private void CopySkippingLock(byte* destination, byte* source, int lockOffset)
    {
        Buffer.MemoryCopy(source, destination, lockOffset, lockOffset);
        int after = lockOffset + SpinLock.Size;
        Buffer.MemoryCopy(source + after, destination + after, ValueSize - after, ValueSize - after);
    }

    /// <summary>
    /// Frees the map's storage; subclasses free theirs and then call this. The handle block is retired
    /// through the epochs, not freed: a run still finishing (or an unverified program that kept the
    /// number) may still pass the old handle, which then resolves to nothing (the owning system has
    /// forgotten it at <see cref="BpfObject.Releasing"/>) and cannot be the handle of a new map.
    /// </summary>
    protected override void Free() => Context.Epochs.Retire(_handle);
}
