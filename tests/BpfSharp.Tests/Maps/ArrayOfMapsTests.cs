using BpfSharp.Maps;
using BpfSharp.Uapi;
using static BpfSharp.Uapi.MapFlags;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// BPF_MAP_TYPE_ARRAY_OF_MAPS (kernel: array_of_maps_map_ops, map_in_map.c, Documentation/bpf/map_of_maps.rst):
/// the inner-map template, map fds in and map ids out, inner maps as programs see them. Expected errno
/// from the live kernel 6.18 (the same rows run against bpf() in MapInMapDifferentialTests).
/// </summary>
public unsafe class ArrayOfMapsTests
{
    private static MapAttributes Outer(Map? inner, uint flags = 0, uint valueSize = 4) => new()
    {
        Type = BpfMapType.ArrayOfMaps, KeySize = 4, ValueSize = valueSize, MaxEntries = 2, Flags = flags, InnerMap = inner,
    };

    [Fact]
    public void Create_needs_a_valid_template()
    {
        using var host = new MapTestHost();
        Map array = host.CreateOk(BpfMapType.Array, 4, 8, 4);
        Map progArray = host.CreateOk(BpfMapType.ProgArray, 4, 4, 1);
        Map outer = host.CreateOk(BpfMapType.ArrayOfMaps, 4, 4, 2, inner: array);

        Assert.Equal(-Errno.EBADF, host.Create(Outer(null), out _));
        Assert.Equal(-Errno.ENOTSUPP, host.Create(Outer(progArray), out _));
        Assert.Equal(-Errno.EINVAL, host.Create(Outer(outer), out _)); // one level only
        Assert.Equal(-Errno.EINVAL, host.Create(Outer(array, valueSize: 8), out _));
        Assert.Equal(-Errno.EINVAL, host.Create(Outer(array, BPF_F_RDONLY_PROG), out _));
        Assert.Equal(-Errno.EINVAL, host.Create(Outer(array, BPF_F_INNER_MAP), out _));
        Assert.Equal(-Errno.EINVAL, host.Create(Outer(array, BPF_F_MMAPABLE), out _));
        Assert.Equal(0, host.Create(Outer(host.CreateOk(BpfMapType.LpmTrie, 8, 8, 10, BPF_F_NO_PREALLOC)), out _));
        Assert.Equal(0, host.Create(Outer(host.CreateOk(BpfMapType.BloomFilter, 0, 8, 10)), out _));
        Assert.Equal(0, host.Create(Outer(host.CreateOk(BpfMapType.Queue, 0, 8, 10)), out _));
    }

    [Fact]
    public void Update_stores_the_map_user_lookup_returns_its_id_and_programs_get_the_map_itself()
    {
        using var host = new MapTestHost();
        Map template = host.CreateOk(BpfMapType.Array, 4, 8, 4);
        var outer = (ArrayOfMaps)host.CreateOk(BpfMapType.ArrayOfMaps, 4, 4, 2, inner: template);
        Map inner = host.CreateOk(BpfMapType.Array, 4, 8, 4);
        int fd = host.OpenFd(inner);

        Assert.Equal(0, outer.Update(Bytes.U32(1), Bytes.U32((uint)fd)));
        var id = new byte[4];
        Assert.Equal(0, outer.Lookup(Bytes.U32(1), id));
        Assert.Equal(inner.Id, Bytes.ReadU32(id));
        Assert.Equal(inner.Handle, outer.ProgLookup(Bytes.U32(1)));
        Assert.Equal(0, outer.ProgLookup(Bytes.U32(0)));
        Assert.Equal(0, outer.ProgLookup(Bytes.U32(2)));
        Assert.Same(inner, outer.GetInnerMap(1));
        Assert.Equal(BpfMapType.Array, outer.Template.Attributes.Type);
    }

    // Live kernel 6.18 (template: ARRAY key 4, value 8, max_entries 4): max_entries must match for an
    // ARRAY template, the user-only access flags are not part of the match, other types never compare
    // max_entries; flags other than BPF_ANY are EINVAL, a closed fd EBADF, a program fd EINVAL.
    public static TheoryData<string, BpfMapType, uint, uint, uint, uint, int> InnerCases() => new()
    {
        { "the same shape", BpfMapType.Array, 4, 8, 4, 0, 0 },
        { "another max_entries", BpfMapType.Array, 4, 8, 5, 0, -Errno.EINVAL },
        { "another value_size", BpfMapType.Array, 4, 4, 4, 0, -Errno.EINVAL },
        { "BPF_F_RDONLY only (an fd property)", BpfMapType.Array, 4, 8, 4, BPF_F_RDONLY, 0 },
        { "BPF_F_RDONLY_PROG (a map property)", BpfMapType.Array, 4, 8, 4, BPF_F_RDONLY_PROG, -Errno.EINVAL },
        { "another type", BpfMapType.PercpuArray, 4, 8, 4, 0, -Errno.EINVAL },
    };

