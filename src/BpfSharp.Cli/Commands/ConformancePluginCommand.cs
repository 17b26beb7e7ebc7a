using BpfSharp.Isa;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// The plugin protocol of the BPF ISA conformance suite (bpf_conformance): the program arrives on
/// stdin as whitespace-separated hex bytes, the input memory as one argument of the same form; the
/// program runs unverified in checked mode and r0 is printed in hex on stdout.
/// </summary>
internal static class ConformancePluginCommand
{
    public const string Verb = "conformance-plugin";

    public static int Run(string[] args, Terminal io)
    {
        byte[] memory = [];
        bool memorySeen = false, elf = false;
        foreach (string arg in args)
        {
            if (arg.Length == 0)
                continue; // the runner splits its option string on single spaces
            if (arg == "--elf")
            {
                elf = true;
                continue;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal) || memorySeen)
                throw new UsageException($"conformance-plugin: unexpected argument '{arg}'");
            memory = Hex.Parse(arg, "memory");
            memorySeen = true;
        }

        string input = io.In.ReadToEnd();
        byte[] bytes = Hex.Parse(input, "program");
        Instruction[] program = InstructionDecoder.Decode(elf ? ElfEntry.Code(bytes) : bytes);
        ulong r0 = CheckedRunner.Run(program, memory);
        io.Out.WriteLine($"0x{r0:x}");
        return 0;
    }
}
