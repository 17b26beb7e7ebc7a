namespace BpfSharp.Verifier;

/// <summary>
/// The outcome of <see cref="Cfg.Check"/>: either the subprogram table and per-instruction facts,
/// or the kernel's errno and the line its verifier log ends with (before the <c>processed</c> line).
/// </summary>
public sealed class CfgResult
{
    private readonly SubprogInfo[] _subprogs;
    private readonly CfgInsnFlags[] _flags;
    private readonly int[] _subprogOf;

    private CfgResult(int errno, string? error, SubprogInfo[] subprogs, CfgInsnFlags[] flags, int[] subprogOf)
    {
        Errno = errno;
        Error = error;
        _subprogs = subprogs;
        _flags = flags;
        _subprogOf = subprogOf;
    }

    internal static CfgResult Fail(int errno, string error) => new(errno, error, [], [], []);

    /// <summary>This fault, noting that <paramref name="count"/> subprograms were known when it happened.</summary>
    internal CfgResult WithSubprogCount(int count) => new(Errno, Error, [], [], []) { FailedSubprogCount = count };

    /// <summary>
    /// On failure, how many subprograms add_subprog_and_kfunc had found (the kernel's subprog_cnt, which its
    /// statistics line prints a stack depth for); 0 on success or before any was found.
    /// </summary>
    internal int FailedSubprogCount { get; private init; }

    internal static CfgResult Ok(SubprogInfo[] subprogs, CfgInsnFlags[] flags, int[] subprogOf) =>
        new(0, null, subprogs, flags, subprogOf);

    /// <summary>True when the program passed the first pass.</summary>
    public bool IsValid => Errno == 0;

    /// <summary>0 on success, else the positive errno the kernel returns (EINVAL, E2BIG, EPERM).</summary>
    public int Errno { get; }

    /// <summary>
    /// The kernel's log line for the fault without its newline, e.g. <c>unreachable insn 4</c>;
    /// empty when the kernel rejects without a log line (the BPF_PROG_LOAD size check); null on success.
    /// </summary>
    public string? Error { get; }

    /// <summary>The subprograms in start order; entry 0 is the main program. Empty on failure.</summary>
    public ReadOnlySpan<SubprogInfo> Subprogs => _subprogs;

    /// <summary>The facts recorded per instruction slot. Empty on failure.</summary>
    public ReadOnlySpan<CfgInsnFlags> InsnFlags => _flags;

    /// <summary>The index in <see cref="Subprogs"/> of the subprogram holding instruction <paramref name="insn"/>.</summary>
    public int SubprogOf(int insn) => _subprogOf[insn];

    /// <summary>The index of the subprogram starting at <paramref name="insn"/>, or -1 (the kernel's <c>find_subprog</c>).</summary>
    public int FindSubprog(int insn)
    {
        int lo = 0, hi = _subprogs.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int start = _subprogs[mid].Start;
            if (start == insn) return mid;
            if (start < insn) lo = mid + 1; else hi = mid - 1;
        }
        return -1;
    }

    /// <summary>True when the walk compares states at <paramref name="insn"/>.</summary>
    public bool IsPrunePoint(int insn) => (_flags[insn] & CfgInsnFlags.PrunePoint) != 0;

    /// <summary>True when a jump or call return lands at <paramref name="insn"/>.</summary>
    public bool IsJmpPoint(int insn) => (_flags[insn] & CfgInsnFlags.JmpPoint) != 0;

    /// <summary>True when <paramref name="insn"/> is a helper call that calls a callback synchronously (kernel: calls_callback).</summary>
    public bool CallsCallback(int insn) => (_flags[insn] & CfgInsnFlags.CallsCallback) != 0;

    /// <summary>True when the walk must save a state at <paramref name="insn"/>.</summary>
    public bool IsForceCheckpoint(int insn) => (_flags[insn] & CfgInsnFlags.ForceCheckpoint) != 0;
}
