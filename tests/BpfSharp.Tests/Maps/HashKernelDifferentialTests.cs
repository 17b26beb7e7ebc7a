using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;
using static BpfSharp.Uapi.MapFlags;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// The hash maps against the live kernel's bpf(): the same creates, updates (every flag),
/// lookups, deletes, lookup-and-deletes, MAP_GET_NEXT_KEY calls and program lookups go to both,
/// and every return code and every byte read back must agree. With BPF_F_ZERO_SEED the iteration
/// order must agree too (same jhash, same buckets); LRU sequences run pinned to CPU 0, where the
/// kernel's LRU is deterministic.
/// </summary>
public unsafe class HashKernelDifferentialTests
{
    private const string NoKernel = "needs the bpf() syscall (Linux x86-64, root)";

    public static TheoryData<string, BpfMapType, uint, uint, uint, uint, uint, int> CreateCases => HashCreateTests.Cases;

    [SkippableTheory]
    [MemberData(nameof(CreateCases))]
    public void CreateMatchesTheKernel(string name, BpfMapType type, uint keySize, uint valueSize, uint maxEntries,
        uint flags, uint numaNode, int expected)
    {
        Skip.IfNot(KernelBpf.IsAvailable, NoKernel);
        _ = expected;
        int fd = KernelBpf.MapCreate((uint)type, keySize, valueSize, maxEntries, flags, 0, numaNode);
        if (fd >= 0) KernelBpf.Close(fd);
        var attributes = new MapAttributes
        {
            Type = type, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries, Flags = flags, NumaNode = numaNode,
        };
        int ours = HashTestKit.CreateErrno(attributes, HashTestKit.Context(KernelBpf.PossibleCpus));
        Assert.True(Math.Min(fd, 0) == ours, $"{name}: kernel {Errno.Name(Math.Min(fd, 0))}, ours {Errno.Name(ours)}");
    }

    public static TheoryData<string, BpfMapType, uint, uint, uint, uint, int> SequenceConfigs => new()
    {
        // name, type, key_size, value_size, max_entries, map_flags, seed
        { "hash", BpfMapType.Hash, 4, 8, 8, BPF_F_ZERO_SEED, 1 },
        { "hash, random seed", BpfMapType.Hash, 4, 8, 8, 0, 2 },
        { "hash, no prealloc, odd value", BpfMapType.Hash, 4, 12, 8, BPF_F_NO_PREALLOC | BPF_F_ZERO_SEED, 3 },
        { "hash, 6-byte keys", BpfMapType.Hash, 6, 8, 8, BPF_F_ZERO_SEED, 4 },
        { "hash, 16-byte keys", BpfMapType.Hash, 16, 8, 8, BPF_F_ZERO_SEED, 5 },
        { "hash, 13-byte keys, 5 entries", BpfMapType.Hash, 13, 8, 5, BPF_F_ZERO_SEED, 6 },
        { "percpu hash", BpfMapType.PercpuHash, 4, 12, 8, BPF_F_ZERO_SEED, 7 },
        { "percpu hash, no prealloc", BpfMapType.PercpuHash, 8, 8, 8, BPF_F_NO_PREALLOC | BPF_F_ZERO_SEED, 8 },
        { "lru hash", BpfMapType.LruHash, 4, 8, 8, BPF_F_ZERO_SEED, 9 },
        { "lru hash, 4 entries", BpfMapType.LruHash, 4, 8, 4, BPF_F_ZERO_SEED, 10 },
        { "lru hash, 16 entries", BpfMapType.LruHash, 4, 8, 16, BPF_F_ZERO_SEED, 11 },
        { "lru hash, random seed", BpfMapType.LruHash, 4, 8, 8, 0, 12 },
        { "lru hash, per-cpu lists", BpfMapType.LruHash, 4, 8, 8, BPF_F_NO_COMMON_LRU | BPF_F_ZERO_SEED, 13 },
        { "lru percpu hash", BpfMapType.LruPercpuHash, 4, 12, 8, BPF_F_ZERO_SEED, 14 },
        { "lru percpu hash, per-cpu lists", BpfMapType.LruPercpuHash, 4, 8, 6, BPF_F_NO_COMMON_LRU | BPF_F_ZERO_SEED, 15 },
    };

