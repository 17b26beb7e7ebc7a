using BpfSharp.Tests.Syscall;

namespace BpfSharp.Tests.Kernel;

/// <summary>
/// BPF_PROG_TEST_RUN of the packet program types (socket filter, tc, cgroup/skb, XDP), raw tracepoints and the
/// types without a test run, in the live kernel and in ours: the same program and attr give the same errno, retval,
/// data_out, data_size_out, ctx_out and ctx_size_out. The expected outcome is the kernel's.
/// </summary>
public class PacketRunDifferentialTests
{
    public static TheoryData<string> Cases() => PacketRunCases.Names();

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Ours_runs_as_the_kernel_runs(string name)
    {
        Skip.IfNot(KernelBpf.IsAvailable, KernelDifferentialTests.NoKernel);
        PacketRunCase c = PacketRunCases.ByName[name];
        using var kernel = new KernelTarget();
        using var ours = new OurTarget();
        string expected = c.Run(kernel);
        Assert.DoesNotContain("load", expected); // every case is a program the kernel accepts
        Assert.Equal(expected, c.Run(ours));
    }
}
