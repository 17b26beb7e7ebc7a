using System.Text;
using BpfSharp.Tests.Kernel;

namespace BpfSharp.Tests.Verifier.Corpus;

/// <summary>
/// Whole log_level 2 logs: for the corpus cases in <see cref="Cases"/> (accepted and rejected ones), our log equals
/// the running kernel's line by line, compared as <see cref="KernelVerifierLog.ComparableLines"/> makes them
/// comparable. Two kinds of kernel lines are left out there because the analyses that print them are not built
/// yet: precision tracking (<c>mark_precise: ...</c> and the <c>P</c> mark of precise scalars) and the stack
/// liveness analysis that pruning uses (<c>(0) frame 0 insn 5 +live -8</c>, <c>... live stack update done ...</c>).
/// Skipped where bpf() is unavailable. With BPFSHARP_LOG_SURVEY set to a file name,
/// <see cref="Survey_every_case"/> writes, for every corpus case, whether the logs agree and where they part.
/// </summary>
public class VerifierCorpusLogTests
{
    /// <summary>The cases compared; every one must agree.</summary>
    internal static readonly string[] Cases =
    [
    ];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (string name in Cases) data.Add(name);
        return data;
    }

    [Fact]
    public void The_compared_cases_are_many_and_of_both_verdicts()
    {
        Assert.True(Cases.Length >= 40, $"{Cases.Length} cases");
        Assert.Equal(Cases.Length, Cases.Distinct().Count());
        Assert.All(Cases, name => Assert.True(VerifierCorpus.ByName.ContainsKey(name), name));
        Assert.True(Cases.Count(n => VerifierCorpus.ByName[n].Kernel.Accepted) >= 15, "too few accepted cases");
        Assert.True(Cases.Count(n => !VerifierCorpus.ByName[n].Kernel.Accepted) >= 15, "too few rejected cases");
    }

    [SkippableTheory]
    [MemberData(nameof(Names))]
    public void Our_level2_log_is_the_kernels(string name)
    {
        VerifierCase c = VerifierCorpus.ByName[name];
        Skip.IfNot(VerifierCorpusKernel.CanLoad(c, out string why), why);
        string? difference = Compare(c, out string kernelLog, out string ourLog);
        Assert.True(difference is null, $"{name}: {difference}\n---- kernel\n{kernelLog}\n---- ours\n{ourLog}");
    }

    [SkippableFact]
    public void Survey_every_case()
    {
        string? path = Environment.GetEnvironmentVariable("BPFSHARP_LOG_SURVEY");
        Skip.If(path is null, "set BPFSHARP_LOG_SURVEY to a file name to survey every corpus case's level-2 log");
        Skip.IfNot(KernelBpf.IsAvailable, KernelDifferentialTests.NoKernel);
        var report = new StringBuilder();
        int same = 0, total = 0;
        foreach (VerifierCase c in VerifierCorpus.All)
        {
            if (!VerifierCorpusKernel.CanLoad(c, out _)) continue;
            total++;
            string? difference = Compare(c, out _, out _);
            if (difference is null) same++;
            report.Append(difference is null ? "SAME " : "DIFF ").Append(c.Name)
                .Append(c.Kernel.Accepted ? " (accepted)" : " (rejected)").Append('\n');
            if (difference is not null) report.Append("    ").Append(difference.Replace("\n", "\n    ", StringComparison.Ordinal)).Append('\n');
        }
        report.Insert(0, $"{same} of {total} logs agree\n");
        File.WriteAllText(path!, report.ToString());
    }

    /// <summary>Null when both level-2 logs agree; else the first line where they part, both sides.</summary>
    private static string? Compare(VerifierCase c, out string kernelLog, out string ourLog)
    {
        VerifierCorpusKernel.Load(c, out kernelLog, logLevel: 2);
        (_, ourLog) = VerifierCorpusOurs.Load(c, logLevel: 2);
        List<string> kernel = KernelVerifierLog.ComparableLines(kernelLog), ours = KernelVerifierLog.ComparableLines(ourLog);
        for (int i = 0; i < Math.Max(kernel.Count, ours.Count); i++)
        {
            string? k = i < kernel.Count ? kernel[i] : null, o = i < ours.Count ? ours[i] : null;
            if (k != o)
                return $"line {i + 1}:\n  kernel: {k ?? "(end)"}\n  ours:   {o ?? "(end)"}";
        }
        return null;
    }
}
