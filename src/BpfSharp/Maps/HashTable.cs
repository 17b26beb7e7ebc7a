using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// The hash table every hash map type shares (the kernel's <c>struct bpf_htab</c>, kernel/bpf/hashtab.c):
/// BPF_MAP_TYPE_HASH, PERCPU_HASH, LRU_HASH, LRU_PERCPU_HASH and HASH_OF_MAPS.
/// </summary>
/// <remarks>
/// <para>A power-of-two array of buckets, each a singly linked chain of native elements
/// (<see cref="HashElement"/>) hashed with jhash and a per-map seed (0 with BPF_F_ZERO_SEED).
/// Lookups are lock-free: they walk the chain with acquire loads. Writers take the bucket's spin
/// lock, insert new elements at the head and unlink old ones without touching their links, so
/// a concurrent reader always finds a consistent chain. Unlinked elements wait in limbo until every
/// run that might hold them has ended (<see cref="HashElementPool"/>).</para>
/// <para>Iteration (MAP_GET_NEXT_KEY) visits buckets in index order and each chain from its head,
/// as the kernel does; with BPF_F_ZERO_SEED the order is the kernel's.</para>
/// </remarks>
public abstract unsafe partial class HashTable : Map
{
    /// <summary>sizeof(struct htab_elem) as the kernel's size check counts it.</summary>
    private const ulong KernelElemSize = 48;
    /// <summary>KMALLOC_MAX_SIZE on x86-64.</summary>
    private const ulong KmallocMaxSize = 1UL << 22;
    /// <summary>PCPU_MIN_UNIT_SIZE: the largest per-CPU value.</summary>
    private const uint PcpuMinUnitSize = 32 << 10;
    /// <summary>sizeof(struct bucket) in the kernel's overflow check.</summary>
    private const uint KernelBucketSize = 16;
    /// <summary>HTAB_CREATE_FLAG_MASK.</summary>
    private const uint CreateFlagMask = MapFlags.BPF_F_NO_PREALLOC | MapFlags.BPF_F_NO_COMMON_LRU |
        MapFlags.BPF_F_NUMA_NODE | MapFlags.AccessMask | MapFlags.BPF_F_ZERO_SEED;

    private readonly uint _seed;
    private readonly int _keySize;
    private HashBucket* _buckets;
    private uint _bucketCount;
    private uint _mask;
    private long _charged;
    private int _count;

    /// <summary>Creates the table object; <see cref="Allocate"/> gives it memory.</summary>
    private protected HashTable(MapAttributes attributes, MapContext context, int valueArea)
        : base(attributes, context)
    {
        _keySize = (int)attributes.KeySize;
        KeyArea = RoundUp8((int)attributes.KeySize);
        ValueArea = valueArea;
        ElementSize = HashElement.HeaderSize + KeyArea + valueArea;
        _seed = (attributes.Flags & MapFlags.BPF_F_ZERO_SEED) != 0 ? 0u : (uint)Random.Shared.NextInt64(0, 1L << 32);
        Prealloc = (attributes.Flags & MapFlags.BPF_F_NO_PREALLOC) == 0;
        Pool = new HashElementPool(this, context, ElementSize, Prealloc);
    }

    /// <summary>round_up(key_size, 8): the key's share of an element.</summary>
    private protected int KeyArea { get; }
    /// <summary>Bytes of value storage in an element.</summary>
    private protected int ValueArea { get; }
    /// <summary>Header + key area + value area.</summary>
    private protected int ElementSize { get; }
    /// <summary>False with BPF_F_NO_PREALLOC.</summary>
    private protected bool Prealloc { get; }
    /// <summary>Where elements come from and go to.</summary>
    internal HashElementPool Pool { get; }
    /// <summary>The LRU lists of LRU maps; null otherwise.</summary>
    internal LruList? Lru { get; private protected set; }

    /// <summary>Number of buckets (roundup_pow_of_two(max_entries)).</summary>
    internal uint BucketCount => _bucketCount;

    /// <summary>Number of elements in the table (non-LRU maps; LRU maps are full by design).</summary>
    internal int Count => Volatile.Read(ref _count);

    /// <summary>The hash seed (hashrnd); 0 with BPF_F_ZERO_SEED.</summary>
    internal uint Seed => _seed;

    private protected static int RoundUp8(int n) => (n + 7) & ~7;

    // ---- creation (htab_map_alloc_check + htab_map_alloc) ----

