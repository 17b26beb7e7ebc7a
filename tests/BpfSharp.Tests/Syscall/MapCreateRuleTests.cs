using BpfSharp.Isa;
using BpfSharp.Syscall;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Reg;
using static BpfSharp.Uapi.MapFlags;

namespace BpfSharp.Tests.Syscall;

/// <summary>
/// MAP_CREATE's own checks (kernel: map_create) before and around each map type's: map_extra only for
/// bloom filters, numa_node only with BPF_F_NUMA_NODE and then an online node, inner_map_fd resolved by
/// the map-in-map types after their own checks; and the map_flags OBJ_GET_INFO_BY_FD reports. Every case
/// runs on our system and on the live kernel with the same attr.
/// </summary>
public class MapCreateRuleTests
{
    private const uint NotOpen = 999;
    private const uint NumaNoNode = uint.MaxValue; // NUMA_NO_NODE as the u32 numa_node field holds it

    internal sealed record Case(string Name, BpfMapType Type, uint Key, uint Value, uint Max, uint Flags = 0,
        ulong MapExtra = 0, uint NumaNode = 0, Func<IBpfTarget, uint>? InnerMapFd = null);

    private static uint Array48(IBpfTarget t) => (uint)t.CreateArray();
    private static uint Program(IBpfTarget t) => (uint)t.Load(Asm.Mov64(R0, 0), Asm.Exit());

    internal static readonly (Case Case, int Expected)[] Rules =
    [
        // map_extra: bloom filters only (and there, the number of hash functions in the low 4 bits).
        (new("map_extra on an array", BpfMapType.Array, 4, 8, 4, MapExtra: 1), -Errno.EINVAL),
        (new("map_extra on a hash", BpfMapType.Hash, 4, 8, 4, MapExtra: 1ul << 40), -Errno.EINVAL),
        (new("map_extra on a queue", BpfMapType.Queue, 0, 8, 4, MapExtra: 3), -Errno.EINVAL),
        (new("map_extra on an LPM trie", BpfMapType.LpmTrie, 8, 8, 4, BPF_F_NO_PREALLOC, MapExtra: 3), -Errno.EINVAL),
        (new("map_extra on a prog array", BpfMapType.ProgArray, 4, 4, 4, MapExtra: 3), -Errno.EINVAL),
        (new("map_extra 5 on a bloom filter", BpfMapType.BloomFilter, 0, 8, 4, MapExtra: 5), 0),
        (new("map_extra 16 on a bloom filter", BpfMapType.BloomFilter, 0, 8, 4, MapExtra: 16), -Errno.EINVAL),
        (new("map_extra on a bad array: map_create answers first", BpfMapType.Array, 4, 0, 4, MapExtra: 1), -Errno.EINVAL),

        // numa_node: only with BPF_F_NUMA_NODE; then below the node count and online (one node here).
        (new("numa node 0", BpfMapType.Hash, 4, 8, 4, BPF_F_NUMA_NODE, NumaNode: 0), 0),
        (new("numa node 1", BpfMapType.Hash, 4, 8, 4, BPF_F_NUMA_NODE, NumaNode: 1), -Errno.EINVAL),
        (new("numa node 1 on an array", BpfMapType.Array, 4, 8, 4, BPF_F_NUMA_NODE, NumaNode: 1), -Errno.EINVAL),
        (new("numa node 1000", BpfMapType.Array, 4, 8, 4, BPF_F_NUMA_NODE, NumaNode: 1000), -Errno.EINVAL),
        (new("numa node -1 is NUMA_NO_NODE", BpfMapType.Hash, 4, 8, 4, BPF_F_NUMA_NODE, NumaNode: NumaNoNode), 0),
        (new("numa node -1 on a per-CPU array", BpfMapType.PercpuArray, 4, 8, 4, BPF_F_NUMA_NODE, NumaNode: NumaNoNode), 0),
        (new("numa node 0 on a per-CPU array", BpfMapType.PercpuArray, 4, 8, 4, BPF_F_NUMA_NODE, NumaNode: 0), -Errno.EINVAL),
        (new("numa node 0 on a per-CPU hash", BpfMapType.PercpuHash, 4, 8, 4, BPF_F_NUMA_NODE, NumaNode: 0), -Errno.EINVAL),
        (new("numa node 7 without BPF_F_NUMA_NODE", BpfMapType.Hash, 4, 8, 4, NumaNode: 7), 0),
        (new("numa node 1 on a queue", BpfMapType.Queue, 0, 8, 4, BPF_F_NUMA_NODE, NumaNode: 1), -Errno.EINVAL),

        // inner_map_fd: read by the map-in-map types only, after their own checks.
        (new("inner map: an array", BpfMapType.ArrayOfMaps, 4, 4, 4, InnerMapFd: Array48), 0),
        (new("inner map: a program fd", BpfMapType.ArrayOfMaps, 4, 4, 4, InnerMapFd: Program), -Errno.EINVAL),
        (new("inner map: a program fd (hash of maps)", BpfMapType.HashOfMaps, 4, 4, 4, InnerMapFd: Program), -Errno.EINVAL),
        (new("inner map: stdin", BpfMapType.ArrayOfMaps, 4, 4, 4, InnerMapFd: _ => 0), -Errno.EINVAL),
        (new("inner map: stdin (hash of maps)", BpfMapType.HashOfMaps, 4, 4, 4, InnerMapFd: _ => 0), -Errno.EINVAL),
        (new("inner map: not open", BpfMapType.ArrayOfMaps, 4, 4, 4, InnerMapFd: _ => NotOpen), -Errno.EBADF),
        (new("inner map: not open, value_size 8", BpfMapType.ArrayOfMaps, 4, 8, 4, InnerMapFd: _ => NotOpen), -Errno.EINVAL),
        (new("inner map: not open, max_entries 0", BpfMapType.HashOfMaps, 4, 4, 0, InnerMapFd: _ => NotOpen), -Errno.EINVAL),
        (new("inner map: a prog array", BpfMapType.HashOfMaps, 4, 4, 4, InnerMapFd: t => (uint)t.CreateMap(BpfMapType.ProgArray, 4, 4, 2)), -Errno.ENOTSUPP),
        (new("inner_map_fd on an array is ignored", BpfMapType.Array, 4, 8, 4, InnerMapFd: _ => NotOpen), 0),
    ];

