namespace BpfSharp.Runtime;

/// <summary>How an <see cref="Interpreter"/> runs its program.</summary>
public sealed class InterpreterOptions
{
    /// <summary>
    /// Checked mode, for unverified programs: every load, store, atomic is bounds-checked
    /// against the run's regions and a violation ends the run with a <see cref="BpfRuntimeException"/>.
    /// Off (the default) for verified programs: no checks on the hot path, as the kernel's JIT.
    /// </summary>
    public bool Checked { get; init; }

    /// <summary>The helpers programs may call; none if null. The interpreter snapshots it on construction.</summary>
    public HelperRegistry? Helpers { get; init; }

    /// <summary>
    /// Instructions one run may execute at most (in either mode); 0 means unlimited.
    /// A run that exceeds it ends with <see cref="FaultKind.BudgetExhausted"/>.
    /// </summary>
    public long InstructionBudget { get; init; }
}