    [SkippableTheory]
    [MemberData(nameof(SequenceConfigs))]
    public void RandomOperationSequencesMatchTheKernel(string name, BpfMapType type, uint keySize, uint valueSize,
        uint maxEntries, uint flags, int seed)
    {
        Skip.IfNot(KernelBpf.IsAvailable, NoKernel);
        KernelBpf.OnCpu(0, () =>
        {
            using var pair = new MapPair(type, keySize, valueSize, maxEntries, flags);
            var random = new Random(seed);
            bool exactOrder = (flags & BPF_F_ZERO_SEED) != 0;
            bool lru = type is BpfMapType.LruHash or BpfMapType.LruPercpuHash;
            ulong[] updateFlags = [BPF_ANY, BPF_ANY, BPF_ANY, BPF_NOEXIST, BPF_NOEXIST, BPF_EXIST, BPF_EXIST, 3, BPF_F_LOCK];
            for (int step = 0; step < 600; step++)
            {
                int key = random.Next(12);
                int op = random.Next(100);
                string what;
                if (op < 40)
                {
                    ulong f = updateFlags[random.Next(updateFlags.Length)];
                    byte[] value = new byte[pair.UserValueSize];
                    random.NextBytes(value);
                    what = $"update {key} flags {f}";
                    pair.Same(what, m => m.Update(key, value, f));
                }
                else if (op < 55)
                {
                    what = $"lookup {key}";
                    pair.Same(what, m => m.Lookup(key));
                }
                else if (op < 65)
                {
                    what = $"delete {key}";
                    pair.Same(what, m => m.Delete(key));
                }
                else if (op < 72)
                {
                    what = $"lookup and delete {key}";
                    pair.Same(what, m => m.LookupAndDelete(key));
                }
                else if (op < 82 && exactOrder)
                {
                    bool first = random.Next(4) == 0;
                    what = first ? "get_next_key null" : $"get_next_key {key}";
                    pair.Same(what, m => m.NextKey(first ? null : key));
                }
                else if (op < 95 && lru)
                {
                    what = $"program lookup {key}";
                    pair.Touch(key);
                }
                else
                {
                    what = "walk";
                }
                pair.SameContents($"{name}, step {step} ({what})", exactOrder);
            }
        });
    }

    [SkippableFact]
    public void LruEvictionScenariosMatchTheKernel()
    {
        Skip.IfNot(KernelBpf.IsAvailable, NoKernel);
        KernelBpf.OnCpu(0, () =>
        {
            // fill 4, touch 1, insert 5: the oldest untouched key goes (LruHashMapTests, with the kernel's CPU count)
            using (var pair = new MapPair(BpfMapType.LruHash, 4, 8, 4, 0))
            {
                for (int k = 1; k <= 4; k++) pair.Same($"fill {k}", m => m.Update(k, new byte[8], BPF_ANY));
                pair.Touch(1);
                pair.Same("insert 5", m => m.Update(5, new byte[8], BPF_ANY));
                pair.SameContents("fill 4, touch 1, insert 5", exactOrder: false);
            }
            // an update of an existing key takes a node too, and BPF_EXIST can lose the key it names
            using (var pair = new MapPair(BpfMapType.LruHash, 4, 8, 4, 0))
            {
                for (int k = 1; k <= 4; k++) pair.Same($"fill {k}", m => m.Update(k, new byte[8], BPF_ANY));
                pair.Same("update 1 exist", m => m.Update(1, new byte[8], BPF_EXIST));
                pair.SameContents("update of an existing key in a full map", exactOrder: false);
                pair.Same("update 2 any", m => m.Update(2, new byte[8], BPF_ANY));
                pair.SameContents("second update", exactOrder: false);
            }
            // a long run of inserts with some keys kept hot by program lookups
            using (var pair = new MapPair(BpfMapType.LruHash, 4, 8, 32, 0))
            {
                for (int k = 0; k < 300; k++)
                {
                    pair.Same($"insert {k}", m => m.Update(k % 100, new byte[8], BPF_ANY));
                    if (k % 3 == 0) pair.Touch(k % 7);
                }
                pair.SameContents("hot keys", exactOrder: false);
            }
        });
    }