    /// <summary>htab_map_alloc_check: 0 or -errno for the attributes of any hash map type.</summary>
    private protected static int CheckAttributes(MapAttributes a)
    {
        bool percpu = a.Type is BpfMapType.PercpuHash or BpfMapType.LruPercpuHash;
        bool lru = a.Type is BpfMapType.LruHash or BpfMapType.LruPercpuHash;
        bool percpuLru = (a.Flags & MapFlags.BPF_F_NO_COMMON_LRU) != 0;
        bool prealloc = (a.Flags & MapFlags.BPF_F_NO_PREALLOC) == 0;
        // bpf_map_attr_numa_node: numa_node counts only with BPF_F_NUMA_NODE; (u32)-1 is NUMA_NO_NODE.
        bool numa = (a.Flags & MapFlags.BPF_F_NUMA_NODE) != 0 && a.NumaNode != uint.MaxValue;

        if ((a.Flags & ~CreateFlagMask) != 0 || !AccessFlagsOk(a.Flags))
            return -Errno.EINVAL;
        if (!lru && percpuLru)
            return -Errno.EINVAL;
        if (lru && !prealloc)
            return -Errno.ENOTSUPP;
        if (numa && (percpu || percpuLru))
            return -Errno.EINVAL;
        if (a.MaxEntries == 0 || a.KeySize == 0 || a.ValueSize == 0)
            return -Errno.EINVAL;
        if ((ulong)a.KeySize + a.ValueSize >= KmallocMaxSize - KernelElemSize)
            return -Errno.E2BIG;
        if (percpu && ((a.ValueSize + 7) & ~7u) > PcpuMinUnitSize)
            return -Errno.E2BIG;
        // map_check_btf: a bpf_spin_lock only in HASH values, a bpf_timer only in HASH and LRU_HASH ones.
        if (a.SpinLockOffset >= 0 && a.Type != BpfMapType.Hash)
            return -Errno.EOPNOTSUPP;
        if (a.TimerOffset >= 0 && a.Type is not (BpfMapType.Hash or BpfMapType.LruHash))
            return -Errno.EOPNOTSUPP;
        return 0;
    }

    /// <summary>bpf_map_flags_access_ok: not both read-only and write-only, for either side.</summary>
    private static bool AccessFlagsOk(uint flags) =>
        (flags & (MapFlags.BPF_F_RDONLY | MapFlags.BPF_F_WRONLY)) != (MapFlags.BPF_F_RDONLY | MapFlags.BPF_F_WRONLY) &&
        (flags & (MapFlags.BPF_F_RDONLY_PROG | MapFlags.BPF_F_WRONLY_PROG)) != (MapFlags.BPF_F_RDONLY_PROG | MapFlags.BPF_F_WRONLY_PROG);

    /// <summary>
    /// htab_map_alloc's sizing: with BPF_F_NO_COMMON_LRU max_entries becomes a multiple of the CPU
    /// count; more than 2^31 entries, or more buckets than a u32 byte count can hold, is E2BIG.
    /// </summary>
    private protected static int AdjustAttributes(MapAttributes a, int possibleCpus, out MapAttributes adjusted)
    {
        adjusted = a;
        ulong maxEntries = a.MaxEntries;
        if ((a.Flags & MapFlags.BPF_F_NO_COMMON_LRU) != 0)
        {
            ulong cpus = (ulong)possibleCpus;
            ulong up = (maxEntries + cpus - 1) / cpus * cpus;
            maxEntries = up > uint.MaxValue ? maxEntries / cpus * cpus : up;
        }
        if (maxEntries > 1UL << 31)
            return -Errno.E2BIG;
        if (BitOperations.RoundUpToPowerOf2((uint)maxEntries) > uint.MaxValue / KernelBucketSize)
            return -Errno.E2BIG;
        if (maxEntries != a.MaxEntries)
            adjusted = a with { MaxEntries = (uint)maxEntries };
        return 0;
    }

    /// <summary>
    /// Validates <paramref name="attributes"/>, builds the map with <paramref name="construct"/> and
    /// allocates it: 0 and the map, or -errno (nothing is left allocated or charged on failure).
    /// </summary>
    private protected static int Create(MapAttributes attributes, MapContext context,
        Func<MapAttributes, HashTable> construct, out Map? map)
    {
        map = null;
        int err = CheckAttributes(attributes);
        if (err != 0) return err;
        err = AdjustAttributes(attributes, context.PossibleCpus, out MapAttributes adjusted);
        if (err != 0) return err;
        HashTable table = construct(adjusted);
        err = table.Allocate();
        if (err != 0)
        {
            table.Release();
            return err;
        }
        map = table;
        return 0;
    }

    /// <summary>Allocates and charges the buckets and, unless BPF_F_NO_PREALLOC, every element.</summary>
    private int Allocate()
    {
        _bucketCount = BitOperations.RoundUpToPowerOf2(MaxEntries);
        _mask = _bucketCount - 1;
        ulong bytes = (ulong)_bucketCount * (ulong)sizeof(HashBucket);
        if (Prealloc)
            bytes += (ulong)MaxEntries * (ulong)ElementSize;
        if (bytes > long.MaxValue / 2 || !Context.TryCharge((long)bytes))
            return -Errno.ENOMEM;
        _charged = (long)bytes;
        try
        {
            _buckets = (HashBucket*)NativeMemory.AllocZeroed(_bucketCount, (nuint)sizeof(HashBucket));
            if (Prealloc)
            {
                HashElement* block = Pool.AllocateBlock(MaxEntries);
                if (Lru is { } lru) lru.Populate(block, MaxEntries, ElementSize);
                else Pool.PopulateFree(block, MaxEntries);
            }
        }
        catch (OutOfMemoryException)
        {
            return -Errno.ENOMEM;
        }
        return 0;
    }

