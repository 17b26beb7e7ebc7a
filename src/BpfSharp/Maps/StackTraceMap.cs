using System.Numerics;
using System.Runtime.CompilerServices;
using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// BPF_MAP_TYPE_STACK_TRACE (kernel: stackmap.c): u32 stack ids to stacks of u64 instruction pointers. Programs
/// store a stack with bpf_get_stackid, which hashes it (jhash2) into one of max_entries rounded up to a power of two
/// buckets and returns the bucket as the id; user space reads (zero-filled to value_size), deletes and walks them.
/// </summary>
/// <remarks>
/// As in the kernel: max_entries stack elements are preallocated and recycled through a free list (a new stack
/// when none is free is -ENOMEM), a bucket is swapped in and out atomically, user-space updates are -EINVAL and
/// programs may not look stacks up (the verifier allows this map only with bpf_get_stackid). Build-id stacks
/// (BPF_F_STACK_BUILD_ID) are refused with EINVAL: nothing here has ELF build ids to report.
/// </remarks>
public sealed unsafe class StackTraceMap : Map
{
    /// <summary>kernel.perf_event_max_stack's default: the deepest stack a map value or a helper may hold.</summary>
    public const int MaxStackDepth = 127;
    /// <summary>BPF_F_SKIP_FIELD_MASK: frames bpf_get_stackid / bpf_get_stack skip.</summary>
    public const ulong BPF_F_SKIP_FIELD_MASK = 0xff;
    /// <summary>BPF_F_USER_STACK: the user stack instead of the kernel's.</summary>
    public const ulong BPF_F_USER_STACK = 1 << 8;
    /// <summary>BPF_F_FAST_STACK_CMP: a bucket whose hash matches is taken as the same stack.</summary>
    public const ulong BPF_F_FAST_STACK_CMP = 1 << 9;
    /// <summary>BPF_F_REUSE_STACKID: a different stack with the same id replaces the old one.</summary>
    public const ulong BPF_F_REUSE_STACKID = 1 << 10;

    private const uint CreateFlagMask = MapFlags.BPF_F_NUMA_NODE | MapFlags.BPF_F_RDONLY | MapFlags.BPF_F_WRONLY;
    private const int HeaderSize = 8; // u32 hash, u32 nr

    private readonly nint[] _buckets;      // element address or 0
    private readonly byte* _elements;      // max_entries elements of HeaderSize + value_size bytes
    private readonly ulong _bytes;
    private readonly int[] _free;          // free element indices (a stack)
    private int _freeCount;
    private readonly Lock _freeLock = new();

    private StackTraceMap(MapAttributes attributes, MapContext context, byte* elements, ulong bytes, uint buckets)
        : base(attributes, context)
    {
        _elements = elements;
        _bytes = bytes;
        _buckets = new nint[buckets];
        _free = new int[attributes.MaxEntries];
        for (int i = 0; i < _free.Length; i++) _free[i] = _free.Length - 1 - i;
        _freeCount = _free.Length;
    }

    /// <summary>
    /// kernel: stack_map_alloc: -EINVAL for unknown flags (BPF_F_STACK_BUILD_ID included here), max_entries 0, a
    /// key_size other than 4, a value_size not a multiple of 8 or deeper than <see cref="MaxStackDepth"/>; -E2BIG
    /// for max_entries above 2^31; -ENOMEM.
    /// </summary>
    internal static int TryCreate(MapAttributes attributes, MapContext context, out Map? map)
    {
        map = null;
        if ((attributes.Flags & ~CreateFlagMask) != 0) return -Errno.EINVAL;
        uint valueSize = attributes.ValueSize;
        if (attributes.MaxEntries == 0 || attributes.KeySize != 4 || valueSize < 8 || valueSize % 8 != 0
            || valueSize / 8 > MaxStackDepth)
            return -Errno.EINVAL;
        if (attributes.MaxEntries > 1u << 31) return -Errno.E2BIG;
        uint buckets = BitOperations.RoundUpToPowerOf2(attributes.MaxEntries);
        if (buckets > (uint)Array.MaxLength || !context.TryCharge((long)buckets * sizeof(nint)))
            return -Errno.ENOMEM;
        ulong bytes = (ulong)attributes.MaxEntries * (HeaderSize + valueSize);
        byte* elements = MapMemory.AllocZeroed(context, bytes, 8);
        if (elements == null)
        {
            context.Uncharge((long)buckets * sizeof(nint));
            return -Errno.ENOMEM;
        }
        map = new StackTraceMap(attributes, context, elements, bytes, buckets);
        return 0;
    }

    /// <summary>Number of buckets: max_entries rounded up to a power of two (the ids are below it).</summary>
    public int BucketCount => _buckets.Length;

    /// <summary>Frames a value holds: value_size / 8.</summary>
    public int Depth => (int)(ValueSize / 8);

