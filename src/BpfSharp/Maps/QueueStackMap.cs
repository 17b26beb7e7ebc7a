using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// BPF_MAP_TYPE_QUEUE and BPF_MAP_TYPE_STACK (kernel: queue_stack_maps.c): keyless, max_entries values
/// in a preallocated ring of max_entries + 1 slots. Every operation is serialized by one lock (the
/// kernel's raw spinlock; a Monitor here, which spins briefly and then blocks, because a user-space
/// thread can be preempted while it holds the lock). Push adds at the head;
/// a queue pops and peeks the oldest value (FIFO), a stack the newest (LIFO). A push to a full map is
/// -E2BIG, unless BPF_EXIST asks to drop the oldest value to make room.
/// </summary>
/// <remarks>
/// From user space (the bpf() commands): MAP_LOOKUP_ELEM peeks, MAP_UPDATE_ELEM pushes,
/// MAP_LOOKUP_AND_DELETE_ELEM pops; the key pointer must be null. Delete and get_next_key are -EINVAL.
/// </remarks>
public sealed unsafe class QueueStackMap : Map
{
    private const uint CreateFlagMask = MapFlags.BPF_F_NUMA_NODE | MapFlags.AccessMask;
    private const uint KmallocMaxSize = 4u << 20; // KMALLOC_MAX_SIZE on x86-64
    private readonly byte* _elements; // size * value_size bytes
    private readonly ulong _bytes;
    private readonly object _lock = new();
    private readonly uint _size; // max_entries + 1: one slot always stays free
    private uint _head, _tail; // guarded by _lock

    private QueueStackMap(MapAttributes attributes, MapContext context, byte* elements, ulong bytes)
        : base(attributes, context)
    {
        _elements = elements;
        _bytes = bytes;
        _size = attributes.MaxEntries + 1;
    }

    /// <summary>
    /// kernel: queue_stack_map_alloc_check + queue_stack_map_alloc: -EINVAL for max_entries 0, a key,
    /// value_size 0, flags other than NUMA_NODE and the access flags, or both RDONLY_PROG and WRONLY_PROG;
    /// -E2BIG for value_size over KMALLOC_MAX_SIZE; -ENOMEM.
    /// </summary>
    internal static int TryCreate(MapAttributes attributes, MapContext context, out Map? map)
    {
        map = null;
        if (attributes.MaxEntries == 0 || attributes.KeySize != 0 || attributes.ValueSize == 0
            || (attributes.Flags & ~CreateFlagMask) != 0 || !MapFlagRules.AccessOk(attributes.Flags))
            return -Errno.EINVAL;
        if (attributes.ValueSize > KmallocMaxSize) return -Errno.E2BIG;
        ulong bytes = ((ulong)attributes.MaxEntries + 1) * attributes.ValueSize;
        byte* elements = MapMemory.AllocZeroed(context, bytes, 64);
        if (elements == null) return -Errno.ENOMEM;
        map = new QueueStackMap(attributes, context, elements, bytes);
        return 0;
    }

    /// <summary>True for BPF_MAP_TYPE_STACK (LIFO), false for BPF_MAP_TYPE_QUEUE (FIFO).</summary>
    public bool IsStack => Type == BpfMapType.Stack;

    /// <summary>Number of values held (a snapshot).</summary>
    public uint Count
    {
        get
        {
            Lock();
            try { return _head >= _tail ? _head - _tail : _head + _size - _tail; }
            finally { Unlock(); }
        }
    }

    private void Lock() => Monitor.Enter(_lock);
    private void Unlock() => Monitor.Exit(_lock);

    // ---- program side ----

    /// <summary>
    /// kernel: queue_stack_map_push_elem: -EINVAL for flags other than BPF_ANY or BPF_EXIST; -E2BIG when
    /// full, unless BPF_EXIST, which drops the oldest value to make room.
    /// </summary>
    public override int PushElem(byte* value, ulong flags)
    {
        if ((flags & MapFlags.BPF_NOEXIST) != 0 || flags > MapFlags.BPF_EXIST) return -Errno.EINVAL;
        Lock();
        try
        {
            uint next = _head + 1 >= _size ? 0 : _head + 1;
            if (next == _tail)
            {
                if ((flags & MapFlags.BPF_EXIST) == 0) return -Errno.E2BIG;
                _tail = _tail + 1 >= _size ? 0 : _tail + 1; // overwrite the oldest value
            }
            Buffer.MemoryCopy(value, _elements + (ulong)_head * ValueSize, ValueSize, ValueSize);
            _head = next;
            return 0;
        }
        finally
        {
            Unlock();
        }
    }

    /// <summary>kernel: queue_map_pop_elem / stack_map_pop_elem: copies out and removes; -ENOENT (value zeroed) when empty.</summary>
    public override int PopElem(byte* value) => Get(value, delete: true, zeroWhenEmpty: true);

    /// <summary>kernel: queue_map_peek_elem / stack_map_peek_elem: copies out; -ENOENT (value zeroed) when empty.</summary>
    public override int PeekElem(byte* value) => Get(value, delete: false, zeroWhenEmpty: true);

    private int Get(byte* value, bool delete, bool zeroWhenEmpty)
    {
        Lock();
        try
        {
            if (_head == _tail)
            {
                if (zeroWhenEmpty) new Span<byte>(value, (int)ValueSize).Clear();
                return -Errno.ENOENT;
            }
            uint index;
            if (IsStack)
            {
                index = _head == 0 ? _size - 1 : _head - 1;
                if (delete) _head = index;
            }
            else
            {
                index = _tail;
                if (delete) _tail = _tail + 1 >= _size ? 0 : _tail + 1;
            }
            Buffer.MemoryCopy(_elements + (ulong)index * ValueSize, value, ValueSize, ValueSize);
            return 0;
        }
        finally
        {
            Unlock();
        }
    }

    /// <summary>Keyless: no element has an address (kernel: queue_stack_map_lookup_elem returns NULL).</summary>
    public override byte* LookupElem(byte* key, int cpu) => null;

    /// <summary>kernel: queue_stack_map_update_elem: -EINVAL (push instead).</summary>
    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu) => -Errno.EINVAL;

    /// <summary>kernel: queue_stack_map_delete_elem: -EINVAL (pop instead).</summary>
    public override int DeleteElem(byte* key) => -Errno.EINVAL;

    /// <summary>kernel: queue_stack_map_get_next_key: -EINVAL.</summary>
    public override int GetNextKey(byte* key, byte* nextKey) => -Errno.EINVAL;

    // ---- user side ----

    /// <summary>MAP_LOOKUP_ELEM = peek: -EINVAL for a key, -ENOENT when empty (the caller's buffer untouched).</summary>
    public override int SysLookup(byte* key, byte* value, ulong flags) =>
        key != null ? -Errno.EINVAL : Get(value, delete: false, zeroWhenEmpty: false);

    /// <summary>MAP_UPDATE_ELEM = push with the flags: -EINVAL for a key.</summary>
    public override int SysUpdate(byte* key, byte* value, ulong flags) =>
        key != null ? -Errno.EINVAL : PushElem(value, flags);

    /// <summary>MAP_LOOKUP_AND_DELETE_ELEM = pop: -EINVAL for a key or any flags, -ENOENT when empty (buffer untouched).</summary>
    public override int SysLookupAndDelete(byte* key, byte* value, ulong flags) =>
        key != null || flags != 0 ? -Errno.EINVAL : Get(value, delete: true, zeroWhenEmpty: false);

    /// <inheritdoc/>
    protected override void Free()
    {
        MapMemory.Free(Context, _elements, _bytes);
        base.Free();
    }
}
