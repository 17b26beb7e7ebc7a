using BpfSharp.Maps;
using BpfSharp.Uapi;
using static BpfSharp.Uapi.MapFlags;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// BPF_MAP_TYPE_LPM_TRIE (kernel: lpm_trie.c, Documentation/bpf/map_lpm_trie.rst): creation rules,
/// longest-prefix lookup, exact update/delete, the post-order get_next_key of the kernel's own
/// example, errno as the live kernel 6.18 answered.
/// </summary>
public unsafe class LpmTrieTests
{
    private const int EINVAL = -Errno.EINVAL, OK = 0;

    public static TheoryData<string, uint, uint, uint, uint, int> CreateCases() => new()
    {
        { "without BPF_F_NO_PREALLOC", 8, 4, 1, 0, EINVAL },
        { "valid", 8, 4, 1, BPF_F_NO_PREALLOC, OK },
        { "key_size 4: no data", 4, 4, 1, BPF_F_NO_PREALLOC, EINVAL },
        { "key_size 5: one data byte", 5, 4, 1, BPF_F_NO_PREALLOC, OK },
        { "key_size 260: 256 data bytes", 260, 4, 1, BPF_F_NO_PREALLOC, OK },
        { "key_size 261", 261, 4, 1, BPF_F_NO_PREALLOC, EINVAL },
        { "value_size 0", 8, 0, 1, BPF_F_NO_PREALLOC, EINVAL },
        { "max_entries 0", 8, 4, 0, BPF_F_NO_PREALLOC, EINVAL },
        { "value_size LPM_VAL_SIZE_MAX", 8, 4194024, 1, BPF_F_NO_PREALLOC, OK },
        { "value_size LPM_VAL_SIZE_MAX + 1", 8, 4194025, 1, BPF_F_NO_PREALLOC, EINVAL },
        { "value_size INT_MAX + 1", 8, 0x8000_0000, 1, BPF_F_NO_PREALLOC, EINVAL },
        { "BPF_F_ZERO_SEED", 8, 4, 1, BPF_F_NO_PREALLOC | BPF_F_ZERO_SEED, EINVAL },
        { "BPF_F_MMAPABLE", 8, 4, 1, BPF_F_NO_PREALLOC | BPF_F_MMAPABLE, EINVAL },
        { "RDONLY_PROG|WRONLY_PROG", 8, 4, 1, BPF_F_NO_PREALLOC | BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG, EINVAL },
        { "NUMA node", 8, 4, 1, BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE, OK },
    };

    [Theory]
    [MemberData(nameof(CreateCases))]
    public void Create_follows_the_kernel(string name, uint keySize, uint valueSize, uint maxEntries, uint flags, int expected)
    {
        _ = name;
        using var host = new MapTestHost();
        int rc = host.Create(new MapAttributes { Type = BpfMapType.LpmTrie, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries, Flags = flags }, out _);
        Assert.Equal(Errno.Name(expected), Errno.Name(rc));
    }

    private static byte[] V4(uint prefixLen, byte a, byte b, byte c, byte d) => Bytes.Lpm(prefixLen, a, b, c, d);

    private static string Walk(Map map)
    {
        var parts = new List<string>();
        byte[]? key = null;
        var next = new byte[8];
        int rc;
        while ((rc = map.NextKey(key, next)) == 0)
        {
            parts.Add($"{next[4]}.{next[5]}.{next[6]}.{next[7]}/{Bytes.ReadU32(next)}");
            key = (byte[])next.Clone();
        }
        Assert.Equal(-Errno.ENOENT, rc);
        return string.Join(" ", parts);
    }

    /// <summary>The four-node example at the top of kernel/bpf/lpm_trie.c.</summary>
    private static Map KernelExample(MapTestHost host, uint maxEntries = 4)
    {
        Map map = host.CreateOk(BpfMapType.LpmTrie, 8, 4, maxEntries, BPF_F_NO_PREALLOC);
        Assert.Equal(0, map.Update(V4(16, 192, 168, 0, 0), Bytes.U32(1)));
        Assert.Equal(0, map.Update(V4(24, 192, 168, 0, 0), Bytes.U32(2)));
        Assert.Equal(0, map.Update(V4(24, 192, 168, 128, 0), Bytes.U32(3)));
        Assert.Equal(0, map.Update(V4(24, 192, 168, 1, 0), Bytes.U32(5)));
        return map;
    }

