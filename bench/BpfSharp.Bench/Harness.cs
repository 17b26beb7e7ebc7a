using System.Diagnostics;

namespace BpfSharp.Bench;

/// <summary>One thread's share of a measurement: performs <c>count</c> operations starting at operation <c>start</c>.</summary>
internal interface IWorker
{
    /// <summary>Operations one call to <see cref="Run"/> performs (a chunk between clock reads).</summary>
    int Chunk { get; }

    /// <summary>Performs <see cref="Chunk"/> operations; <paramref name="start"/> varies the keys.</summary>
    void Run(long start);
}

/// <summary>What a measurement found.</summary>
/// <param name="NsPerOp">Mean time of one operation on one thread, in ns.</param>
/// <param name="OpsPerSecond">Operations per second, all threads together.</param>
/// <param name="BytesPerOp">Managed bytes allocated per operation (the worst thread), in steady state.</param>
internal readonly record struct Measurement(double NsPerOp, double OpsPerSecond, double BytesPerOp);

/// <summary>Runs workers on N threads for a fixed time after a warm-up, and measures time and allocations.</summary>
internal static class Harness
{
    /// <summary>Attempts per measurement; the fastest counts (the machine may be shared: slow attempts are interference).</summary>
    public const int Attempts = 3;

    /// <summary>
    /// Makes one worker per thread with <paramref name="make"/> (on that thread), warms each up for
    /// <paramref name="warmUp"/> seconds, then runs them together <see cref="Attempts"/> times for
    /// <paramref name="seconds"/> / <see cref="Attempts"/> and keeps the fastest attempt (the most
    /// allocation of any attempt). <paramref name="opsPerUnit"/> turns worker operations into reported
    /// operations (a program run that does K lookups is K operations).
    /// </summary>
    public static Measurement Run(int threads, double seconds, Func<int, IWorker> make, double warmUp = 0.15, int opsPerUnit = 1)
    {
        var workers = new IWorker?[threads];
        Measurement best = default;
        double bytes = 0;
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            // Every attempt starts new threads: a short warm-up lets per-thread state (epoch slots) exist before measuring.
            Measurement m = RunOnce(threads, seconds / Attempts, t => workers[t] ??= make(t), attempt == 0 ? warmUp : 0.02, opsPerUnit);
            if (attempt == 0 || m.NsPerOp < best.NsPerOp) best = m;
            bytes = Math.Max(bytes, m.BytesPerOp);
        }
        return best with { BytesPerOp = bytes };
    }

    private static Measurement RunOnce(int threads, double seconds, Func<int, IWorker> make, double warmUp, int opsPerUnit)
    {
        var ops = new long[threads];
        var elapsed = new double[threads];
        var allocated = new long[threads];
        using var ready = new Barrier(threads + 1);
        using var go = new ManualResetEventSlim();
        var errors = new Exception?[threads];
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int thread = t;
            workers[t] = new Thread(() =>
            {
                try
                {
                    IWorker worker = make(thread);
                    long start = (long)thread << 40;
                    Loop(worker, ref start, Stopwatch.GetTimestamp() + Ticks(warmUp)); // JIT, tiering, pools
                    ready.SignalAndWait();
                    go.Wait();
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    long begin = Stopwatch.GetTimestamp();
                    ops[thread] = Loop(worker, ref start, begin + Ticks(seconds));
                    elapsed[thread] = Stopwatch.GetElapsedTime(begin).TotalNanoseconds;
                    allocated[thread] = GC.GetAllocatedBytesForCurrentThread() - before;
                }
                catch (Exception e)
                {
                    errors[thread] = e;
                    ready.RemoveParticipant();
                }
            }) { IsBackground = true };
            workers[t].Start();
        }
        ready.SignalAndWait();
        go.Set();
        foreach (Thread worker in workers) worker.Join();
        foreach (Exception? e in errors)
        {
            if (e is not null) throw new InvalidOperationException("a worker failed", e);
        }

        double nsPerOp = 0, totalOps = 0, bytesPerOp = 0, longest = 0;
        for (int t = 0; t < threads; t++)
        {
            double n = (double)ops[t] * opsPerUnit;
            nsPerOp += elapsed[t] / n / threads;
            totalOps += n;
            longest = Math.Max(longest, elapsed[t]);
            bytesPerOp = Math.Max(bytesPerOp, allocated[t] / n);
        }
        return new Measurement(nsPerOp, totalOps / longest * 1e9, bytesPerOp);
    }

    private static long Loop(IWorker worker, ref long start, long deadline)
    {
        long done = 0;
        int chunk = worker.Chunk;
        do
        {
            worker.Run(start);
            start += chunk;
            done += chunk;
        }
        while (Stopwatch.GetTimestamp() < deadline);
        return done;
    }

    private static long Ticks(double seconds) => (long)(seconds * Stopwatch.Frequency);

    /// <summary>The benchmark's key sequence: a permutation of 0..mask (mask = 2^n - 1), the same in C# and in programs.</summary>
    public static uint Key(long i, uint mask) => (uint)((ulong)i * Golden) & mask;

    /// <summary>The odd multiplier of <see cref="Key"/> (2^32 / golden ratio).</summary>
    public const uint Golden = 0x9E3779B1;
}