    private static readonly Dictionary<string, (Case Case, int Expected)> ByName = Rules.ToDictionary(r => r.Case.Name);

    public static TheoryData<string, string> Rows()
    {
        var rows = new TheoryData<string, string>();
        foreach (string target in Targets.Names)
            foreach (var rule in Rules)
                rows.Add(target, rule.Case.Name);
        return rows;
    }

    private static int Create(IBpfTarget t, Case c)
    {
        BpfAttr attr = Calls.MapCreateAttr(c.Type, c.Key, c.Value, c.Max, c.Flags);
        attr.MapCreate.MapExtra = c.MapExtra;
        attr.MapCreate.NumaNode = c.NumaNode;
        attr.MapCreate.InnerMapFd = c.InnerMapFd?.Invoke(t) ?? 0;
        return t.Bpf(BpfCommand.MapCreate, ref attr);
    }

    [SkippableTheory]
    [MemberData(nameof(Rows))]
    public void Map_create_rule_holds(string target, string rule)
    {
        using IBpfTarget t = Targets.Create(target);
        var (c, expected) = ByName[rule];
        Assert.Equal(Errno.Name(expected), Errno.Name(Math.Min(Create(t, c), 0)));
    }

    // ---- map_flags as OBJ_GET_INFO_BY_FD reports them ----

    internal static readonly Case[] InfoCases =
    [
        new("array", BpfMapType.Array, 4, 8, 4),
        new("array rdonly", BpfMapType.Array, 4, 8, 4, BPF_F_RDONLY),
        new("array wronly", BpfMapType.Array, 4, 8, 4, BPF_F_WRONLY),
        new("array rdonly_prog", BpfMapType.Array, 4, 8, 4, BPF_F_RDONLY_PROG),
        new("array wronly_prog", BpfMapType.Array, 4, 8, 4, BPF_F_WRONLY_PROG),
        new("array mmapable", BpfMapType.Array, 4, 8, 4, BPF_F_MMAPABLE),
        new("array inner_map", BpfMapType.Array, 4, 8, 4, BPF_F_INNER_MAP),
        new("array numa", BpfMapType.Array, 4, 8, 4, BPF_F_NUMA_NODE | BPF_F_RDONLY, NumaNode: 0),
        new("hash no_prealloc zero_seed", BpfMapType.Hash, 4, 8, 4, BPF_F_NO_PREALLOC | BPF_F_ZERO_SEED),
        new("hash wronly", BpfMapType.Hash, 4, 8, 4, BPF_F_WRONLY),
        new("lru no_common_lru", BpfMapType.LruHash, 4, 8, 5, BPF_F_NO_COMMON_LRU),
        new("percpu hash rdonly_prog", BpfMapType.PercpuHash, 4, 8, 4, BPF_F_RDONLY_PROG | BPF_F_RDONLY),
        new("lpm trie", BpfMapType.LpmTrie, 8, 8, 4, BPF_F_NO_PREALLOC | BPF_F_WRONLY),
        new("queue rdonly_prog", BpfMapType.Queue, 0, 8, 4, BPF_F_RDONLY_PROG),
        new("bloom zero_seed", BpfMapType.BloomFilter, 0, 8, 4, BPF_F_ZERO_SEED | BPF_F_RDONLY, MapExtra: 3),
        new("prog array", BpfMapType.ProgArray, 4, 4, 4, BPF_F_RDONLY),
        new("array of maps", BpfMapType.ArrayOfMaps, 4, 4, 4, BPF_F_WRONLY, InnerMapFd: Array48),
        new("hash of maps", BpfMapType.HashOfMaps, 4, 4, 4, BPF_F_NO_PREALLOC, InnerMapFd: Array48),
    ];

    public static TheoryData<string> InfoCaseNames() => [.. InfoCases.Select(c => c.Name)];

    private static string Info(IBpfTarget t, Case c)
    {
        int fd = Create(t, c);
        Assert.True(fd >= 0, $"{t.Name}: {Errno.Name(fd)}");
        Assert.Equal(0, t.MapInfo(fd, out BpfMapInfo info));
        return $"type={info.Type} key={info.KeySize} value={info.ValueSize} max={info.MaxEntries} " +
            $"flags=0x{info.MapFlags:x} extra={info.MapExtra} btf={info.BtfId}";
    }

    [SkippableTheory]
    [MemberData(nameof(InfoCaseNames))]
    public void Map_info_reports_map_flags_as_the_kernel_does(string name)
    {
        Skip.IfNot(KernelTarget.IsAvailable, Targets.NoKernel);
        Case c = InfoCases.Single(x => x.Name == name);
        string kernel, ours;
        using (var t = new KernelTarget()) kernel = Info(t, c);
        using (var t = new OurTarget(OurTarget.Options(cpus: KernelMapOracle.PossibleCpus))) ours = Info(t, c);
        Assert.Equal(kernel, ours);
    }
}
