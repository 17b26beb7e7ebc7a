using BpfSharp.Memory;

namespace BpfSharp.Tests.Memory;

/// <summary>EpochManager.Defer: the kernel's call_rcu for references (an action runs after every earlier run left).</summary>
public class EpochDeferTests
{
    [Fact]
    public void Without_a_run_in_progress_the_action_runs_at_once()
    {
        using var epochs = new EpochManager();
        int ran = 0;
        epochs.Defer(() => ran++);
        Assert.Equal(1, ran);
        Assert.Equal(0, epochs.PendingCount);
    }

    [Fact]
    public void An_action_deferred_during_a_run_waits_for_that_run()
    {
        using var epochs = new EpochManager();
        int ran = 0;
        using (epochs.Enter())
        {
            epochs.Defer(() => ran++);
            Assert.Equal(0, epochs.Reclaim());
            Assert.Equal(0, ran);
            Assert.Equal(1, epochs.PendingCount);
        }
        Assert.Equal(1, ran); // the run that held it back ran it as it left
        Assert.Equal(0, epochs.PendingCount);
    }

    [Fact]
    public void A_run_on_another_thread_holds_the_action_back_and_a_later_run_does_not()
    {
        using var epochs = new EpochManager();
        int ran = 0;
        using var entered = new ManualResetEventSlim();
        using var leave = new ManualResetEventSlim();
        var runner = new Thread(() =>
        {
            using (epochs.Enter()) { entered.Set(); leave.Wait(); }
        });
        runner.Start();
        entered.Wait();

        epochs.Defer(() => ran++);
        using (epochs.Enter()) Assert.Equal(0, epochs.Reclaim()); // this later run does not matter; the earlier one does
        Assert.Equal(0, ran);

        leave.Set();
        runner.Join();
        Assert.Equal(1, ran); // the runner ran it as it left
        Assert.Equal(0, epochs.PendingCount);
    }

    [Fact]
    public void Dispose_runs_what_is_still_deferred()
    {
        var epochs = new EpochManager();
        int ran = 0;
        using (epochs.Enter()) epochs.Defer(() => ran++);
        epochs.Dispose();
        Assert.Equal(1, ran);
    }
}
