using BpfSharp.Maps;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Helpers;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;
using static BpfSharp.Uapi.MapFlags;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// SOCKMAP and SOCKHASH against the live kernel: creation, and the commands on a map whose slots hold no socket
/// (the only state they can have here: no fd of a <see cref="BpfSystem"/> is a socket).
/// </summary>
public unsafe class SockMapTests
{
    private const string NoKernel = KernelDifferentialTests.NoKernel;

    public static TheoryData<BpfMapType, uint, uint, uint, uint> CreateCases()
    {
        var data = new TheoryData<BpfMapType, uint, uint, uint, uint>();
        foreach (BpfMapType type in new[] { BpfMapType.Sockmap, BpfMapType.Sockhash })
        {
            data.Add(type, 4, 4, 8, 0);
            data.Add(type, 4, 8, 8, 0);
            data.Add(type, 4, 2, 8, 0);
            data.Add(type, 4, 16, 8, 0);
            data.Add(type, 8, 4, 8, 0);
            data.Add(type, 0, 4, 8, 0);
            data.Add(type, 512, 4, 8, 0);
            data.Add(type, 513, 4, 8, 0);
            data.Add(type, 4, 4, 0, 0);
            data.Add(type, 4, 4, 8, BPF_F_RDONLY);
            data.Add(type, 4, 4, 8, BPF_F_WRONLY);
            data.Add(type, 4, 4, 8, BPF_F_NUMA_NODE);
            data.Add(type, 4, 4, 8, BPF_F_NO_PREALLOC);
            data.Add(type, 4, 4, 8, BPF_F_RDONLY_PROG);
            data.Add(type, 4, 4, 8, BPF_F_MMAPABLE);
        }
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(CreateCases))]
    public void Create_matches_the_kernel(BpfMapType type, uint keySize, uint valueSize, uint maxEntries, uint flags)
    {
        Skip.IfNot(KernelMapOracle.IsAvailable, NoKernel);
        MapTwin.AssertCreateSame(type, keySize, valueSize, maxEntries, flags);
    }

    [SkippableTheory]
    [InlineData(BpfMapType.Sockmap, 4u)]
    [InlineData(BpfMapType.Sockmap, 8u)]
    [InlineData(BpfMapType.Sockhash, 4u)]
    [InlineData(BpfMapType.Sockhash, 8u)]
    public void Commands_on_an_empty_map_match_the_kernel(BpfMapType type, uint valueSize)
    {
        Skip.IfNot(KernelMapOracle.IsAvailable, NoKernel);
        using var host = new MapTestHost(KernelMapOracle.PossibleCpus);
        using var twin = MapTwin.Create(host, new MapAttributes { Type = type, KeySize = 4, ValueSize = valueSize, MaxEntries = 4 });
        byte[] noFd = valueSize == 8 ? BitConverter.GetBytes(999_999ul) : BitConverter.GetBytes(999_999u);
        byte[] hugeFd = valueSize == 8 ? BitConverter.GetBytes(1ul << 40) : BitConverter.GetBytes(uint.MaxValue);
        foreach (uint index in new uint[] { 0, 3, 4 })
        {
            byte[] key = BitConverter.GetBytes(index);
            twin.Lookup(key, (int)valueSize);
            twin.Update(key, noFd);
            twin.Update(key, hugeFd);
            twin.Update(key, noFd, BPF_NOEXIST);
            twin.Delete(key);
            twin.NextKey(key, 4);
        }
        twin.NextKey(null, 4);
        twin.AssertSame();
    }

    [Theory]
    [InlineData(BpfMapType.Sockmap)]
    [InlineData(BpfMapType.Sockhash)]
    public void One_of_our_fds_is_not_a_socket(BpfMapType type)
    {
        using var system = new BpfSystem();
        using BpfMap map = BpfMap.Create(system, type, 4, 4, 4);
        using BpfMap other = BpfMap.Create(system, BpfMapType.Array, 4, 4, 1);
        BpfException e = Assert.Throws<BpfException>(() => map.Update(BitConverter.GetBytes(0u), BitConverter.GetBytes(other.Fd)));
        Assert.Equal(Errno.ENOTSOCK, e.Errno);
    }
}

/// <summary>The sockmap helpers on maps whose slots hold no socket: every redirect drops, a sock_ops update has no socket.</summary>
public class SockMapHelperTests
{
    [Theory]
    [InlineData(BpfMapType.Sockmap, 0ul)]
    [InlineData(BpfMapType.Sockhash, 0ul)]
    [InlineData(BpfMapType.Sockmap, 1ul)] // BPF_F_INGRESS
    [InlineData(BpfMapType.Sockmap, 2ul)] // an unknown flag: SK_DROP as well
    public void A_redirect_finds_no_socket_and_drops(BpfMapType type, ulong flags)
    {
        using var host = new MapTestHost();
        Assert.Equal(0, host.Create(new MapAttributes { Type = type, KeySize = 4, ValueSize = 4, MaxEntries = 2 }, out Map? map));
        var registry = new MapRegistry();
        registry.Add(map!);
        var run = new RunContext { Maps = registry };
        Assert.Equal(SockMapHelpers.SkDrop, SockMapHelpers.Redirect(run, 0, (ulong)map!.Handle, 0, flags, 0));
        Assert.Equal(unchecked((ulong)-(long)Errno.EOPNOTSUPP), SockMapHelpers.SockOpsUpdate(run, 0, (ulong)map.Handle, 0, 0, 0));
    }

    [Fact]
    public void The_standard_registry_has_the_six_helpers()
    {
        var registry = new HelperRegistry();
        StandardHelpers.Register(registry, new HelperEnvironment());
        foreach (int id in new[] { 52, 53, 60, 70, 71, 72 })
            Assert.True(registry.TryGet(id, out _), $"helper {id}");
    }
}
