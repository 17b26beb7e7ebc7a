using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Uapi;
using static BpfSharp.Tests.Maps.HashTestKit;
using static BpfSharp.Uapi.MapFlags;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// BPF_MAP_TYPE_HASH_OF_MAPS: the template rules of bpf_map_meta_alloc and bpf_map_meta_equal,
/// fd-valued updates (bpf_fd_htab_map_update_elem), id lookups and the references held on inner maps.
/// </summary>
public unsafe class HashOfMapsTests
{
    private sealed class NotAMap : BpfObject
    {
        protected override void Free() { }
    }

    /// <summary>A context whose fd table is <paramref name="fds"/> (every resolution takes a reference).</summary>
    private static MapContext ContextWith(Dictionary<int, BpfObject> fds)
    {
        MapContext context = Context();
        context.ResolveFd = fd => fds.TryGetValue(fd, out BpfObject? o) && o.TryAcquire() ? o : null;
        return context;
    }

    private static MapAttributes Outer(Map? template, uint valueSize = 4, uint maxEntries = 4) => new()
    {
        Type = BpfMapType.HashOfMaps, KeySize = 4, ValueSize = valueSize, MaxEntries = maxEntries, InnerMap = template,
    };

    public static TheoryData<string, BpfMapType, uint, int> TemplateCases => new()
    {
        { "hash template", BpfMapType.Hash, 0, 0 },
        { "array template", BpfMapType.Array, 0, 0 },
        { "queue template", BpfMapType.Queue, 0, 0 },
        { "lpm trie template", BpfMapType.LpmTrie, BPF_F_NO_PREALLOC, 0 },
        { "prog array template (no map_meta_equal)", BpfMapType.ProgArray, 0, -Errno.ENOTSUPP },
        { "array of maps template (one level only)", BpfMapType.ArrayOfMaps, 0, -Errno.EINVAL },
        { "hash of maps template (one level only)", BpfMapType.HashOfMaps, 0, -Errno.EINVAL },
    };

    [Theory]
    [MemberData(nameof(TemplateCases))]
    public void TemplateKinds(string name, BpfMapType type, uint flags, int errno)
    {
        Assert.True(errno == CreateErrno(Outer(StubMap.Of(type, flags: flags))), name);
    }

    [Fact]
    public void CreationNeedsFourByteValuesAndATemplate()
    {
        Assert.Equal(-Errno.EBADF, CreateErrno(Outer(null))); // no template and inner_map_fd 0 not open
        Assert.Equal(-Errno.EINVAL, CreateErrno(Outer(StubMap.Of(BpfMapType.Hash), valueSize: 8)));
        Assert.Equal(-Errno.EINVAL, CreateErrno(Outer(null, valueSize: 8)));
        Assert.Equal(-Errno.EINVAL, CreateErrno(Outer(StubMap.Of(BpfMapType.Hash), maxEntries: 0)));
        Assert.Equal(-Errno.ENOTSUPP, CreateErrno(Outer(StubMap.Of(BpfMapType.Hash)) with { BtfKeyTypeId = 1 }));
        Assert.Equal(0, CreateErrno(Outer(StubMap.Of(BpfMapType.Hash)) with { Flags = BPF_F_NO_PREALLOC }));
    }

