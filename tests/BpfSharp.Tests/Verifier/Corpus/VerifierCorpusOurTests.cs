namespace BpfSharp.Tests.Verifier.Corpus;

/// <summary>Our verifier against the live kernel's recorded verdicts, case by case.</summary>
public class VerifierCorpusOurTests
{
    [Fact]
    public void Report()
    {
        var sb = new System.Text.StringBuilder();
        int same = 0, total = 0;
        foreach (VerifierCase c in VerifierCorpus.All)
        {
            if (c.Kernel.IsPending) continue;
            total++;
            (int errno, string log) = VerifierCorpusOurs.Load(c);
            if (errno < 0) { sb.AppendLine($"{c.Name}: not comparable: {log}"); total--; continue; }
            string line = KernelVerifierLog.ErrorLine(log);
            bool ok = errno == c.Kernel.Errno && (errno == 0 || line == c.Kernel.ErrorLine);
            if (ok) { same++; continue; }
            sb.AppendLine($"{c.Name} [{c.Caps}]: kernel {c.Kernel.Errno} '{c.Kernel.ErrorLine}' ours {errno} '{line}'");
        }
        sb.Insert(0, $"{same}/{total}\n");
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "corpus-report.txt"), sb.ToString());
    }
}
