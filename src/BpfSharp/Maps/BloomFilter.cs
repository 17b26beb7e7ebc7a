using System.Numerics;
using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// BPF_MAP_TYPE_BLOOM_FILTER (kernel: bloom_filter.c): a keyless set membership test with false
/// positives but no false negatives. Push sets one bit per hash function (map_extra's low 4 bits, 5
/// when 0); peek is 0 when all of a value's bits are set, -ENOENT when the value was certainly never
/// pushed. The bit array holds <c>max_entries * hashes * 7 / 5</c> bits rounded up to a power of two
/// (64 at least); hashes are the kernel's jhash, so with BPF_F_ZERO_SEED the bits match the kernel's.
/// </summary>
/// <remarks>
/// From user space: MAP_LOOKUP_ELEM peeks with the value passed in (nothing is copied back),
/// MAP_UPDATE_ELEM pushes; delete and get_next_key are -EOPNOTSUPP.
/// </remarks>
public sealed unsafe class BloomFilter : Map
{
    private const uint CreateFlagMask = MapFlags.BPF_F_NUMA_NODE | MapFlags.BPF_F_ZERO_SEED | MapFlags.AccessMask;
    private const uint KmallocMaxSize = 4u << 20; // KMALLOC_MAX_SIZE on x86-64
    private const uint DefaultHashes = 5;

    private readonly ulong* _bitset;
    private readonly ulong _bytes;
    private readonly uint _bitsetMask;
    private readonly uint _hashSeed;
    private readonly uint _alignedU32Count; // value_size / 4 when a multiple of 4 (jhash2), else 0 (jhash)

    private BloomFilter(MapAttributes attributes, MapContext context, ulong* bitset, ulong bytes, uint mask, uint hashes)
        : base(attributes, context)
    {
        _bitset = bitset;
        _bytes = bytes;
        _bitsetMask = mask;
        HashCount = hashes;
        if ((attributes.ValueSize & 3) == 0) _alignedU32Count = attributes.ValueSize / 4;
        if ((attributes.Flags & MapFlags.BPF_F_ZERO_SEED) == 0)
            _hashSeed = (uint)Random.Shared.NextInt64(0, 1L << 32);
    }

    /// <summary>
    /// kernel: bloom_map_alloc_check + bloom_map_alloc: -E2BIG for value_size over KMALLOC_MAX_SIZE;
    /// -EINVAL for a key, value_size 0, max_entries 0, unknown flags, both RDONLY_PROG and WRONLY_PROG,
    /// or map_extra bits above the low 4; -ENOMEM.
    /// </summary>
    internal static int TryCreate(MapAttributes attributes, MapContext context, out Map? map)
    {
        map = null;
        if (attributes.ValueSize > KmallocMaxSize) return -Errno.E2BIG;
        if (attributes.KeySize != 0 || attributes.ValueSize == 0 || attributes.MaxEntries == 0
            || (attributes.Flags & ~CreateFlagMask) != 0 || !MapFlagRules.AccessOk(attributes.Flags)
            || (attributes.MapExtra & ~0xFul) != 0)
            return -Errno.EINVAL;
        uint hashes = (uint)attributes.MapExtra;
        if (hashes == 0) hashes = DefaultHashes;

        ulong bytes = BitsetBytes(attributes.MaxEntries, hashes, out uint mask);
        byte* bitset = MapMemory.AllocZeroed(context, bytes, 64);
        if (bitset == null) return -Errno.ENOMEM;
        map = new BloomFilter(attributes, context, (ulong*)bitset, bytes, mask, hashes);
        return 0;
    }

