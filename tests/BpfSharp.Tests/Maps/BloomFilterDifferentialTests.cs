using BpfSharp.Maps;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;
using static BpfSharp.Uapi.MapFlags;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// BLOOM_FILTER against the live kernel. With BPF_F_ZERO_SEED the kernel's bits are deterministic, so
/// small, crowded filters must give the very same false positives: proof that the sizing, the seeds per
/// hash function and jhash/jhash2 are the kernel's.
/// </summary>
public class BloomFilterDifferentialTests
{
    private const string NoKernel = KernelDifferentialTests.NoKernel;

    [SkippableTheory]
    [MemberData(nameof(BloomFilterTests.CreateCases), MemberType = typeof(BloomFilterTests))]
    public void Create_matches_the_kernel(string name, uint keySize, uint valueSize, uint maxEntries, uint flags, ulong extra, int expected)
    {
        Skip.IfNot(KernelMapOracle.IsAvailable, NoKernel);
        _ = name;
        using var host = new MapTestHost(KernelMapOracle.PossibleCpus);
        var (kernel, ours) = MapTwin.CreateBoth(host, new MapAttributes
        {
            Type = BpfMapType.BloomFilter, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries, Flags = flags, MapExtra = extra,
        });

        Assert.Equal(Errno.Name(expected), Errno.Name(kernel));
        Assert.Equal(Errno.Name(kernel), Errno.Name(ours));
    }

    // value_size (multiples of 4 use jhash2, others jhash; above 12 bytes the mixing loop runs),
    // max_entries, hash functions (map_extra), values pushed.
    [SkippableTheory]
    [InlineData(4u, 1u, 1ul, 6)]
    [InlineData(4u, 10u, 0ul, 40)]
    [InlineData(3u, 3u, 3ul, 20)]
    [InlineData(8u, 2u, 15ul, 12)]
    [InlineData(13u, 5u, 2ul, 20)]
    [InlineData(16u, 7u, 5ul, 30)]
    [InlineData(1u, 2u, 4ul, 10)]
    [InlineData(28u, 20u, 7ul, 60)]
    public void False_positives_match_the_kernel_bit_for_bit(uint valueSize, uint maxEntries, ulong hashes, int pushes)
    {
        Skip.IfNot(KernelMapOracle.IsAvailable, NoKernel);
        using var host = new MapTestHost(KernelMapOracle.PossibleCpus);
        using var twin = MapTwin.Create(host, new MapAttributes
        {
            Type = BpfMapType.BloomFilter, ValueSize = valueSize, MaxEntries = maxEntries, Flags = BPF_F_ZERO_SEED, MapExtra = hashes,
        });
        var rng = new Random((int)(valueSize * 1000 + maxEntries));
        byte[] RandomValue() { var v = new byte[valueSize]; rng.NextBytes(v); return v; }

        for (int i = 0; i < pushes; i++) twin.Update(null, RandomValue());
        int present = 0;
        for (int i = 0; i < 400; i++)
            if (twin.LookupWith(null, RandomValue()) == 0) present++;

        twin.Update(null, RandomValue(), BPF_EXIST);
        twin.Delete(null);
        twin.NextKey(null, 4);
        twin.LookupAndDelete(null, (int)valueSize);
        twin.AssertSame();
        Assert.InRange(present, 1, 399); // crowded enough for false positives, not saturated
    }
}
