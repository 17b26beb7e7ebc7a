using BpfSharp.Maps;
using BpfSharp.Uapi;
using static BpfSharp.Uapi.MapFlags;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// MAP_CREATE for the hash map types: the rules of htab_map_alloc_check and htab_map_alloc, each
/// errno as the kernel returns it (checked against kernel 6.18's bpf() on this machine).
/// </summary>
public class HashCreateTests
{
    private const BpfMapType Hash = BpfMapType.Hash, Percpu = BpfMapType.PercpuHash,
        Lru = BpfMapType.LruHash, LruPercpu = BpfMapType.LruPercpuHash;

    public static TheoryData<string, BpfMapType, uint, uint, uint, uint, uint, int> Cases => new()
    {
        // name, type, key_size, value_size, max_entries, map_flags, numa_node, errno
        { "plain hash", Hash, 4, 8, 16, 0, 0, 0 },
        { "plain percpu hash", Percpu, 4, 8, 16, 0, 0, 0 },
        { "plain lru hash", Lru, 4, 8, 16, 0, 0, 0 },
        { "plain lru percpu hash", LruPercpu, 4, 8, 16, 0, 0, 0 },
        { "max_entries 0", Hash, 4, 8, 0, 0, 0, -Errno.EINVAL },
        { "key_size 0", Hash, 0, 8, 1, 0, 0, -Errno.EINVAL },
        { "value_size 0", Percpu, 4, 0, 1, 0, 0, -Errno.EINVAL },
        { "key_size 513 is allowed (no MAX_BPF_STACK check at creation)", Hash, 513, 4, 1, 0, 0, 0 },
        { "key+value just under KMALLOC_MAX_SIZE - sizeof(htab_elem)", Hash, 4, 4194251, 1, BPF_F_NO_PREALLOC, 0, 0 },
        { "key+value at KMALLOC_MAX_SIZE - sizeof(htab_elem)", Hash, 4, 4194252, 1, BPF_F_NO_PREALLOC, 0, -Errno.E2BIG },
        { "huge key", Lru, 4194252, 4, 1, 0, 0, -Errno.E2BIG },
        { "percpu value 32768", Percpu, 4, 32768, 1, 0, 0, 0 },
        { "percpu value over PCPU_MIN_UNIT_SIZE", Percpu, 4, 32769, 1, 0, 0, -Errno.E2BIG },
        { "lru percpu value over PCPU_MIN_UNIT_SIZE", LruPercpu, 4, 32769, 1, 0, 0, -Errno.E2BIG },
        { "non-percpu value 32769", Lru, 4, 32769, 1, 0, 0, 0 },
        { "BPF_F_NO_PREALLOC", Hash, 4, 4, 1, BPF_F_NO_PREALLOC, 0, 0 },
        { "BPF_F_NO_PREALLOC on lru", Lru, 4, 4, 1, BPF_F_NO_PREALLOC, 0, -Errno.ENOTSUPP },
        { "BPF_F_NO_PREALLOC on lru percpu", LruPercpu, 4, 4, 1, BPF_F_NO_PREALLOC, 0, -Errno.ENOTSUPP },
        { "lru NO_PREALLOC is checked before sizes", Lru, 0, 0, 0, BPF_F_NO_PREALLOC, 0, -Errno.ENOTSUPP },
        { "BPF_F_NO_COMMON_LRU on hash", Hash, 4, 4, 2, BPF_F_NO_COMMON_LRU, 0, -Errno.EINVAL },
        { "BPF_F_NO_COMMON_LRU on percpu hash", Percpu, 4, 4, 2, BPF_F_NO_COMMON_LRU, 0, -Errno.EINVAL },
        { "BPF_F_NO_COMMON_LRU on lru", Lru, 4, 4, 2, BPF_F_NO_COMMON_LRU, 0, 0 },
        { "BPF_F_ZERO_SEED", Hash, 4, 4, 1, BPF_F_ZERO_SEED, 0, 0 },
        { "BPF_F_RDONLY", Hash, 4, 4, 1, BPF_F_RDONLY, 0, 0 },
        { "BPF_F_WRONLY", Hash, 4, 4, 1, BPF_F_WRONLY, 0, 0 },
        { "BPF_F_RDONLY | BPF_F_WRONLY", Hash, 4, 4, 1, BPF_F_RDONLY | BPF_F_WRONLY, 0, -Errno.EINVAL },
        { "BPF_F_RDONLY_PROG", Percpu, 4, 4, 1, BPF_F_RDONLY_PROG, 0, 0 },
        { "BPF_F_WRONLY_PROG", Lru, 4, 4, 1, BPF_F_WRONLY_PROG, 0, 0 },
        { "BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG", Hash, 4, 4, 1, BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG, 0, -Errno.EINVAL },
        { "access flags are checked before LRU flags", Lru, 4, 4, 4, BPF_F_NO_PREALLOC | BPF_F_RDONLY | BPF_F_WRONLY, 0, -Errno.EINVAL },
        { "BPF_F_MMAPABLE", Hash, 4, 4, 1, BPF_F_MMAPABLE, 0, -Errno.EINVAL },
        { "BPF_F_INNER_MAP", Hash, 4, 4, 1, BPF_F_INNER_MAP, 0, -Errno.EINVAL },
        { "BPF_F_STACK_BUILD_ID", Hash, 4, 4, 1, BPF_F_STACK_BUILD_ID, 0, -Errno.EINVAL },
        { "unknown flag bit 13", Hash, 4, 4, 1, 1u << 13, 0, -Errno.EINVAL },
        { "BPF_F_NUMA_NODE on hash", Hash, 4, 4, 1, BPF_F_NUMA_NODE, 0, 0 },
        { "BPF_F_NUMA_NODE on lru", Lru, 4, 4, 1, BPF_F_NUMA_NODE, 0, 0 },
        { "BPF_F_NUMA_NODE on percpu hash", Percpu, 4, 4, 1, BPF_F_NUMA_NODE, 0, -Errno.EINVAL },
        { "BPF_F_NUMA_NODE on lru percpu hash", LruPercpu, 4, 4, 1, BPF_F_NUMA_NODE, 0, -Errno.EINVAL },
        { "BPF_F_NUMA_NODE with BPF_F_NO_COMMON_LRU", Lru, 4, 4, 4, BPF_F_NUMA_NODE | BPF_F_NO_COMMON_LRU, 0, -Errno.EINVAL },
        { "numa_node -1 is NUMA_NO_NODE", Percpu, 4, 4, 1, BPF_F_NUMA_NODE, uint.MaxValue, 0 },
        { "numa is checked before sizes", Percpu, 4, 4, 0, BPF_F_NUMA_NODE, 0, -Errno.EINVAL },
        { "max_entries over 2^31", Hash, 4, 4, (1u << 31) + 1, BPF_F_NO_PREALLOC, 0, -Errno.E2BIG },
        { "max_entries 2^31: buckets overflow a u32", Hash, 4, 4, 1u << 31, BPF_F_NO_PREALLOC, 0, -Errno.E2BIG },
        { "max_entries 2^27 + 1: buckets overflow a u32", Hash, 4, 4, (1u << 27) + 1, BPF_F_NO_PREALLOC, 0, -Errno.E2BIG },
        { "lru max_entries 2^27 + 1", Lru, 4, 4, (1u << 27) + 1, 0, 0, -Errno.E2BIG },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void CreateFollowsHtabMapAllocCheck(string name, BpfMapType type, uint keySize, uint valueSize,
        uint maxEntries, uint flags, uint numaNode, int errno)
    {
        var attributes = new MapAttributes
        {
            Type = type, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries, Flags = flags, NumaNode = numaNode,
        };
        Assert.True(errno == HashTestKit.CreateErrno(attributes), name);
    }

    [Theory]
    [InlineData(BpfMapType.PercpuHash)]
    [InlineData(BpfMapType.LruHash)]
    [InlineData(BpfMapType.LruPercpuHash)]
    public void SpinLockOnlyInPlainHashValues(BpfMapType type)
    {
        // map_check_btf: bpf_spin_lock is allowed in HASH values only (of the hash types).
        var attributes = new MapAttributes { Type = type, KeySize = 4, ValueSize = 8, MaxEntries = 4, SpinLockOffset = 0 };
        Assert.Equal(-Errno.EOPNOTSUPP, HashTestKit.CreateErrno(attributes));
        Assert.Equal(0, HashTestKit.CreateErrno(attributes with { Type = BpfMapType.Hash }));
    }

    [Fact]
    public void PreallocatedElementsAreChargedAndOverTheLimitIsEnomem()
    {
        var context = HashTestKit.Context(memoryLimit: 64 << 10);
        var big = new MapAttributes { Type = BpfMapType.Hash, KeySize = 4, ValueSize = 64, MaxEntries = 4096 };
        Assert.Equal(-Errno.ENOMEM, HashTestKit.CreateErrno(big, context));
        Assert.Equal(0, context.Charged);
        // Without preallocation only the buckets are charged at creation.
        Assert.Equal(0, HashTestKit.CreateErrno(big with { Flags = BPF_F_NO_PREALLOC, MaxEntries = 1024 }, context));
        Assert.Equal(0, context.Charged);
    }

    [Fact]
    public void OnDemandElementsAreChargedAndOverTheLimitIsEnomem()
    {
        var context = HashTestKit.Context(memoryLimit: 16 << 10);
        Map map = HashTestKit.Create(BpfMapType.Hash, 4, 1024, 64, BPF_F_NO_PREALLOC, context);
        int inserted = 0, err;
        while ((err = HashTestKit.Update(map, HashTestKit.Key(inserted), new byte[1024])) == 0)
            inserted++;
        Assert.Equal(-Errno.ENOMEM, err);
        Assert.InRange(inserted, 1, 15);
        map.Release();
        Assert.Equal(0, context.Charged);
    }

    [Fact]
    public void NoCommonLruRoundsMaxEntriesToTheCpuCount()
    {
        // htab_map_alloc: roundup(max_entries, num_possible_cpus()) so every CPU's list has nodes.
        Map map = HashTestKit.Create(BpfMapType.LruHash, 4, 8, 5, BPF_F_NO_COMMON_LRU, HashTestKit.Context(cpus: 4));
        Assert.Equal(8u, map.MaxEntries);
        map.Release();
    }

    [Fact]
    public void ZeroSeedHashesWithSeedZero()
    {
        var zero = (HashTable)HashTestKit.Create(BpfMapType.Hash, 4, 4, 4, BPF_F_ZERO_SEED);
        Assert.Equal(0u, zero.Seed);
        zero.Release();
    }
}
