using BpfSharp.Maps;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;
using static BpfSharp.Uapi.MapFlags;

namespace BpfSharp.Tests.Maps;

/// <summary>ARRAY and PERCPU_ARRAY against the live kernel: the creation table and random operation sequences.</summary>
public class ArrayDifferentialTests
{
    private const string NoKernel = KernelDifferentialTests.NoKernel;

    [SkippableTheory]
    [MemberData(nameof(ArrayCreateTests.Cases), MemberType = typeof(ArrayCreateTests))]
    public void Create_matches_the_kernel(string name, BpfMapType type, uint keySize, uint valueSize, uint maxEntries, uint flags, uint numaNode, int expected)
    {
        Skip.IfNot(KernelMapOracle.IsAvailable, NoKernel);
        _ = name;
        using var host = new MapTestHost(KernelMapOracle.PossibleCpus);
        var (kernel, ours) = MapTwin.CreateBoth(host, new MapAttributes
        {
            Type = type, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries, Flags = flags, NumaNode = numaNode,
        });

        Assert.Equal(Errno.Name(expected), Errno.Name(kernel)); // the table is the kernel's
        Assert.Equal(Errno.Name(kernel), Errno.Name(ours));
    }

    private static readonly ulong[] UpdateFlags = [BPF_ANY, BPF_NOEXIST, BPF_EXIST, BPF_NOEXIST | BPF_EXIST, 8];

    [SkippableTheory]
    [InlineData(BpfMapType.Array, 12u, 1)]
    [InlineData(BpfMapType.Array, 8u, 2)]
    [InlineData(BpfMapType.Array, 1u, 3)]
    [InlineData(BpfMapType.PercpuArray, 12u, 4)]
    [InlineData(BpfMapType.PercpuArray, 8u, 5)]
    public void Random_operations_match_the_kernel(BpfMapType type, uint valueSize, int seed)
    {
        Skip.IfNot(KernelMapOracle.IsAvailable, NoKernel);
        const uint maxEntries = 5;
        using var host = new MapTestHost(KernelMapOracle.PossibleCpus);
        using var twin = MapTwin.Create(host, new MapAttributes { Type = type, KeySize = 4, ValueSize = valueSize, MaxEntries = maxEntries });
        int userValue = (int)twin.Ours.UserValueSize;
        var rng = new Random(seed);

        for (int i = 0; i < 400; i++)
        {
            byte[] key = Bytes.U32((uint)rng.Next((int)maxEntries + 2) + (rng.Next(20) == 0 ? 1_000_000u : 0));
            switch (rng.Next(5))
            {
                case 0:
                case 1:
                    var value = new byte[userValue];
                    rng.NextBytes(value);
                    twin.Update(key, value, UpdateFlags[rng.Next(UpdateFlags.Length)]);
                    break;
                case 2: twin.Lookup(key, userValue); break;
                case 3: twin.Delete(key); break;
                default: twin.NextKey(rng.Next(4) == 0 ? null : key, 4); break;
            }
        }
        twin.LookupAndDelete(Bytes.U32(0), userValue);
        Assert.Equal((int)maxEntries, twin.WalkKeys(4));
        for (uint k = 0; k < maxEntries + 1; k++) twin.Lookup(Bytes.U32(k), userValue);
        twin.AssertSame();
    }
}