    /// <summary>template, inner -> errno of the update (bpf_map_meta_equal; array_map_meta_equal also compares max_entries).</summary>
    public static TheoryData<string, Func<MapContext, Map>, Func<MapContext, Map>, int> CompatibilityCases => new()
    {
        { "same hash", c => StubMap.Of(BpfMapType.Hash, context: c), c => StubMap.Of(BpfMapType.Hash, context: c), 0 },
        { "hash, other max_entries", c => StubMap.Of(BpfMapType.Hash, context: c), c => StubMap.Of(BpfMapType.Hash, maxEntries: 99, context: c), 0 },
        { "hash, other key size", c => StubMap.Of(BpfMapType.Hash, context: c), c => StubMap.Of(BpfMapType.Hash, keySize: 8, context: c), -Errno.EINVAL },
        { "hash, other value size", c => StubMap.Of(BpfMapType.Hash, context: c), c => StubMap.Of(BpfMapType.Hash, valueSize: 8, context: c), -Errno.EINVAL },
        { "hash, other flags", c => StubMap.Of(BpfMapType.Hash, context: c), c => StubMap.Of(BpfMapType.Hash, flags: BPF_F_NO_PREALLOC, context: c), -Errno.EINVAL },
        { "other type", c => StubMap.Of(BpfMapType.Hash, context: c), c => StubMap.Of(BpfMapType.LruHash, context: c), -Errno.EINVAL },
        { "array, same", c => StubMap.Of(BpfMapType.Array, context: c), c => StubMap.Of(BpfMapType.Array, context: c), 0 },
        { "array, other max_entries", c => StubMap.Of(BpfMapType.Array, context: c), c => StubMap.Of(BpfMapType.Array, maxEntries: 8, context: c), -Errno.EINVAL },
        { "array, BPF_F_INNER_MAP", c => StubMap.Of(BpfMapType.Array, flags: BPF_F_INNER_MAP, context: c), c => StubMap.Of(BpfMapType.Array, maxEntries: 8, flags: BPF_F_INNER_MAP, context: c), 0 },
        { "real hash map", c => Create(BpfMapType.Hash, 4, 4, 4, context: c), c => Create(BpfMapType.Hash, 4, 4, 16, context: c), 0 },
    };

    [Theory]
    [MemberData(nameof(CompatibilityCases))]
    public void InnerMapsMustMatchTheTemplate(string name, Func<MapContext, Map> template, Func<MapContext, Map> inner, int errno)
    {
        var fds = new Dictionary<int, BpfObject>();
        MapContext context = ContextWith(fds);
        Map outer = Create(BpfMapType.HashOfMaps, 4, 4, 4, context: context, innerMap: template(context));
        Map candidate = inner(context);
        fds[5] = candidate;
        Assert.True(errno == Update(outer, Key(1), BitConverter.GetBytes(5)), name);
        Assert.Equal(errno == 0 ? 2 : 1, candidate.RefCount);
        outer.Release();
        Assert.Equal(1, candidate.RefCount);
    }

    [Fact]
    public void FdsThatAreNotOpenOrNotMapsAreEbadfAndEinval()
    {
        var fds = new Dictionary<int, BpfObject>();
        MapContext context = ContextWith(fds);
        Map outer = Create(BpfMapType.HashOfMaps, 4, 4, 4, context: context, innerMap: StubMap.Of(BpfMapType.Hash));
        var notAMap = new NotAMap();
        fds[3] = notAMap;
        Assert.Equal(-Errno.EBADF, Update(outer, Key(1), BitConverter.GetBytes(4)));
        Assert.Equal(-Errno.EINVAL, Update(outer, Key(1), BitConverter.GetBytes(3)));
        Assert.Equal(1, notAMap.RefCount);
        outer.Release();
    }

    [Fact]
    public void LookupsGiveTheHandleToProgramsAndTheIdToUserSpace()
    {
        var fds = new Dictionary<int, BpfObject>();
        MapContext context = ContextWith(fds);
        Map inner = Create(BpfMapType.Hash, 4, 4, 4, context: context);
        inner.Id = 77;
        fds[9] = inner;
        Map outer = Create(BpfMapType.HashOfMaps, 4, 4, 4, context: context, innerMap: inner);
        Assert.Equal(0, Update(outer, Key(1), BitConverter.GetBytes(9)));
        using (context.Epochs.Enter())
            Assert.Equal(inner.Handle, (nint)ProgramLookup(outer, 1));
        var id = new byte[4];
        Assert.Equal(0, Lookup(outer, Key(1), id));
        Assert.Equal(77u, BitConverter.ToUInt32(id));
        Assert.Equal(-Errno.EINVAL, Lookup(outer, Key(1), id, BPF_F_LOCK));
        Assert.True(ProgramLookup(outer, 2) == null);
        outer.Release();
        inner.Release();
    }

