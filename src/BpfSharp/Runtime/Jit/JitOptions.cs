namespace BpfSharp.Runtime.Jit;

/// <summary>How a <see cref="JitProgram"/> compiles and runs its program (the same switches as <see cref="InterpreterOptions"/>).</summary>
public sealed class JitOptions
{
    /// <summary>
    /// Checked mode, for unverified programs: the code bounds-checks every load, store and atomic against the
    /// run's regions and a violation ends the run with the <see cref="BpfRuntimeException"/> the interpreter gives.
    /// </summary>
    public bool Checked { get; init; }

    /// <summary>The helpers programs may call; none if null. Snapshotted at compilation; calls bind directly to their methods.</summary>
    public HelperRegistry? Helpers { get; init; }

    /// <summary>Instructions one run may execute at most; 0 means unlimited (and no counting code is emitted).</summary>
    public long InstructionBudget { get; init; }

    /// <summary>The loads that run as BPF_PROBE_MEM loads (see <see cref="InterpreterOptions.ProbeLoads"/>).</summary>
    public IReadOnlyList<bool>? ProbeLoads { get; init; }

    /// <summary>
    /// Cuts every subprogram into methods of at most this many reachable instructions (0, the default: only a
    /// subprogram too large for RyuJIT to optimize as one method is cut, see <see cref="MethodPiece"/>). For tests,
    /// which run the engine matrix with tiny pieces so that every instruction is also compiled at a piece boundary.
    /// </summary>
    internal int PieceInstructions { get; init; }
}
