using BpfSharp.Memory;
using BpfSharp.Runtime;

namespace BpfSharp.Syscall;

// Running a loaded program: the entry used by PROG_TEST_RUN and by hooks.
public sealed partial class LoadedProgram
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
        ulong r0 = Execute(run);
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
