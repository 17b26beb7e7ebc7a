using BpfSharp.Maps;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;
using static BpfSharp.Uapi.MapFlags;

namespace BpfSharp.Tests.Maps;

/// <summary>QUEUE and STACK against the live kernel: the creation table and random push/pop/peek sequences.</summary>
public class QueueStackDifferentialTests
{
    private const string NoKernel = KernelDifferentialTests.NoKernel;

    [SkippableTheory]
    [MemberData(nameof(QueueStackMapTests.CreateCases), MemberType = typeof(QueueStackMapTests))]
    public void Create_matches_the_kernel(string name, BpfMapType type, uint keySize, uint valueSize, uint maxEntries, uint flags, ulong extra, int expected)
    {
        Skip.IfNot(KernelMapOracle.IsAvailable, NoKernel);
        _ = name;
        using var host = new MapTestHost(KernelMapOracle.PossibleCpus);
        var (kernel, ours) = MapTwin.CreateBoth(host, new MapAttributes
        {
            Type = type, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries, Flags = flags, MapExtra = extra,
        });

        Assert.Equal(Errno.Name(expected), Errno.Name(kernel));
        Assert.Equal(Errno.Name(kernel), Errno.Name(ours));
    }

    private static readonly ulong[] PushFlags = [BPF_ANY, BPF_ANY, BPF_EXIST, BPF_NOEXIST, BPF_NOEXIST | BPF_EXIST];

    [SkippableTheory]
    [InlineData(BpfMapType.Queue, 4u, 4u, 1)]
    [InlineData(BpfMapType.Queue, 1u, 3u, 2)]
    [InlineData(BpfMapType.Stack, 4u, 4u, 3)]
    [InlineData(BpfMapType.Stack, 2u, 5u, 4)]
    public void Random_operations_match_the_kernel(BpfMapType type, uint maxEntries, uint valueSize, int seed)
    {
        Skip.IfNot(KernelMapOracle.IsAvailable, NoKernel);
        using var host = new MapTestHost(KernelMapOracle.PossibleCpus);
        using var twin = MapTwin.Create(host, new MapAttributes { Type = type, ValueSize = valueSize, MaxEntries = maxEntries });
        var rng = new Random(seed);

        for (int i = 0; i < 500; i++)
        {
            switch (rng.Next(12))
            {
                case < 5:
                    var value = new byte[valueSize];
                    rng.NextBytes(value);
                    twin.Update(null, value, PushFlags[rng.Next(PushFlags.Length)]);
                    break;
                case < 8: twin.LookupAndDelete(null, (int)valueSize); break;
                case < 10: twin.Lookup(null, (int)valueSize); break;
                case 10: twin.Delete(null); break;
                default: twin.NextKey(null, 4); break;
            }
        }
        twin.AssertSame();
    }
}
