namespace BpfSharp.Runtime;

/// <summary>
/// A program made ready to run by one of the engines (<see cref="Interpreter"/>, <see cref="Jit.JitProgram"/>):
/// immutable once built, <see cref="Run"/> callable from many threads at once, each with its own <see cref="RunContext"/>.
/// Both engines give identical results for the same program and context.
/// </summary>
public interface IProgramEngine
{
    /// <summary>Runs the program once and returns r0.</summary>
    /// <exception cref="BpfRuntimeException">The run faulted.</exception>
    ulong Run(RunContext run);

    /// <summary>True if runs are in checked mode (bounds-checked memory, for unverified programs).</summary>
    bool Checked { get; }

    /// <summary>Instructions one run may execute, or 0 for unlimited.</summary>
    long InstructionBudget { get; }

    /// <summary>Which engine this is.</summary>
    ExecutionEngine Engine { get; }
}