    /// <summary>
    /// kernel: bloom_map_alloc's sizing: <c>max_entries * hashes * 7 / 5</c> bits (7 / 5 for 1 / ln 2) rounded
    /// up to a power of two, 64 at least; 2^32 bits when the product overflows or exceeds 2^31. Returns the
    /// bytes (whole u64 words) and the bit mask.
    /// </summary>
    internal static ulong BitsetBytes(uint maxEntries, uint hashes, out uint mask)
    {
        ulong bits = (ulong)maxEntries * hashes;
        if (bits > uint.MaxValue || bits / 5 * 7 > uint.MaxValue || bits / 5 * 7 > 1ul << 31)
        {
            mask = uint.MaxValue;
            return (((ulong)uint.MaxValue + 7) / 8 + 7) & ~7ul;
        }
        bits = bits / 5 * 7;
        bits = bits <= 64 ? 64 : BitOperations.RoundUpToPowerOf2(bits);
        mask = (uint)(bits - 1);
        return (bits / 8 + 7) & ~7ul;
    }

    /// <summary>Number of hash functions (bits per value).</summary>
    public uint HashCount { get; }

    /// <summary>Size of the bit array in bits.</summary>
    public ulong BitCount => (ulong)_bitsetMask + 1;

    private uint Hash(byte* value, uint index)
    {
        uint h = _alignedU32Count != 0
            ? Jhash.Hash2((uint*)value, _alignedU32Count, _hashSeed + index)
            : Jhash.Hash(value, ValueSize, _hashSeed + index);
        return h & _bitsetMask;
    }

    /// <summary>kernel: bloom_map_push_elem: sets the value's bits (atomically); -EINVAL for any flags but BPF_ANY.</summary>
    public override int PushElem(byte* value, ulong flags)
    {
        if (flags != MapFlags.BPF_ANY) return -Errno.EINVAL;
        for (uint i = 0; i < HashCount; i++)
        {
            uint h = Hash(value, i);
            ulong bit = 1ul << (int)(h & 63);
            ref ulong word = ref _bitset[h >> 6];
            if ((Volatile.Read(ref word) & bit) == 0)
                Interlocked.Or(ref word, bit);
        }
        return 0;
    }

    /// <summary>kernel: bloom_map_peek_elem: 0 if every bit of the value is set (maybe pushed), -ENOENT if not (never pushed).</summary>
    public override int PeekElem(byte* value)
    {
        for (uint i = 0; i < HashCount; i++)
        {
            uint h = Hash(value, i);
            if ((Volatile.Read(ref _bitset[h >> 6]) & (1ul << (int)(h & 63))) == 0)
                return -Errno.ENOENT;
        }
        return 0;
    }

    /// <summary>kernel: bloom_map_pop_elem: -EOPNOTSUPP.</summary>
    public override int PopElem(byte* value) => -Errno.EOPNOTSUPP;

    /// <summary>Keyless: programs peek instead (kernel: bloom_map_lookup_elem); always null.</summary>
    public override byte* LookupElem(byte* key, int cpu) => null;

    /// <summary>kernel: bloom_map_update_elem: -EINVAL (push instead).</summary>
    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu) => -Errno.EINVAL;

    /// <summary>kernel: bloom_map_delete_elem: -EOPNOTSUPP.</summary>
    public override int DeleteElem(byte* key) => -Errno.EOPNOTSUPP;

    /// <summary>kernel: bloom_map_get_next_key: -EOPNOTSUPP.</summary>
    public override int GetNextKey(byte* key, byte* nextKey) => -Errno.EOPNOTSUPP;

    /// <summary>MAP_LOOKUP_ELEM = peek with the caller's value: -EINVAL for a key.</summary>
    public override int SysLookup(byte* key, byte* value, ulong flags) => key != null ? -Errno.EINVAL : PeekElem(value);

    /// <summary>MAP_UPDATE_ELEM = push: -EINVAL for a key.</summary>
    public override int SysUpdate(byte* key, byte* value, ulong flags) => key != null ? -Errno.EINVAL : PushElem(value, flags);

    /// <inheritdoc/>
    protected override void Free()
    {
        MapMemory.Free(Context, _bitset, _bytes);
        base.Free();
    }
}
