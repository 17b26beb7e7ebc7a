using BpfSharp.Maps;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;
using static BpfSharp.Uapi.MapFlags;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// ARRAY_OF_MAPS and PROG_ARRAY against the live kernel. Each kernel map or program has a twin of ours
/// registered under the same fd number, so the same u32 fd values go into both outer maps.
/// </summary>
public class MapInMapDifferentialTests
{
    private const string NoKernel = KernelDifferentialTests.NoKernel;

    private sealed record Spec(string Name, BpfMapType Type, uint Key, uint Value, uint Max, uint Flags = 0);

    private static readonly Spec[] Specs =
    [
        new("array 4/8/4", BpfMapType.Array, 4, 8, 4),
        new("array 4/8/5", BpfMapType.Array, 4, 8, 5),
        new("array 4/4/4", BpfMapType.Array, 4, 4, 4),
        new("array 4/8/4 rdonly", BpfMapType.Array, 4, 8, 4, BPF_F_RDONLY),
        new("array 4/8/4 wronly", BpfMapType.Array, 4, 8, 4, BPF_F_WRONLY),
        new("array 4/8/4 rdonly_prog", BpfMapType.Array, 4, 8, 4, BPF_F_RDONLY_PROG),
        new("array 4/8/1 inner", BpfMapType.Array, 4, 8, 1, BPF_F_INNER_MAP),
        new("array 4/8/100 inner", BpfMapType.Array, 4, 8, 100, BPF_F_INNER_MAP),
        new("array 4/8/4 mmapable", BpfMapType.Array, 4, 8, 4, BPF_F_MMAPABLE),
        new("percpu 4/8/4", BpfMapType.PercpuArray, 4, 8, 4),
        new("percpu 4/8/9", BpfMapType.PercpuArray, 4, 8, 9),
        new("lpm 8/8/10", BpfMapType.LpmTrie, 8, 8, 10, BPF_F_NO_PREALLOC),
        new("lpm 8/8/20", BpfMapType.LpmTrie, 8, 8, 20, BPF_F_NO_PREALLOC),
        new("queue 0/8/10", BpfMapType.Queue, 0, 8, 10),
        new("queue 0/8/20", BpfMapType.Queue, 0, 8, 20),
        new("stack 0/8/10", BpfMapType.Stack, 0, 8, 10),
        new("bloom 0/8/10", BpfMapType.BloomFilter, 0, 8, 10),
        new("prog array", BpfMapType.ProgArray, 4, 4, 2),
    ];

    /// <summary>Every spec created in the kernel and here, ours registered under the kernel's fd.</summary>
    private sealed class Twins : IDisposable
    {
        public readonly MapTestHost Host = new(KernelMapOracle.PossibleCpus);
        public readonly Dictionary<string, int> Fd = [];
        public readonly Dictionary<string, Map> Ours = [];

        public Twins()
        {
            foreach (Spec s in Specs) Add(s.Name, s.Type, s.Key, s.Value, s.Max, s.Flags, 0, null);
            Host.OpenFdAs(0, new FakeProgram(BpfProgType.Unspec)); // fd 0: open (stdin), but no map
        }

        public int Add(string name, BpfMapType type, uint key, uint value, uint max, uint flags, int innerFd, Map? inner)
        {
            int fd = KernelMapOracle.Create((uint)type, key, value, max, flags, innerFd);
            Assert.True(fd >= 0, $"{name}: {Errno.Name(fd)}");
            Map ours = Host.CreateOk(type, key, value, max, flags, inner);
            Host.OpenFdAs(fd, ours);
            Fd[name] = fd;
            Ours[name] = ours;
            return fd;
        }

        public void Dispose()
        {
            foreach (int fd in Fd.Values) KernelMapOracle.Close(fd);
            Host.Dispose();
        }
    }

    /// <summary>Both map-in-map types with every spec as the template.</summary>
    public static TheoryData<BpfMapType, string> OuterAndTemplate()
    {
        var rows = new TheoryData<BpfMapType, string>();
        foreach (BpfMapType outer in new[] { BpfMapType.ArrayOfMaps, BpfMapType.HashOfMaps })
            foreach (Spec s in Specs)
                rows.Add(outer, s.Name);
        return rows;
    }

