using BpfSharp.Cli;

namespace BpfSharp.Tests.Cli;

/// <summary>Runs <c>bpfsharp</c> in-process with captured streams.</summary>
internal static class CliTestHost
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static Result Run(string stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.Run(args, new Terminal(new StringReader(stdin), output, error));
        return new Result(code, output.ToString(), error.ToString());
    }
}
