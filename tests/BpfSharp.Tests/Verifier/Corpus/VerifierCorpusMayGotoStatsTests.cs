using System.Collections.Frozen;
using BpfSharp.Isa;
using BpfSharp.Tests.Kernel;

namespace BpfSharp.Tests.Verifier.Corpus;

/// <summary>
/// The may_goto corpus group (<see cref="VerifierCorpus"/>, cases <c>maygoto/*</c> that reach the verifier's walk)
/// against the live kernel at log_level BPF_LOG_STATS, load by load: the same <c>stack depth</c> line (the kernel adds
/// the 16 bytes of the x86-64 JIT's timed may_goto to every function that keeps one) and the same
/// <c>processed N insns ... peak_states P mark_read 0</c> line (peak_states counts the backedges of the loops being
/// walked, the kernel's num_backedges). Every case agrees except those in <see cref="KnownDifferences"/> (a listed case that starts agreeing fails).
/// </summary>
public class VerifierCorpusMayGotoStatsTests
{
    private const uint LogStats = 4;

    private static readonly FrozenDictionary<string, string> KnownDifferences = new Dictionary<string, string>
    {
        ["maygoto/in_callback"] = "the kernel inlines bpf_loop (optimize_bpf_loop) and adds its 24 bytes of stack to main",
    }.ToFrozenDictionary();

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (VerifierCase c in VerifierCorpus.All)
            if (c.Group == "maygoto" && c.Name != "maygoto/widened_counter_checked" && ReachesTheWalk(c))
                data.Add(c.Name); // widened_counter_checked: 1M instructions, seconds each
        return data;
    }

    // Rejected by the decoder or the cfg pass: no statistics of a walk to compare.
    private static bool ReachesTheWalk(VerifierCase c)
    {
        try
        {
            InstructionDecoder.Validate(c.Instructions());
        }
        catch (BpfFormatException)
        {
            return false;
        }
        return c.Kernel.Accepted || !c.Kernel.ErrorLine.StartsWith("last insn", StringComparison.Ordinal);
    }

    private static string Line(string log, string prefix)
    {
        return Array.Find(log.Split('\n'), l => l.StartsWith(prefix, StringComparison.Ordinal)) ?? "";
    }

    [SkippableTheory]
    [MemberData(nameof(Names))]
    public void Our_statistics_are_the_kernels(string name)
    {
        VerifierCase c = VerifierCorpus.ByName[name];
        Skip.IfNot(VerifierCorpusKernel.CanLoad(c, out string why), why);
        VerifierCorpusKernel.Load(c, LogStats, out string kernelLog);
        (_, string ours) = VerifierCorpusOurs.LoadLogged(c, LogStats);
        string kernel = Line(kernelLog, "stack depth") + "\n" + Line(kernelLog, "processed ");
        string our = Line(ours, "stack depth") + "\n" + Line(ours, "processed ");
        if (KnownDifferences.TryGetValue(name, out string? reason))
        {
            Assert.False(kernel == our, $"{name} now agrees with the kernel: remove it from the known differences ({reason})");
            return;
        }
        Assert.Equal(kernel, our);
    }
}
