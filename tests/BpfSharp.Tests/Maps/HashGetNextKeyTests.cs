using BpfSharp.Maps;
using BpfSharp.Uapi;
using static BpfSharp.Tests.Maps.HashTestKit;

namespace BpfSharp.Tests.Maps;

/// <summary>MAP_GET_NEXT_KEY on hash maps (htab_map_get_next_key): the man page's iteration contract.</summary>
public unsafe class HashGetNextKeyTests
{
    [Theory]
    [InlineData(BpfMapType.Hash)]
    [InlineData(BpfMapType.PercpuHash)]
    [InlineData(BpfMapType.LruHash)]
    [InlineData(BpfMapType.LruPercpuHash)]
    public void EmptyMapHasNoFirstKey(BpfMapType type)
    {
        Map map = Create(type, 4, 8, 8);
        var next = new byte[4];
        Assert.Equal(-Errno.ENOENT, GetNextKey(map, null, next));
        Assert.Equal(-Errno.ENOENT, GetNextKey(map, Key(5), next));
        map.Release();
    }

    [Fact]
    public void NullOrMissingKeyGivesTheFirstKeyAndTheLastKeyGivesEnoent()
    {
        Map map = Create(BpfMapType.Hash, 4, 8, 64);
        for (int k = 0; k < 50; k++) Assert.Equal(0, Update(map, k, k));
        var first = new byte[4];
        var fromMissing = new byte[4];
        Assert.Equal(0, GetNextKey(map, null, first));
        Assert.Equal(0, GetNextKey(map, Key(1000), fromMissing));
        Assert.Equal(first, fromMissing);

        List<byte[]> keys = Keys(map);
        Assert.Equal(Enumerable.Range(0, 50), keys.Select(k => BitConverter.ToInt32(k)).Order());
        var next = new byte[4];
        Assert.Equal(-Errno.ENOENT, GetNextKey(map, keys[^1], next));
        map.Release();
    }

    [Fact]
    public void IterationIsStableWhileNothingChanges()
    {
        Map map = Create(BpfMapType.Hash, 4, 8, 32);
        for (int k = 0; k < 32; k++) Assert.Equal(0, Update(map, k * 7, k));
        List<byte[]> once = Keys(map), twice = Keys(map);
        Assert.Equal(once, twice);
        map.Release();
    }

    [Fact]
    public void ZeroSeedOrderIsBucketOrderWithNewestFirstInABucket()
    {
        // With BPF_F_ZERO_SEED the bucket of a key is jhash(key, 0) & (n_buckets - 1); a bucket's
        // chain starts with the most recently inserted element (hlist_nulls_add_head_rcu).
        var map = (HashTable)Create(BpfMapType.Hash, 4, 8, 4, MapFlags.BPF_F_ZERO_SEED);
        int[] keys = [10, 11, 12, 13];
        foreach (int k in keys) Assert.Equal(0, Update(map, k, k));
        var expected = keys
            .Select((k, order) => (Key: k, Bucket: Jhash.Hash4((uint)k, 0) & (map.BucketCount - 1), Order: order))
            .OrderBy(x => x.Bucket).ThenByDescending(x => x.Order).Select(x => x.Key);
        Assert.Equal(expected, Keys(map).Select(k => BitConverter.ToInt32(k)));
        map.Release();
    }

    [Fact]
    public void WalkingWhileDeletingTheCurrentKeyRestartsOrContinues()
    {
        // Deleting the key just returned makes the next call start over (missing key -> first key).
        Map map = Create(BpfMapType.Hash, 4, 8, 16);
        for (int k = 0; k < 16; k++) Assert.Equal(0, Update(map, k, k));
        var seen = new HashSet<int>();
        byte[]? key = null;
        var next = new byte[4];
        while (GetNextKey(map, key, next) == 0)
        {
            seen.Add(BitConverter.ToInt32(next));
            Assert.Equal(0, Delete(map, next));
            key = next.ToArray();
        }
        Assert.Equal(16, seen.Count);
        Assert.Empty(Keys(map));
        map.Release();
    }

    [Fact]
    public void SpecialisedJhashFormsMatchTheGeneralOne()
    {
        // The 4- and 8-byte fast paths are the general function unrolled (the kernel's order is
        // checked against the live kernel in HashKernelDifferentialTests).
        byte[] key = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
        fixed (byte* p = key)
        {
            Assert.Equal(Jhash.Hash(p, 4, 7), Jhash.Hash4(BitConverter.ToUInt32(key), 7));
            Assert.Equal(Jhash.Hash(p, 8, 7), Jhash.Hash8(BitConverter.ToUInt64(key), 7));
            Assert.NotEqual(Jhash.Hash(p, 12, 0), Jhash.Hash(p, 13, 0));
        }
    }
}