    [SkippableFact]
    public void HashOfMapsRulesMatchTheKernel()
    {
        Skip.IfNot(KernelBpf.IsAvailable, NoKernel);
        var context = HashTestKit.Context(KernelBpf.PossibleCpus);
        var ours = new Dictionary<int, Map>();
        context.ResolveFd = fd => ours.TryGetValue(fd, out Map? m) && m.TryAcquire() ? m : null;
        var kernelFds = new List<int>();
        int Both(BpfMapType type, uint valueSize, uint maxEntries, uint flags)
        {
            int fd = KernelBpf.MapCreate((uint)type, 4, valueSize, maxEntries, flags);
            Assert.True(fd >= 0);
            kernelFds.Add(fd);
            ours[fd] = HashTestKit.Create(type, 4, valueSize, maxEntries, flags, context);
            return fd;
        }
        int hash = Both(BpfMapType.Hash, 4, 4, 0);
        int bigger = Both(BpfMapType.Hash, 4, 8, 0);
        int otherFlags = Both(BpfMapType.Hash, 4, 4, BPF_F_NO_PREALLOC);
        int otherValue = Both(BpfMapType.Hash, 8, 4, 0);
        int lru = Both(BpfMapType.LruHash, 4, 4, 0);

        // creation: value_size must be 4, a template is needed
        foreach (uint valueSize in new uint[] { 4, 8 })
        {
            int fd = KernelBpf.MapCreate((uint)BpfMapType.HashOfMaps, 4, valueSize, 2, 0, hash);
            int err = HashTestKit.CreateErrno(new MapAttributes
            {
                Type = BpfMapType.HashOfMaps, KeySize = 4, ValueSize = valueSize, MaxEntries = 2, InnerMap = ours[hash],
            }, context);
            Assert.Equal(Math.Min(fd, 0), err);
            if (fd >= 0) KernelBpf.Close(fd);
        }

        int outerFd = KernelBpf.MapCreate((uint)BpfMapType.HashOfMaps, 4, 4, 2, 0, hash);
        Assert.True(outerFd >= 0);
        Map outer = HashTestKit.Create(BpfMapType.HashOfMaps, 4, 4, 2, 0, context, innerMap: ours[hash]);
        (string, int, uint, ulong)[] updates =
        [
            ("same shape", 1, (uint)hash, BPF_ANY),
            ("other max_entries (hash templates ignore it)", 2, (uint)bigger, BPF_ANY),
            ("other flags", 3, (uint)otherFlags, BPF_ANY),
            ("other value size", 3, (uint)otherValue, BPF_ANY),
            ("other type", 3, (uint)lru, BPF_ANY),
            ("full", 3, (uint)hash, BPF_ANY),
            ("replace", 1, (uint)bigger, BPF_EXIST),
            ("noexist on an existing key", 1, (uint)hash, BPF_NOEXIST),
            ("not an open fd", 3, 999u, BPF_ANY),
            ("BPF_F_LOCK", 1, (uint)hash, BPF_F_LOCK),
            ("flags 8", 1, (uint)hash, 8),
        ];
        foreach (var (what, key, fd, flags) in updates)
        {
            byte[] k = BitConverter.GetBytes(key), v = BitConverter.GetBytes(fd);
            int kernel = KernelBpf.MapUpdate(outerFd, k, v, flags);
            int mine = HashTestKit.Update(outer, k, v, flags);
            Assert.True(kernel == mine, $"{what}: kernel {Errno.Name(kernel)}, ours {Errno.Name(mine)}");
        }
        var kernelValue = new byte[4];
        var ourValue = new byte[4];
        Assert.Equal(KernelBpf.MapLookupAndDelete(outerFd, BitConverter.GetBytes(1), kernelValue),
            HashTestKit.LookupAndDelete(outer, BitConverter.GetBytes(1), ourValue));
        Assert.Equal(KernelBpf.MapLookup(outerFd, BitConverter.GetBytes(1), kernelValue, BPF_F_LOCK),
            HashTestKit.Lookup(outer, BitConverter.GetBytes(1), ourValue, BPF_F_LOCK));
        Assert.Equal(KernelBpf.MapDelete(outerFd, BitConverter.GetBytes(2)), HashTestKit.Delete(outer, BitConverter.GetBytes(2)));
        Assert.Equal(KernelBpf.MapDelete(outerFd, BitConverter.GetBytes(2)), HashTestKit.Delete(outer, BitConverter.GetBytes(2)));

        KernelBpf.Close(outerFd);
        outer.Release();
        foreach (int fd in kernelFds) KernelBpf.Close(fd);
        foreach (Map m in ours.Values) m.Release();
    }

