using BpfSharp.Memory;
using BpfSharp.ProgramTypes;
using BpfSharp.Runtime;
using BpfSharp.Syscall;

namespace BpfSharp;

// Running the attached programs: the path every fire takes, allocation-free.
public abstract partial class Hook
{
    // One run context per thread: a fire fills r1 (and, for checked-mode programs, the context region), the programs
    // run on it one by one. The thread's epoch slot is kept beside it, so a fire looks up one thread-local, not two.
    private readonly ThreadLocal<HookThread> _threads;

    private sealed class HookThread(RunContext run, EpochManager.Slot slot)
    {
        public readonly RunContext Run = run;
        public readonly EpochManager.Slot Slot = slot;
    }

    private RunContext NewRunContext() => new() { PossibleCpus = System.PossibleCpus, ProbeMemory = System.HelperEnvironment.ProbeMemory };

    /// <summary>
    /// Runs every attached program on the context at <paramref name="context"/> (<paramref name="contextSize"/>
    /// bytes, writable by checked-mode programs when <paramref name="writable"/>), in attach order, handing each
    /// result to <paramref name="aggregator"/>; stops early when it says so. The memory must stay put during the
    /// call (native, pinned, or on the stack).
    /// </summary>
    /// <exception cref="BpfRuntimeException">An unverified (checked-mode) program faulted; later programs did not run.</exception>
    private protected void RunPrograms<TAggregator>(nint context, int contextSize, bool writable, ref TAggregator aggregator)
        where TAggregator : IHookAggregator, allows ref struct =>
        Run(context, contextSize, writable, ref aggregator, xdp: null, skb: null, out _);

    /// <summary>
    /// Runs every attached program on a packet: <paramref name="xdp"/>'s frame or <paramref name="skb"/>'s packet (one
    /// of them), whose native context is r1, as <see cref="RunPrograms"/> does; a later program sees the packet as the
    /// earlier ones left it. Returns the redirect target the last program set (bpf_redirect, bpf_redirect_map) and, in
    /// <paramref name="last"/>, the last program's r0 (0 if none ran).
    /// </summary>
    private protected RedirectTarget RunPacketPrograms<TAggregator>(XdpBuff? xdp, SkBuff? skb, ref TAggregator aggregator, out ulong last)
        where TAggregator : IHookAggregator, allows ref struct =>
        Run(xdp?.Context ?? skb!.Context, xdp is null ? SkBuff.ContextSize : XdpBuff.ContextSize, writable: true, ref aggregator, xdp, skb, out last);

    private RedirectTarget Run<TAggregator>(nint context, int contextSize, bool writable, ref TAggregator aggregator,
        XdpBuff? xdp, SkBuff? skb, out ulong last)
        where TAggregator : IHookAggregator, allows ref struct
    {
        last = 0;
        if (Volatile.Read(ref _links).Length == 0) return default; // nothing attached: no epoch needed
        // Enter the epoch before reading the array that is run: a detach that swapped the array out defers the
        // program's release past every fire that entered before it.
        HookThread thread = _threads.Value!;
        using EpochManager.Guard epoch = System.Epochs.Enter(thread.Slot);
        BpfLink[] links = Volatile.Read(ref _links);
        if (links.Length == 0) return default;
        RunContext run = thread.Run;
        if (run.IsRunning)
            run = NewRunContext(); // a helper fired this hook from inside one of its programs
        run.R1 = (ulong)context;
        bool packet = xdp is not null || skb is not null;
        if (packet)
        {
            run.XdpBuff = xdp; // sets the packet LD_ABS and checked-mode runs see, kept current by the packet helpers
            run.SkBuff = skb;
        }
        bool ctxRegion = false;
        try
        {
            for (int i = 0; i < links.Length; i++)
            {
                LoadedProgram program = links[i].Program;
                if (program.IsChecked && !ctxRegion)
                {
                    run.AddRegion(new MemoryRegion(context, contextSize, writable, "ctx")); // what checked-mode accesses may touch
                    ctxRegion = true;
                }
                ulong r0 = program.RunInEpoch(run); // the epoch entered above covers every program
                last = r0;
                if (!aggregator.Add(i, r0)) break;
            }
            return run.Redirect;
        }
        finally
        {
            if (ctxRegion)
                run.ClearRegions();
            if (packet)
            {
                run.XdpBuff = null;
                run.SkBuff = null;
                run.Packet = null;
            }
        }
    }
}