    [Theory]
    [MemberData(nameof(InnerCases))]
    public void Inner_maps_must_match_the_template(string name, BpfMapType type, uint keySize, uint valueSize, uint maxEntries, uint flags, int expected)
    {
        _ = name;
        using var host = new MapTestHost();
        var outer = host.CreateOk(BpfMapType.ArrayOfMaps, 4, 4, 2, inner: host.CreateOk(BpfMapType.Array, 4, 8, 4));
        int fd = host.OpenFd(host.CreateOk(type, keySize, valueSize, maxEntries, flags));

        Assert.Equal(Errno.Name(expected), Errno.Name(outer.Update(Bytes.U32(0), Bytes.U32((uint)fd))));
    }

    [Fact]
    public void An_inner_map_template_frees_max_entries_and_other_types_never_compare_it()
    {
        using var host = new MapTestHost();
        var withFlag = host.CreateOk(BpfMapType.ArrayOfMaps, 4, 4, 2, inner: host.CreateOk(BpfMapType.Array, 4, 8, 1, BPF_F_INNER_MAP));
        var hashLike = host.CreateOk(BpfMapType.ArrayOfMaps, 4, 4, 2, inner: host.CreateOk(BpfMapType.Queue, 0, 8, 10));

        Assert.Equal(0, withFlag.Update(Bytes.U32(0), Bytes.U32((uint)host.OpenFd(host.CreateOk(BpfMapType.Array, 4, 8, 100, BPF_F_INNER_MAP)))));
        Assert.Equal(-Errno.EINVAL, withFlag.Update(Bytes.U32(0), Bytes.U32((uint)host.OpenFd(host.CreateOk(BpfMapType.Array, 4, 8, 1)))));
        Assert.Equal(0, hashLike.Update(Bytes.U32(0), Bytes.U32((uint)host.OpenFd(host.CreateOk(BpfMapType.Queue, 0, 8, 20)))));
    }

    [Fact]
    public void Errno_rules_follow_the_kernel()
    {
        using var host = new MapTestHost();
        Map template = host.CreateOk(BpfMapType.Array, 4, 8, 4);
        var outer = host.CreateOk(BpfMapType.ArrayOfMaps, 4, 4, 2, inner: template);
        int fd = host.OpenFd(host.CreateOk(BpfMapType.Array, 4, 8, 4));
        int prog = host.OpenFd(host.WithId(new FakeProgram(BpfProgType.SocketFilter)));

        Assert.Equal(-Errno.EINVAL, outer.Update(Bytes.U32(0), Bytes.U32((uint)fd), BPF_NOEXIST));
        Assert.Equal(-Errno.EINVAL, outer.Update(Bytes.U32(0), Bytes.U32((uint)fd), BPF_EXIST));
        Assert.Equal(-Errno.EINVAL, outer.Update(Bytes.U32(0), Bytes.U32((uint)prog)));
        Assert.Equal(-Errno.EBADF, outer.Update(Bytes.U32(0), Bytes.U32(9999)));
        Assert.Equal(-Errno.E2BIG, outer.Update(Bytes.U32(9), Bytes.U32((uint)fd)));
        Assert.Equal(-Errno.ENOENT, outer.Delete(Bytes.U32(1)));
        Assert.Equal(-Errno.E2BIG, outer.Delete(Bytes.U32(9)));
        Assert.Equal(-Errno.ENOENT, outer.Lookup(Bytes.U32(0), new byte[4]));
        Assert.Equal(0, outer.Update(Bytes.U32(0), Bytes.U32((uint)fd)));
        Assert.Equal(0, outer.Delete(Bytes.U32(0)));
        Assert.Equal(-Errno.ENOTSUPP, outer.LookupAndDelete(Bytes.U32(0), new byte[4]));
    }