    [SkippableTheory]
    [MemberData(nameof(OuterAndTemplate))]
    public void A_map_in_map_with_this_template_accepts_and_refuses_inner_maps_as_the_kernel_does(BpfMapType type, string template)
    {
        Skip.IfNot(KernelMapOracle.IsAvailable, NoKernel);
        using var twins = new Twins();
        var attributes = new MapAttributes
        {
            // A zero seed: the hash walks its buckets in the kernel's order.
            Type = type, KeySize = 4, ValueSize = 4, MaxEntries = 2, InnerMap = twins.Ours[template],
            Flags = type == BpfMapType.HashOfMaps ? BPF_F_ZERO_SEED : 0,
        };
        var (kernelCreate, ourCreate) = MapTwin.CreateBoth(twins.Host, attributes, twins.Fd[template]);
        Assert.Equal(Errno.Name(kernelCreate), Errno.Name(ourCreate));
        if (kernelCreate != 0) return;

        using var outer = MapTwin.Create(twins.Host, attributes, twins.Fd[template]);
        foreach (Spec inner in Specs)
        {
            byte[] fd = Bytes.U32((uint)twins.Fd[inner.Name]);
            if (outer.Update(Bytes.U32(0), fd) == 0) AssertLookupGivesTheTwinsId(twins, outer, 0, inner.Name);
            if (outer.Update(Bytes.U32(1), fd, BPF_NOEXIST) == 0)
            {
                AssertLookupGivesTheTwinsId(twins, outer, 1, inner.Name);
                outer.Delete(Bytes.U32(1));
            }
            outer.Delete(Bytes.U32(0));
            outer.Delete(Bytes.U32(0));
        }
        if (outer.Update(Bytes.U32(2), Bytes.U32((uint)twins.Fd[template])) == 0)
            AssertLookupGivesTheTwinsId(twins, outer, 2, template);
        outer.Update(Bytes.U32(1), Bytes.U32(9999));
        outer.Update(Bytes.U32(1), Bytes.U32(0)); // stdin: open, but not a map
        outer.Delete(Bytes.U32(5));
        outer.Lookup(Bytes.U32(1), 4);
        outer.Lookup(Bytes.U32(7), 4);
        outer.NextKey(null, 4);
        outer.NextKey(Bytes.U32(1), 4);
        outer.LookupAndDelete(Bytes.U32(0), 4);
        outer.AssertSame();
    }

    [SkippableTheory]
    [InlineData(BpfMapType.ArrayOfMaps)]
    [InlineData(BpfMapType.HashOfMaps)]
    public void Templates_that_are_not_maps_or_are_missing_are_refused_as_the_kernel_does(BpfMapType type)
    {
        Skip.IfNot(KernelMapOracle.IsAvailable, NoKernel);
        using var twins = new Twins();
        twins.Add("aom", BpfMapType.ArrayOfMaps, 4, 4, 2, 0, twins.Fd["array 4/8/4"], twins.Ours["array 4/8/4"]);
        twins.Add("hom", BpfMapType.HashOfMaps, 4, 4, 2, 0, twins.Fd["array 4/8/4"], twins.Ours["array 4/8/4"]);
        var attributes = new MapAttributes { Type = type, KeySize = 4, ValueSize = 4, MaxEntries = 2 };

        // Map-in-map templates (one level only), by the map itself and by its fd.
        foreach (string nested in new[] { "aom", "hom" })
        {
            Assert.Equal((-Errno.EINVAL, -Errno.EINVAL), MapTwin.CreateBoth(twins.Host, attributes with { InnerMap = twins.Ours[nested] }, twins.Fd[nested]));
            Assert.Equal((-Errno.EINVAL, -Errno.EINVAL), MapTwin.CreateBoth(twins.Host, attributes with { InnerMapFd = (uint)twins.Fd[nested] }, twins.Fd[nested]));
        }
        // A closed fd, stdin (open, not a map), and the kernel's checks of the outer map before the template.
        Assert.Equal((-Errno.EBADF, -Errno.EBADF), MapTwin.CreateBoth(twins.Host, attributes with { InnerMapFd = 9999 }, 9999));
        Assert.Equal((-Errno.EINVAL, -Errno.EINVAL), MapTwin.CreateBoth(twins.Host, attributes, 0));
        Assert.Equal((-Errno.EINVAL, -Errno.EINVAL), MapTwin.CreateBoth(twins.Host, attributes with { ValueSize = 8, InnerMapFd = 9999 }, 9999));
        Assert.Equal((-Errno.EINVAL, -Errno.EINVAL), MapTwin.CreateBoth(twins.Host, attributes with { MaxEntries = 0, InnerMapFd = 9999 }, 9999));
        // A template given by its fd: the reference taken to read it is given back (the template is a copy).
        int refs = twins.Ours["array 4/8/4 rdonly"].RefCount;
        Assert.Equal((0, 0), MapTwin.CreateBoth(twins.Host, attributes with { InnerMapFd = (uint)twins.Fd["array 4/8/4 rdonly"] }, twins.Fd["array 4/8/4 rdonly"]));
        Assert.Equal(refs, twins.Ours["array 4/8/4 rdonly"].RefCount);
    }