    /// <summary>Frees every element, the buckets and the charges; elements still in the table get <see cref="OnElementFreed"/>.</summary>
    protected override void Free()
    {
        if (_buckets != null)
        {
            for (uint i = 0; i < _bucketCount; i++)
            {
                for (HashElement* e = _buckets[i].Head; e != null;)
                {
                    HashElement* next = e->Next;
                    OnElementFreed(e);
                    Pool.FreeTableElement(e);
                    e = next;
                }
            }
            NativeMemory.Free(_buckets);
            _buckets = null;
        }
        Pool.FreeAll();
        Lru?.Free();
        Context.Uncharge(_charged);
        _charged = 0;
        base.Free();
    }

    /// <summary>
    /// Called once for every element that was in the table when it is finally reused or freed
    /// (no run can see it any more): map-in-map drops its inner map reference here.
    /// </summary>
    internal virtual void OnElementFreed(HashElement* e)
    {
    }

    /// <summary>True when <see cref="OnElementFreed"/> releases something, so retired elements are reclaimed as soon as no run holds them.</summary>
    internal virtual bool ReleasesOnElementFree => false;

    // ---- lookup ----

    /// <summary>The jhash of <paramref name="key"/> with this map's seed (htab_map_hash).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected uint HashKey(byte* key) => _keySize switch
    {
        4 => Jhash.Hash4(Unsafe.ReadUnaligned<uint>(key), _seed),
        8 => Jhash.Hash8(Unsafe.ReadUnaligned<ulong>(key), _seed),
        _ => Jhash.Hash(key, (uint)_keySize, _seed),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool KeyEquals(byte* a, byte* b) => _keySize switch
    {
        4 => *(uint*)a == Unsafe.ReadUnaligned<uint>(b),
        8 => *(ulong*)a == Unsafe.ReadUnaligned<ulong>(b),
        _ => new ReadOnlySpan<byte>(a, _keySize).SequenceEqual(new ReadOnlySpan<byte>(b, _keySize)),
    };

    /// <summary>The bucket of <paramref name="hash"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected HashBucket* BucketOf(uint hash) => _buckets + (hash & _mask);

    /// <summary>Acquire load of a chain link.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected static HashElement* LoadLink(HashElement** link) => (HashElement*)Volatile.Read(ref *(nint*)link);

    /// <summary>Release store of a chain link (publishes a fully initialised element).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected static void StoreLink(HashElement** link, HashElement* value) => Volatile.Write(ref *(nint*)link, (nint)value);

    /// <summary>lookup_nulls_elem_raw: the element of <paramref name="key"/> in a chain, lock-free.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected HashElement* FindInChain(HashBucket* bucket, uint hash, byte* key)
    {
        for (HashElement* e = LoadLink(&bucket->Head); e != null; e = LoadLink(&e->Next))
        {
            if (e->Hash == hash && KeyEquals(HashElement.KeyOf(e), key))
                return e;
        }
        return null;
    }

    /// <summary>__htab_map_lookup_elem: the element of <paramref name="key"/>, or null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected HashElement* Find(byte* key)
    {
        uint hash = HashKey(key);
        return FindInChain(BucketOf(hash), hash, key);
    }

    /// <summary>
    /// The per-CPU maps' lookup: <paramref name="cpu"/>'s value slot in the element of <paramref name="key"/>,
    /// or null for a missing key or a CPU that does not exist; an LRU map marks the element referenced.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected byte* FindPercpuSlot(byte* key, uint cpu)
    {
        if (cpu >= (uint)Context.PossibleCpus) return null;
        HashElement* e = Find(key);
        if (e == null) return null;
        if (Lru != null && e->Ref == 0) e->Ref = 1;
        return ValueOf(e) + cpu * PerCpuSlotSize;
    }

    /// <summary>The value area of <paramref name="e"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected byte* ValueOf(HashElement* e) => (byte*)e + HashElement.HeaderSize + KeyArea;

    /// <summary>htab_map_get_next_key: bucket order, each chain from its head; a missing key restarts at the first.</summary>
    public override int GetNextKey(byte* key, byte* nextKey)
    {
        using var run = Context.Epochs.Enter();
        uint i = 0;
        if (key != null)
        {
            uint hash = HashKey(key);
            HashElement* e = FindInChain(BucketOf(hash), hash, key);
            if (e != null)
            {
                HashElement* next = LoadLink(&e->Next);
                if (next != null)
                {
                    Buffer.MemoryCopy(HashElement.KeyOf(next), nextKey, _keySize, _keySize);
                    return 0;
                }
                i = (hash & _mask) + 1;
            }
        }
        for (; i < _bucketCount; i++)
        {
            HashElement* first = LoadLink(&_buckets[i].Head);
            if (first != null)
            {
                Buffer.MemoryCopy(HashElement.KeyOf(first), nextKey, _keySize, _keySize);
                return 0;
            }
        }
        return -Errno.ENOENT;
    }
}
