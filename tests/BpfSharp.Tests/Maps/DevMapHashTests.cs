using BpfSharp.Maps;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;
using static BpfSharp.Uapi.MapFlags;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// DEVMAP_HASH against the live kernel: creation rules, and a sequence of updates (new keys, keys sharing a bucket,
/// replacements, every flag, devices that do not exist, a full map), lookups, deletions and get_next_key walks whose
/// every result and byte must be the kernel's (the walk order shows the bucket layout). Loopback (ifindex 1) exists on
/// both sides.
/// </summary>
public class DevMapHashTests
{
    private const string NoKernel = KernelDifferentialTests.NoKernel;

    public static TheoryData<string, uint, uint, uint, uint> CreateCases() => new()
    {
        { "plain", 4, 4, 8, 0 },
        { "value with a program", 4, 8, 8, 0 },
        { "value of 12", 4, 12, 8, 0 },
        { "key of 8", 8, 4, 8, 0 },
        { "no entries", 4, 4, 0, 0 },
        { "past 2^31 entries", 4, 4, (1u << 31) + 1, 0 },
        { "rdonly", 4, 4, 8, BPF_F_RDONLY },
        { "numa node", 4, 4, 8, BPF_F_NUMA_NODE },
        { "rdonly_prog", 4, 4, 8, BPF_F_RDONLY_PROG },
        { "no_prealloc", 4, 4, 8, BPF_F_NO_PREALLOC },
    };

    [SkippableTheory]
    [MemberData(nameof(CreateCases))]
    public void Create_matches_the_kernel(string name, uint keySize, uint valueSize, uint maxEntries, uint flags)
    {
        Skip.IfNot(KernelMapOracle.IsAvailable, NoKernel);
        _ = name;
        MapTwin.AssertCreateSame(BpfMapType.DevmapHash, keySize, valueSize, maxEntries, flags);
    }

    [SkippableTheory]
    [InlineData(4u)]
    [InlineData(8u)]
    public void Commands_match_the_kernel(uint valueSize)
    {
        Skip.IfNot(KernelMapOracle.IsAvailable, NoKernel);
        using var host = new MapTestHost(KernelMapOracle.PossibleCpus);
        using var twin = MapTwin.Create(host, new MapAttributes { Type = BpfMapType.DevmapHash, KeySize = 4, ValueSize = valueSize, MaxEntries = 4 });
        byte[] Key(uint k) => BitConverter.GetBytes(k);
        byte[] Value(uint ifindex) { var v = new byte[valueSize]; BitConverter.TryWriteBytes(v, ifindex); return v; }
        void Walk() { byte[]? k = null; for (int i = 0; i < 8; i++) { twin.NextKey(k, 4); k = null; } }

        twin.NextKey(null, 4);
        foreach (uint k in new uint[] { 1, 5, 9, 2 }) // 1, 5 and 9 share bucket 1 of 4
            twin.Update(Key(k), Value(1));
        foreach (uint k in new uint[] { 1, 5, 9, 2, 3, 7 })
        {
            twin.Lookup(Key(k), (int)valueSize);
            twin.NextKey(Key(k), 4);
        }
        twin.Update(Key(6), Value(1));                // full: E2BIG
        twin.Update(Key(5), Value(1), BPF_NOEXIST);   // present: EEXIST
        twin.Update(Key(5), Value(1), BPF_EXIST);     // replaced
        twin.Update(Key(6), Value(1), BPF_EXIST);     // absent with BPF_EXIST
        twin.Update(Key(9), Value(0));                // no device 0
        twin.Update(Key(9), Value(999_999));          // no such device
        twin.Update(Key(9), Value(1), 4);             // unknown flag
        foreach (uint k in new uint[] { 1, 5, 9, 2 })
            twin.NextKey(Key(k), 4);
        twin.Delete(Key(5));
        twin.Delete(Key(5));
        twin.Delete(Key(3));
        foreach (uint k in new uint[] { 1, 9, 2, 5 })
            twin.NextKey(Key(k), 4);
        twin.Update(Key(13), Value(1));               // bucket 1 again, after a deletion freed room
        foreach (uint k in new uint[] { 13, 1, 9, 2 })
        {
            twin.NextKey(Key(k), 4);
            twin.Lookup(Key(k), (int)valueSize);
        }
        Walk();
        twin.AssertSame();
    }
}
