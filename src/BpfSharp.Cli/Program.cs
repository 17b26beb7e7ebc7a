using BpfSharp.Cli.Commands;

namespace BpfSharp.Cli;

/// <summary>Entry point of <c>bpfsharp</c>: dispatches to one command per verb.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        // The conformance runner calls `bpfsharp [MEM] conformance-plugin [--elf]`: the verb may follow MEM.
        int pluginAt = Array.IndexOf(args, ConformancePluginCommand.Verb);
        if (pluginAt >= 0)
            return Guard(() => ConformancePluginCommand.Run([.. args[..pluginAt], .. args[(pluginAt + 1)..]]));

        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.Out.Write(Usage.Text);
            return args.Length == 0 ? 2 : 0;
        }
        string[] rest = args[1..];
        return args[0] switch
        {
            "asm" => Guard(() => AsmCommand.Run(rest)),
            "disasm" => Guard(() => DisasmCommand.Run(rest)),
            "run" => Guard(() => RunCommand.Run(rest)),
            _ => Fail($"unknown command '{args[0]}' (try 'bpfsharp --help')", 2),
        };
    }

    /// <summary>Runs a command, turning every error into one line on stderr and a non-zero exit.</summary>
    private static int Guard(Func<int> command)
    {
        try
        {
            return command();
        }
        catch (UsageException e)
        {
            return Fail(e.Message, 2);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(e.Message, 1);
        }
        catch (Exception e) when (e is Isa.BpfFormatException or Runtime.BpfRuntimeException)
        {
            return Fail(e.Message, 1);
        }
    }

    internal static int Fail(string message, int code)
    {
        Console.Error.WriteLine($"bpfsharp: {message}");
        return code;
    }
}
