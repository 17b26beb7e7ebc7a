namespace BpfSharp.Syscall;

// What the verifier learnt about the program's context use, for test runs.
public sealed partial class LoadedProgram
{
    /// <summary>
    /// One past the last context byte the program reads or writes (kernel: prog->aux->max_ctx_offset); 0 for an
    /// unverified program. A raw tracepoint test run needs at least this many bytes of arguments.
    /// </summary>
    public int MaxCtxOffset { get; internal set; }
}
