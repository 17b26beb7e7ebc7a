namespace BpfSharp.Cli;

/// <summary>The standard streams a command reads and writes, injectable for tests.</summary>
/// <param name="In">Standard input.</param>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="ErrorIsConsole">True if <paramref name="Error"/> is a terminal a progress bar may redraw.</param>
public sealed record Terminal(TextReader In, TextWriter Out, TextWriter Error, bool ErrorIsConsole = false);
