using System.Globalization;
using System.Text.RegularExpressions;
using BpfSharp.Tests.Kernel;

namespace BpfSharp.Tests.Verifier.Corpus;

/// <summary>
/// Issue 7's pruning goal on the corpus: for every program the live kernel accepts, the instructions our verifier
/// processes (its <c>processed N insns</c> statistics line) are at most 1.5 times the kernel's count for the same
/// program, loaded the same way. Both counts come from the two logs of the same load, never from a recording.
/// (They are in fact equal on every case; <see cref="Inexact"/> lists those allowed to differ within the bound.)
/// </summary>
public partial class VerifierCorpusStatsTests
{
    /// <summary>The issue's bound on our processed count against the kernel's.</summary>
    private const double MaxRatio = 1.5;

    /// <summary>Cases whose count may differ from the kernel's (within <see cref="MaxRatio"/>): none today.</summary>
    private static readonly HashSet<string> Inexact = [];

    public static TheoryData<string> Accepted()
    {
        var data = new TheoryData<string>();
        foreach (var c in VerifierCorpus.All)
            if (c.Kernel.Accepted)
                data.Add(c.Name);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Accepted))]
    public void Our_processed_count_is_within_the_bound_of_the_kernels(string name)
    {
        VerifierCase c = VerifierCorpus.ByName[name];
        Skip.IfNot(VerifierCorpusKernel.CanLoad(c, out string why), why);
        Skip.If(VerifierCorpusOurTests.KnownDifferences.TryGetValue(name, out string? reason), $"a known difference of verdict: {reason}");
        CaseVerdict kernel = VerifierCorpusKernel.Load(c, 1, out string kernelLog);
        Assert.True(kernel.Accepted, $"{name}: the kernel now refuses it: {kernel.ErrorLine}");
        (int errno, string ourLog) = VerifierCorpusOurs.Load(c);
        Skip.If(errno < 0, $"a map type that is not built yet: {ourLog}");
        Assert.Equal(0, errno);

        int theirs = Processed(kernelLog, name);
        int ours = Processed(ourLog, name);
        Assert.True(ours <= MaxRatio * theirs,
            $"{name}: we process {ours} insns, the kernel {theirs} (more than {MaxRatio}x)\nours:\n{ourLog}\nkernel:\n{kernelLog}");
        // Today every count is the kernel's exactly: a drift inside the bound is still a pruning change to look at.
        if (!Inexact.Contains(name))
            Assert.True(ours == theirs, $"{name}: we process {ours} insns, the kernel {theirs}\nours:\n{ourLog}\nkernel:\n{kernelLog}");
    }

    /// <summary>N of the log's <c>processed N insns</c> statistics line.</summary>
    internal static int Processed(string log, string name)
    {
        Match m = StatsLine().Match(log);
        Assert.True(m.Success, $"{name}: no statistics line in\n{log}");
        return int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^processed (\d+) insns", RegexOptions.Multiline)]
    private static partial Regex StatsLine();
}
