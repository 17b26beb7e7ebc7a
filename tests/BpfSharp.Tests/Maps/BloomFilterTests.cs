using BpfSharp.Maps;
using BpfSharp.Uapi;
using static BpfSharp.Uapi.MapFlags;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// BPF_MAP_TYPE_BLOOM_FILTER (kernel: bloom_filter.c, Documentation/bpf/map_bloom_filter.rst); errno as
/// the live kernel 6.18 answered. BloomFilterDifferentialTests compares false positives bit for bit.
/// </summary>
public unsafe class BloomFilterTests
{
    private const int EINVAL = -Errno.EINVAL, E2BIG = -Errno.E2BIG, OK = 0;

    public static TheoryData<string, uint, uint, uint, uint, ulong, int> CreateCases() => new()
    {
        { "valid", 0, 4, 1, 0, 0, OK },
        { "key_size 4", 4, 4, 1, 0, 0, EINVAL },
        { "value_size 0", 0, 0, 1, 0, 0, EINVAL },
        { "max_entries 0", 0, 4, 0, 0, 0, EINVAL },
        { "15 hash functions", 0, 4, 1, 0, 15, OK },
        { "map_extra 16", 0, 4, 1, 0, 16, EINVAL },
        { "map_extra 1 << 32", 0, 4, 1, 0, 1ul << 32, EINVAL },
        { "BPF_F_ZERO_SEED", 0, 4, 1, BPF_F_ZERO_SEED, 0, OK },
        { "BPF_F_NO_PREALLOC", 0, 4, 1, BPF_F_NO_PREALLOC, 0, EINVAL },
        { "value_size KMALLOC_MAX_SIZE + 1", 0, (4 << 20) + 1, 1, 0, 0, E2BIG },
        { "value_size INT_MAX + 1", 0, 0x8000_0000, 1, 0, 0, E2BIG },
        { "RDONLY_PROG|WRONLY_PROG", 0, 4, 1, BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG, 0, EINVAL },
    };

    [Theory]
    [MemberData(nameof(CreateCases))]
    public void Create_follows_the_kernel(string name, uint keySize, uint valueSize, uint maxEntries, uint flags, ulong extra, int expected)
    {
        _ = name;
        using var host = new MapTestHost();
        int rc = host.Create(new MapAttributes { Type = BpfMapType.BloomFilter, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries, Flags = flags, MapExtra = extra }, out _);
        Assert.Equal(Errno.Name(expected), Errno.Name(rc));
    }

    // kernel: bloom_map_alloc: n * k * 7 / 5 bits, rounded up to a power of two, 64 at least.
    [Theory]
    [InlineData(1u, 0ul, 64ul, 5u)]
    [InlineData(100u, 0ul, 1024ul, 5u)]   // 500 * 7 / 5 = 700
    [InlineData(100u, 3ul, 512ul, 3u)]    // 300 / 5 * 7 = 420
    public void The_bit_array_size_follows_the_kernel(uint maxEntries, ulong extra, ulong bits, uint hashes)
    {
        using var host = new MapTestHost();
        var map = (BloomFilter)host.CreateOk(BpfMapType.BloomFilter, 0, 4, maxEntries, BPF_F_ZERO_SEED, mapExtra: extra);
        Assert.Equal(bits, map.BitCount);
        Assert.Equal(hashes, map.HashCount);
        Assert.Equal((long)bits / 8, host.Context.Charged);
    }

    [Theory]
    [InlineData(306_783_378u, 5u, 1ul << 31)]        // 1 533 916 890 / 5 * 7 = 2 147 483 646: still below 2^31
    [InlineData(306_783_379u, 5u, 1ul << 32)]        // just over 2^31 bits: the 2^32-bit array
    [InlineData(1u << 30, 15u, 1ul << 32)]           // the product overflows u32
    public void Huge_filters_are_capped_at_2_to_the_32_bits(uint maxEntries, uint hashes, ulong bits)
    {
        ulong bytes = BloomFilter.BitsetBytes(maxEntries, hashes, out uint mask);
        Assert.Equal(bits - 1, mask);
        Assert.Equal(bits / 8, bytes);
    }

