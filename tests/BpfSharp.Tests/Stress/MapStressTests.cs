using System.Collections.Concurrent;
using System.Diagnostics;
using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Stress;

/// <summary>
/// The concurrency stress test of issue 3: program threads run a loaded program (BPF_PROG_TEST_RUN
/// through <see cref="BpfProgram"/>) that atomically increments counters in a HASH, an ARRAY and a
/// PERCPU_HASH and reads values of keys that are being replaced and deleted, while user space (the
/// typed API) walks the maps with GET_NEXT_KEY and batches, updates keys, and deletes and re-adds
/// them. Asserted: the counters of keys never deleted end with exactly the number of runs (no lost
/// update), and no read, by a program or by user space, ever returns memory that was recycled (the
/// hash pools fill retired elements with 0xDEADBEEF when they leave limbo) or a value of another key.
/// </summary>
/// <remarks>
/// Runs for BPFSHARP_STRESS_SECONDS seconds per configuration (default 1; set it higher for long
/// local runs). Nothing is timed: the duration only decides how many runs happen.
/// </remarks>
public class MapStressTests
{
    private const int ProgramThreads = 4;
    private const int StableKeys = 16;
    private const uint ChurnBase = 1000, ChurnKeys = 48;
    private const uint ProgramBase = 2000, ProgramKeys = 8;
    private const int MaxWalkSteps = 10_000;
    private const uint PoisonHalf = 0xDEADBEEF;

    private static double Seconds =>
        double.TryParse(Environment.GetEnvironmentVariable("BPFSHARP_STRESS_SECONDS"), System.Globalization.CultureInfo.InvariantCulture,
            out double s) && s > 0 ? s : 1.0;

