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
    /// <summary>
    /// map_flags as the map keeps them (kernel: bpf_map_flags_retain_permanent): BPF_F_RDONLY and
    /// BPF_F_WRONLY belong to the fd that creation returned, not to the map.
    /// </summary>
    public uint Flags => MapFlagRules.RetainPermanent(Attributes.Flags);

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

    /// <summary>
    /// Freezes the map for user-space writes (kernel: map_freeze). -ENOTSUPP for a value with special
    /// fields (<see cref="HasSpecialFields"/>); -EPERM if already frozen (a frozen map has no write
    /// permission left, which the kernel checks before anything else can answer).
    /// </summary>
    public virtual int Freeze()
    {
        if (HasSpecialFields) return -Errno.ENOTSUPP;
        return Interlocked.Exchange(ref _frozen, 1) == 0 ? 0 : -Errno.EPERM;
    }

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

    /// <summary>sizeof(struct bpf_timer).</summary>
    private const int TimerSize = 16;

    /// <summary>
    /// Copies a value out of the map to user space (kernel: bpf_map_copy_value): every byte but the special
    /// fields (bpf_spin_lock, bpf_timer), which read as zeros (check_and_init_map_value); with
    /// <paramref name="locked"/> under the value's <c>bpf_spin_lock</c> (copy_map_value_locked).
    /// </summary>
    protected void CopyValue(byte* destination, byte* source, bool locked)
    {
        if (!HasSpecialFields)
        {
            Buffer.MemoryCopy(source, destination, ValueSize, ValueSize);
            return;
        }
        int lockOffset = Attributes.SpinLockOffset;
        if (locked && lockOffset >= 0)
        {
            SpinLock.Lock((uint*)(source + lockOffset));
            try
            {
                CopySkippingSpecialFields(destination, source);
            }
            finally
            {
                SpinLock.Unlock((uint*)(source + lockOffset));
            }
        }
        else
        {
            CopySkippingSpecialFields(destination, source);
        }
        ZeroSpecialFields(destination);
    }

    /// <summary>
    /// Copies a value into the map (kernel: copy_map_value): the special fields of the destination
    /// (bpf_spin_lock, bpf_timer) are left as they are; with <paramref name="locked"/> under the
    /// destination's spin lock (copy_map_value_locked).
    /// </summary>
    protected void StoreValue(byte* destination, byte* source, bool locked)
    {
        if (!HasSpecialFields)
        {
            Buffer.MemoryCopy(source, destination, ValueSize, ValueSize);
            return;
        }
        int lockOffset = Attributes.SpinLockOffset;
        if (!locked || lockOffset < 0)
        {
            CopySkippingSpecialFields(destination, source);
            return;
        }
        SpinLock.Lock((uint*)(destination + lockOffset));
        try
        {
            CopySkippingSpecialFields(destination, source);
        }
        finally
        {
            SpinLock.Unlock((uint*)(destination + lockOffset));
        }
    }

    /// <summary>True if the value holds a <c>bpf_spin_lock</c> or a <c>bpf_timer</c> (kernel: a map with a btf_record).</summary>
    public bool HasSpecialFields => Attributes.SpinLockOffset >= 0 || Attributes.TimerOffset >= 0;

    // kernel: bpf_obj_memcpy. The bytes around the special fields, in offset order.
    private void CopySkippingSpecialFields(byte* destination, byte* source)
    {
        int first = Attributes.SpinLockOffset, firstEnd = first + SpinLock.Size;
        int second = Attributes.TimerOffset, secondEnd = second + TimerSize;
        if (first < 0 || (second >= 0 && second < first))
            (first, firstEnd, second, secondEnd) = (second, secondEnd, first, firstEnd);
        int at = 0;
        if (first >= 0)
        {
            CopyRange(destination, source, at, first);
            at = firstEnd;
        }
        if (second >= 0)
        {
            CopyRange(destination, source, at, second);
            at = secondEnd;
        }
        CopyRange(destination, source, at, (int)ValueSize);
    }

    private static void CopyRange(byte* destination, byte* source, int from, int to)
    {
        if (to > from) Buffer.MemoryCopy(source + from, destination + from, to - from, to - from);
    }

    // kernel: check_and_init_map_value / bpf_obj_init: the special fields of a copy read as zeros.
    private void ZeroSpecialFields(byte* value)
    {
        if (Attributes.SpinLockOffset >= 0) new Span<byte>(value + Attributes.SpinLockOffset, SpinLock.Size).Clear();
        if (Attributes.TimerOffset >= 0) new Span<byte>(value + Attributes.TimerOffset, TimerSize).Clear();
    }

    /// <summary>
    /// Frees the map's storage; subclasses free theirs and then call this. The handle block is retired
    /// through the epochs, not freed: a run still finishing (or an unverified program that kept the
    /// number) may still pass the old handle, which then resolves to nothing (the owning system has
    /// forgotten it at <see cref="BpfObject.Releasing"/>) and cannot be the handle of a new map.
    /// </summary>
    protected override void Free() => Context.Epochs.Retire(_handle);
}
