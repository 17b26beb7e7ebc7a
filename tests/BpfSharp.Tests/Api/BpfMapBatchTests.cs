using BpfSharp.Uapi;
using static BpfSharp.Tests.Api.ApiKit;

namespace BpfSharp.Tests.Api;

/// <summary>
/// Batch operations over spans (BPF_MAP_LOOKUP_BATCH, LOOKUP_AND_DELETE_BATCH, UPDATE_BATCH,
/// DELETE_BATCH): a cursor walk returns every element exactly once, in chunks of any size, and ends
/// with ENOENT; update and delete stop at the first element that fails, as the kernel's do.
/// </summary>
public class BpfMapBatchTests
{
    public static TheoryData<BpfMapType, int> Walks => new()
    {
        { BpfMapType.Hash, 1 },
        { BpfMapType.Hash, 7 },
        { BpfMapType.Hash, 100 },
        { BpfMapType.Hash, 1000 },
        { BpfMapType.LruHash, 7 },
        { BpfMapType.Array, 7 },
        { BpfMapType.Array, 100 },
    };

    [Theory]
    [MemberData(nameof(Walks))]
    public void LookupBatch_walks_every_element_once_in_chunks(BpfMapType type, int chunk)
    {
        using BpfSystem system = NewSystem();
        using var map = BpfMap<int, long>.Create(system, type, 100);
        int[] keys = Enumerable.Range(0, 100).ToArray();
        long[] values = keys.Select(k => k * 3L).ToArray();
        Assert.Equal(100, map.UpdateBatch(keys, values));

        var seen = new Dictionary<int, long>();
        var cursor = default(BpfMapBatchCursor<int>);
        var outKeys = new int[chunk];
        var outValues = new long[chunk];
        for (int calls = 0; !cursor.IsDone; calls++)
        {
            Assert.True(calls <= 100, "the walk does not end");
            int count = map.LookupBatch(ref cursor, outKeys, outValues);
            for (int i = 0; i < count; i++)
                seen.Add(outKeys[i], outValues[i]); // Add: a key returned twice throws
        }
        Assert.Equal(100, seen.Count);
        Assert.All(seen, kv => Assert.Equal(kv.Key * 3L, kv.Value));
        Assert.Equal(0, map.LookupBatch(ref cursor, outKeys, outValues)); // a finished walk stays finished
        cursor.Reset();
        Assert.Equal(Math.Min(chunk, 100), map.LookupBatch(ref cursor, outKeys, outValues));
    }

    [Fact]
    public void LookupAndDeleteBatch_empties_the_map()
    {
        using BpfSystem system = NewSystem();
        using var map = BpfMap<int, long>.Create(system, BpfMapType.Hash, 64);
        for (int k = 0; k < 50; k++) map[k] = k;
        var cursor = default(BpfMapBatchCursor<int>);
        var keys = new int[8];
        var values = new long[8];
        int total = 0;
        while (!cursor.IsDone)
        {
            int count = map.LookupAndDeleteBatch(ref cursor, keys, values);
            for (int i = 0; i < count; i++) Assert.Equal(keys[i], values[i]);
            total += count;
        }
        Assert.Equal(50, total);
        Assert.False(map.TryGetFirstKey(out _));
    }

    [Fact]
    public void DeleteBatch_removes_the_keys_and_stops_at_a_missing_one()
    {
        using BpfSystem system = NewSystem();
        using var map = BpfMap<int, long>.Create(system, BpfMapType.Hash, 16);
        for (int k = 0; k < 6; k++) map[k] = k;
        Assert.Equal(2, map.DeleteBatch([0, 1]));
        var e = Assert.Throws<BpfException>(() => map.DeleteBatch([2, 3, 100, 4]));
        Assert.Equal(Errno.ENOENT, e.Errno);
        Assert.Contains("2 of 4", e.Message);
        Assert.Equal([4, 5], map.Keys.Order());
    }

    [Fact]
    public void UpdateBatch_stops_at_the_first_failure_and_says_how_far_it_got()
    {
        using BpfSystem system = NewSystem();
        using var map = BpfMap<int, long>.Create(system, BpfMapType.Hash, 4);
        var e = Assert.Throws<BpfException>(() => map.UpdateBatch([1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6]));
        Assert.Equal(Errno.E2BIG, e.Errno);
        Assert.Contains("4 of 6", e.Message);
        Assert.Equal(4, map.Keys.Count());

    }

    [Theory]
    [InlineData(MapFlags.BPF_NOEXIST)]
    [InlineData(MapFlags.BPF_EXIST)]
    public void Batch_element_flags_other_than_BPF_F_LOCK_are_EINVAL(ulong flags)
    {
        // The live kernel (6.18) answers EINVAL for BPF_NOEXIST / BPF_EXIST in batch.elem_flags.
        using BpfSystem system = NewSystem();
        using var map = BpfMap<int, long>.Create(system, BpfMapType.Hash, 4);
        Assert.Equal(Errno.EINVAL, ErrnoOf(() => map.UpdateBatch([1], [10], flags)));
        var cursor = default(BpfMapBatchCursor<int>);
        Assert.Equal(Errno.EINVAL, ErrnoOf(() => map.LookupBatch(ref cursor, new int[1], new long[1], flags)));
    }

    [Fact]
    public void Empty_batches_do_nothing_and_mismatched_spans_are_argument_errors()
    {
        using BpfSystem system = NewSystem();
        using var map = BpfMap<int, long>.Create(system, BpfMapType.Hash, 4);
        Assert.Equal(0, map.UpdateBatch([], []));
        Assert.Equal(0, map.DeleteBatch([]));
        var cursor = default(BpfMapBatchCursor<int>);
        Assert.Equal(0, map.LookupBatch(ref cursor, [], []));
        Assert.Throws<ArgumentException>(() => map.UpdateBatch([1, 2], [1]));
        Assert.Throws<ArgumentException>(() => map.LookupBatch(ref cursor, new int[2], new long[1]));
    }
}