    public static TheoryData<string, uint> Configs => new()
    {
        { "preallocated", 0 },
        { "no prealloc", MapFlags.BPF_F_NO_PREALLOC },
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void Counters_are_exact_and_recycled_memory_is_never_read(string name, uint hashFlags)
    {
        using var system = new BpfSystem(new BpfSystemOptions { PossibleCpus = ProgramThreads, Verify = false } /* a custom context layout */);
        using var hash = BpfMap<uint, ulong>.Create(system, BpfMapType.Hash, 128, hashFlags, "counters");
        using var array = BpfMap<uint, ulong>.Create(system, BpfMapType.Array, StableKeys, 0, "array");
        using var percpu = BpfMap<uint, ulong>.Create(system, BpfMapType.PercpuHash, 128, hashFlags, "percpu");
        using var observations = BpfMap<uint, ulong>.Create(system, BpfMapType.Array, CounterStressProgram.Observations);
        PoisonRecycledElements(system, hash);
        PoisonRecycledElements(system, percpu);
        for (uint k = 0; k < StableKeys; k++)
        {
            hash[k] = 0;
            percpu.UpdateValues(k, new ulong[ProgramThreads]);
        }
        using BpfProgram program = BpfProgram.Load(system, BpfProgType.RawTracepoint, // the keys travel as its arguments
            CounterStressProgram.Build(hash, array, percpu, observations), name: "stress");

        var failures = new ConcurrentQueue<string>();
        var runs = new long[StableKeys];
        long deadline = Stopwatch.GetTimestamp() + (long)(Seconds * Stopwatch.Frequency);
        int programsRunning = ProgramThreads;
        var threads = new List<Thread>();
        for (int t = 0; t < ProgramThreads; t++)
        {
            int thread = t;
            threads.Add(Guarded(failures, "program", () =>
            {
                try
                {
                    RunPrograms(program, thread, deadline, runs, failures);
                }
                finally
                {
                    Interlocked.Decrement(ref programsRunning);
                }
            }));
        }
        threads.Add(Guarded(failures, "writer", () => ChurnKeysFromUserSpace(hash, percpu, () => Volatile.Read(ref programsRunning) > 0)));
        threads.Add(Guarded(failures, "walker", () => WalkFromUserSpace(hash, percpu, failures, () => Volatile.Read(ref programsRunning) > 0)));
        foreach (Thread thread in threads) thread.Start();
        foreach (Thread thread in threads) thread.Join();

        Assert.True(failures.IsEmpty, $"{name}: {string.Join("; ", failures.Take(5))}");
        Assert.Equal(0ul, observations[CounterStressProgram.Poison]);
        Assert.Equal(0ul, observations[CounterStressProgram.Foreign]);
        Assert.Equal(0ul, observations[CounterStressProgram.Missing]);
        Assert.Equal(0ul, observations[CounterStressProgram.UpdateFailed]);
        Assert.True(observations[CounterStressProgram.ChurnHits] > 0, "no run ever found a churn key: the race was not exercised");
        Assert.True(system.Epochs.CurrentEpoch > 100, "hardly any element was retired: the race was not exercised");

        Span<ulong> perCpu = stackalloc ulong[ProgramThreads];
        for (uint k = 0; k < StableKeys; k++)
        {
            ulong expected = (ulong)runs[k];
            Assert.Equal(expected, hash[k]);
            Assert.Equal(expected, array[k]);
            Assert.True(percpu.TryGetValues(k, perCpu));
            ulong sum = 0;
            foreach (ulong v in perCpu) sum += v;
            Assert.Equal(expected, sum);
        }
    }

    // Program threads: one BPF_PROG_TEST_RUN per step, with the keys in its context (the raw tracepoint's arguments).
    private static void RunPrograms(BpfProgram program, int thread, long deadline, long[] runs, ConcurrentQueue<string> failures)
    {
        var local = new long[StableKeys];
        Span<byte> context = stackalloc byte[CounterStressProgram.ContextSize];
        for (uint i = 0; Stopwatch.GetTimestamp() < deadline; i++)
        {
            uint stable = (i * 7 + (uint)thread) % StableKeys;
            uint churn = i % 3 == 0 ? ProgramBase + i % ProgramKeys : ChurnBase + i * 13 % ChurnKeys;
            BitConverter.TryWriteBytes(context, stable);
            BitConverter.TryWriteBytes(context[4..], churn);
            BitConverter.TryWriteBytes(context[8..], ProgramBase + (i + (uint)thread) % ProgramKeys);
            BitConverter.TryWriteBytes(context[16..], (ulong)i);
            uint retval = program.TestRun([], default, context, default).Retval;
            local[stable]++; // the stable add happens before any check can end the run
            if (retval != 0)
            {
                failures.Enqueue($"run {i} on thread {thread} returned {retval}");
                break;
            }
        }
        for (int k = 0; k < StableKeys; k++) Interlocked.Add(ref runs[k], local[k]);
    }

    // User space replaces, deletes and re-adds the churn keys of both hash maps.
    private static void ChurnKeysFromUserSpace(BpfMap<uint, ulong> hash, BpfMap<uint, ulong> percpu, Func<bool> running)
    {
        var random = new Random(1);
        var slots = new ulong[ProgramThreads];
        for (uint generation = 0; running(); generation++)
        {
            uint key = ChurnBase + (uint)random.Next((int)ChurnKeys);
            ulong value = (ulong)key << 32 | generation;
            Array.Fill(slots, value);
            switch (random.Next(4))
            {
                case 0:
                    hash.Remove(key);
                    percpu.Remove(key);
                    break;
                case 1:
                    hash.TryAdd(key, value);
                    if (!percpu.ContainsKey(key)) percpu.UpdateValues(key, slots, MapFlags.BPF_NOEXIST);
                    break;
                default:
                    hash.Update(key, value); // BPF_ANY: replaces the element, retiring the old one
                    percpu.UpdateValues(key, slots);
                    break;
            }
        }
    }

    // User space walks both maps (GET_NEXT_KEY, entries, batches) and reads values while everything changes.
    private static void WalkFromUserSpace(BpfMap<uint, ulong> hash, BpfMap<uint, ulong> percpu, ConcurrentQueue<string> failures,
        Func<bool> running)
    {
        var lastSeen = new ulong[StableKeys];
        var keys = new uint[16];
        var values = new ulong[16];
        var slots = new ulong[ProgramThreads];
        while (running())
        {
            int steps = 0;
            foreach (KeyValuePair<uint, ulong> entry in hash)
            {
                CheckEntry("hash entry", entry.Key, entry.Value, lastSeen, failures);
                if (++steps > MaxWalkSteps) break; // a walk that keeps losing its key restarts: bound it
            }
            steps = 0;
            foreach (uint key in percpu.Keys)
            {
                if (!IsKnownKey(key)) failures.Enqueue($"percpu walk returned key {key}");
                if (key >= StableKeys && percpu.TryGetValues(key, slots))
                {
                    foreach (ulong slot in slots) CheckEntry("percpu value", key, slot, null, failures);
                }
                if (++steps > MaxWalkSteps) break;
            }
            var cursor = default(BpfMapBatchCursor<uint>);
            for (int calls = 0; !cursor.IsDone && calls < MaxWalkSteps; calls++)
            {
                int count = hash.LookupBatch(ref cursor, keys, values);
                for (int i = 0; i < count; i++) CheckEntry("batch entry", keys[i], values[i], null, failures);
            }
            if (!failures.IsEmpty) return;
        }
    }

    private static bool IsKnownKey(uint key) =>
        key < StableKeys || key - ChurnBase < ChurnKeys || key - ProgramBase < ProgramKeys;

    // Stable counters only grow; every other value is its key's (key << 32 | generation), never poison.
    private static void CheckEntry(string what, uint key, ulong value, ulong[]? lastSeen, ConcurrentQueue<string> failures)
    {
        if (!IsKnownKey(key))
        {
            failures.Enqueue($"{what}: unknown key {key}");
        }
        else if (key < StableKeys)
        {
            if (lastSeen is null) return;
            if (value < lastSeen[key]) failures.Enqueue($"{what}: counter {key} went back from {lastSeen[key]} to {value}");
            lastSeen[key] = value;
        }
        else if ((uint)(value >> 32) == PoisonHalf || (uint)value == PoisonHalf)
        {
            failures.Enqueue($"{what}: key {key} read the poison {value:x}");
        }
        else if (value >> 32 != key)
        {
            failures.Enqueue($"{what}: key {key} read {value:x}, a value of another key");
        }
    }

    // The hash pools' test hook: recycled and freed elements are filled with 0xDEADBEEF.
    private static void PoisonRecycledElements(BpfSystem system, BpfMap map)
    {
        Assert.Equal(0, system.GetObject(map.Fd, out BpfObject? obj));
        try
        {
            Assert.IsAssignableFrom<HashTable>(obj).Pool.PoisonRecycled = true;
        }
        finally
        {
            obj!.Release();
        }
    }

    private static Thread Guarded(ConcurrentQueue<string> failures, string name, Action body) => new(() =>
    {
        try
        {
            body();
        }
        catch (Exception e)
        {
            failures.Enqueue($"{name}: {e.GetType().Name}: {e.Message}");
        }
    });
}
