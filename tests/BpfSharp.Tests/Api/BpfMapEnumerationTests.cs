using BpfSharp.Uapi;
using static BpfSharp.Tests.Api.ApiKit;

namespace BpfSharp.Tests.Api;

/// <summary>
/// Enumerating keys and entries with BPF_MAP_GET_NEXT_KEY, including the kernel's rule that a walk
/// whose current key was deleted starts over from the first key.
/// </summary>
public class BpfMapEnumerationTests
{
    public static TheoryData<BpfMapType, uint> Types => new()
    {
        { BpfMapType.Hash, 0 },
        { BpfMapType.Hash, MapFlags.BPF_F_NO_PREALLOC },
        { BpfMapType.LruHash, 0 },
        { BpfMapType.Array, 0 },
    };

    [Theory]
    [MemberData(nameof(Types))]
    public void Entries_and_keys_are_the_map_contents(BpfMapType type, uint flags)
    {
        using BpfSystem system = NewSystem();
        using var map = BpfMap<int, long>.Create(system, type, 20, flags);
        for (int k = 0; k < 20; k += 2) map[k] = k * 100L;

        var entries = new Dictionary<int, long>();
        foreach (KeyValuePair<int, long> entry in map)
            entries.Add(entry.Key, entry.Value);
        var keys = new List<int>();
        foreach (int key in map.Keys)
            keys.Add(key);

        int expected = type == BpfMapType.Array ? 20 : 10; // every array element exists
        Assert.Equal(expected, entries.Count);
        Assert.Equal(expected, keys.Count);
        Assert.Equal(entries.Keys.Order(), keys.Order());
        for (int k = 0; k < 20; k += 2) Assert.Equal(k * 100L, entries[k]);
    }

    [Fact]
    public void An_empty_map_enumerates_nothing()
    {
        using BpfSystem system = NewSystem();
        using var map = BpfMap<int, long>.Create(system, BpfMapType.Hash, 4);
        Assert.Empty(map);
        Assert.Empty(map.Keys);
    }

    [Fact]
    public void Deleting_the_current_key_restarts_the_walk_at_the_first_key()
    {
        using BpfSystem system = NewSystem();
        using var map = BpfMap<int, long>.Create(system, BpfMapType.Hash, 8);
        for (int k = 1; k <= 4; k++) map[k] = k;

        using BpfMap<int, long>.KeyEnumerator walk = map.Keys.GetEnumerator();
        Assert.True(walk.MoveNext());
        Assert.True(walk.MoveNext());
        int current = walk.Current;
        Assert.True(map.Remove(current));
        Assert.True(map.TryGetFirstKey(out int first));

        Assert.True(walk.MoveNext());
        Assert.Equal(first, walk.Current); // GET_NEXT_KEY of a missing key: the first key
    }

    [Fact]
    public void A_finished_walk_stays_finished_and_Reset_starts_over()
    {
        using BpfSystem system = NewSystem();
        using var map = BpfMap<int, long>.Create(system, BpfMapType.Hash, 8);
        map[1] = 1;
        BpfMap<int, long>.Enumerator walk = map.GetEnumerator();
        Assert.True(walk.MoveNext());
        Assert.False(walk.MoveNext());
        Assert.False(walk.MoveNext()); // stays at the end
        walk.Reset();
        Assert.True(walk.MoveNext());
        Assert.Equal(new KeyValuePair<int, long>(1, 1), walk.Current);
    }
}
