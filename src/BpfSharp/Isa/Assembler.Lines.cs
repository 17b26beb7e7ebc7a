using System.Text.RegularExpressions;

namespace BpfSharp.Isa;

// The parts of a line around the instruction: comments, labels, index, bytes, opcode column,
// and the non-instruction lines of llvm-objdump and bpftool listings.
public static partial class Assembler
{
    private static void AssembleLine(ProgramBuilder builder, string raw, int lineNumber)
    {
        string line = StripComment(raw).Trim();
        if (line.Length == 0)
            return;
        // llvm-objdump: "x.o:	file format elf64-bpf", "Disassembly of section xdp:", relocations.
        if (line.Contains("file format", StringComparison.Ordinal) || RelocationLine().IsMatch(line))
            return;
        if (line.StartsWith("Disassembly of section ", StringComparison.Ordinal) && line.EndsWith(':'))
        {
            builder.NewSection();
            return;
        }
        // llvm-objdump symbol: "0000000000000000 <prog>:" (also "<L0>:" with --symbolize-operands).
        Match symbol = SymbolLine().Match(line);
        if (symbol.Success)
        {
            builder.DefineLabel(symbol.Groups[1].Value, lineNumber);
            return;
        }
        // bpftool: the function prototype before each function, "int prog(struct xdp_md * ctx):".
        if (line.EndsWith("):", StringComparison.Ordinal))
            return;

        while (TryTakeLabel(ref line, out string label))
            builder.DefineLabel(label, lineNumber);
        if (line.Length == 0)
            return;

        int index = -1;
        Match indexMatch = IndexPrefix().Match(line);
        if (indexMatch.Success)
        {
            if (!int.TryParse(indexMatch.Groups[1].ValueSpan, out index))
                throw new LineError("instruction index too large");
            line = line[indexMatch.Length..].TrimStart();
        }

        Match bytes = RawBytes().Match(line);
        if (bytes.Success)
        {
            builder.Place(index, FromBytes(bytes.Groups[1].Value), lineNumber);
            return;
        }

        int opcodeColumn = -1;
        Match column = OpcodeColumn().Match(line);
        if (column.Success)
        {
            opcodeColumn = Convert.ToInt32(column.Groups[1].Value, 16);
            line = line[column.Length..].TrimStart();
        }
        Parsed parsed = ParseInstruction(line, opcodeColumn == Opcodes.LD_IMM64);
        if (opcodeColumn >= 0 && parsed.First.Opcode != opcodeColumn)
            throw new LineError($"the opcode column ({opcodeColumn:x2}) does not match the instruction, which encodes as ({parsed.First.Opcode:x2})");
        builder.Place(index, parsed, lineNumber);
    }

    /// <summary>Removes a comment: from <c>;</c> or <c>//</c>, or from a <c>#</c> at the start of a word
    /// (<c>call bpf_map_lookup_elem#1</c> keeps its <c>#</c>).</summary>
    private static string StripComment(string line)
    {
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c == ';' || (c == '/' && i + 1 < line.Length && line[i + 1] == '/') ||
                (c == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1]))))
                return line[..i];
        }
        return line;
    }

    private static bool TryTakeLabel(ref string line, out string label)
    {
        label = "";
        if (line.Length == 0 || !IsIdentStart(line[0]))
            return false;
        int end = 1;
        while (end < line.Length && IsIdentPart(line[end]))
            end++;
        int colon = end;
        while (colon < line.Length && line[colon] is ' ' or '\t')
            colon++;
        if (colon >= line.Length || line[colon] != ':')
            return false;
        label = line[..end];
        line = line[(colon + 1)..].TrimStart();
        return true;
    }

    private static Parsed FromBytes(string hex)
    {
        byte[] bytes = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
        Instruction first = Instruction.Read(bytes);
        if (bytes.Length == 8)
        {
            if (first.IsLdImm64) throw new LineError("an lddw is 16 bytes");
            return Parsed.One(first);
        }
        if (!first.IsLdImm64) throw new LineError("16 bytes are only an lddw");
        return Parsed.Wide(first, Instruction.Read(bytes.AsSpan(8)));
    }

    [GeneratedRegex(@"^[0-9a-fA-F]+:\s+R_BPF_\S+")]
    private static partial Regex RelocationLine();

    [GeneratedRegex(@"^(?:[0-9a-fA-F]+\s+)?<([^<>\s]+)>\s*:$")]
    private static partial Regex SymbolLine();

    [GeneratedRegex(@"^(\d+)\s*:")]
    private static partial Regex IndexPrefix();

    [GeneratedRegex(@"^((?:[0-9a-fA-F]{2} ){7}[0-9a-fA-F]{2}(?: (?:[0-9a-fA-F]{2} ){7}[0-9a-fA-F]{2})?)(?=\s|$)")]
    private static partial Regex RawBytes();

    [GeneratedRegex(@"^\(([0-9a-fA-F]{2})\)")]
    private static partial Regex OpcodeColumn();
}
