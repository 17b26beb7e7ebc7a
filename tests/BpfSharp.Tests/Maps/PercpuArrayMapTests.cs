using BpfSharp.Maps;
using BpfSharp.Uapi;
using static BpfSharp.Uapi.MapFlags;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// BPF_MAP_TYPE_PERCPU_ARRAY (kernel: percpu_array_map_ops, bpf_percpu_array_copy/update): programs use
/// their CPU's slot; user space sees round_up(value_size, 8) bytes per possible CPU.
/// </summary>
public unsafe class PercpuArrayMapTests
{
    private const int Cpus = 3;

    [Fact]
    public void User_space_sees_one_rounded_slot_per_possible_cpu()
    {
        using var host = new MapTestHost(possibleCpus: Cpus);
        Map map = host.CreateOk(BpfMapType.PercpuArray, 4, 4, 2);
        Assert.True(map.IsPerCpu);
        Assert.Equal(8u * Cpus, map.UserValueSize);

        // Programs on CPUs 0 and 2 write their own slots.
        *(uint*)map.ProgLookup(Bytes.U32(1), cpu: 0) = 10;
        *(uint*)map.ProgLookup(Bytes.U32(1), cpu: 2) = 30;
        var all = Bytes.Filled(8 * Cpus, 0xee);
        Assert.Equal(0, map.Lookup(Bytes.U32(1), all));

        Assert.Equal(10u, Bytes.ReadU32(all, 0));
        Assert.Equal(0u, Bytes.ReadU32(all, 8));
        Assert.Equal(30u, Bytes.ReadU32(all, 16));
        Assert.Equal(0u, Bytes.ReadU32(all, 4)); // the padding of a slot is copied too: zero
    }

    [Fact]
    public void User_update_writes_every_cpu_including_the_padding()
    {
        using var host = new MapTestHost(possibleCpus: Cpus);
        Map map = host.CreateOk(BpfMapType.PercpuArray, 4, 4, 2);
        var all = new byte[8 * Cpus];
        for (int i = 0; i < all.Length; i++) all[i] = (byte)(i + 1);

        Assert.Equal(0, map.Update(Bytes.U32(0), all));
        var back = new byte[8 * Cpus];
        Assert.Equal(0, map.Lookup(Bytes.U32(0), back));
        Assert.Equal(all, back);
        for (int cpu = 0; cpu < Cpus; cpu++)
            Assert.Equal(Bytes.ReadU32(all, 8 * cpu), *(uint*)map.ProgLookup(Bytes.U32(0), cpu));
    }

    [Fact]
    public void Program_update_writes_only_its_cpu()
    {
        using var host = new MapTestHost(possibleCpus: Cpus);
        Map map = host.CreateOk(BpfMapType.PercpuArray, 4, 8, 1);

        Assert.Equal(0, map.ProgUpdate(Bytes.U32(0), Bytes.U64(5), cpu: 1));
        var all = new byte[8 * Cpus];
        Assert.Equal(0, map.Lookup(Bytes.U32(0), all));
        Assert.Equal([0ul, 5ul, 0ul], [Bytes.ReadU64(all, 0), Bytes.ReadU64(all, 8), Bytes.ReadU64(all, 16)]);
    }

    // Live kernel 6.18: update with BPF_F_LOCK is EINVAL, BPF_NOEXIST EEXIST, an index past max_entries E2BIG.
    public static TheoryData<string, uint, ulong, int> UpdateCases() => new()
    {
        { "BPF_ANY", 0, BPF_ANY, 0 },
        { "BPF_EXIST", 0, BPF_EXIST, 0 },
        { "BPF_NOEXIST", 0, BPF_NOEXIST, -Errno.EEXIST },
        { "BPF_F_LOCK", 0, BPF_F_LOCK, -Errno.EINVAL },
        { "index == max_entries", 2, BPF_ANY, -Errno.E2BIG },
    };

    [Theory]
    [MemberData(nameof(UpdateCases))]
    public void User_update_follows_the_kernel(string name, uint index, ulong flags, int expected)
    {
        _ = name;
        using var host = new MapTestHost(possibleCpus: Cpus);
        Map map = host.CreateOk(BpfMapType.PercpuArray, 4, 4, 2);

        Assert.Equal(Errno.Name(expected), Errno.Name(map.Update(Bytes.U32(index), new byte[8 * Cpus], flags)));
    }

    [Fact]
    public void Lookup_percpu_elem_reaches_any_cpu_and_nothing_past_the_possible_cpus()
    {
        using var host = new MapTestHost(possibleCpus: Cpus);
        var map = (PercpuArrayMap)host.CreateOk(BpfMapType.PercpuArray, 4, 4, 2);
        fixed (byte* key = Bytes.U32(1))
        {
            Assert.Equal(map.ValueAddress(1, 2), (nint)map.LookupPercpuElem(key, 2));
            Assert.True(map.LookupPercpuElem(key, Cpus) == null);
        }
        fixed (byte* key = Bytes.U32(2))
            Assert.True(map.LookupPercpuElem(key, 0) == null);
        Assert.Equal(-Errno.ENOENT, map.Lookup(Bytes.U32(2), new byte[8 * Cpus]));
        Assert.Equal(-Errno.EINVAL, map.Delete(Bytes.U32(0)));
    }

    [Fact]
    public void Each_cpu_counts_alone_without_atomics()
    {
        const int perCpu = 50_000;
        using var host = new MapTestHost(possibleCpus: Cpus);
        Map map = host.CreateOk(BpfMapType.PercpuArray, 4, 8, 1);

        // One thread per CPU slot, plain read-modify-write as a program on that CPU would do.
        Parallel.For(0, Cpus, cpu =>
        {
            var slot = (ulong*)map.ProgLookup(Bytes.U32(0), cpu);
            for (int i = 0; i < perCpu; i++) (*slot)++;
        });

        var all = new byte[8 * Cpus];
        Assert.Equal(0, map.Lookup(Bytes.U32(0), all));
        for (int cpu = 0; cpu < Cpus; cpu++) Assert.Equal((ulong)perCpu, Bytes.ReadU64(all, 8 * cpu));
    }
}
