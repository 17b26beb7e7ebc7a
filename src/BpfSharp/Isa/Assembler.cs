using System.Text;
using System.Text.RegularExpressions;

namespace BpfSharp.Isa;

/// <summary>
/// Reads BPF assembly in the kernel verifier log's syntax (what <see cref="Disassembler"/> prints)
/// and in LLVM's forms of the same syntax (llvm-objdump -d, llvm-mc), so a verifier log, a
/// <c>bpftool prog dump xlated</c> listing or an objdump listing can be pasted back in.
/// </summary>
/// <remarks>
/// <para>A line holds, in order and each optional: labels (<c>name:</c>), an instruction index
/// (<c>12:</c>), llvm-objdump's instruction bytes (<c>b7 01 00 00 05 00 00 00</c>), the kernel's
/// opcode column (<c>(b7)</c>), and the instruction. Comments run from <c>;</c>, <c>//</c> or a
/// <c>#</c> that starts a word to the end of the line. llvm-objdump's header, section, symbol
/// (<c>0000000000000000 &lt;prog&gt;:</c>, defines a label) and relocation lines, and bpftool's
/// function prototype lines, are understood.</para>
/// <para>Rules worth knowing:</para>
/// <list type="bullet">
/// <item>Where a line has instruction bytes, the bytes are the instruction and its text is not read
/// (llvm-objdump prints some encodings ambiguously or wrongly, e.g. <c>call 0x1</c> for both a helper and
/// a pseudo call). Where it has an opcode column, the text must encode to that opcode.</item>
/// <item>An instruction index places the instruction at that index of the program (a new llvm-objdump
/// section starts again at 0); a repeated index must repeat the same instruction, so the instruction
/// lines of a verifier log, in any order, assemble to the program. Lines without an index follow the
/// previous instruction. Every index must be filled.</item>
/// <item><c>r1 = N</c> is a 32-bit move (<c>b7</c>) when N fits in 32 bits (as in LLVM, <c>0xffffffff</c> is
/// the immediate -1), otherwise lddw; <c>r1 = N ll</c> and the <c>(18)</c> column always mean lddw.
/// So the kernel's text of an lddw with a small value, <c>r1 = 0x5</c>, needs its <c>(18)</c> column.</item>
/// <item>Jump targets are <c>pc+N</c> / <c>pc-N</c> (kernel), <c>+N</c> / <c>-N</c> (LLVM; a trailing
/// <c>&lt;symbol&gt;</c> is ignored) or a label. <c>call name</c> calls the helper of that name, or else the
/// subprogram at label <c>name</c>; <c>call name#id</c> is a helper when the name is the helper's (or
/// <c>unknown</c>) and a kfunc otherwise, as the verifier names kfuncs.</item>
/// </list>
/// </remarks>
public static partial class Assembler
{
    /// <summary>Assembles <paramref name="text"/> into instruction slots (an lddw takes two).</summary>
    /// <param name="text">The program text.</param>
    /// <param name="validate">Check the result with <see cref="InstructionDecoder.Validate"/> (the default);
    /// pass false to build deliberately invalid programs, e.g. for verifier tests.</param>
    /// <exception cref="BpfFormatException">A line cannot be read, a label is undefined or defined twice, a
    /// jump does not fit its offset, or (when validating) the program is invalid. The message starts with
    /// <c>line N:</c> and <see cref="BpfFormatException.Line"/> is set when a line is at fault.</exception>
    public static Instruction[] Assemble(string text, bool validate = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new ProgramBuilder();
        int lineNumber = 0;
        foreach (Range range in text.AsSpan().Split('\n'))
        {
            lineNumber++;
            string line = text[range].TrimEnd('\r');
            try
            {
                AssembleLine(builder, line, lineNumber);
            }
            catch (LineError e)
            {
                string shown = StripComment(line).Trim();
                string message = e.Message == UnknownInstruction
                    ? $"line {lineNumber}: unknown instruction '{shown}'"
                    : $"line {lineNumber}: {e.Message}: '{shown}'";
                throw new BpfFormatException(message) { Line = lineNumber };
            }
        }
        return builder.Finish(validate);
    }

    /// <summary>
    /// Rebuilds a program from a kernel verifier log (any log level): reads the instruction lines
    /// (<c>4: (25) if r2 &gt; 0x10 goto pc+3 ; R2=...</c>, also the level-2 liveness table's
    /// <c>4: ..2....... (25) ...</c>) at their indexes and ignores every other line.
    /// </summary>
    /// <param name="log">The verifier log text.</param>
    /// <param name="validate">Check the result with <see cref="InstructionDecoder.Validate"/>.</param>
    /// <exception cref="BpfFormatException">An instruction line cannot be read, two lines give one index different
    /// instructions, or the log does not show every instruction (the verifier prints only those it reached).</exception>
    public static Instruction[] FromVerifierLog(string log, bool validate = true)
    {
        ArgumentNullException.ThrowIfNull(log);
        var text = new StringBuilder(log.Length);
        foreach (Range range in log.AsSpan().Split('\n'))
        {
            Match m = VerifierLogInstruction().Match(log[range]);
            // Keep the line count so errors name the log's line.
            text.Append(m.Success ? m.Groups[1].Value + m.Groups[2].Value : "").Append('\n');
        }
        return Assemble(text.ToString(), validate);
    }

    // "12: (bf) r0 = r1 ; state" or, in the liveness table, "12: .1........ (bf) r0 = r1".
    [GeneratedRegex(@"^\s*(\d+:\s+)(?:[.0-9]{10,}\s+)?(\([0-9a-f]{2}\)\s.*)$")]
    private static partial Regex VerifierLogInstruction();
}
