namespace BpfSharp.Runtime;

/// <summary>What engines may assume about a registered helper (see <see cref="HelperRegistry.Register(int, string, BpfHelper, HelperFlags)"/>).</summary>
[Flags]
public enum HelperFlags
{
    /// <summary>Nothing: the helper may fault, end the program (<see cref="RunContext.RequestExit"/>), read
    /// <see cref="RunContext.CallerInstruction"/> or run a callback of the program.</summary>
    None = 0,

    /// <summary>
    /// The helper does none of that: it cannot fault, never asks the program to end, never reads the calling
    /// instruction's index and never calls back into the program (bpf_get_smp_processor_id, bpf_ktime_get_ns, ...).
    /// The JIT then calls it with nothing around the call: no store of the caller's index, no test for an early exit.
    /// A helper flagged so that does any of it gets undefined results (a wrong instruction index in its fault, an
    /// ignored exit request).
    /// </summary>
    Pure = 1,
}
