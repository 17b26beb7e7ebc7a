using System.Runtime.InteropServices;
using BpfSharp.Memory;

namespace BpfSharp.Tests.Memory;

/// <summary>
/// When EpochManager frees: at once if no run can see a block, else as the last run that could see it
/// leaves (the outermost guard reclaims pending work), never later than that and never earlier.
/// </summary>
public unsafe class EpochReclaimTests
{
    private static void* Block() => NativeMemory.AlignedAlloc(16, 16);

    /// <summary>A run on another thread that stays inside until <see cref="Leave"/>.</summary>
    private sealed class Runner : IDisposable
    {
        private readonly ManualResetEventSlim _entered = new(), _leave = new();
        private readonly Thread _thread;

        public Runner(EpochManager epochs)
        {
            _thread = new Thread(() =>
            {
                using (epochs.Enter())
                {
                    _entered.Set();
                    _leave.Wait();
                }
            });
            _thread.Start();
            _entered.Wait();
        }

        public void Leave()
        {
            _leave.Set();
            _thread.Join();
        }

        public void Dispose()
        {
            Leave();
            _entered.Dispose();
            _leave.Dispose();
        }
    }

    [Fact]
    public void A_block_retired_while_no_run_is_in_progress_is_freed_at_once()
    {
        using var epochs = new EpochManager();
        epochs.Retire(Block());
        Assert.Equal(0, epochs.PendingCount);
    }

    [Fact]
    public void A_block_retired_during_a_run_on_another_thread_is_freed_when_that_run_leaves()
    {
        using var epochs = new EpochManager();
        using var runner = new Runner(epochs);
        epochs.Retire(Block());
        int ran = 0;
        epochs.Defer(() => ran++);
        Assert.Equal(2, epochs.PendingCount);
        runner.Leave();
        Assert.Equal(0, epochs.PendingCount); // no Reclaim call: the leaving run did it
        Assert.Equal(1, ran);
    }

    [Fact]
    public void Only_the_outermost_guard_reclaims()
    {
        using var epochs = new EpochManager();
        int ran = 0;
        using (epochs.Enter())
        {
            using (epochs.Enter())
            {
                epochs.Defer(() => ran++);
                epochs.Retire(Block());
            }
            Assert.Equal(0, ran); // still inside the outer run
            Assert.Equal(2, epochs.PendingCount);
        }
        Assert.Equal(1, ran);
        Assert.Equal(0, epochs.PendingCount);
    }

    [Fact]
    public void A_later_run_does_not_hold_back_what_an_earlier_one_did_not_see()
    {
        using var epochs = new EpochManager();
        using var early = new Runner(epochs);
        epochs.Retire(Block());
        using var late = new Runner(epochs); // entered after the retirement
        early.Leave();
        Assert.Equal(0, epochs.PendingCount);
    }

    [Fact]
    public void Nothing_is_left_pending_once_every_run_has_left_however_they_interleave()
    {
        using var epochs = new EpochManager();
        const int Retirements = 20_000;
        int ran = 0;
        using var stop = new CancellationTokenSource();
        var runners = new Thread[2];
        for (int i = 0; i < runners.Length; i++)
        {
            runners[i] = new Thread(() =>
            {
                while (!stop.IsCancellationRequested)
                    using (epochs.Enter()) { }
            });
            runners[i].Start();
        }
        for (int i = 0; i < Retirements; i++)
        {
            epochs.Retire(Block());
            if (i % 4 == 0) epochs.Defer(() => Interlocked.Increment(ref ran));
        }
        stop.Cancel();
        foreach (Thread runner in runners) runner.Join();
        Assert.Equal(0, epochs.PendingCount);
        Assert.Equal(Retirements / 4, Volatile.Read(ref ran));
    }
}
