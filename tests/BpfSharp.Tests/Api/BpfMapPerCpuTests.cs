using BpfSharp.Uapi;
using static BpfSharp.Tests.Api.ApiKit;

namespace BpfSharp.Tests.Api;

/// <summary>
/// Per-CPU values through the typed API: one value per possible CPU, laid out by the bpf() commands
/// as <c>round_up(value_size, 8)</c>-byte slots (the kernel's bpf_map_value_size), and each program
/// run touching only the slot of the CPU it runs on.
/// </summary>
public class BpfMapPerCpuTests
{
    // Runs on CPU n need n below the processor count too (TestRun builds its RunContext with the default CPU count).
    private const int Cpus = 2;

    public static TheoryData<BpfMapType> PerCpuTypes => new() { BpfMapType.PercpuArray, BpfMapType.PercpuHash, BpfMapType.LruPercpuHash };

    [Theory]
    [MemberData(nameof(PerCpuTypes))]
    public void Each_run_adds_to_the_slot_of_its_cpu(BpfMapType type)
    {
        using BpfSystem system = NewSystem(Cpus);
        using var map = BpfMap<uint, ulong>.Create(system, type, 4);
        Assert.True(map.IsPerCpu);
        if (type != BpfMapType.PercpuArray) map.UpdateValues(2, new ulong[Cpus]);
        using BpfProgram program = BpfProgram.Load(system, BpfProgType.RawTracepoint, AddToCounter(map, 2, add: 1, atomic: false));

        for (int cpu = 0; cpu < Cpus; cpu++)
        {
            for (int run = 0; run <= cpu; run++)
                Assert.Equal(0u, RunOnce(program, cpu));
        }
        Assert.Equal([1ul, 2ul], map.GetValues(2));
    }

    [Fact]
    public void Values_smaller_than_8_bytes_travel_in_8_byte_slots()
    {
        using BpfSystem system = NewSystem(Cpus);
        using var map = BpfMap<int, uint>.Create(system, BpfMapType.PercpuHash, 4);
        Assert.Equal(8u, map.PerCpuSlotSize);
        Assert.Equal(8u * Cpus, map.UserValueSize);
        map.UpdateValues(7, [0x11111111, 0x22222222]);

        // The bytes bpf() copies: one 8-byte slot per CPU, the value first, zero padding after it.
        var bytes = new byte[map.UserValueSize];
        Assert.True(map.TryLookup(BitConverter.GetBytes(7), bytes));
        Assert.Equal(0x11111111ul, BitConverter.ToUInt64(bytes, 0));
        Assert.Equal(0x22222222ul, BitConverter.ToUInt64(bytes, 8));

        Span<uint> values = stackalloc uint[Cpus];
        Assert.True(map.TryGetValues(7, values));
        Assert.Equal([0x11111111u, 0x22222222u], values.ToArray());
    }

    [Fact]
    public void Update_flags_apply_to_per_cpu_values_too()
    {
        using BpfSystem system = NewSystem(Cpus);
        using var map = BpfMap<int, long>.Create(system, BpfMapType.PercpuHash, 4);
        map.UpdateValues(1, [1, 2], MapFlags.BPF_NOEXIST);
        Assert.Equal(Errno.EEXIST, ErrnoOf(() => map.UpdateValues(1, [4, 5], MapFlags.BPF_NOEXIST)));
        Assert.Equal(Errno.ENOENT, ErrnoOf(() => map.UpdateValues(2, [4, 5], MapFlags.BPF_EXIST)));
        Assert.Equal([1L, 2L], map.GetValues(1));
    }

    [Fact]
    public void Missing_keys_and_wrong_spans()
    {
        using BpfSystem system = NewSystem(Cpus);
        using var map = BpfMap<int, long>.Create(system, BpfMapType.PercpuHash, 4);
        Assert.False(map.TryGetValues(1, new long[Cpus]));
        Assert.Throws<KeyNotFoundException>(() => map.GetValues(1));
        Assert.Throws<ArgumentException>(() => map.TryGetValues(1, new long[Cpus - 1]));
        Assert.Throws<ArgumentException>(() => map.UpdateValues(1, new long[Cpus + 1]));

        using var plain = BpfMap<int, long>.Create(system, BpfMapType.Hash, 4);
        Assert.Throws<InvalidOperationException>(() => plain.TryGetValues(1, new long[Cpus]));
    }

    [Fact]
    public void Batches_carry_one_value_per_cpu_per_key()
    {
        using BpfSystem system = NewSystem(Cpus);
        using var map = BpfMap<int, long>.Create(system, BpfMapType.PercpuHash, 8);
        int[] keys = [1, 2];
        long[] values = [10, 11, 20, 21];
        Assert.Equal(2, map.UpdateBatch(keys, values));
        Assert.Equal([20L, 21L], map.GetValues(2));

        var cursor = default(BpfMapBatchCursor<int>);
        var outKeys = new int[4];
        var outValues = new long[4 * Cpus];
        int count = map.LookupBatch(ref cursor, outKeys, outValues);
        Assert.Equal(2, count);
        Assert.True(cursor.IsDone);
        for (int i = 0; i < count; i++)
            Assert.Equal(outKeys[i] * 10L, outValues[i * Cpus]);

        // A value type that is not a whole slot cannot be laid over the batch buffer.
        using var small = BpfMap<int, uint>.Create(system, BpfMapType.PercpuHash, 8);
        Assert.Throws<InvalidOperationException>(() => small.UpdateBatch([1], new uint[Cpus]));
    }
}
