namespace BpfSharp.Runtime;

// A tail call taken in a subprogram frame (kernel: the x86-64 JIT's tail call from a bpf-to-bpf callee): the target
// replaces only that frame. It runs now, nested in the helper call, with the run's context and on a stack block of
// its own (the engine allocates one per run), so the caller's frames stay live and untouched below it; when its
// chain ends, its r0 is the subprogram's return value and the caller goes on. The tail-call count is the run's,
// shared by every level, so nesting is at most MaxTailCalls deep.
public sealed partial class RunContext
{
    // Set with ExitRequested: the request ends only the frame that called the helper, not the program.
    internal bool ExitFrameOnly;

    /// <summary>
    /// For engines, at an exit request after a helper call: true (and the request consumed, r0 = its value) when
    /// only the calling frame is to return; false when the whole program ends with <see cref="ExitValue"/>.
    /// </summary>
    internal bool TakeFrameExit(out ulong r0)
    {
        r0 = ExitValue;
        if (!ExitFrameOnly)
            return false;
        ExitRequested = false;
        ExitFrameOnly = false;
        ExitValue = 0;
        return true;
    }

    /// <summary>For JIT-compiled code at an exit request: the value the current method returns (see <see cref="TakeFrameExit"/>).</summary>
    internal static ulong ExitValueOf(RunContext run)
    {
        run.TakeFrameExit(out ulong r0);
        return r0;
    }

    /// <summary>What a nested tail call puts aside of the run it interrupts, and gives back when it ends.</summary>
    internal readonly struct SuspendedRun
    {
        internal readonly ulong StackTop;
        internal readonly int Depth, CallerPc, RunCpu, RegionCount, HeldSpinLockPc;
        internal readonly bool CheckedRun;
        internal readonly ICallbackEngine? Engine;
        internal readonly nint EngineState;
        internal readonly ulong HeldSpinLock;

        internal SuspendedRun(RunContext run)
        {
            StackTop = run.StackTop;
            Depth = run.Depth;
            CallerPc = run.CallerPc;
            RunCpu = run._runCpu;
            RegionCount = run._runRegionCount;
            HeldSpinLockPc = run.HeldSpinLockPc;
            CheckedRun = run.CheckedRun;
            Engine = run.Engine;
            EngineState = run.EngineState;
            HeldSpinLock = run.HeldSpinLock;
        }
    }

    /// <summary>
    /// Puts the run in progress aside for a program that a tail call from a subprogram frame runs nested: the next
    /// <see cref="BeginRun"/> continues the chain (keeps <see cref="TailCallCount"/>) and keeps the memory the
    /// interrupted run reached (<see cref="RunRegions"/>); <see cref="ResumeAfterNestedTailCall"/> takes it back.
    /// </summary>
    internal SuspendedRun SuspendForNestedTailCall()
    {
        var saved = new SuspendedRun(this);
        _tailCallContinues = true;
        _keepRunRegions = true;
        Running = false;
        return saved;
    }

    /// <summary>Back to the interrupted run once the nested chain ended (or faulted).</summary>
    internal void ResumeAfterNestedTailCall(in SuspendedRun saved)
    {
        _keepRunRegions = false;
        TailCallTarget = null;
        _tailCallContinues = false;
        if (CheckedRun || saved.CheckedRun)
            TruncateRunRegions(saved.RegionCount);
        StackTop = saved.StackTop;
        Depth = saved.Depth;
        CallerPc = saved.CallerPc;
        _runCpu = saved.RunCpu;
        CheckedRun = saved.CheckedRun;
        Engine = saved.Engine;
        EngineState = saved.EngineState;
        HeldSpinLock = saved.HeldSpinLock;
        HeldSpinLockPc = saved.HeldSpinLockPc;
        ExitRequested = false;
        ExitFrameOnly = false;
        ExitValue = 0;
        Running = true;
    }

    /// <summary>For bpf_tail_call in a subprogram frame: the frame returns <paramref name="r0"/> as soon as the helper returns.</summary>
    internal void RequestFrameExit(ulong r0)
    {
        ExitRequested = true;
        ExitFrameOnly = true;
        ExitValue = r0;
    }
}

/// <summary>A program a tail call from a subprogram frame can run nested (see <see cref="RunContext"/>).</summary>
internal interface INestedTailCallTarget
{
    /// <summary>
    /// Runs this program, and the tail calls its main frame takes, on <paramref name="run"/> while the calling run
    /// is suspended; false (nothing ran) if the program is being freed.
    /// </summary>
    bool TryRunNested(RunContext run, out ulong r0);
}
