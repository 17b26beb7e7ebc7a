using BpfSharp.Maps;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;
using static BpfSharp.Uapi.MapFlags;

namespace BpfSharp.Tests.Maps;

/// <summary>LPM_TRIE against the live kernel: the creation table, random updates/deletes/lookups and get_next_key walks.</summary>
public class LpmTrieDifferentialTests
{
    private const string NoKernel = KernelDifferentialTests.NoKernel;

    [SkippableTheory]
    [MemberData(nameof(LpmTrieTests.CreateCases), MemberType = typeof(LpmTrieTests))]
    public void Create_matches_the_kernel(string name, uint keySize, uint valueSize, uint maxEntries, uint flags, int expected)
    {
        Skip.IfNot(KernelMapOracle.IsAvailable, NoKernel);
        _ = name;
        using var host = new MapTestHost(KernelMapOracle.PossibleCpus);
        var (kernel, ours) = MapTwin.CreateBoth(host, new MapAttributes
        {
            Type = BpfMapType.LpmTrie, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries, Flags = flags,
        });

        Assert.Equal(Errno.Name(expected), Errno.Name(kernel));
        Assert.Equal(Errno.Name(kernel), Errno.Name(ours));
    }

    private static readonly ulong[] UpdateFlags = [BPF_ANY, BPF_ANY, BPF_NOEXIST, BPF_EXIST, BPF_NOEXIST | BPF_EXIST];

    // data bytes, max_entries, seed: 1 byte (the byte-wise tail), 4 (IPv4), 9 (a u64 chunk and a tail), 16 (IPv6).
    [SkippableTheory]
    [InlineData(1u, 12u, 1)]
    [InlineData(4u, 16u, 2)]
    [InlineData(4u, 200u, 3)]
    [InlineData(9u, 24u, 4)]
    [InlineData(16u, 40u, 5)]
    public void Random_operations_match_the_kernel(uint dataSize, uint maxEntries, int seed)
    {
        Skip.IfNot(KernelMapOracle.IsAvailable, NoKernel);
        using var host = new MapTestHost(KernelMapOracle.PossibleCpus);
        int keySize = 4 + (int)dataSize;
        using var twin = MapTwin.Create(host, new MapAttributes
        {
            Type = BpfMapType.LpmTrie, KeySize = (uint)keySize, ValueSize = 8, MaxEntries = maxEntries, Flags = BPF_F_NO_PREALLOC,
        });
        var rng = new Random(seed);
        uint maxPrefix = dataSize * 8;
        // A few base addresses; keys are bases with a bit or two flipped, so prefixes nest and diverge.
        var bases = Enumerable.Range(0, 5).Select(_ => { var b = new byte[dataSize]; rng.NextBytes(b); return b; }).ToArray();
        byte[] RandomKey(bool fullLength)
        {
            var data = (byte[])bases[rng.Next(bases.Length)].Clone();
            for (int flips = rng.Next(3); flips > 0; flips--)
            {
                int bit = rng.Next((int)maxPrefix);
                data[bit / 8] ^= (byte)(0x80 >> (bit % 8));
            }
            uint prefix = fullLength ? maxPrefix : (uint)rng.Next((int)maxPrefix + 1);
            if (rng.Next(40) == 0) prefix = maxPrefix + 1; // invalid
            return Bytes.Lpm(prefix, data);
        }

        for (int i = 0; i < 600; i++)
        {
            switch (rng.Next(10))
            {
                case < 5:
                    twin.Update(RandomKey(false), Bytes.U64((ulong)i), UpdateFlags[rng.Next(UpdateFlags.Length)]);
                    break;
                case < 7: twin.Delete(RandomKey(false)); break;
                case < 9: twin.Lookup(RandomKey(rng.Next(4) != 0), 8); break;
                default: twin.NextKey(rng.Next(3) == 0 ? null : RandomKey(false), keySize); break;
            }
            if (i % 50 == 0) twin.WalkKeys(keySize);
        }
        twin.WalkKeys(keySize);
        twin.AssertSame();
    }

    [SkippableFact]
    public void A_full_trie_walk_matches_the_kernel_after_deleting_everything_in_random_order()
    {
        Skip.IfNot(KernelMapOracle.IsAvailable, NoKernel);
        using var host = new MapTestHost(KernelMapOracle.PossibleCpus);
        using var twin = MapTwin.Create(host, new MapAttributes
        {
            Type = BpfMapType.LpmTrie, KeySize = 6, ValueSize = 4, MaxEntries = 1000, Flags = BPF_F_NO_PREALLOC,
        });
        var rng = new Random(9);
        var keys = new List<byte[]>();
        for (int i = 0; i < 300; i++)
        {
            byte[] key = Bytes.Lpm((uint)rng.Next(17), (byte)rng.Next(256), (byte)rng.Next(256));
            keys.Add(key);
            twin.Update(key, Bytes.U32((uint)i));
        }
        twin.WalkKeys(6);
        foreach (byte[] key in keys.OrderBy(_ => rng.Next()))
        {
            twin.Delete(key);
            if (rng.Next(10) == 0) twin.WalkKeys(6);
        }
        Assert.Equal(0, twin.WalkKeys(6));
        twin.AssertSame();
    }
}
