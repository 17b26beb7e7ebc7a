namespace BpfSharp.Runtime;

// Calls from helpers back into the running program (bpf_loop, bpf_for_each_map_elem).
public sealed partial class RunContext
{
    // Set by the engine for the duration of a run: who runs callbacks, and its per-run state
    // (the interpreter: a pointer to the ExecState of the innermost active execution).
    internal ICallbackEngine? Engine;
    internal nint EngineState;

    /// <summary>
    /// Runs the program's subprogram <paramref name="callback"/> (a <see cref="SubprogramPointer"/>, as
    /// <c>lddw BPF_PSEUDO_FUNC</c> loads it) with r1-r5 on a new frame of this run's stack, and returns its r0.
    /// It counts as a call frame (at most <see cref="BpfStack.MaxFrames"/> in all), shares the run's
    /// instruction budget, and may itself call helpers (and so callbacks). If something in it asks the
    /// program to end (<see cref="IsExitRequested"/>), it returns that request's value: the calling helper
    /// should stop and return.
    /// </summary>
    /// <exception cref="BpfRuntimeException">
    /// <paramref name="callback"/> is not a subprogram of the running program, the frame limit would be
    /// exceeded, or the callback faulted.
    /// </exception>
    /// <exception cref="InvalidOperationException">No run is in progress.</exception>
    public ulong InvokeCallback(ulong callback, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        if (!Running || Engine is null)
            throw new InvalidOperationException("InvokeCallback needs a run in progress");
        return Engine.InvokeCallback(this, callback, r1, r2, r3, r4, r5);
    }

    /// <summary>True while a run is in progress and <paramref name="callback"/> denotes one of its program's subprograms.</summary>
    public bool IsCallback(ulong callback) => Running && Engine is not null && Engine.IsCallback(callback);

    /// <summary>A fault raised on behalf of the helper now running (the calling instruction's index in the message).</summary>
    public BpfRuntimeException HelperFault(string message) =>
        new(FaultKind.InvalidHelperArgument, CallerPc, "helper call: " + message);
}
