namespace BpfSharp.Verifier;

/// <summary>
/// A source line of the program (from the bpf_line_info records of PROG_LOAD, resolved in the program's BTF): the
/// log shows it as <c>; source @ file.c:line</c> before the first instruction it covers.
/// </summary>
/// <param name="Instruction">The first instruction it covers.</param>
/// <param name="Source">The source line's text.</param>
/// <param name="File">The file's name as the BTF holds it (the log shows its last component).</param>
/// <param name="Line">The line number.</param>
public readonly record struct VerifierLineInfo(int Instruction, string Source, string File, uint Line);
