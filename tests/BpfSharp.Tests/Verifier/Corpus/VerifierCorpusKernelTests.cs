using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;
using Xunit.Abstractions;

namespace BpfSharp.Tests.Verifier.Corpus;

/// <summary>
/// The corpus against the live kernel: every case's recorded verdict (errno and final log line) must be what
/// the running kernel says today. Unprivileged cases run only where kernel.unprivileged_bpf_disabled is 0.
/// With BPFSHARP_REGEN=1, <see cref="Record_the_kernel_verdicts"/> rewrites the recorded verdicts in the
/// VerifierCorpus.*.cs files from the kernel and writes every log to verifier-corpus.log in the temp folder:
/// <c>BPFSHARP_REGEN=1 dotnet test --filter Record_the_kernel_verdicts</c> (as root). Unprivileged cases are
/// recorded only while kernel.unprivileged_bpf_disabled is 0; elsewhere their recorded verdicts are kept.
/// </summary>
public partial class VerifierCorpusKernelTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases() => VerifierCorpus.Names();

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Kernel_gives_the_recorded_verdict(string name)
    {
        var c = VerifierCorpus.ByName[name];
        Skip.IfNot(VerifierCorpusKernel.CanLoad(c, out string why), why);

        CaseVerdict kernel = VerifierCorpusKernel.Load(c, out string log);

        Assert.True(c.Kernel == kernel,
            $"{name}: recorded {Describe(c.Kernel)}, the kernel says {Describe(kernel)}\n{log}");
    }

    [SkippableFact]
    public void Record_the_kernel_verdicts()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("BPFSHARP_REGEN") == "1",
            "set BPFSHARP_REGEN=1 (as root) to record the kernel's verdicts into VerifierCorpus.*.cs");
        Skip.IfNot(KernelBpf.IsAvailable, KernelDifferentialTests.NoKernel);
        string folder = Path.Combine(RepoRoot(), "tests", "BpfSharp.Tests", "Verifier", "Corpus");
        var files = Directory.GetFiles(folder, "VerifierCorpus.*.cs").ToDictionary(f => f, File.ReadAllText);
        var logs = new StringBuilder();
        int changed = 0, kept = 0;
        foreach (var c in VerifierCorpus.All)
        {
            if (!VerifierCorpusKernel.CanLoad(c, out string why))
            {
                output.WriteLine($"kept   {c.Name}: {why}");
                kept++;
                continue;
            }
            CaseVerdict kernel = VerifierCorpusKernel.Load(c, out string log);
            logs.Append(CultureInfo.InvariantCulture, $"==== {c.Name} [{c.ProgType}, {c.Caps}] {Describe(kernel)}\n{c.Asm}\n---- log\n{log}\n");
            if (kernel == c.Kernel) continue;
            output.WriteLine($"change {c.Name}: {Describe(c.Kernel)} -> {Describe(kernel)}");
            Rewrite(files, c.Name, Literal(kernel));
            changed++;
        }
        foreach (var (path, text) in files)
            if (File.ReadAllText(path) != text) File.WriteAllText(path, text);
        string logPath = Path.Combine(Path.GetTempPath(), "verifier-corpus.log");
        File.WriteAllText(logPath, logs.ToString());
        output.WriteLine($"{changed} verdicts changed, {kept} kept (not loadable here); logs in {logPath}");
    }

    /// <summary>Replaces the <c>Kernel: ...</c> argument that follows the case named <paramref name="name"/>.</summary>
    private static void Rewrite(Dictionary<string, string> files, string name, string verdict)
    {
        string needle = $"new(\"{name}\",";
        string[] holders = [.. files.Keys.Where(f => files[f].Contains(needle, StringComparison.Ordinal))];
        if (holders.Length != 1)
            throw new InvalidOperationException($"{name}: found in {holders.Length} files (write every case as new(\"name\", ...))");
        string text = files[holders[0]];
        int at = text.IndexOf(needle, StringComparison.Ordinal);
        if (text.IndexOf(needle, at + 1, StringComparison.Ordinal) >= 0)
            throw new InvalidOperationException($"{name}: defined twice");
        int kernel = text.IndexOf("Kernel: ", at, StringComparison.Ordinal);
        Match m = kernel < 0 ? Match.Empty : VerdictExpression().Match(text, kernel + "Kernel: ".Length);
        if (!m.Success)
            throw new InvalidOperationException($"{name}: no 'Kernel: Accept|Pending|Reject(errno, \"line\")' after the name");
        files[holders[0]] = string.Concat(text.AsSpan(0, m.Index), verdict, text.AsSpan(m.Index + m.Length));
    }

    [GeneratedRegex("""\G(?:Accept|Pending|Reject\(\d+, "(?:[^"\\]|\\.)*"\))""")]
    private static partial Regex VerdictExpression();

    /// <summary>The C# expression of a verdict, as the case files write it.</summary>
    private static string Literal(CaseVerdict v) =>
        v.Accepted ? "Accept" : $"Reject({v.Errno}, \"{v.ErrorLine.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\")";

    private static string Describe(CaseVerdict v) =>
        v.Accepted ? "accepted" : v.IsPending ? "nothing (pending)" : $"{Errno.Name(v.Errno)} \"{v.ErrorLine}\"";

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BpfSharp.slnx"))) return dir.FullName;
        throw new InvalidOperationException("BpfSharp.slnx not found above " + AppContext.BaseDirectory);
    }
}
