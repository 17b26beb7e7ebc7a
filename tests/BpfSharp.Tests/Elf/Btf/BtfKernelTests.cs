using BpfSharp.Tests.Kernel;

namespace BpfSharp.Tests.Elf.Btf;

/// <summary>
/// The verifier cases against the live kernel's BPF_BTF_LOAD: the same accept/reject decision, the
/// same errno, and a verifier log whose last line ends with the same fault text.
/// </summary>
public class BtfKernelTests
{
    public static TheoryData<BtfCase> Cases => BtfCases.Data(BtfCases.All().Where(c => !c.UnitOnly));

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void KernelAgrees(BtfCase c)
    {
        Skip.IfNot(KernelBpf.IsAvailable, "bpf() is not available (needs Linux x86-64 and root)");
        int fd = KernelBtfOracle.BtfLoad(c.Blob(), out string log);
        if (fd >= 0) KernelBpf.Close(fd);
        Assert.True(c.Errno == 0 ? fd >= 0 : fd == -c.Errno, $"kernel returned {fd}, log: {log}");
        if (c.Errno != 0 && !c.SilentInKernel)
            Assert.EndsWith(c.Fault, KernelBtfOracle.LastLine(log));
    }
}
