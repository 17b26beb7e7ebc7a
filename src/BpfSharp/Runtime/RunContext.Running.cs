using BpfSharp.Memory;

namespace BpfSharp.Runtime;

// The state of the run in progress, as engines maintain it and helpers read it.
public sealed partial class RunContext
{
    // Set by the engine: top of the stack block, current frame index (0 = main program),
    // index of the instruction that called the running helper, the mode.
    internal ulong StackTop;
    internal int Depth;
    internal int CallerPc;
    internal bool CheckedRun;
    internal bool Running;
    internal bool ExitRequested;
    internal ulong ExitValue;

    /// <summary>True while a program run is in progress with this context.</summary>
    public bool IsRunning => Running;
    /// <summary>True if the run in progress is in checked mode.</summary>
    public bool IsChecked => CheckedRun;
    /// <summary>Index of the instruction that called the helper now running.</summary>
    public int CallerInstruction => CallerPc;
    /// <summary>The stack of the frames now active (the current frame and its callers); empty outside a run.</summary>
    public MemoryRegion ActiveStack => Running
        ? new MemoryRegion((nint)(StackTop - (ulong)(Depth + 1) * BpfStack.FrameSize), (long)(Depth + 1) * BpfStack.FrameSize, true, "stack")
        : default;

    /// <summary>
    /// Ends the program as soon as the calling helper returns, with r0 = <paramref name="returnValue"/>,
    /// from any call depth. The helper's own return value is then ignored.
    /// </summary>
    public void RequestExit(ulong returnValue)
    {
        ExitRequested = true;
        ExitValue = returnValue;
    }

    /// <summary>
    /// True if the run may perform <paramref name="kind"/> on the <paramref name="size"/> bytes at
    /// <paramref name="address"/>: they lie in the active stack, a registered region or the packet,
    /// and stores and atomics only in writable ones.
    /// </summary>
    public bool IsAccessible(ulong address, ulong size, AccessKind kind) =>
        size == 0 || Classify(address, size, kind) == Access.Allowed;

    /// <summary>
    /// For helpers: in checked mode, throws unless <see cref="IsAccessible"/>; in unchecked mode
    /// (a verified program) does nothing.
    /// </summary>
    /// <exception cref="BpfRuntimeException">Checked mode and the access is not allowed.</exception>
    public void CheckAccess(ulong address, ulong size, AccessKind kind)
    {
        if (CheckedRun && size != 0 && Classify(address, size, kind) != Access.Allowed)
            throw AccessFault(address, size, kind, CallerPc, "helper call: ");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal void BeginRun(ulong stackTop, bool isChecked, ICallbackEngine? engine = null, nint engineState = 0)
    {
        if (Running)
            ThrowAlreadyRunning();
        StackTop = stackTop;
        Depth = 0;
        CallerPc = 0;
        CheckedRun = isChecked;
        ExitRequested = false;
        ExitFrameOnly = false;
        ExitValue = 0;
        Engine = engine;
        EngineState = engineState;
        ClearRunRegions();
        BeginHelperState();
        Running = true;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowAlreadyRunning() =>
        throw new InvalidOperationException("the run context is already in use by a run (one run at a time per context)");

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal void EndRun()
    {
        ReleaseHeldSpinLock();
        Running = false;
        CheckedRun = false;
        StackTop = 0;
        Depth = 0;
        Engine = null;
        EngineState = 0;
        ClearRunRegions();
    }
}
