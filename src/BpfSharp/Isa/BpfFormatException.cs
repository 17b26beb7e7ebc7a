namespace BpfSharp.Isa;

/// <summary>
/// Malformed input: an instruction stream, assembly text, ELF object or BTF blob that cannot be read.
/// Carries where the fault is: an instruction index, a byte offset, a section or a source line.
/// </summary>
public sealed class BpfFormatException : Exception
{
    /// <summary>Index of the offending instruction slot, or -1.</summary>
    public int InstructionIndex { get; }
    /// <summary>Byte offset of the fault in its input, or -1.</summary>
    public long Offset { get; }
    /// <summary>Section or source the fault is in, if any.</summary>
    public string? Section { get; }
    /// <summary>1-based line of the fault in assembly text, or -1.</summary>
    public int Line { get; init; } = -1;

    /// <summary>Creates the exception with a complete message.</summary>
    public BpfFormatException(string message, int instructionIndex = -1, long offset = -1, string? section = null)
        : base(message)
    {
        InstructionIndex = instructionIndex;
        Offset = offset;
        Section = section;
    }

    /// <summary>A fault in instruction slot <paramref name="index"/>: the message reads <c>insn N: fault</c>.</summary>
    public static BpfFormatException AtInstruction(int index, string fault) =>
        new($"insn {index}: {fault}", index, (long)index * Instruction.Size);
}
