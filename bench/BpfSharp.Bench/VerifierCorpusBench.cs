using System.Globalization;
using System.Text.RegularExpressions;
using BpfSharp.Tests.Verifier.Corpus;

namespace BpfSharp.Bench;

/// <summary>
/// Issue 7's per-program table: every verifier-corpus case loaded through our <c>bpf()</c> facade (the
/// BPF_PROG_LOAD call alone, no log: attr, fd lookups, verifier, program set-up) beside the live kernel's own
/// <c>verification time</c> and, for the programs the kernel accepts, its <c>processed N insns</c>. Prints the
/// accepted cases whose counts differ, the slowest ones, and totals.
/// </summary>
internal static partial class VerifierCorpusBench
{
    public static void Run(string[] args)
    {
        int repeats = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        bool kernel = KernelBpf.IsAvailable();
        var rows = new List<(string Name, double OursUs, int OursInsns, double KernelUs, int KernelInsns)>();
        foreach (VerifierCase c in VerifierCorpus.All)
        {
            if (c.Caps == CaseCaps.Unprivileged && !kernel)
                continue;
            (int errno, string log) = VerifierCorpusOurs.Load(c);
            if (errno < 0)
                continue;
            int oursInsns = Stat(ProcessedLine(), log);
            double[] times = [.. VerifierCorpusOurs.ProgLoadTimes(c, repeats).Select(t => t.TotalMicroseconds)];
            if (times.Length == 0)
                continue;
            Array.Sort(times);
            double kernelUs = -1;
            int kernelInsns = -1;
            if (kernel && c.Kernel.Accepted && VerifierCorpusKernel.CanLoad(c, out _))
            {
                VerifierCorpusKernel.Load(c, 1 | 4, out string klog); // BPF_LOG_STATS: the verification time
                kernelUs = Stat(TimeLine(), klog);
                kernelInsns = Stat(ProcessedLine(), klog);
            }
            rows.Add((c.Name, times[repeats / 2], oursInsns, kernelUs, kernelInsns));
        }

        var compared = rows.Where(r => r.KernelInsns >= 0 && r.OursInsns >= 0).ToList();
        Console.WriteLine($"verifier corpus: {rows.Count} programs loaded through our bpf() ({repeats} loads each, median)");
        Console.WriteLine($"  ours:   total {rows.Sum(r => r.OursUs) / 1000:F1} ms, median {Median(rows.Select(r => r.OursUs)):F1} us, max {rows.Max(r => r.OursUs):F1} us");
        if (compared.Count > 0)
        {
            Console.WriteLine($"  the {compared.Count} the kernel accepts: ours total {compared.Sum(r => r.OursUs) / 1000:F1} ms, median {Median(compared.Select(r => r.OursUs)):F1} us; " +
                $"kernel total {compared.Sum(r => r.KernelUs) / 1000:F1} ms, median {Median(compared.Select(r => r.KernelUs)):F1} us " +
                "of verification time (its own figure, without the syscall, attr copy and fd lookups)");
            var differ = compared.Where(r => r.OursInsns != r.KernelInsns).ToList();
            double worst = compared.Max(r => r.KernelInsns == 0 ? 1 : (double)r.OursInsns / r.KernelInsns);
            Console.WriteLine($"  processed insns: {compared.Count - differ.Count} of {compared.Count} equal to the kernel's; worst ratio ours/kernel {worst:F2}");
            foreach (var r in differ)
                Console.WriteLine($"    {r.Name}: ours {r.OursInsns}, kernel {r.KernelInsns}");
        }
        Console.WriteLine("  slowest (ours):");
        foreach (var r in rows.OrderByDescending(r => r.OursUs).Take(10))
            Console.WriteLine($"    {r.Name,-48} ours {r.OursUs,8:F1} us {r.OursInsns,8} insns   kernel {r.KernelUs,8:F0} us {r.KernelInsns,8} insns");
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] v = [.. values];
        Array.Sort(v);
        return v.Length == 0 ? 0 : v[v.Length / 2];
    }

    private static int Stat(Regex line, string log)
    {
        Match m = line.Match(log);
        return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
    }

    [GeneratedRegex(@"^processed (\d+) insns", RegexOptions.Multiline)]
    private static partial Regex ProcessedLine();

    [GeneratedRegex(@"^verification time (\d+) usec", RegexOptions.Multiline)]
    private static partial Regex TimeLine();
}
