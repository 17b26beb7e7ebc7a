using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// BPF_MAP_TYPE_DEVMAP_HASH (kernel: devmap.c): network devices by any u32 key, for bpf_redirect_map in XDP programs
/// when the keys are sparse (ifindexes, say). Keys hash into max_entries rounded up to a power of two buckets by their
/// low bits, as the kernel's dev_map_index_hash does; a new entry goes to the head of its bucket, so get_next_key walks
/// buckets in order and each bucket newest first, as the kernel's does. A value is an ifindex (and with 8 bytes the fd,
/// read back as the id, of a BPF_XDP_DEVMAP program); the only device here is loopback (ifindex 1).
/// </summary>
/// <remarks>
/// Buckets are copied on write under a lock and swapped atomically, so programs look keys up without locking; a
/// replaced or deleted entry's value is freed once no run that could hold it is left (epochs).
/// </remarks>
public sealed unsafe class DevMapHash : Map
{
    private const uint LoopbackIfindex = 1;
    private readonly record struct Entry(uint Key, nint Value);

    private readonly Entry[]?[] _buckets;
    private readonly Lock _writer = new();
    private int _items;

    private DevMapHash(MapAttributes attributes, MapContext context, uint buckets) : base(attributes, context) =>
        _buckets = new Entry[]?[buckets];

    /// <summary>
    /// kernel: dev_map_alloc_check + dev_map_init_map: -EINVAL for key_size other than 4, value_size other than 4 or 8,
    /// max_entries 0 or past 2^31 (no power-of-two bucket count), other flags than NUMA_NODE/RDONLY/WRONLY; -ENOMEM.
    /// </summary>
    internal static int TryCreate(MapAttributes a, MapContext context, out Map? map)
    {
        map = null;
        if (a.MaxEntries == 0 || a.KeySize != 4 || a.ValueSize is not (4 or 8)
            || (a.Flags & ~(MapFlags.BPF_F_NUMA_NODE | MapFlags.BPF_F_RDONLY | MapFlags.BPF_F_WRONLY)) != 0
            || a.MaxEntries > 1u << 31)
            return -Errno.EINVAL;
        uint buckets = BitOperations.RoundUpToPowerOf2(a.MaxEntries);
        if (buckets > (uint)Array.MaxLength || !context.TryCharge((long)buckets * sizeof(nint))) return -Errno.ENOMEM;
        map = new DevMapHash(a, context, buckets);
        return 0;
    }

    private Entry[]? BucketOf(uint key) => Volatile.Read(ref _buckets[key & (uint)(_buckets.Length - 1)]);

    private static int Find(Entry[]? bucket, uint key)
    {
        if (bucket is null) return -1;
        for (int i = 0; i < bucket.Length; i++)
            if (bucket[i].Key == key) return i;
        return -1;
    }

    /// <summary>The entry's value (ifindex, program id), or null when the key is absent (kernel: __dev_map_hash_lookup_elem).</summary>
    public override byte* LookupElem(byte* key, int cpu)
    {
        uint k = Unsafe.ReadUnaligned<uint>(key);
        Entry[]? bucket = BucketOf(k);
        int i = Find(bucket, k);
        return i < 0 ? null : (byte*)bucket![i].Value;
    }