    /// <summary>One map in the kernel and the same map here, driven by the same calls.</summary>
    private sealed class MapPair : IDisposable
    {
        private readonly int _fd;
        private readonly Map _map;
        private readonly uint _keySize;
        private readonly Dictionary<int, int> _touchPrograms = [];
        private readonly KernelSide _kernel;
        private readonly OurSide _ours;

        public MapPair(BpfMapType type, uint keySize, uint valueSize, uint maxEntries, uint flags)
        {
            _keySize = keySize;
            _fd = KernelBpf.MapCreate((uint)type, keySize, valueSize, maxEntries, flags);
            Assert.True(_fd >= 0, $"kernel map create: {Errno.Name(_fd)}");
            _map = HashTestKit.Create(type, keySize, valueSize, maxEntries, flags, HashTestKit.Context(KernelBpf.PossibleCpus));
            UserValueSize = (int)_map.UserValueSize;
            _kernel = new KernelSide(_fd, this);
            _ours = new OurSide(_map, this);
        }

        public int UserValueSize { get; }

        /// <summary>Key number <paramref name="k"/> at the map's key size: the number, then a pattern.</summary>
        public byte[] KeyBytes(int k)
        {
            var key = new byte[_keySize];
            for (int i = 0; i < key.Length; i++) key[i] = (byte)(k * 31 + i * 7);
            BitConverter.TryWriteBytes(key, k);
            return key;
        }

        public void Same(string what, Func<ISide, (int Rc, byte[] Data)> op)
        {
            var (krc, kdata) = op(_kernel);
            var (orc, odata) = op(_ours);
            Assert.True(krc == orc, $"{what}: kernel {Errno.Name(krc)}, ours {Errno.Name(orc)}");
            if (krc == 0) Assert.True(kdata.AsSpan().SequenceEqual(odata), $"{what}: data differs");
        }

        /// <summary>A program's bpf_map_lookup_elem of key <paramref name="k"/> (marks LRU elements referenced).</summary>
        public void Touch(int k)
        {
            if (!_touchPrograms.TryGetValue(k, out int prog))
            {
                Assert.Equal(4u, _keySize);
                var insns = Asm.Program(
                    Asm.StMem(BPF_W, R10, -4, k),
                    Asm.Mov64Reg(R2, R10),
                    Asm.Add64(R2, -4),
                    Asm.LdMapFd(R1, _fd),
                    Asm.Call(1),
                    Asm.Mov64Imm(R0, 0),
                    Asm.Exit());
                prog = KernelBpf.ProgLoad(KernelBpf.ProgTypeSocketFilter, insns, out string log);
                Assert.True(prog >= 0, log);
                _touchPrograms[k] = prog;
            }
            Assert.Equal(0, KernelBpf.ProgTestRun(prog, TestPacket.Frame()).Error);
            byte[] key = KeyBytes(k);
            using (_map.Context.Epochs.Enter())
            fixed (byte* p = key)
                _map.LookupElem(p, 0);
        }

