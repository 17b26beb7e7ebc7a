using BpfSharp.Cli.Commands;

namespace BpfSharp.Cli;

/// <summary>Entry point of <c>bpfsharp</c>: dispatches to one command per verb.</summary>
public static class Program
{
    private static int Main(string[] args) =>
        Run(args, new Terminal(Console.In, Console.Out, Console.Error, ErrorIsConsole: !Console.IsErrorRedirected));

    /// <summary>Runs the command line <paramref name="args"/> against the given streams; returns the exit code.</summary>
    public static int Run(string[] args, Terminal io)
    {
        // The conformance runner calls `bpfsharp [MEM] conformance-plugin [--elf]`: the verb may follow MEM.
        int pluginAt = Array.IndexOf(args, ConformancePluginCommand.Verb);
        if (pluginAt >= 0)
            return Guard(io, () => ConformancePluginCommand.Run([.. args[..pluginAt], .. args[(pluginAt + 1)..]], io));

        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            io.Out.Write(Usage.Text);
            return args.Length == 0 ? 2 : 0;
        }
        string[] rest = args[1..];
        return args[0] switch
        {
            "asm" => Guard(io, () => AsmCommand.Run(rest)),
            "disasm" => Guard(io, () => DisasmCommand.Run(rest, io)),
            "run" => Guard(io, () => RunCommand.Run(rest, io)),
            "prog" => Guard(io, () => ProgCommand.Run(rest, io)),
            "btf" => Guard(io, () => BtfCommand.Run(rest, io)),
            "map" => Guard(io, () => MapCommand.Run(rest, io)),
            VerifyCommand.Verb => Guard(io, () => VerifyCommand.Run(rest, io)),
            _ => Fail(io, $"unknown command '{args[0]}' (try 'bpfsharp --help')", 2),
        };
    }

    /// <summary>Runs a command, turning every error into one line on stderr and a non-zero exit.</summary>
    private static int Guard(Terminal io, Func<int> command)
    {
        try
        {
            return command();
        }
        catch (UsageException e)
        {
            return Fail(io, e.Message, 2);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(io, e.Message, 1);
        }
        catch (Exception e) when (e is Isa.BpfFormatException or Runtime.BpfRuntimeException)
        {
            return Fail(io, e.Message, 1);
        }
        catch (Exception e)
        {
            // A bug of ours: still one line and a non-zero exit, never a stack trace on the user.
            return Fail(io, $"internal error: {e.GetType().Name}: {e.Message}", 70);
        }
    }

    private static int Fail(Terminal io, string message, int code)
    {
        io.Error.WriteLine($"bpfsharp: {message}");
        return code;
    }
}
