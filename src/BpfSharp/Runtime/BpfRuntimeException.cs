namespace BpfSharp.Runtime;

/// <summary>
/// A run ended by a fault: in checked mode a memory access outside the run's regions, an
/// exhausted instruction budget, too deep a call chain; in any mode an unknown helper or
/// execution falling off the end. The message reads <c>insn N: fault</c>.
/// </summary>
public sealed class BpfRuntimeException : Exception
{
    /// <summary>Creates the exception; the message becomes <c>insn {instructionIndex}: {fault}</c>.</summary>
    public BpfRuntimeException(FaultKind kind, int instructionIndex, string fault, ulong? address = null)
        : base($"insn {instructionIndex}: {fault}")
    {
        Kind = kind;
        InstructionIndex = instructionIndex;
        Address = address;
    }

    /// <summary>What went wrong.</summary>
    public FaultKind Kind { get; }
    /// <summary>Index of the faulting instruction slot.</summary>
    public int InstructionIndex { get; }
    /// <summary>The address of the faulting memory access, if the fault is one.</summary>
    public ulong? Address { get; }
}