        public void SameContents(string what, bool exactOrder)
        {
            List<byte[]> kernelKeys = KernelBpf.MapKeys(_fd, (int)_keySize), ourKeys = HashTestKit.Keys(_map);
            string Show(List<byte[]> keys) => string.Join(",", keys.Select(k => BitConverter.ToInt32(k)));
            if (exactOrder)
                Assert.True(kernelKeys.Count == ourKeys.Count && kernelKeys.Zip(ourKeys).All(p => p.First.SequenceEqual(p.Second)),
                    $"{what}: kernel order {Show(kernelKeys)}, ours {Show(ourKeys)}");
            else
                Assert.True(kernelKeys.Select(Convert.ToHexString).Order().SequenceEqual(ourKeys.Select(Convert.ToHexString).Order()),
                    $"{what}: kernel keys {Show(kernelKeys)}, ours {Show(ourKeys)}");
            foreach (byte[] key in kernelKeys)
            {
                var kv = new byte[UserValueSize];
                var ov = new byte[UserValueSize];
                Assert.Equal(0, KernelBpf.MapLookup(_fd, key, kv));
                Assert.Equal(0, HashTestKit.Lookup(_map, key, ov));
                Assert.True(kv.AsSpan().SequenceEqual(ov), $"{what}: value of {BitConverter.ToInt32(key)} differs");
            }
        }

        public void Dispose()
        {
            foreach (int prog in _touchPrograms.Values) KernelBpf.Close(prog);
            KernelBpf.Close(_fd);
            _map.Release();
        }
    }

    /// <summary>The element commands, on either side.</summary>
    private interface ISide
    {
        (int Rc, byte[] Data) Update(int key, byte[] value, ulong flags);
        (int Rc, byte[] Data) Lookup(int key);
        (int Rc, byte[] Data) Delete(int key);
        (int Rc, byte[] Data) LookupAndDelete(int key);
        (int Rc, byte[] Data) NextKey(int? key);
    }

    private sealed class KernelSide(int fd, MapPair pair) : ISide
    {
        public (int, byte[]) Update(int key, byte[] value, ulong flags) => (KernelBpf.MapUpdate(fd, pair.KeyBytes(key), value, flags), []);

        public (int, byte[]) Lookup(int key)
        {
            var value = new byte[pair.UserValueSize];
            return (KernelBpf.MapLookup(fd, pair.KeyBytes(key), value), value);
        }

        public (int, byte[]) Delete(int key) => (KernelBpf.MapDelete(fd, pair.KeyBytes(key)), []);

        public (int, byte[]) LookupAndDelete(int key)
        {
            var value = new byte[pair.UserValueSize];
            return (KernelBpf.MapLookupAndDelete(fd, pair.KeyBytes(key), value), value);
        }

        public (int, byte[]) NextKey(int? key)
        {
            var next = new byte[pair.KeyBytes(0).Length];
            return (KernelBpf.MapGetNextKey(fd, key is int k ? pair.KeyBytes(k) : null, next), next);
        }
    }

    private sealed class OurSide(Map map, MapPair pair) : ISide
    {
        public (int, byte[]) Update(int key, byte[] value, ulong flags) => (HashTestKit.Update(map, pair.KeyBytes(key), value, flags), []);

        public (int, byte[]) Lookup(int key)
        {
            var value = new byte[pair.UserValueSize];
            return (HashTestKit.Lookup(map, pair.KeyBytes(key), value), value);
        }

        public (int, byte[]) Delete(int key) => (HashTestKit.Delete(map, pair.KeyBytes(key)), []);

        public (int, byte[]) LookupAndDelete(int key)
        {
            var value = new byte[pair.UserValueSize];
            return (HashTestKit.LookupAndDelete(map, pair.KeyBytes(key), value), value);
        }

        public (int, byte[]) NextKey(int? key)
        {
            var next = new byte[map.KeySize];
            return (HashTestKit.GetNextKey(map, key is int k ? pair.KeyBytes(k) : null, next), next);
        }
    }
}
