using System.Text.RegularExpressions;

namespace BpfSharp.Tests.Verifier;

/// <summary>Reading the live kernel's verifier log: the line a rejected load ends with.</summary>
internal static partial class KernelVerifierLog
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

    /// <summary>
    /// The lines of a log_level 2 log in a form where ours and the kernel's can be compared line by line:
    /// <list type="bullet">
    /// <item>the stack liveness analysis' lines (<c>(0) frame 0 insn 5 +live -8</c>, <c>... +written ...</c>,
    /// <c>(0) live stack update done in 2 iterations</c>), which our verifier does not print, are dropped; with
    /// <paramref name="dropPrecision"/> so are precision tracking's lines (<c>mark_precise: ...</c>,
    /// <c>frame 0: propagating r6</c>) and the precision mark <c>P</c> in front of a scalar (<c>R6=Pscalar(...)</c>,
    /// <c>R2=P0</c>), for a comparison of states alone. Where dropping lines left an instruction line followed by the
    /// state the kernel printed on a line of its own (because those lines came in between), the state goes back
    /// onto the instruction line;</item>
    /// <item>a map in a 64-bit load (an <c>(18)</c> line), which the kernel prints as its kernel address and we as
    /// <c>map[id:N]</c>, is <c>MAP</c>;</item>
    /// <item>the padding before the <c>;</c> that puts the state after an instruction is one space, trailing
    /// spaces are trimmed.</item>
    /// </list>
    /// </summary>
    public static List<string> ComparableLines(string log, bool dropPrecision = false)
    {
        var lines = new List<string>();
        bool dropped = false;
        foreach (string raw in log.Split('\n'))
        {
            string line = raw.TrimEnd();
            if (StackLivenessLine().IsMatch(line)
                || dropPrecision && (line.StartsWith("mark_precise: ", StringComparison.Ordinal) || PropagatingLine().IsMatch(line)))
            {
                dropped = true;
                continue;
            }
            if (line.Contains("(18) ", StringComparison.Ordinal))
                line = MapAddress().Replace(line, "MAP");
            line = StateSeparator().Replace(line, " ;");
            if (dropPrecision)
                line = PrecisionMark().Replace(line, "");
            if (dropped && lines.Count > 0 && InsnLineWithoutState().IsMatch(lines[^1]) && StateLine().Match(line) is { Success: true } m)
                lines[^1] += " ; " + line[m.Length..];
            else
                lines.Add(line);
            dropped = false;
        }
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    [GeneratedRegex(@"^frame \d+: propagating (r|fp)-?\d+$")]
    private static partial Regex PropagatingLine();

    [GeneratedRegex(@"^\([0-9,]+\) (frame \d+ insn \d+ \+(live|written) |live stack update done in \d+ iterations$)")]
    private static partial Regex StackLivenessLine();

    [GeneratedRegex(@"0xffff[0-9a-f]{12}|map\[(id|idx|fd):\d+\](\[0\]\+\d+)?")]
    private static partial Regex MapAddress();

    [GeneratedRegex(@"\s+;")]
    private static partial Regex StateSeparator();

    [GeneratedRegex(@"(?<==)P(?=scalar\(|-?[0-9])")]
    private static partial Regex PrecisionMark();

    [GeneratedRegex(@"^\d+: \([0-9a-f]{2}\) [^;]*$")]
    private static partial Regex InsnLineWithoutState();

    [GeneratedRegex(@"^\d+: (?=R\d|frame\d|fp-)")]
    private static partial Regex StateLine();
}
