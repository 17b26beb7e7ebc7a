using BpfSharp.Isa;
using BpfSharp.Runtime;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// <c>bpfsharp run PROGRAM [--mem FILE|--mem-hex HEX] [--engine interp|jit] [--no-verify]</c>:
/// runs a program with r1 = a writable copy of the memory and r2 = its length, and prints r0. Raw byte code has no
/// program type to verify it against: it always runs unverified, in checked mode.
/// </summary>
internal static class RunCommand
{
    public static int Run(string[] args, Terminal io)
    {
        int pcap = Array.IndexOf(args, "--pcap");
        if (pcap >= 0)
        {
            if (pcap + 1 >= args.Length) throw new UsageException("run: --pcap needs a value");
            return PacketReplay.Run(ObjectArgs.Parse("run", [.. args[..pcap], .. args[(pcap + 2)..]], "--section", "--type"), args[pcap + 1], io);
        }
        string? programPath = null;
        byte[] memory = [];
        ExecutionEngine engine = ExecutionEngine.Interpreter;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--mem":
                    memory = File.ReadAllBytes(Value(args, ref i));
                    break;
                case "--mem-hex":
                    memory = Hex.Parse(Value(args, ref i), "--mem-hex");
                    break;
                case "--engine":
                    engine = Value(args, ref i) switch
                    {
                        "interp" => ExecutionEngine.Interpreter,
                        "jit" => ExecutionEngine.Jit,
                        string other => throw new UsageException($"run: unknown engine '{other}' (available: interp, jit)"),
                    };
                    break;
                case "--no-verify":
                    // what every run of raw byte code is; accepted for the command lines of other tools
                    break;
                default:
                    if (programPath is not null || args[i].StartsWith('-'))
                        throw new UsageException($"run: unexpected argument '{args[i]}'");
                    programPath = args[i];
                    break;
            }
        }
        if (programPath is null)
            throw new UsageException("run: usage: bpfsharp run PROGRAM [--mem FILE|--mem-hex HEX] [--engine interp|jit] [--no-verify]");

        Instruction[] program = LoadProgram(programPath);
        ulong r0 = CheckedRunner.Run(program, memory, engine);
        io.Out.WriteLine($"0x{r0:x}");
        return 0;
    }

    /// <summary>Reads assembly (<c>.s</c>, <c>.asm</c>) or raw little-endian byte code.</summary>
    internal static Instruction[] LoadProgram(string path)
    {
        string ext = Path.GetExtension(path);
        return ext is ".s" or ".S" or ".asm"
            ? Assembler.Assemble(File.ReadAllText(path))
            : InstructionDecoder.Decode(File.ReadAllBytes(path));
    }

    private static string Value(string[] args, ref int i) =>
        i + 1 < args.Length ? args[++i] : throw new UsageException($"run: {args[i]} needs a value");
}
