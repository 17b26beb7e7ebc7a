using BpfSharp.Isa;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp asm FILE.s -o FILE.bin</c>: assembles kernel-syntax text into byte code.</summary>
internal static class AsmCommand
{
    public static int Run(string[] args)
    {
        string? input = null, output = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is "-o" or "--output")
                output = i + 1 < args.Length ? args[++i] : throw new UsageException("asm: -o needs a file name");
            else if (input is null && !args[i].StartsWith('-'))
                input = args[i];
            else
                throw new UsageException($"asm: unexpected argument '{args[i]}'");
        }
        if (input is null)
            throw new UsageException("asm: usage: bpfsharp asm FILE.s -o FILE.bin");
        output ??= Path.ChangeExtension(input, ".bin");

        Instruction[] program = Assembler.Assemble(File.ReadAllText(input));
        File.WriteAllBytes(output, Instruction.ToBytes(program));
        return 0;
    }
}
