using System.Collections.Frozen;

namespace BpfSharp.Tests.Verifier.Corpus;

/// <summary>
/// Our verifier against the live 6.18 kernel's recorded verdicts (<see cref="VerifierCorpus"/>): the same errno and,
/// for a rejection, the same last log line. Every case agrees except those in <see cref="KnownDifferences"/>, each
/// with its reason; a listed case that starts agreeing fails too, so the list only shrinks.
/// </summary>
public class VerifierCorpusOurTests
{
    internal static readonly FrozenDictionary<string, string> KnownDifferences = new Dictionary<string, string>
    {
        // This machine's kernel is built without ftrace (no BPF trampolines): it refuses every fentry, fexit and
        // fmod_ret load with EPERM before verifying it. Ours verifies them as a kernel with trampolines does.
        ["tracing/fentry_empty"] = NoTrampolines,
        ["tracing/fentry_denied"] = NoTrampolines,
        ["tracing/fexit_int_return"] = NoTrampolines,
        ["tracing/fexit_void_return"] = NoTrampolines,
        ["tracing/fmod_ret_security_hook"] = NoTrampolines,
    }.ToFrozenDictionary();

    private const string NoTrampolines = "the live kernel has no BPF trampolines (CONFIG_FUNCTION_TRACER unset) and refuses fentry/fexit/fmod_ret with EPERM before verification";

    public static TheoryData<string> Names() => VerifierCorpus.Names();

    [SkippableTheory]
    [MemberData(nameof(Names))]
    public void Our_verdict_and_error_line_are_the_kernels(string name)
    {
        VerifierCase c = VerifierCorpus.ByName[name];
        Skip.If(c.Kernel.IsPending, "the kernel's verdict is not recorded");
        Skip.If(c.AttachBtf is not null && BpfSharp.Elf.Btf.KernelBtf.Vmlinux is null, "the case attaches to kernel BTF, which this system does not expose");
        (int errno, string log) = VerifierCorpusOurs.Load(c);
        Skip.If(errno < 0, $"a map type that is not built yet: {log}");
        string line = KernelVerifierLog.ErrorLine(log);
        bool same = errno == c.Kernel.Errno && (errno == 0 || line == c.Kernel.ErrorLine);
        if (KnownDifferences.TryGetValue(name, out string? reason))
        {
            Assert.False(same, $"{name} now agrees with the kernel: remove it from the known differences ({reason})");
            return;
        }
        Assert.True(same, $"{name}: kernel {c.Kernel.Errno} '{c.Kernel.ErrorLine}', ours {errno} '{line}'\n{log}");
    }
}
