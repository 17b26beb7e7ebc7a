using System.Runtime.InteropServices;
using BpfSharp.Uapi;
using static BpfSharp.Tests.Api.ApiKit;

namespace BpfSharp.Tests.Api;

/// <summary>
/// <see cref="BpfMap{TKey, TValue}"/>: the dictionary-like operations with the kernel's flag
/// semantics, struct keys and values, and the size checks made when the object is built.
/// </summary>
public class BpfMapTypedTests
{
    [StructLayout(LayoutKind.Sequential)]
    private struct FlowKey
    {
        public uint Saddr, Daddr;
        public ushort Sport, Dport;
        public uint Proto;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct FlowStats
    {
        public ulong Packets, Bytes;
    }

    public static TheoryData<BpfMapType, uint> KeyedTypes => new()
    {
        { BpfMapType.Hash, 0 },
        { BpfMapType.Hash, MapFlags.BPF_F_NO_PREALLOC },
        { BpfMapType.LruHash, 0 },
    };

    [Theory]
    [MemberData(nameof(KeyedTypes))]
    public void Indexer_TryGetValue_TryAdd_Remove_follow_the_update_flags(BpfMapType type, uint flags)
    {
        using BpfSystem system = NewSystem();
        using var map = BpfMap<int, long>.Create(system, type, 16, flags);

        Assert.False(map.TryGetValue(1, out long missing));
        Assert.Equal(0L, missing);
        Assert.Throws<KeyNotFoundException>(() => map[1]);

        map[1] = 10; // BPF_ANY creates
        map[1] = 11; // and replaces
        Assert.Equal(11L, map[1]);
        Assert.True(map.TryGetValue(1, out long value));
        Assert.Equal(11L, value);

        Assert.False(map.TryAdd(1, 12)); // BPF_NOEXIST: present
        Assert.Equal(11L, map[1]);
        Assert.True(map.TryAdd(2, 20));
        map.Update(2, 21, MapFlags.BPF_EXIST);
        Assert.Equal(21L, map[2]);

        Assert.True(map.ContainsKey(2));
        Assert.True(map.Remove(2));
        Assert.False(map.Remove(2));
        Assert.False(map.ContainsKey(2));

        Assert.True(map.Remove(1, out long removed));
        Assert.Equal(11L, removed);
        Assert.False(map.Remove(1, out _));
    }

    [Fact]
    public void Struct_keys_and_values_are_stored_as_their_bytes()
    {
        using BpfSystem system = NewSystem();
        using var map = BpfMap<FlowKey, FlowStats>.Create(system, BpfMapType.Hash, 8);
        Assert.Equal(16u, map.KeySize);
        Assert.Equal(16u, map.ValueSize);
        var key = new FlowKey { Saddr = 0x0a000001, Daddr = 0x0a000002, Sport = 1234, Dport = 80, Proto = 6 };
        map[key] = new FlowStats { Packets = 3, Bytes = 1500 };

        FlowStats stats = map[key];
        Assert.Equal(3ul, stats.Packets);
        Assert.Equal(1500ul, stats.Bytes);
        Assert.False(map.ContainsKey(key with { Dport = 81 }));

        // The byte-level view of the same element.
        var bytes = new byte[16];
        Assert.True(map.TryLookup(MemoryMarshal.AsBytes(new[] { key }.AsSpan()), bytes));
        Assert.Equal(1500ul, BitConverter.ToUInt64(bytes, 8));
    }

    [Fact]
    public void Array_elements_always_exist_and_start_zeroed()
    {
        using BpfSystem system = NewSystem();
        using var map = BpfMap<uint, ulong>.Create(system, BpfMapType.Array, 4);
        Assert.Equal(0ul, map[3]);
        map[3] = 9;
        Assert.Equal(9ul, map[3]);
        Assert.False(map.TryGetValue(4, out _)); // past max_entries: ENOENT
        Assert.True(map.ContainsKey(0));
    }

    [Fact]
    public void Lru_hash_evicts_instead_of_failing_when_full()
    {
        using BpfSystem system = NewSystem(cpus: 1);
        using var map = BpfMap<int, long>.Create(system, BpfMapType.LruHash, 64);
        for (int k = 0; k < 1000; k++) map[k] = k; // never E2BIG
        Assert.True(map.Keys.Count() <= 64);
        Assert.Equal(999L, map[999]);
    }

    public static TheoryData<string, Func<BpfSystem, int, BpfMap>> WrongSizes => new()
    {
        { "key too long", (s, fd) => BpfMap<long, long>.FromFd(s, fd) },
        { "key too short", (s, fd) => BpfMap<short, long>.FromFd(s, fd) },
        { "value too short", (s, fd) => BpfMap<int, int>.FromFd(s, fd) },
        { "value too long", (s, fd) => BpfMap<int, FlowStats>.FromFd(s, fd) },
    };

    [Theory]
    [MemberData(nameof(WrongSizes))]
    public void Types_whose_size_is_not_the_maps_are_rejected_when_the_object_is_built(string name, Func<BpfSystem, int, BpfMap> adopt)
    {
        using BpfSystem system = NewSystem();
        using BpfMap raw = BpfMap.Create(system, BpfMapType.Hash, 4, 8, 4);
        var e = Assert.Throws<ArgumentException>(() => adopt(system, raw.Fd));
        Assert.True(e.Message.Contains("sizeof", StringComparison.Ordinal), name);
        Assert.False(raw.TryLookup(new byte[4], new byte[8])); // FromFd failed: the fd is still open, and the caller's
    }

    [Fact]
    public void A_spec_whose_sizes_do_not_match_the_types_is_rejected_before_creating()
    {
        using BpfSystem system = NewSystem();
        Assert.Throws<ArgumentException>(() => BpfMap<int, long>.Create(system, new BpfMapSpec(BpfMapType.Hash, 4, 4, 8)));
    }

    [Fact]
    public void Key_less_maps_have_no_typed_view()
    {
        using BpfSystem system = NewSystem();
        using BpfMap queue = BpfMap.Create(system, BpfMapType.Queue, 0, 8, 4);
        Assert.Throws<ArgumentException>(() => BpfMap<int, long>.FromFd(system, queue.Fd));
    }

    [Fact]
    public void Single_value_operations_on_per_cpu_maps_are_refused()
    {
        using BpfSystem system = NewSystem();
        using var map = BpfMap<int, long>.Create(system, BpfMapType.PercpuHash, 4);
        Assert.Throws<InvalidOperationException>(() => map[1] = 1);
        Assert.Throws<InvalidOperationException>(() => map.TryGetValue(1, out _));
        Assert.Throws<InvalidOperationException>(() => map.TryAdd(1, 1));
        Assert.Throws<InvalidOperationException>(() => map.GetEnumerator());
        Assert.False(map.ContainsKey(1)); // works on any map
        Assert.False(map.Remove(1));
    }

    [Fact]
    public void TryGetFirstKey_and_TryGetNextKey_walk_the_map()
    {
        using BpfSystem system = NewSystem();
        using var map = BpfMap<int, long>.Create(system, BpfMapType.Hash, 8);
        Assert.False(map.TryGetFirstKey(out _));
        map[5] = 1;
        map[6] = 1;
        Assert.True(map.TryGetFirstKey(out int first));
        Assert.True(map.TryGetNextKey(first, out int second));
        Assert.False(map.TryGetNextKey(second, out _));
        Assert.Equal([5, 6], new[] { first, second }.Order());
        // A key not in the map gives the first key (bpf(2): the walk restarts).
        Assert.True(map.TryGetNextKey(1000, out int restart));
        Assert.Equal(first, restart);
    }
}
