using BpfSharp.Maps;
using BpfSharp.Uapi;
using static BpfSharp.Tests.Maps.HashTestKit;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// Hash maps under concurrent use: program threads increment counters through the value pointers
/// their lookups return (as an atomic add in a program does) and read values of keys that another
/// thread keeps replacing and deleting, while user space walks and reads the map. Keys that are
/// never deleted or replaced must end with the exact total; retired memory is poisoned with
/// 0xDEADBEEF when it is reused or freed, and no reader may ever see the poison.
/// </summary>
public unsafe class HashConcurrencyTests
{
    private const int StableKeys = 16;
    private const int ChurnBase = 1000;
    private const int ChurnKeys = 48;
    private const int ProgramThreads = 3;
    private const int Iterations = 60_000;
    private const int WriterIterations = 40_000;
    private const ulong Poison = 0xDEADBEEFDEADBEEF;

    public static TheoryData<string, BpfMapType, uint, uint> Configs => new()
    {
        // name, type, max_entries, map_flags
        { "hash", BpfMapType.Hash, 128, 0 },
        { "hash, no prealloc", BpfMapType.Hash, 128, MapFlags.BPF_F_NO_PREALLOC },
        { "hash, full most of the time", BpfMapType.Hash, StableKeys + ChurnKeys / 2, 0 },
        { "percpu hash", BpfMapType.PercpuHash, 128, 0 },
        { "lru hash", BpfMapType.LruHash, 1024, 0 },
        { "lru percpu hash", BpfMapType.LruPercpuHash, 1024, 0 },
    };

    /// <summary>A churn value: its key in the high half, a generation in the low half.</summary>
    private static long ChurnValue(int key, int generation) => ((long)key << 32) | (uint)generation;

    [Theory]
    [MemberData(nameof(Configs))]
    public void CountersAreExactAndRetiredMemoryIsNeverSeen(string name, BpfMapType type, uint maxEntries, uint flags)
    {
        MapContext context = Context(cpus: ProgramThreads);
        var map = (HashTable)Create(type, 4, 8, maxEntries, flags, context);
        map.Pool.PoisonRecycled = true;
        bool percpu = map.IsPerCpu;
        var zero = new byte[map.UserValueSize];
        for (int k = 0; k < StableKeys; k++) Assert.Equal(0, Update(map, Key(k), zero));

        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        int programsRunning = ProgramThreads;
        var threads = new List<Thread>();
        for (int t = 0; t < ProgramThreads; t++)
        {
            int cpu = t;
            threads.Add(new Thread(() =>
            {
                int key;
                for (int i = 0; i < Iterations; i++)
                {
                    using var run = context.Epochs.Enter();
                    key = (i * 7 + cpu) % StableKeys;
                    long* counter = (long*)map.LookupElem((byte*)&key, cpu);
                    if (counter == null) { failures.Enqueue($"stable key {key} missing"); return; }
                    if (percpu) (*counter)++; else Interlocked.Increment(ref *counter);

                    key = ChurnBase + (i % ChurnKeys);
                    long* churn = (long*)map.LookupElem((byte*)&key, cpu);
                    if (churn != null)
                    {
                        long first = Volatile.Read(ref *churn);
                        Thread.SpinWait(20); // hold the pointer while the writer replaces and deletes
                        long second = Volatile.Read(ref *churn);
                        if ((ulong)first == Poison || (ulong)second == Poison)
                            failures.Enqueue($"poison seen through key {key}");
                        else if (!percpu && (first >> 32 != key || first != second))
                            failures.Enqueue($"key {key} read {first:x} then {second:x}");
                    }
                }
                Interlocked.Decrement(ref programsRunning);
            }));
        }
        threads.Add(new Thread(() =>
        {
            var random = new Random(1);
            var value = new byte[map.UserValueSize];
            for (int i = 0; i < WriterIterations; i++)
            {
                int key = ChurnBase + random.Next(ChurnKeys);
                if (random.Next(3) == 0)
                {
                    Delete(map, key);
                    continue;
                }
                for (int s = 0; s < value.Length; s += 8)
                    BitConverter.TryWriteBytes(value.AsSpan(s), ChurnValue(key, i));
                int err = Update(map, Key(key), value);
                if (err != 0 && err != -Errno.E2BIG) failures.Enqueue($"update {key}: {Errno.Name(err)}");
            }
        }));
        threads.Add(new Thread(() =>
        {
            var next = new byte[4];
            var value = new byte[map.UserValueSize];
            long[] seen = new long[StableKeys];
            while (Volatile.Read(ref programsRunning) > 0)
            {
                // A walk under concurrent writes must end and name only keys that were in the map.
                byte[]? key = null;
                for (int steps = 0; GetNextKey(map, key, next) == 0; steps++)
                {
                    int k = BitConverter.ToInt32(next);
                    if (!(k is >= 0 and < StableKeys || k is >= ChurnBase and < ChurnBase + ChurnKeys))
                        failures.Enqueue($"walk returned key {k}");
                    if (steps > 100_000) { failures.Enqueue("walk does not end"); return; }
                    key = next.ToArray();
                }
                for (int k = 0; k < StableKeys; k++)
                {
                    if (Lookup(map, Key(k), value) != 0) { failures.Enqueue($"user lookup {k} failed"); return; }
                    long total = 0;
                    for (int s = 0; s < value.Length; s += 8) total += BitConverter.ToInt64(value, s);
                    if (total < seen[k]) failures.Enqueue($"counter {k} went back from {seen[k]} to {total}");
                    seen[k] = total;
                }
            }
        }));
        foreach (Thread thread in threads) thread.Start();
        foreach (Thread thread in threads) thread.Join();

        Assert.True(failures.IsEmpty, $"{name}: {string.Join("; ", failures.Take(5))}");
        long sum = 0;
        var read = new byte[map.UserValueSize];
        for (int k = 0; k < StableKeys; k++)
        {
            Assert.Equal(0, Lookup(map, Key(k), read));
            for (int s = 0; s < read.Length; s += 8) sum += BitConverter.ToInt64(read, s);
        }
        Assert.Equal((long)ProgramThreads * Iterations, sum);
        map.Release();
        Assert.Equal(0, context.Charged);
    }
}
