using BpfSharp.Memory;
using BpfSharp.Runtime;

namespace BpfSharp.Syscall;

// Running a loaded program: the entry used by PROG_TEST_RUN and by hooks, and the tail calls it takes.
public sealed partial class LoadedProgram : INestedTailCallTarget
{
    /// <summary>
    /// Runs the program with <paramref name="run"/> (its r1-r5, regions, packet and <see cref="RunContext.Cpu"/>
    /// set by the caller) and returns r0. The run is one epoch: map memory it sees is not reclaimed
    /// before it returns. Tail calls (<see cref="RunContext.TailCallTarget"/>) run here, with the
    /// same r1, at most <see cref="RunContext.MaxTailCalls"/> of them.
    /// </summary>
    /// <exception cref="BpfRuntimeException">A checked-mode run faulted.</exception>
    public ulong Run(RunContext run)
    {
        ArgumentNullException.ThrowIfNull(run);
        using EpochManager.Guard epoch = _epochs.Enter();
        return RunInEpoch(run);
    }

    /// <summary>Compiles the program's JIT code now if it has not been (see <see cref="Runtime.Jit.JitProgram.Prepare"/>).</summary>
    internal void Prepare() => (_engine as Runtime.Jit.JitProgram)?.Prepare();

    /// <summary>
    /// <see cref="Run"/> for a caller that has entered the system's epoch already and stays in it until this returns
    /// (a hook running several programs in one epoch).
    /// </summary>
    internal ulong RunInEpoch(RunContext run)
    {
        if (run.Maps != _registry) run.Maps = _registry; // a hook's context keeps it: no store (and GC barrier) per fire
        run.TakeTailCall(); // a stale target from an earlier faulted run must not continue here
        run.TailCallCount = 0;
        run.ClearRedirect(); // a chain starts with no redirect target (kernel: bpf_redirect_info is per run here)
        return RunChain(run, Execute(run));
    }

    // The tail calls main frames take, one after the other (no stack grows): each target runs with the same context,
    // replacing the program before it; the chain's r0 is the last one's.
    private static ulong RunChain(RunContext run, ulong r0)
    {
        for (int chain = 0; run.TakeTailCall() is { } target; chain++)
        {
            // The helper counts against the limit; the bound here only keeps a faulty helper from looping.
            // A target freed since the helper saw it cannot run: the chain ends with the caller's r0.
            if (chain >= RunContext.MaxTailCalls || target is not LoadedProgram next || !next.TryAcquire())
                break;
            try
            {
                r0 = next.Execute(run);
            }
            finally
            {
                next.Release();
            }
        }
        return r0;
    }

    // A tail call from a subprogram frame of the running program: this program, and the chain its main frame starts,
    // runs nested on the suspended run's context, with stack blocks of its own (see RunContext.TailCalls).
    bool INestedTailCallTarget.TryRunNested(RunContext run, out ulong r0)
    {
        r0 = 0;
        if (!TryAcquire())
            return false;
        RunContext.SuspendedRun saved = run.SuspendForNestedTailCall();
        try
        {
            r0 = RunChain(run, Execute(run));
            return true;
        }
        finally
        {
            run.ResumeAfterNestedTailCall(saved);
            Release();
        }
    }

    private ulong Execute(RunContext run)
    {
        if (!_engine.Checked || _directValues.Length == 0)
            return _engine.Run(run);
        int regions = run.Regions.Length;
        foreach (MemoryRegion region in _directValues)
            run.AddRegion(region);
        try
        {
            return _engine.Run(run);
        }
        finally
        {
            run.TruncateRegions(regions);
        }
    }
}