    /// <summary>Programs cannot change the targets (the verifier lets them look up and redirect only).</summary>
    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu) => -Errno.EINVAL;

    /// <summary>
    /// kernel: __dev_map_hash_update_elem: -EINVAL for flags past BPF_EXIST, -EEXIST for BPF_NOEXIST on a present key,
    /// -EINVAL for an ifindex that names no device (0 included) or a program fd that is no BPF_XDP_DEVMAP XDP program,
    /// -E2BIG for a new key when max_entries are present. The entry (new or replacing) goes to the head of its bucket.
    /// </summary>
    public override int SysUpdate(byte* key, byte* value, ulong flags)
    {
        if (flags > MapFlags.BPF_EXIST) return -Errno.EINVAL;
        uint k = Unsafe.ReadUnaligned<uint>(key);
        uint ifindex = Unsafe.ReadUnaligned<uint>(value);
        int progFd = ValueSize == 8 ? Unsafe.ReadUnaligned<int>(value + 4) : 0;
        lock (_writer)
        {
            ref Entry[]? slot = ref _buckets[k & (uint)(_buckets.Length - 1)];
            Entry[]? bucket = slot;
            int old = Find(bucket, k);
            if (old >= 0 && flags == MapFlags.BPF_NOEXIST) return -Errno.EEXIST;
            if (ifindex != LoopbackIfindex) return -Errno.EINVAL; // dev_get_by_index found nothing
            uint progId = 0;
            if (progFd > 0)
            {
                int err = RedirectArrayMap.TargetProgram(Context, progFd, BpfAttachType.XdpDevmap, out progId);
                if (err < 0) return err;
            }
            if (old < 0 && _items >= MaxEntries) return -Errno.E2BIG;
            var fresh = (byte*)NativeMemory.AlignedAlloc(8, 8);
            Unsafe.WriteUnaligned(fresh, ifindex);
            Unsafe.WriteUnaligned(fresh + 4, progId);
            var next = new List<Entry>((bucket?.Length ?? 0) + 1) { new(k, (nint)fresh) };
            if (bucket is not null)
                foreach (Entry e in bucket)
                    if (e.Key != k) next.Add(e);
            Volatile.Write(ref slot, next.ToArray());
            if (old >= 0) Context.Epochs.Retire((void*)bucket![old].Value);
            else _items++;
            return 0;
        }
    }

    /// <summary>kernel: dev_map_hash_delete_elem: -ENOENT for an absent key.</summary>
    public override int DeleteElem(byte* key)
    {
        uint k = Unsafe.ReadUnaligned<uint>(key);
        lock (_writer)
        {
            ref Entry[]? slot = ref _buckets[k & (uint)(_buckets.Length - 1)];
            Entry[]? bucket = slot;
            int i = Find(bucket, k);
            if (i < 0) return -Errno.ENOENT;
            Entry[]? next = bucket!.Length == 1 ? null : [.. bucket[..i], .. bucket[(i + 1)..]];
            Volatile.Write(ref slot, next);
            Context.Epochs.Retire((void*)bucket[i].Value);
            _items--;
            return 0;
        }
    }

    /// <summary>
    /// kernel: dev_map_hash_get_next_key: the entry after <paramref name="key"/> in its bucket, else the first entry
    /// of a later bucket; from the first bucket for no key or an absent one; -ENOENT after the last.
    /// </summary>
    public override int GetNextKey(byte* key, byte* nextKey)
    {
        uint start = 0;
        if (key != null)
        {
            uint k = Unsafe.ReadUnaligned<uint>(key);
            Entry[]? bucket = BucketOf(k);
            int i = Find(bucket, k);
            if (i >= 0)
            {
                if (i + 1 < bucket!.Length)
                {
                    Unsafe.WriteUnaligned(nextKey, bucket[i + 1].Key);
                    return 0;
                }
                start = (k & (uint)(_buckets.Length - 1)) + 1;
            }
        }
        for (uint b = start; b < (uint)_buckets.Length; b++)
        {
            if (Volatile.Read(ref _buckets[b]) is { Length: > 0 } bucket)
            {
                Unsafe.WriteUnaligned(nextKey, bucket[0].Key);
                return 0;
            }
        }
        return -Errno.ENOENT;
    }

    /// <inheritdoc/>
    protected override void Free()
    {
        foreach (Entry[]? bucket in _buckets)
            if (bucket is not null)
                foreach (Entry e in bucket) NativeMemory.AlignedFree((void*)e.Value);
        Context.Uncharge((long)_buckets.Length * sizeof(nint));
        base.Free();
    }
}