    /// <summary>
    /// kernel: __bpf_get_stackid, after the stack was taken (<paramref name="stack"/>, <paramref name="flags"/> checked
    /// by the helper): skips the first <c>flags &amp; BPF_F_SKIP_FIELD_MASK</c> frames (-EFAULT if that leaves none),
    /// hashes the rest and returns the bucket as the stack id; -EEXIST when the bucket holds another stack and
    /// BPF_F_REUSE_STACKID is not set, -ENOMEM when no element is free.
    /// </summary>
    public long StoreStack(ReadOnlySpan<ulong> stack, ulong flags)
    {
        int skip = (int)(flags & BPF_F_SKIP_FIELD_MASK);
        if (stack.Length <= skip) return -Errno.EFAULT;
        ReadOnlySpan<ulong> ips = stack[skip..];
        if (ips.Length > Depth) ips = ips[..Depth];
        uint hash;
        fixed (ulong* p = ips)
            hash = Jhash.Hash2((uint*)p, (uint)ips.Length * 2, 0);
        uint id = hash & (uint)(_buckets.Length - 1);
        byte* bucket = (byte*)Volatile.Read(ref _buckets[id]);
        bool hashMatches = bucket != null && Hash(bucket) == hash;
        if (hashMatches && (flags & BPF_F_FAST_STACK_CMP) != 0) return id;
        if (hashMatches && Nr(bucket) == (uint)ips.Length && Frames(bucket, ips.Length).SequenceEqual(ips)) return id;
        if (bucket != null && (flags & BPF_F_REUSE_STACKID) == 0) return -Errno.EEXIST;
        int element = PopFree();
        if (element < 0) return -Errno.ENOMEM;
        byte* fresh = Element(element);
        ips.CopyTo(new Span<ulong>(fresh + HeaderSize, ips.Length));
        Unsafe.Write(fresh, hash);
        Unsafe.Write(fresh + 4, (uint)ips.Length);
        Recycle((byte*)Interlocked.Exchange(ref _buckets[id], (nint)fresh));
        return id;
    }

    private static uint Hash(byte* bucket) => Unsafe.Read<uint>(bucket);
    private static uint Nr(byte* bucket) => Unsafe.Read<uint>(bucket + 4);
    private static ReadOnlySpan<ulong> Frames(byte* bucket, int count) => new(bucket + HeaderSize, count);

    private byte* Element(int index) => _elements + (long)index * (HeaderSize + ValueSize);

    private int ElementIndex(byte* element) => (int)((element - _elements) / (HeaderSize + ValueSize));

    private int PopFree()
    {
        lock (_freeLock)
            return _freeCount == 0 ? -1 : _free[--_freeCount];
    }

    // Back to the free list. A program may still be comparing it (as in the kernel, elements are never freed
    // while the map lives, so a racing reader sees stale frames at worst, never freed memory).
    private void Recycle(byte* element)
    {
        if (element == null) return;
        lock (_freeLock)
            _free[_freeCount++] = ElementIndex(element);
    }

    /// <summary>Programs cannot look stacks up (kernel: stack_map_lookup_elem returns -EOPNOTSUPP): always null.</summary>
    public override byte* LookupElem(byte* key, int cpu) => null;

    /// <summary>kernel: stack_map_update_elem: -EINVAL (only bpf_get_stackid stores stacks).</summary>
    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu) => -Errno.EINVAL;

    /// <summary>kernel: stack_map_delete_elem: -E2BIG for an id not below the bucket count, -ENOENT for an empty bucket.</summary>
    public override int DeleteElem(byte* key)
    {
        uint id = Unsafe.ReadUnaligned<uint>(key);
        if (id >= (uint)_buckets.Length) return -Errno.E2BIG;
        byte* old = (byte*)Interlocked.Exchange(ref _buckets[id], 0);
        if (old == null) return -Errno.ENOENT;
        Recycle(old);
        return 0;
    }

    /// <summary>
    /// kernel: stack_map_get_next_key: the first non-empty bucket after <paramref name="key"/> (from the start for
    /// no key, an id past the buckets or an empty bucket); -ENOENT after the last.
    /// </summary>
    public override int GetNextKey(byte* key, byte* nextKey)
    {
        uint id = 0;
        if (key != null)
        {
            id = Unsafe.ReadUnaligned<uint>(key);
            id = id >= (uint)_buckets.Length || Volatile.Read(ref _buckets[id]) == 0 ? 0 : id + 1;
        }
        while (id < (uint)_buckets.Length && Volatile.Read(ref _buckets[id]) == 0) id++;
        if (id >= (uint)_buckets.Length) return -Errno.ENOENT;
        Unsafe.WriteUnaligned(nextKey, id);
        return 0;
    }

    /// <summary>
    /// kernel: bpf_stackmap_extract (MAP_LOOKUP_ELEM): the stack with id <paramref name="key"/>, zero-filled to
    /// value_size; -ENOENT for an id past the buckets or an empty bucket.
    /// </summary>
    public override int SysLookup(byte* key, byte* value, ulong flags) => Extract(key, value, delete: false);

    /// <summary>MAP_LOOKUP_AND_DELETE_ELEM (kernel: bpf_stackmap_extract with delete): the lookup, and the bucket is emptied.</summary>
    public override int SysLookupAndDelete(byte* key, byte* value, ulong flags) =>
        flags != 0 ? -Errno.EINVAL : Extract(key, value, delete: true);

    // The bucket is taken out while it is copied, so a concurrent bpf_get_stackid cannot recycle it under the copy;
    // then it goes back (lookup) or to the free list (delete).
    private int Extract(byte* key, byte* value, bool delete)
    {
        uint id = Unsafe.ReadUnaligned<uint>(key);
        if (id >= (uint)_buckets.Length) return -Errno.ENOENT;
        byte* bucket = (byte*)Interlocked.Exchange(ref _buckets[id], 0);
        if (bucket == null) return -Errno.ENOENT;
        int length = (int)Nr(bucket) * 8;
        new ReadOnlySpan<byte>(bucket + HeaderSize, length).CopyTo(new Span<byte>(value, length));
        new Span<byte>(value + length, (int)ValueSize - length).Clear();
        Recycle(delete ? bucket : (byte*)Interlocked.Exchange(ref _buckets[id], (nint)bucket));
        return 0;
    }

    /// <inheritdoc/>
    protected override void Free()
    {
        MapMemory.Free(Context, _elements, _bytes);
        Context.Uncharge((long)_buckets.Length * sizeof(nint));
        base.Free();
    }
}
