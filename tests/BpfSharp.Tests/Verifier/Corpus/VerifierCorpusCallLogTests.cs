using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace BpfSharp.Tests.Verifier.Corpus;

/// <summary>
/// The whole level-1 log of the calls, global-function, callback and func_info cases, ours against the live kernel's:
/// the trace of the failing path (frames, "caller:"/"callee:", callbacks' " cb" frames and the return to the helper
/// call, "Func#1 ('f') is global and assumed valid.", "Validating f() func#1...") and the statistics line. Map loads
/// are shown as the kernel's map address there and as <c>map[id:N]</c> here: both are replaced before comparing.
/// </summary>
public partial class VerifierCorpusCallLogTests
{
    // Cases whose verdict and error line agree but whose trace does not, each with its reason; a listed case that
    // starts agreeing fails too, so the list only shrinks.
    private static readonly FrozenDictionary<string, string> KnownDifferences = new Dictionary<string, string>
    {
    }.ToFrozenDictionary();

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (VerifierCase c in VerifierCorpus.All)
            if (c.Group is "calls" or "global" or "callback" or "funcinfo")
                data.Add(c.Name);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Our_level_1_log_is_the_kernels(string name)
    {
        VerifierCase c = VerifierCorpus.ByName[name];
        Skip.IfNot(VerifierCorpusKernel.CanLoad(c, out string why), why);
        VerifierCorpusKernel.Load(c, 1, out string kernel);
        (_, string ours) = VerifierCorpusOurs.LoadLogged(c, 1);
        if (KnownDifferences.TryGetValue(name, out string? reason))
        {
            Assert.False(Normalize(kernel) == Normalize(ours), $"{name} now agrees with the kernel: remove it from the known differences ({reason})");
            return;
        }
        Assert.Equal(Normalize(kernel), Normalize(ours));
    }

    private static string Normalize(string log) => MapLoad().Replace(log, "= MAP ");

    [GeneratedRegex(@"= (0xffff[0-9a-f]+|map\[id:\d+\](\[0\]\+\d+)?) *")]
    private static partial Regex MapLoad();
}