    [Fact]
    public void The_template_is_a_copy_so_closing_it_leaves_the_outer_map_working()
    {
        using var host = new MapTestHost();
        Map template = host.CreateOk(BpfMapType.Array, 4, 8, 4);
        var outer = host.CreateOk(BpfMapType.ArrayOfMaps, 4, 4, 2, inner: template);
        template.Release();
        Assert.True(template.IsFreed);

        Assert.Equal(0, outer.Update(Bytes.U32(0), Bytes.U32((uint)host.OpenFd(host.CreateOk(BpfMapType.Array, 4, 8, 4)))));
    }

    [Fact]
    public void An_inner_map_deleted_during_a_run_stays_usable_until_the_run_ends()
    {
        using var host = new MapTestHost();
        var outer = (ArrayOfMaps)host.CreateOk(BpfMapType.ArrayOfMaps, 4, 4, 1, inner: host.CreateOk(BpfMapType.Array, 4, 8, 1));
        Map inner = host.CreateOk(BpfMapType.Array, 4, 8, 1);
        int fd = host.OpenFd(inner);
        inner.Release();
        Assert.Equal(0, outer.Update(Bytes.U32(0), Bytes.U32((uint)fd)));
        host.CloseFd(fd);

        using (host.Epochs.Enter())
        {
            nint handle = outer.ProgLookup(Bytes.U32(0));
            Assert.Equal(inner.Handle, handle);
            var value = (ulong*)inner.ProgLookup(Bytes.U32(0));
            Assert.Equal(0, outer.Delete(Bytes.U32(0)));
            host.Epochs.Reclaim();
            Assert.False(inner.IsFreed);
            *value = 1; // still the inner map's memory
        }
        host.Epochs.Reclaim();
        Assert.True(inner.IsFreed);
    }

    [Fact]
    public void Freeing_the_outer_map_releases_its_inner_maps()
    {
        using var host = new MapTestHost();
        Map outer = host.CreateOk(BpfMapType.ArrayOfMaps, 4, 4, 2, inner: host.CreateOk(BpfMapType.Array, 4, 8, 1));
        Map inner = host.CreateOk(BpfMapType.Array, 4, 8, 1);
        int fd = host.OpenFd(inner);
        Assert.Equal(0, outer.Update(Bytes.U32(0), Bytes.U32((uint)fd)));
        Assert.Equal(0, outer.Update(Bytes.U32(1), Bytes.U32((uint)fd)));
        Assert.Equal(4, inner.RefCount); // creator, fd, two slots

        outer.Release();

        Assert.Equal(2, inner.RefCount);
    }

    [Fact]
    public void Concurrent_slot_updates_and_program_lookups_never_see_a_freed_inner_map()
    {
        using var host = new MapTestHost();
        var outer = (ArrayOfMaps)host.CreateOk(BpfMapType.ArrayOfMaps, 4, 4, 4, inner: host.CreateOk(BpfMapType.Array, 4, 8, 1));
        var inners = Enumerable.Range(0, 6).Select(_ => host.CreateOk(BpfMapType.Array, 4, 8, 1)).ToArray();
        int[] fds = inners.Select(host.OpenFd).ToArray();
        foreach (Map m in inners) m.Release(); // the fds and the slots own them now
        int stop = 0, freedSeen = 0;

        var programs = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            for (uint i = 0; Volatile.Read(ref stop) == 0; i++)
            {
                using var _ = host.Epochs.Enter();
                Map? inner = outer.GetInnerMap(i % 4);
                if (inner is null) continue;
                var value = (long*)inner.ProgLookup(Bytes.U32(0));
                Interlocked.Increment(ref *value);
                if (inner.IsFreed) Interlocked.Increment(ref freedSeen);
            }
        })).ToList();
        programs.ForEach(t => t.Start());
        Parallel.For(0, 2, w =>
        {
            var rng = new Random(w);
            for (int i = 0; i < 5000; i++)
            {
                uint slot = (uint)rng.Next(4);
                if (rng.Next(4) == 0) outer.Delete(Bytes.U32(slot));
                else Assert.Equal(0, outer.Update(Bytes.U32(slot), Bytes.U32((uint)fds[rng.Next(fds.Length)])));
            }
        });
        Volatile.Write(ref stop, 1);
        programs.ForEach(t => t.Join());
        outer.Release();
        host.Epochs.Reclaim();

        Assert.Equal(0, freedSeen);
        Assert.All(inners, m => Assert.Equal(1, m.RefCount)); // only the fds' references are left
    }
}