    [Fact]
    public void Pushed_values_are_always_found_and_flags_other_than_BPF_ANY_are_EINVAL()
    {
        using var host = new MapTestHost();
        Map map = host.CreateOk(BpfMapType.BloomFilter, 0, 12, 1000);

        for (uint i = 0; i < 1000; i++) Assert.Equal(0, map.Update(null, [.. Bytes.U32(i), .. Bytes.U64(i * 31)]));
        for (uint i = 0; i < 1000; i++) Assert.Equal(0, map.Lookup(null, [.. Bytes.U32(i), .. Bytes.U64(i * 31)]));
        Assert.Equal(EINVAL, map.Update(null, new byte[12], BPF_EXIST));
        Assert.Equal(EINVAL, map.Update(null, new byte[12], BPF_NOEXIST));
    }

    [Fact]
    public void Most_values_never_pushed_are_reported_absent()
    {
        using var host = new MapTestHost();
        Map map = host.CreateOk(BpfMapType.BloomFilter, 0, 4, 1000);
        for (uint i = 0; i < 1000; i++) Assert.Equal(0, map.Push(Bytes.U32(i)));

        int absent = 0;
        for (uint i = 1000; i < 11_000; i++)
            if (map.Peek(Bytes.U32(i)) == -Errno.ENOENT) absent++;
        Assert.True(absent > 9000, $"{absent} of 10000 absent"); // about 1 % false positives with 5 hashes, 7000 -> 8192 bits
    }

    // Live kernel 6.18: a key pointer is EINVAL; delete and get_next_key EOPNOTSUPP; lookup-and-delete ENOTSUPP.
    [Fact]
    public void Errno_rules_follow_the_kernel()
    {
        using var host = new MapTestHost();
        Map map = host.CreateOk(BpfMapType.BloomFilter, 0, 4, 10, BPF_F_ZERO_SEED);

        Assert.Equal(-Errno.ENOENT, map.Lookup(null, Bytes.U32(5)));
        Assert.Equal(0, map.Update(null, Bytes.U32(5)));
        Assert.Equal(0, map.Lookup(null, Bytes.U32(5)));
        Assert.Equal(EINVAL, map.Lookup(Bytes.U32(0), Bytes.U32(5)));
        Assert.Equal(EINVAL, map.Update(Bytes.U32(0), Bytes.U32(5)));
        Assert.Equal(-Errno.EOPNOTSUPP, map.Delete(null));
        Assert.Equal(-Errno.EOPNOTSUPP, map.NextKey(null, new byte[4]));
        Assert.Equal(-Errno.ENOTSUPP, map.LookupAndDelete(null, new byte[4]));
        Assert.Equal(-Errno.EOPNOTSUPP, map.Pop(new byte[4]));
        Assert.Equal(0, map.ProgLookup(Bytes.U32(0)));
    }

    [Fact]
    public void Zero_seed_filters_agree_and_random_seeds_differ()
    {
        using var host = new MapTestHost();
        Map a = host.CreateOk(BpfMapType.BloomFilter, 0, 4, 1, BPF_F_ZERO_SEED, mapExtra: 1);
        Map b = host.CreateOk(BpfMapType.BloomFilter, 0, 4, 1, BPF_F_ZERO_SEED, mapExtra: 1);
        for (uint i = 0; i < 8; i++) { a.Push(Bytes.U32(i)); b.Push(Bytes.U32(i)); }

        for (uint i = 0; i < 500; i++) Assert.Equal(a.Peek(Bytes.U32(i)), b.Peek(Bytes.U32(i)));
    }

    [Fact]
    public void Concurrent_pushes_set_every_bit()
    {
        using var host = new MapTestHost();
        Map map = host.CreateOk(BpfMapType.BloomFilter, 0, 8, 20_000);
        Parallel.For(0, 4, t =>
        {
            for (ulong i = 0; i < 5000; i++) Assert.Equal(0, map.Push(Bytes.U64((ulong)t << 32 | i)));
        });
        for (ulong t = 0; t < 4; t++)
            for (ulong i = 0; i < 5000; i++) Assert.Equal(0, map.Peek(Bytes.U64(t << 32 | i)));
    }
}
