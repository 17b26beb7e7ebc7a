namespace BpfSharp.Runtime;

/// <summary>
/// The helpers the public BPF ISA conformance suite (bpf_conformance) expects a runtime to provide,
/// with the semantics its reference plugin (ubpf) gives them.
/// </summary>
public static class ConformanceHelpers
{
    /// <summary>Helper id of <see cref="Unwind"/>.</summary>
    public const int UnwindId = 5;
    /// <summary>Registered name of <see cref="Unwind"/>.</summary>
    public const string UnwindName = "unwind";

    /// <summary>
    /// Returns its first argument; when that is 0 the whole program ends at once with r0 = 0
    /// (ubpf's unwind extension), whatever the call depth.
    /// </summary>
    public static ulong Unwind(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        if (r1 == 0)
            run.RequestExit(0);
        return r1;
    }
}