    [SkippableFact]
    public void A_prog_array_takes_compatible_programs_and_returns_their_ids_as_the_kernel_does()
    {
        Skip.IfNot(KernelMapOracle.IsAvailable, NoKernel);
        using var twins = new Twins();
        twins.Host.Context.ProgramOwner = o => o is FakeProgram p ? p.ProgType : null;
        int sock = KernelMapOracle.LoadTrivialProgram((uint)BpfProgType.SocketFilter);
        int xdp = KernelMapOracle.LoadTrivialProgram((uint)BpfProgType.Xdp);
        Assert.True(sock >= 0 && xdp >= 0);
        try
        {
            var sockTwin = twins.Host.WithId(new FakeProgram(BpfProgType.SocketFilter));
            var xdpTwin = twins.Host.WithId(new FakeProgram(BpfProgType.Xdp));
            twins.Host.OpenFdAs(sock, sockTwin);
            twins.Host.OpenFdAs(xdp, xdpTwin);
            using var pa = MapTwin.Create(twins.Host, new MapAttributes { Type = BpfMapType.ProgArray, KeySize = 4, ValueSize = 4, MaxEntries = 3 });

            pa.Lookup(Bytes.U32(0), 4);
            Assert.Equal(0, pa.Update(Bytes.U32(0), Bytes.U32((uint)sock)));
            var kId = new byte[4];
            var oId = new byte[4];
            Assert.Equal(0, KernelMapOracle.Lookup(pa.Fd, Bytes.U32(0), kId));
            Assert.Equal(0, pa.Ours.Lookup(Bytes.U32(0), oId));
            Assert.Equal(KernelMapOracle.IdOf(sock), Bytes.ReadU32(kId));
            Assert.Equal(sockTwin.Id, Bytes.ReadU32(oId));

            pa.Update(Bytes.U32(1), Bytes.U32((uint)xdp)); // another program type than the owner
            pa.Update(Bytes.U32(1), Bytes.U32((uint)sock), BPF_NOEXIST);
            pa.Update(Bytes.U32(1), Bytes.U32((uint)sock), BPF_EXIST);
            pa.Update(Bytes.U32(3), Bytes.U32((uint)sock));
            pa.Update(Bytes.U32(3), Bytes.U32((uint)sock), BPF_NOEXIST);
            pa.Update(Bytes.U32(1), Bytes.U32(9999));
            pa.Update(Bytes.U32(1), Bytes.U32((uint)twins.Fd["array 4/8/4"]));
            pa.Update(Bytes.U32(2), Bytes.U32((uint)sock));
            pa.Delete(Bytes.U32(1));
            pa.Delete(Bytes.U32(3));
            pa.Delete(Bytes.U32(2));
            pa.Delete(Bytes.U32(2));
            pa.Lookup(Bytes.U32(2), 4);
            pa.Lookup(Bytes.U32(9), 4);
            pa.NextKey(null, 4);
            pa.NextKey(Bytes.U32(2), 4);
            pa.LookupAndDelete(Bytes.U32(0), 4);
            pa.AssertSame();
        }
        finally
        {
            KernelMapOracle.Close(sock);
            KernelMapOracle.Close(xdp);
        }
    }

    private static void AssertLookupGivesTheTwinsId(Twins twins, MapTwin outer, uint index, string inner)
    {
        var kId = new byte[4];
        var oId = new byte[4];
        Assert.Equal(0, KernelMapOracle.Lookup(outer.Fd, Bytes.U32(index), kId));
        Assert.Equal(0, outer.Ours.Lookup(Bytes.U32(index), oId));
        Assert.Equal(KernelMapOracle.IdOf(twins.Fd[inner]), Bytes.ReadU32(kId));
        Assert.Equal(twins.Ours[inner].Id, Bytes.ReadU32(oId));
    }
}
