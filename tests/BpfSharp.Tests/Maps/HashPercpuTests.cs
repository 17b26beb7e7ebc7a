using BpfSharp.Maps;
using BpfSharp.Uapi;
using static BpfSharp.Tests.Maps.HashTestKit;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// PERCPU_HASH and LRU_PERCPU_HASH: programs act on their CPU's slot; user space copies
/// round_up(value_size, 8) bytes per possible CPU (bpf_percpu_hash_copy / bpf_percpu_hash_update).
/// </summary>
public unsafe class HashPercpuTests
{
    private const int Cpus = 3;

    [Theory]
    [InlineData(BpfMapType.PercpuHash)]
    [InlineData(BpfMapType.LruPercpuHash)]
    public void UserSpaceSeesOneRoundedSlotPerCpu(BpfMapType type)
    {
        Map map = Create(type, 4, 4, 8, context: Context(Cpus));
        Assert.True(map.IsPerCpu);
        Assert.Equal(8u, map.PerCpuSlotSize);
        Assert.Equal(8u * Cpus, map.UserValueSize);
        var value = new byte[map.UserValueSize];
        for (int cpu = 0; cpu < Cpus; cpu++)
            BitConverter.TryWriteBytes(value.AsSpan(cpu * 8), 100 + cpu);
        Assert.Equal(0, Update(map, Key(1), value));
        for (int cpu = 0; cpu < Cpus; cpu++)
            Assert.Equal(100 + cpu, *(int*)ProgramLookup(map, 1, cpu));
        var read = new byte[map.UserValueSize];
        Assert.Equal(0, Lookup(map, Key(1), read));
        Assert.Equal(value, read);
        map.Release();
    }

    [Theory]
    [InlineData(BpfMapType.PercpuHash)]
    [InlineData(BpfMapType.LruPercpuHash)]
    public void AProgramCreatesItsCpusValueAndZerosTheOthers(BpfMapType type)
    {
        Map map = Create(type, 4, 4, 8, context: Context(Cpus));
        Assert.Equal(0, ProgramUpdate(map, Key(1), BitConverter.GetBytes(7), MapFlags.BPF_ANY, cpu: 1));
        Assert.Equal(0, ProgramUpdate(map, Key(1), BitConverter.GetBytes(9), MapFlags.BPF_EXIST, cpu: 2));
        var read = new byte[map.UserValueSize];
        Assert.Equal(0, Lookup(map, Key(1), read));
        Assert.Equal(0, BitConverter.ToInt32(read, 0));
        Assert.Equal(7, BitConverter.ToInt32(read, 8));
        Assert.Equal(9, BitConverter.ToInt32(read, 16));
        map.Release();
    }

    [Theory]
    [InlineData(BpfMapType.PercpuHash)]
    [InlineData(BpfMapType.LruPercpuHash)]
    public void LookupPercpuElemReadsAnyCpuAndNoneBeyond(BpfMapType type)
    {
        Map map = Create(type, 4, 8, 8, context: Context(Cpus));
        var value = new byte[map.UserValueSize];
        BitConverter.TryWriteBytes(value.AsSpan(16), 55L);
        Assert.Equal(0, Update(map, Key(4), value));
        byte[] key = Key(4);
        fixed (byte* k = key)
        {
            Assert.Equal(55, *(long*)map.LookupPercpuElem(k, 2));
            Assert.True(map.LookupPercpuElem(k, Cpus) == null);
            Assert.True(map.LookupElem(k, Cpus) == null);
        }
        map.Release();
    }

    [Theory]
    [InlineData(BpfMapType.PercpuHash)]
    [InlineData(BpfMapType.LruPercpuHash)]
    public void UpdatesOfAnExistingKeyAreInPlace(BpfMapType type)
    {
        Map map = Create(type, 4, 8, 8, context: Context(Cpus));
        Assert.Equal(0, Update(map, Key(1), new byte[map.UserValueSize]));
        byte* slot = ProgramLookup(map, 1, 1);
        var value = new byte[map.UserValueSize];
        BitConverter.TryWriteBytes(value.AsSpan(8), 3L);
        Assert.Equal(0, Update(map, Key(1), value, MapFlags.BPF_EXIST));
        Assert.True(slot == ProgramLookup(map, 1, 1));
        Assert.Equal(3, *(long*)slot);
        map.Release();
    }

    [Theory]
    [InlineData(BpfMapType.PercpuHash)]
    [InlineData(BpfMapType.LruPercpuHash)]
    public void LookupAndDeleteCopiesEveryCpu(BpfMapType type)
    {
        Map map = Create(type, 4, 8, 8, context: Context(Cpus));
        var value = new byte[map.UserValueSize];
        for (int i = 0; i < value.Length; i++) value[i] = (byte)i;
        Assert.Equal(0, Update(map, Key(2), value));
        var read = new byte[map.UserValueSize];
        Assert.Equal(0, LookupAndDelete(map, Key(2), read));
        Assert.Equal(value, read);
        Assert.Equal(-Errno.ENOENT, Lookup(map, Key(2), read));
        map.Release();
    }

    [Fact]
    public void PercpuHashFullIsE2big()
    {
        Map map = Create(BpfMapType.PercpuHash, 4, 8, 2, context: Context(Cpus));
        var value = new byte[map.UserValueSize];
        Assert.Equal(0, Update(map, Key(1), value));
        Assert.Equal(0, Update(map, Key(2), value));
        Assert.Equal(-Errno.E2BIG, Update(map, Key(3), value));
        Assert.Equal(-Errno.E2BIG, ProgramUpdate(map, Key(3), new byte[8], MapFlags.BPF_ANY));
        Assert.Equal(0, Update(map, Key(2), value, MapFlags.BPF_EXIST));
        map.Release();
    }
}
