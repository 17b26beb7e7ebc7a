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

    /// <summary>
    /// Per instruction: true for a load the verifier found to go through a kernel pointer (PTR_TO_BTF_ID;
    /// <see cref="Verifier.VerifierResult.IsProbeLoad"/>). Such a load runs as the kernel's BPF_PROBE_MEM: it reads
    /// only memory the run may read (<see cref="RunContext.AccessibleLength"/>) or the host's
    /// <see cref="RunContext.ProbeMemory"/> kernel regions, and gives 0 anywhere else instead of faulting.
    /// Null: no such loads.
    /// </summary>
    public IReadOnlyList<bool>? ProbeLoads { get; init; }
}
