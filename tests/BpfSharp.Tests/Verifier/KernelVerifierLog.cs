namespace BpfSharp.Tests.Verifier;

/// <summary>Reading the live kernel's verifier log: the line a rejected load ends with.</summary>
internal static class KernelVerifierLog
{
    /// <summary>
    /// The last log line before the kernel's closing <c>processed N insns ...</c> statistics line,
    /// or "" when the log is empty (a load rejected before the verifier ran).
    /// </summary>
    public static string ErrorLine(string log)
    {
        string[] lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int last = lines.Length - 1;
        if (last >= 0 && lines[last].StartsWith("processed ", StringComparison.Ordinal))
            last--;
        return last >= 0 ? lines[last] : "";
    }
}
