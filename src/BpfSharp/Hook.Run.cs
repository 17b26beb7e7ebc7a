using BpfSharp.Memory;
using BpfSharp.Runtime;

namespace BpfSharp;

// Running the attached programs: the path every fire takes, allocation-free.
public abstract partial class Hook
{
    // One run context per thread: a fire fills r1 and the context region, the programs run on it one by one.
    private readonly ThreadLocal<RunContext> _threads;

    private RunContext NewRunContext() => new() { PossibleCpus = System.PossibleCpus };

    /// <summary>
    /// Runs every attached program on the context at <paramref name="context"/> (<paramref name="contextSize"/>
    /// bytes, writable by checked-mode programs when <paramref name="writable"/>), in attach order, handing each
    /// result to <paramref name="aggregator"/>; stops early when it says so. The memory must stay put during the
    /// call (native, pinned, or on the stack). A packet hook passes its packet as <paramref name="packet"/> (what
    /// LD_ABS/LD_IND read and checked-mode runs may touch) after building the type's context over it.
    /// </summary>
    /// <exception cref="BpfRuntimeException">An unverified (checked-mode) program faulted; later programs did not run.</exception>
    private protected void RunPrograms<TAggregator>(nint context, int contextSize, bool writable, ref TAggregator aggregator,
        MemoryRegion? packet = null)
        where TAggregator : IHookAggregator, allows ref struct
    {
        if (Volatile.Read(ref _links).Length == 0) return; // nothing attached: no epoch needed
        // Enter the epoch before reading the array that is run: a detach that swapped the array out defers the
        // program's release past every fire that entered before it.
        using EpochManager.Guard epoch = System.Epochs.Enter();
        BpfLink[] links = Volatile.Read(ref _links);
        if (links.Length == 0) return;
        RunContext run = _threads.Value!;
        if (run.IsRunning)
            run = NewRunContext(); // a helper fired this hook from inside one of its programs
        run.R1 = (ulong)context;
        run.Packet = packet;
        run.AddRegion(new MemoryRegion(context, contextSize, writable, "ctx")); // checked-mode programs only
        try
        {
            for (int i = 0; i < links.Length; i++)
            {
                ulong r0 = links[i].Program.RunInEpoch(run); // the epoch entered above covers every program
                if (!aggregator.Add(i, r0)) break;
            }
        }
        finally
        {
            run.ClearRegions();
        }
    }
}