    [Fact]
    public void UpdateFlagsFullMapAndUnsupportedCommands()
    {
        var fds = new Dictionary<int, BpfObject>();
        MapContext context = ContextWith(fds);
        Map inner = StubMap.Of(BpfMapType.Hash, context: context);
        fds[4] = inner;
        Map outer = Create(BpfMapType.HashOfMaps, 4, 4, 1, context: context, innerMap: inner);
        byte[] fd = BitConverter.GetBytes(4);
        Assert.Equal(-Errno.ENOENT, Update(outer, Key(1), fd, BPF_EXIST));
        Assert.Equal(0, Update(outer, Key(1), fd, BPF_NOEXIST));
        Assert.Equal(-Errno.EEXIST, Update(outer, Key(1), fd, BPF_NOEXIST));
        Assert.Equal(-Errno.E2BIG, Update(outer, Key(2), fd));
        Assert.Equal(-Errno.EINVAL, Update(outer, Key(1), fd, BPF_F_LOCK));
        Assert.Equal(-Errno.EINVAL, Update(outer, Key(1), fd, 8));
        Assert.Equal(2, inner.RefCount); // failed updates gave their reference back
        Assert.Equal(-Errno.ENOTSUPP, LookupAndDelete(outer, Key(1), new byte[4]));
        Assert.Equal(-Errno.EOPNOTSUPP, ProgramUpdate(outer, Key(1), new byte[8], BPF_ANY));
        byte[] key = Key(1);
        fixed (byte* k = key) Assert.Equal(0, outer.DeleteElem(k));
        outer.Release();
        Assert.Equal(1, inner.RefCount);
    }

    [Fact]
    public void ReplacedAndDeletedInnerMapsAreReleasedOnceNoRunUsesThem()
    {
        var fds = new Dictionary<int, BpfObject>();
        MapContext context = ContextWith(fds);
        Map a = Create(BpfMapType.Hash, 4, 4, 4, context: context), b = Create(BpfMapType.Hash, 4, 4, 4, context: context);
        fds[1] = a;
        fds[2] = b;
        Map outer = Create(BpfMapType.HashOfMaps, 4, 4, 4, context: context, innerMap: a);
        Assert.Equal(0, Update(outer, Key(7), BitConverter.GetBytes(1)));
        Assert.Equal(2, a.RefCount);
        using (context.Epochs.Enter())
        {
            Assert.Equal(a.Handle, (nint)ProgramLookup(outer, 7));
            Assert.Equal(0, Update(outer, Key(7), BitConverter.GetBytes(2)));
            Assert.Equal(2, a.RefCount); // a run may still use the old inner map
            Assert.Equal(2, b.RefCount);
        }
        ((HashTable)outer).Pool.Reclaim();
        Assert.Equal(1, a.RefCount);
        Assert.Equal(0, Delete(outer, Key(7)));
        Assert.Equal(1, b.RefCount); // no run was in progress: released at once
        outer.Release();
        a.Release();
        b.Release();
        Assert.True(a.IsFreed && b.IsFreed);
    }

    [Fact]
    public void FreeingTheOuterMapReleasesEveryInnerMap()
    {
        var fds = new Dictionary<int, BpfObject>();
        MapContext context = ContextWith(fds);
        Map inner = StubMap.Of(BpfMapType.Hash, context: context);
        fds[4] = inner;
        Map outer = Create(BpfMapType.HashOfMaps, 4, 4, 8, BPF_F_NO_PREALLOC, context, innerMap: inner);
        for (int k = 0; k < 5; k++) Assert.Equal(0, Update(outer, Key(k), BitConverter.GetBytes(4)));
        Assert.Equal(6, inner.RefCount);
        outer.Release();
        Assert.Equal(1, inner.RefCount);
    }
}
