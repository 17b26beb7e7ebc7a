using BpfSharp.Maps;
using BpfSharp.Uapi;
using static BpfSharp.Tests.Maps.HashTestKit;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// LRU_HASH eviction, single-threaded and therefore deterministic. Expected key sets follow the
/// kernel's bpf_lru_list algorithm (target_free = clamp(max_entries / CPUs / 2, 1, 128), shrink from
/// the inactive tail, referenced nodes get a second chance); HashKernelDifferentialTests checks the
/// same sequences against the live kernel.
/// </summary>
public unsafe class LruHashMapTests
{
    /// <summary>Fills keys 1..n from user space (CPU 0).</summary>
    private static void Fill(Map map, int n)
    {
        for (int k = 1; k <= n; k++) Assert.Equal(0, Update(map, k, k));
    }

    private static void Touch(Map map, int key)
    {
        using (map.Context.Epochs.Enter())
            Assert.True(ProgramLookup(map, key) != null);
    }

    [Fact]
    public void TargetFreeIsHalfAPerCpuShareClampedTo1And128()
    {
        Assert.Equal(1, ((HashTable)Create(BpfMapType.LruHash, 4, 8, 4, context: Context(2))).Lru!.TargetFree);
        Assert.Equal(2, ((HashTable)Create(BpfMapType.LruHash, 4, 8, 4, context: Context(1))).Lru!.TargetFree);
        Assert.Equal(128, ((HashTable)Create(BpfMapType.LruHash, 4, 8, 1024, context: Context(2))).Lru!.TargetFree);
    }

    [Fact]
    public void InsertingIntoAFullMapEvictsTheOldestKey()
    {
        Map map = Create(BpfMapType.LruHash, 4, 8, 4, context: Context(2));
        Fill(map, 4);
        Assert.Equal(0, Update(map, 5, 5));
        Assert.Equal(new[] { 2, 3, 4, 5 }, IntKeys(map));
        map.Release();
    }

    [Fact]
    public void AKeyAProgramLookedUpSurvivesAndTheOldestUntouchedIsEvicted()
    {
        Map map = Create(BpfMapType.LruHash, 4, 8, 4, context: Context(2));
        Fill(map, 4);
        Touch(map, 1);
        Assert.Equal(0, Update(map, 5, 5));
        Assert.Equal(new[] { 1, 3, 4, 5 }, IntKeys(map));
        map.Release();
    }

    [Fact]
    public void UserSpaceLookupsDoNotMarkKeysReferenced()
    {
        Map map = Create(BpfMapType.LruHash, 4, 8, 4, context: Context(2));
        Fill(map, 4);
        Assert.Equal(1, Lookup(map, 1));
        Assert.Equal(0, Update(map, 5, 5));
        Assert.Equal(new[] { 2, 3, 4, 5 }, IntKeys(map));
        map.Release();
    }

    [Fact]
    public void EvictionComesInBatchesOfTargetFree()
    {
        // One CPU, 4 entries: target_free = 2, so the first insert into the full map evicts the
        // two oldest untouched keys at once, and the next insert needs no eviction.
        Map map = Create(BpfMapType.LruHash, 4, 8, 4, context: Context(1));
        Fill(map, 4);
        Touch(map, 1);
        Assert.Equal(0, Update(map, 5, 5));
        Assert.Equal(new[] { 1, 4, 5 }, IntKeys(map));
        Assert.Equal(0, Update(map, 6, 6));
        Assert.Equal(new[] { 1, 4, 5, 6 }, IntKeys(map));
        map.Release();
    }

    [Fact]
    public void AnLruMapNeverRunsOutOfRoom()
    {
        Map map = Create(BpfMapType.LruHash, 4, 8, 16, context: Context(2));
        for (int k = 0; k < 1000; k++) Assert.Equal(0, Update(map, k, k));
        int[] keys = IntKeys(map);
        Assert.InRange(keys.Length, 1, 16);
        Assert.Contains(999, keys);
        foreach (int k in keys) Assert.Equal(k, Lookup(map, k));
        map.Release();
    }

    [Fact]
    public void PerCpuListsOnlyUseTheUpdatingCpusShare()
    {
        // BPF_F_NO_COMMON_LRU with 2 CPUs and 4 entries: CPU 0 owns 2 nodes. The third insert
        // from CPU 0 shrinks CPU 0's inactive list by up to PERCPU_FREE_TARGET (4) nodes.
        Map map = Create(BpfMapType.LruHash, 4, 8, 4, MapFlags.BPF_F_NO_COMMON_LRU, Context(2));
        Fill(map, 2);
        Assert.Equal(0, Update(map, 3, 3));
        Assert.Equal(new[] { 3 }, IntKeys(map));
        Assert.Equal(0, ProgramUpdate(map, Key(10), Value(10), MapFlags.BPF_ANY, cpu: 1));
        Assert.Equal(0, ProgramUpdate(map, Key(11), Value(11), MapFlags.BPF_ANY, cpu: 1));
        Assert.Equal(new[] { 3, 10, 11 }, IntKeys(map));
        map.Release();
    }

    [Fact]
    public void DeletedNodesAreReusedWithoutEviction()
    {
        Map map = Create(BpfMapType.LruHash, 4, 8, 4, context: Context(2));
        Fill(map, 4);
        Assert.Equal(0, Delete(map, 2));
        Assert.Equal(-Errno.ENOENT, Delete(map, 2));
        Assert.Equal(0, Update(map, 5, 5));
        Assert.Equal(new[] { 1, 3, 4, 5 }, IntKeys(map));
        map.Release();
    }

    [Fact]
    public void AnEvictedValueStaysReadableUntilTheRunEnds()
    {
        var context = Context(2);
        var map = (HashTable)Create(BpfMapType.LruHash, 4, 8, 4, context: context);
        map.Pool.PoisonRecycled = true;
        Fill(map, 4);
        var held = new nint[5];
        using (context.Epochs.Enter())
        {
            for (int k = 1; k <= 4; k++) held[k] = (nint)ProgramLookup(map, k);
            Assert.Equal(0, Update(map, 5, 5)); // every key is referenced: one is force-evicted
            int[] keys = IntKeys(map);
            Assert.Equal(4, keys.Length);
            for (int k = 1; k <= 4; k++) Assert.Equal(k, *(long*)held[k]);
            Assert.Equal(0, map.Pool.Reclaim());
        }
        int evicted = Enumerable.Range(1, 4).Single(k => Lookup(map, k) is null);
        Assert.Equal(1, map.Pool.Reclaim());
        Assert.Equal(0xDEADBEEFu, *(uint*)held[evicted]);
        map.Release();
    }
}
