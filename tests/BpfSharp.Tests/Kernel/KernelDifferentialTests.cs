namespace BpfSharp.Tests.Kernel;

/// <summary>
/// The differential table run on the live kernel (socket filter + BPF_PROG_TEST_RUN) and on our
/// interpreter: each must give the result RFC 9669 defines, and so each other's.
/// </summary>
public class KernelDifferentialTests
{
    internal const string NoKernel = "bpf() unavailable: needs Linux with root/CAP_BPF";

    public static TheoryData<string> Cases() => DifferentialCases.Names();

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Kernel_gives_the_rfc_result(string name)
    {
        Skip.IfNot(KernelBpf.IsAvailable, NoKernel);
        var c = DifferentialCases.ByName[name];

        ulong kernel = RunInKernel(c);

        Assert.Equal($"0x{c.Expected:x16}", $"0x{kernel:x16}");
    }

    /// <summary>
    /// r0 as the kernel computes it: the low and the high half from two loads of the program
    /// (BPF_PROG_TEST_RUN's retval is 32 bits).
    /// </summary>
    internal static ulong RunInKernel(DifferentialCase c)
    {
        byte[] frame = TestPacket.Frame();
        uint low = RunHalf(c, highHalf: false, frame);
        uint high = RunHalf(c, highHalf: true, frame);
        return low | ((ulong)high << 32);
    }

    private static uint RunHalf(DifferentialCase c, bool highHalf, byte[] frame)
    {
        int fd = KernelBpf.ProgLoad(KernelBpf.ProgTypeSocketFilter, c.Program(highHalf), out string log);
        Assert.True(fd >= 0, $"{c.Name}: the kernel verifier rejected the program (errno {-fd}):\n{log}");
        try
        {
            var run = KernelBpf.ProgTestRun(fd, frame);
            Assert.True(run.Error == 0, $"{c.Name}: BPF_PROG_TEST_RUN failed with errno {-run.Error}");
            return run.Retval;
        }
        finally
        {
            KernelBpf.Close(fd);
        }
    }
}
