using BpfSharp.Isa;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// <c>bpfsharp run PROGRAM [--mem FILE|--mem-hex HEX] [--engine interp] [--no-verify]</c>:
/// runs a program with r1 = a writable copy of the memory and r2 = its length, and prints r0.
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
                    string engine = Value(args, ref i);
                    if (engine != "interp")
                        throw new UsageException($"run: unknown engine '{engine}' (available: interp)");
                    break;
                case "--no-verify":
                    // Every run is unverified and checked until the verifier exists; the flag is accepted.
                    break;
                default:
                    if (programPath is not null || args[i].StartsWith('-'))
                        throw new UsageException($"run: unexpected argument '{args[i]}'");
                    programPath = args[i];
                    break;
            }
        }
        if (programPath is null)
            throw new UsageException("run: usage: bpfsharp run PROGRAM [--mem FILE|--mem-hex HEX] [--engine interp] [--no-verify]");

        Instruction[] program = LoadProgram(programPath);
        ulong r0 = CheckedRunner.Run(program, memory);
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