    [Fact]
    public void Get_next_key_is_post_order_as_the_kernel_documents()
    {
        using var host = new MapTestHost();
        Map map = KernelExample(host);

        Assert.Equal("192.168.0.0/24 192.168.1.0/24 192.168.128.0/24 192.168.0.0/16", Walk(map));
    }

    public static TheoryData<string, uint, byte, byte, byte, byte, int, uint> LookupCases() => new()
    {
        { "inside 192.168.1.0/24", 32, 192, 168, 1, 77, 0, 5 },
        { "inside only 192.168.0.0/16", 32, 192, 168, 2, 77, 0, 1 },
        { "a /20 key only matches prefixes up to /20", 20, 192, 168, 1, 77, 0, 1 },
        { "inside 192.168.128.0/24", 32, 192, 168, 128, 1, 0, 3 },
        { "no covering prefix", 32, 10, 1, 1, 1, -Errno.ENOENT, 0 },
        { "prefixlen above the maximum", 33, 192, 168, 1, 77, -Errno.ENOENT, 0 },
    };

    [Theory]
    [MemberData(nameof(LookupCases))]
    public void Lookup_returns_the_longest_matching_prefix(string name, uint prefixLen, byte a, byte b, byte c, byte d, int expected, uint value)
    {
        _ = name;
        using var host = new MapTestHost();
        Map map = KernelExample(host);
        var result = new byte[4];

        Assert.Equal(expected, map.Lookup(V4(prefixLen, a, b, c, d), result));
        Assert.Equal(value, Bytes.ReadU32(result));
    }

    // Live kernel 6.18 on the full four-node example.
    [Fact]
    public void Update_and_delete_errno_follow_the_kernel()
    {
        using var host = new MapTestHost();
        Map map = KernelExample(host);

        Assert.Equal(-Errno.ENOSPC, map.Update(V4(8, 10, 0, 0, 0), Bytes.U32(9)));
        Assert.Equal(-Errno.ENOENT, map.Update(V4(8, 10, 0, 0, 0), Bytes.U32(9), BPF_EXIST));
        Assert.Equal(0, map.Update(V4(16, 192, 168, 0, 0), Bytes.U32(11))); // replacing needs no room
        Assert.Equal(-Errno.EEXIST, map.Update(V4(16, 192, 168, 0, 0), Bytes.U32(11), BPF_NOEXIST));
        Assert.Equal(-Errno.ENOSPC, map.Update(V4(23, 192, 168, 0, 0), Bytes.U32(11))); // an intermediate node's prefix is new
        Assert.Equal(-Errno.EINVAL, map.Update(V4(33, 192, 168, 0, 0), Bytes.U32(11)));
        Assert.Equal(-Errno.EINVAL, map.Update(V4(16, 192, 168, 0, 0), Bytes.U32(11), BPF_NOEXIST | BPF_EXIST));
        Assert.Equal(-Errno.EINVAL, map.Update(V4(16, 192, 168, 0, 0), Bytes.U32(11), BPF_F_LOCK));
        Assert.Equal(-Errno.ENOENT, map.Delete(V4(23, 192, 168, 0, 0))); // intermediate nodes are not elements
        Assert.Equal(-Errno.EINVAL, map.Delete(V4(33, 192, 168, 0, 0)));
        Assert.Equal(0, map.Delete(V4(16, 192, 168, 0, 0)));
        Assert.Equal("192.168.0.0/24 192.168.1.0/24 192.168.128.0/24", Walk(map));
        Assert.Equal(-Errno.ENOTSUPP, map.LookupAndDelete(V4(24, 192, 168, 0, 0), new byte[4]));
    }

