using BpfSharp.Maps;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Helpers;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;
using static BpfSharp.Uapi.MapFlags;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// CGROUP_ARRAY against the live kernel (creation, and the commands on slots with the fds a system without cgroups
/// has: none of them is a cgroup), and bpf_current_task_under_cgroup's answers for an index past the map and an empty slot.
/// </summary>
public unsafe class CgroupArrayTests
{
    private const string NoKernel = KernelDifferentialTests.NoKernel;

    public static TheoryData<string, uint, uint, uint, uint> CreateCases() => new()
    {
        { "plain", 4, 4, 8, 0 },
        { "value of 8", 4, 8, 8, 0 },
        { "key of 8", 8, 4, 8, 0 },
        { "no entries", 4, 4, 0, 0 },
        { "rdonly_prog", 4, 4, 8, BPF_F_RDONLY_PROG },
        { "rdonly", 4, 4, 8, BPF_F_RDONLY },
        { "numa node", 4, 4, 8, BPF_F_NUMA_NODE },
        { "mmapable", 4, 4, 8, BPF_F_MMAPABLE },
    };

    [SkippableTheory]
    [MemberData(nameof(CreateCases))]
    public void Create_matches_the_kernel(string name, uint keySize, uint valueSize, uint maxEntries, uint flags)
    {
        Skip.IfNot(KernelMapOracle.IsAvailable, NoKernel);
        _ = name;
        MapTwin.AssertCreateSame(BpfMapType.CgroupArray, keySize, valueSize, maxEntries, flags);
    }

    [SkippableFact]
    public void Commands_match_the_kernel_for_fds_that_are_not_cgroups()
    {
        Skip.IfNot(KernelMapOracle.IsAvailable, NoKernel);
        using var host = new MapTestHost(KernelMapOracle.PossibleCpus);
        using var twin = MapTwin.Create(host, new MapAttributes { Type = BpfMapType.CgroupArray, KeySize = 4, ValueSize = 4, MaxEntries = 4 });
        foreach (uint index in new uint[] { 0, 3, 4 })
        {
            byte[] key = BitConverter.GetBytes(index);
            twin.Lookup(key, 4);
            twin.Update(key, BitConverter.GetBytes(999_999u)); // no such fd
            twin.Update(key, BitConverter.GetBytes(1u), BPF_NOEXIST);
            twin.Delete(key);
            twin.NextKey(key, 4);
        }
        twin.NextKey(null, 4);
        twin.AssertSame();
    }

    [Fact]
    public void Current_task_under_cgroup_is_E2BIG_past_the_map_and_EAGAIN_for_an_empty_slot()
    {
        using var host = new MapTestHost();
        Assert.Equal(0, host.Create(new MapAttributes { Type = BpfMapType.CgroupArray, KeySize = 4, ValueSize = 4, MaxEntries = 2 }, out Map? map));
        var registry = new MapRegistry();
        registry.Add(map!);
        var run = new RunContext { Maps = registry };
        Assert.Equal(unchecked((ulong)-(long)Errno.EAGAIN), CgroupHelpers.CurrentTaskUnderCgroup(run, (ulong)map!.Handle, 1, 0, 0, 0));
        Assert.Equal(unchecked((ulong)-(long)Errno.E2BIG), CgroupHelpers.CurrentTaskUnderCgroup(run, (ulong)map.Handle, 2, 0, 0, 0));
    }
}
