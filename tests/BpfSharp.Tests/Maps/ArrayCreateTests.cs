using BpfSharp.Maps;
using BpfSharp.Uapi;
using static BpfSharp.Uapi.MapFlags;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// MAP_CREATE rules of the array family (kernel: array_map_alloc_check, fd_array_map_alloc_check), each
/// row as the live kernel 6.18 answered it (see ArrayDifferentialTests for the same table against bpf()).
/// </summary>
public class ArrayCreateTests
{
    private const int EINVAL = -Errno.EINVAL, E2BIG = -Errno.E2BIG, OK = 0;

    public static TheoryData<string, BpfMapType, uint, uint, uint, uint, uint, int> Cases() => new()
    {
        { "array: value_size 0", BpfMapType.Array, 4, 0, 1, 0, 0, EINVAL },
        { "array: max_entries 0", BpfMapType.Array, 4, 4, 0, 0, 0, EINVAL },
        { "array: key_size 8", BpfMapType.Array, 8, 4, 1, 0, 0, EINVAL },
        { "array: BPF_F_NO_PREALLOC", BpfMapType.Array, 4, 4, 1, BPF_F_NO_PREALLOC, 0, EINVAL },
        { "array: BPF_F_ZERO_SEED", BpfMapType.Array, 4, 4, 1, BPF_F_ZERO_SEED, 0, EINVAL },
        { "array: BPF_F_MMAPABLE", BpfMapType.Array, 4, 4, 1, BPF_F_MMAPABLE, 0, OK },
        { "array: BPF_F_PRESERVE_ELEMS", BpfMapType.Array, 4, 4, 1, BPF_F_PRESERVE_ELEMS, 0, EINVAL },
        { "array: BPF_F_INNER_MAP", BpfMapType.Array, 4, 4, 1, BPF_F_INNER_MAP, 0, OK },
        { "array: RDONLY|WRONLY", BpfMapType.Array, 4, 4, 1, BPF_F_RDONLY | BPF_F_WRONLY, 0, EINVAL },
        { "array: RDONLY_PROG|WRONLY_PROG", BpfMapType.Array, 4, 4, 1, BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG, 0, EINVAL },
        { "array: RDONLY", BpfMapType.Array, 4, 4, 1, BPF_F_RDONLY, 0, OK },
        { "array: WRONLY_PROG", BpfMapType.Array, 4, 4, 1, BPF_F_WRONLY_PROG, 0, OK },
        { "array: NUMA node 0", BpfMapType.Array, 4, 4, 1, BPF_F_NUMA_NODE, 0, OK },
        { "array: value_size INT_MAX + 1", BpfMapType.Array, 4, 0x8000_0000, 1, 0, 0, E2BIG },
        { "array: value_size 4 MiB + 1", BpfMapType.Array, 4, (4 << 20) + 1, 1, 0, 0, OK },
        { "percpu: BPF_F_MMAPABLE", BpfMapType.PercpuArray, 4, 4, 1, BPF_F_MMAPABLE, 0, EINVAL },
        { "percpu: BPF_F_INNER_MAP", BpfMapType.PercpuArray, 4, 4, 1, BPF_F_INNER_MAP, 0, EINVAL },
        { "percpu: NUMA node 0", BpfMapType.PercpuArray, 4, 4, 1, BPF_F_NUMA_NODE, 0, EINVAL },
        { "percpu: NUMA node -1", BpfMapType.PercpuArray, 4, 4, 1, BPF_F_NUMA_NODE, 0xffff_ffff, OK },
        { "percpu: value_size 32768", BpfMapType.PercpuArray, 4, 32768, 1, 0, 0, OK },
        { "percpu: value_size 32761", BpfMapType.PercpuArray, 4, 32761, 1, 0, 0, OK },
        { "percpu: value_size 32769", BpfMapType.PercpuArray, 4, 32769, 1, 0, 0, E2BIG },
        { "percpu: value_size INT_MAX + 1", BpfMapType.PercpuArray, 4, 0x8000_0000, 1, 0, 0, E2BIG },
        { "percpu: key_size 8", BpfMapType.PercpuArray, 8, 4, 1, 0, 0, EINVAL },
        { "prog array: value_size 8", BpfMapType.ProgArray, 4, 8, 1, 0, 0, EINVAL },
        { "prog array: valid", BpfMapType.ProgArray, 4, 4, 1, 0, 0, OK },
        { "prog array: RDONLY_PROG", BpfMapType.ProgArray, 4, 4, 1, BPF_F_RDONLY_PROG, 0, EINVAL },
        { "prog array: RDONLY", BpfMapType.ProgArray, 4, 4, 1, BPF_F_RDONLY, 0, OK },
        { "prog array: BPF_F_MMAPABLE", BpfMapType.ProgArray, 4, 4, 1, BPF_F_MMAPABLE, 0, EINVAL },
        { "prog array: BPF_F_INNER_MAP", BpfMapType.ProgArray, 4, 4, 1, BPF_F_INNER_MAP, 0, EINVAL },
        { "prog array: NUMA node 0", BpfMapType.ProgArray, 4, 4, 1, BPF_F_NUMA_NODE, 0, OK },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Create_follows_the_kernel(string name, BpfMapType type, uint keySize, uint valueSize, uint maxEntries, uint flags, uint numaNode, int expected)
    {
        _ = name;
        using var host = new MapTestHost();
        int rc = host.Create(new MapAttributes
        {
            Type = type, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries, Flags = flags, NumaNode = numaNode,
        }, out Map? map);

        Assert.Equal(Errno.Name(expected), Errno.Name(rc));
        Assert.Equal(rc == 0, map is not null);
    }

    [Fact]
    public void Over_the_memory_limit_create_is_ENOMEM_and_nothing_stays_charged()
    {
        using var host = new MapTestHost(memoryLimit: 1 << 20);
        int rc = host.Create(new MapAttributes { Type = BpfMapType.Array, KeySize = 4, ValueSize = 8, MaxEntries = 1 << 20 }, out _);

        Assert.Equal(-Errno.ENOMEM, rc);
        Assert.Equal(0, host.Context.Charged);
    }

    [Fact]
    public void Freeing_an_array_returns_its_charge()
    {
        using var host = new MapTestHost();
        Map map = host.CreateOk(BpfMapType.PercpuArray, 4, 12, 10);
        Assert.Equal(10 * 16 * 2, host.Context.Charged); // round_up(12, 8) per element and CPU
        map.Release();
        Assert.Equal(0, host.Context.Charged);
    }
}