    [Fact]
    public void Get_next_key_of_a_missing_or_invalid_key_starts_over_and_an_empty_trie_has_none()
    {
        using var host = new MapTestHost();
        Map map = KernelExample(host);
        var next = new byte[8];

        Assert.Equal(0, map.NextKey(V4(16, 10, 0, 0, 0), next));
        Assert.Equal(V4(24, 192, 168, 0, 0), next);
        Assert.Equal(0, map.NextKey(V4(33, 192, 168, 0, 0), next));
        Assert.Equal(V4(24, 192, 168, 0, 0), next);
        Assert.Equal(-Errno.ENOENT, host.CreateOk(BpfMapType.LpmTrie, 8, 4, 10, BPF_F_NO_PREALLOC).NextKey(null, next));
    }

    // The kernel stores the key's data as given, bits past the prefix included, and an update of the
    // same prefix replaces them (live kernel 6.18).
    [Fact]
    public void Data_past_the_prefix_is_kept_as_given_and_replaced_by_an_update_of_the_same_prefix()
    {
        using var host = new MapTestHost();
        Map map = host.CreateOk(BpfMapType.LpmTrie, 8, 4, 10, BPF_F_NO_PREALLOC);

        Assert.Equal(0, map.Update(V4(16, 192, 168, 5, 5), Bytes.U32(20)));
        Assert.Equal("192.168.5.5/16", Walk(map));
        Assert.Equal(0, map.Update(V4(16, 192, 168, 9, 9), Bytes.U32(21)));
        Assert.Equal("192.168.9.9/16", Walk(map));
        var value = new byte[4];
        Assert.Equal(0, map.Lookup(V4(32, 192, 168, 200, 1), value));
        Assert.Equal(21u, Bytes.ReadU32(value));
    }

    [Fact]
    public void A_zero_length_prefix_matches_everything_and_full_length_prefixes_match_exactly()
    {
        using var host = new MapTestHost();
        Map map = host.CreateOk(BpfMapType.LpmTrie, 6, 4, 10, BPF_F_NO_PREALLOC); // 2 data bytes
        Assert.Equal(0, map.Update(Bytes.Lpm(0, 0, 0), Bytes.U32(1)));
        Assert.Equal(0, map.Update(Bytes.Lpm(16, 0xab, 0xcd), Bytes.U32(2)));
        var value = new byte[4];

        Assert.Equal(0, map.Lookup(Bytes.Lpm(16, 0x12, 0x34), value));
        Assert.Equal(1u, Bytes.ReadU32(value));
        Assert.Equal(0, map.Lookup(Bytes.Lpm(16, 0xab, 0xcd), value));
        Assert.Equal(2u, Bytes.ReadU32(value));
        Assert.Equal(0, map.Lookup(Bytes.Lpm(16, 0xab, 0xce), value));
        Assert.Equal(1u, Bytes.ReadU32(value));
    }

    [Fact]
    public void Deleting_leaves_and_inner_nodes_keeps_the_rest_reachable_and_frees_the_memory()
    {
        using var host = new MapTestHost();
        Map map = KernelExample(host, maxEntries: 100);
        long charged = host.Context.Charged;

        Assert.Equal(0, map.Delete(V4(24, 192, 168, 1, 0))); // a leaf under an intermediate node: both go
        Assert.Equal("192.168.0.0/24 192.168.128.0/24 192.168.0.0/16", Walk(map));
        Assert.Equal(0, map.Delete(V4(16, 192, 168, 0, 0))); // two children: stays as an intermediate node
        Assert.Equal("192.168.0.0/24 192.168.128.0/24", Walk(map));
        Assert.Equal(0, map.Update(V4(16, 192, 168, 0, 0), Bytes.U32(7))); // the intermediate node becomes real again
        Assert.Equal("192.168.0.0/24 192.168.128.0/24 192.168.0.0/16", Walk(map));
        Assert.True(host.Context.Charged < charged);
        Assert.Equal(3u, ((LpmTrie)map).Count);

        map.Release();
        host.Epochs.Reclaim();
        Assert.Equal(0, host.Context.Charged);
    }

