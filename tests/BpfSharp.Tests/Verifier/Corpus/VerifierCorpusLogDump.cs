using System.Text;
using BpfSharp.Tests.Kernel;

namespace BpfSharp.Tests.Verifier.Corpus;

/// <summary>
/// A diagnostic, skipped unless BPFSHARP_LOG_DUMP names corpus cases (comma-separated, or a group followed by '/'):
/// writes the kernel's and our level-2 logs of each to verifier-log-dump.txt in the temp folder, side by side.
/// </summary>
public class VerifierCorpusLogDump
{
    [SkippableFact]
    public void Dump_the_named_cases()
    {
        string? names = Environment.GetEnvironmentVariable("BPFSHARP_LOG_DUMP");
        Skip.If(names is null, "set BPFSHARP_LOG_DUMP to case names (comma-separated) or a group prefix ending in '/'");
        Skip.IfNot(KernelBpf.IsAvailable, KernelDifferentialTests.NoKernel);
        var sb = new StringBuilder();
        foreach (string want in names!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            foreach (VerifierCase c in VerifierCorpus.All)
            {
                if (want.EndsWith('/') ? !c.Name.StartsWith(want, StringComparison.Ordinal) : c.Name != want)
                    continue;
                VerifierCorpusKernel.Load(c, 2, out string kernelLog);
                (int errno, string ourLog) = VerifierCorpusOurs.Load(c, logLevel: 2);
                List<string> k = KernelVerifierLog.ComparableLines(kernelLog), o = KernelVerifierLog.ComparableLines(ourLog);
                sb.Append("==== ").Append(c.Name).Append(k.SequenceEqual(o) ? " SAME" : " DIFF").Append(" (ours errno ").Append(errno).Append(")\n");
                for (int i = 0; i < Math.Max(k.Count, o.Count); i++)
                {
                    string? kl = i < k.Count ? k[i] : null, ol = i < o.Count ? o[i] : null;
                    if (kl == ol) continue;
                    sb.Append("first difference at comparable line ").Append(i + 1).Append(":\n  kernel: ").Append(kl ?? "(end)")
                        .Append("\n  ours:   ").Append(ol ?? "(end)").Append('\n');
                    for (int j = Math.Max(0, i - 8); j < i; j++) sb.Append("    ").Append(k[j]).Append('\n');
                    break;
                }
                sb.Append("---- kernel\n").Append(kernelLog).Append("\n---- ours\n").Append(ourLog).Append('\n');
            }
        }
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "verifier-log-dump.txt"), sb.ToString());
    }
}
