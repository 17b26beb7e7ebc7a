using BpfSharp.Isa;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp disasm FILE.bin | --hex HEX</c>: prints byte code in the verifier log's syntax.</summary>
internal static class DisasmCommand
{
    public static int Run(string[] args, Terminal io)
    {
        byte[]? code = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--hex")
                code = i + 1 < args.Length ? Hex.Parse(args[++i], "--hex") : throw new UsageException("disasm: --hex needs hex bytes");
            else if (code is null && !args[i].StartsWith('-'))
                code = File.ReadAllBytes(args[i]);
            else
                throw new UsageException($"disasm: unexpected argument '{args[i]}'");
        }
        if (code is null)
            throw new UsageException("disasm: usage: bpfsharp disasm FILE.bin | --hex HEX");

        Instruction[] program = InstructionDecoder.Decode(code);
        foreach (string line in Disassembler.Disassemble(program))
            io.Out.WriteLine(line);
        return 0;
    }
}