    [Fact]
    public void Long_keys_match_across_eight_byte_chunks()
    {
        using var host = new MapTestHost();
        Map map = host.CreateOk(BpfMapType.LpmTrie, 4 + 16, 4, 10, BPF_F_NO_PREALLOC); // IPv6
        byte[] prefix = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0xff, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal(0, map.Update(Bytes.Lpm(72, prefix), Bytes.U32(72)));
        Assert.Equal(0, map.Update(Bytes.Lpm(32, prefix), Bytes.U32(32)));
        var value = new byte[4];

        byte[] inside = (byte[])prefix.Clone();
        inside[15] = 1;
        Assert.Equal(0, map.Lookup(Bytes.Lpm(128, inside), value));
        Assert.Equal(72u, Bytes.ReadU32(value));
        inside[8] = 0xfe; // differs at bit 71
        Assert.Equal(0, map.Lookup(Bytes.Lpm(128, inside), value));
        Assert.Equal(32u, Bytes.ReadU32(value));
    }

    [Fact]
    public void A_value_pointer_from_a_lookup_outlives_a_concurrent_replace_until_the_run_ends()
    {
        using var host = new MapTestHost();
        Map map = host.CreateOk(BpfMapType.LpmTrie, 8, 8, 10, BPF_F_NO_PREALLOC);
        Assert.Equal(0, map.Update(V4(8, 10, 0, 0, 0), Bytes.U64(1)));

        using (host.Epochs.Enter())
        {
            var old = (ulong*)map.ProgLookup(V4(32, 10, 1, 2, 3));
            Assert.Equal(0, map.Update(V4(8, 10, 0, 0, 0), Bytes.U64(2))); // a new node replaces the old one
            Assert.Equal(0, map.Delete(V4(8, 10, 0, 0, 0)));
            host.Epochs.Reclaim();
            Assert.Equal(1ul, *old); // still the old node, not yet freed
            Assert.Equal(2, host.Epochs.PendingCount);
        }
        Assert.Equal(0, host.Epochs.PendingCount); // freed as the run left
    }

    [Fact]
    public void Readers_always_find_the_permanent_prefix_while_writers_churn()
    {
        using var host = new MapTestHost();
        Map map = host.CreateOk(BpfMapType.LpmTrie, 8, 8, 1000, BPF_F_NO_PREALLOC);
        // 10.0.0.0/8 stays; writers add and remove more specific prefixes whose value encodes them.
        Assert.Equal(0, map.Update(V4(8, 10, 0, 0, 0), Bytes.U64(8)));
        int stop = 0, bad = 0;

        var readers = Enumerable.Range(0, 2).Select(r => new Thread(() =>
        {
            var rng = new Random(r);
            while (Volatile.Read(ref stop) == 0)
            {
                using var _ = host.Epochs.Enter();
                byte b = (byte)rng.Next(256), c = (byte)rng.Next(256);
                var v = (ulong*)map.ProgLookup(V4(32, 10, b, c, 1));
                // The match is /8, or a writer's /16 (value 16 | b << 8) or /24 (value 24 | b << 8 | c << 16).
                if (v == null || !(*v == 8 || *v == (16ul | (ulong)b << 8) || *v == (24ul | (ulong)b << 8 | (ulong)c << 16)))
                    Interlocked.Increment(ref bad);
            }
        })).ToList();
        readers.ForEach(t => t.Start());
        Parallel.For(0, 2, w =>
        {
            var rng = new Random(100 + w);
            for (int i = 0; i < 20_000; i++)
            {
                byte b = (byte)rng.Next(256), c = (byte)rng.Next(256);
                byte[] key = rng.Next(2) == 0 ? V4(16, 10, b, 0, 0) : V4(24, 10, b, c, 0);
                ulong value = Bytes.ReadU32(key) == 16 ? 16ul | (ulong)b << 8 : 24ul | (ulong)b << 8 | (ulong)c << 16;
                if (rng.Next(3) == 0) map.Delete(key);
                else map.Update(key, Bytes.U64(value));
            }
        });
        Volatile.Write(ref stop, 1);
        readers.ForEach(t => t.Join());

        Assert.Equal(0, bad);
        // Every stored element is reachable by the walk, and the count matches.
        int walked = 0;
        byte[]? k = null;
        var n = new byte[8];
        while (map.NextKey(k, n) == 0) { walked++; k = (byte[])n.Clone(); }
        Assert.Equal((int)((LpmTrie)map).Count, walked);
    }
}
