namespace BpfSharp.Runtime;

/// <summary>
/// What an engine offers helpers that call back into the running program (bpf_loop, for_each_map_elem):
/// run one of its subprograms on a fresh frame of the current run's stack. Set on the
/// <see cref="RunContext"/> for the duration of a run.
/// </summary>
internal interface ICallbackEngine
{
    /// <summary>Runs the subprogram <paramref name="callback"/> denotes with r1-r5 and returns its r0.</summary>
    ulong InvokeCallback(RunContext run, ulong callback, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5);

    /// <summary>True if <paramref name="callback"/> denotes a subprogram of the running program.</summary>
    bool IsCallback(ulong callback);
}
