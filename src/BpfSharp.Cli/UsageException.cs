namespace BpfSharp.Cli;

/// <summary>The command line is wrong: reported on stderr with exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
