using BpfSharp.Isa;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Kernel;

/// <summary>The oracle itself: what the live kernel's load and test run report, and what a socket filter's LD_ABS sees.</summary>
public class KernelBpfTests
{
    private const int EACCES = 13, EINVAL = 22;

    [SkippableFact]
    public void Test_run_returns_the_programs_r0_low_half()
    {
        Skip.IfNot(KernelBpf.IsAvailable, KernelDifferentialTests.NoKernel);
        var program = Asm.Program(Asm.LdImm64(R0, 0x1234_5678_9abc_def0), Asm.Exit());

        int fd = KernelBpf.ProgLoad(KernelBpf.ProgTypeSocketFilter, program, out string log);
        Assert.True(fd >= 0, log);
        var run = KernelBpf.ProgTestRun(fd, TestPacket.Frame(), repeat: 3);
        KernelBpf.Close(fd);

        Assert.Equal(0, run.Error);
        Assert.Equal(0x9abc_def0u, run.Retval);
        // The frame comes back whole, but with the Ethernet header that test_run pulled pushed back as zeros.
        Assert.Equal([.. new byte[TestPacket.EthHeaderLength], .. TestPacket.SkbData()], run.DataOut);
    }

    [SkippableTheory]
    [InlineData("exit without setting r0", -EACCES, "R0 !read_ok")]
    [InlineData("division by a zero imm", -EINVAL, "div by zero")]
    public void Rejected_loads_return_minus_errno_and_the_verifier_log(string what, int errno, string logLine)
    {
        Skip.IfNot(KernelBpf.IsAvailable, KernelDifferentialTests.NoKernel);
        Instruction[] program = what == "division by a zero imm"
            ? [Asm.Mov64(R0, 1), Asm.Div64(R0, 0), Asm.Exit()]
            : [Asm.Exit()];

        int fd = KernelBpf.ProgLoad(KernelBpf.ProgTypeSocketFilter, program, out string log);

        Assert.Equal(errno, fd);
        Assert.Contains(logLine, log);
    }

    /// <summary>
    /// For a non-L2 program type, test_run calls eth_type_trans, which pulls the Ethernet header:
    /// LD_ABS 0 of a socket filter reads frame byte 14 and the skb is 14 bytes shorter than the frame.
    /// The kernel's negative SKF_LL_OFF and SKF_NET_OFF bases still reach the MAC and network headers.
    /// </summary>
    [SkippableTheory]
    [InlineData(BPF_B, 0, 0x45u)]    // frame[14], the IPv4 version/IHL byte, not frame[0] (0x02)
    [InlineData(BPF_H, 12, 0x0a00u)] // frame[26..28], the IPv4 source address
    [InlineData(BPF_B, 49, 0xf5u)]   // frame[63], the last byte
    [InlineData(BPF_B, 50, 0u)]      // one past the end of a 64 - 14 byte skb: the program exits with 0
    [InlineData(BPF_B, -1, 0u)]      // negative and not an SKF_* base: out of range
    [InlineData(BPF_B, -0x200000, 0x02u)]      // SKF_LL_OFF + 0: the MAC header, frame[0]
    [InlineData(BPF_H, -0x200000 + 12, 0x0800u)] // SKF_LL_OFF + 12: the EtherType
    [InlineData(BPF_B, -0x100000, 0x45u)]      // SKF_NET_OFF + 0: the network header
    public void Socket_filter_ld_abs_starts_after_the_ethernet_header(byte size, int offset, uint expected)
    {
        Skip.IfNot(KernelBpf.IsAvailable, KernelDifferentialTests.NoKernel);
        var program = Asm.Program(Asm.Mov64Reg(R6, R1), Asm.LdAbs(size, offset), Asm.Exit());

        int fd = KernelBpf.ProgLoad(KernelBpf.ProgTypeSocketFilter, program, out string log);
        Assert.True(fd >= 0, log);
        var run = KernelBpf.ProgTestRun(fd, TestPacket.Frame());
        KernelBpf.Close(fd);

        Assert.Equal(0, run.Error);
        Assert.Equal(expected, run.Retval);
    }

    [SkippableFact]
    public void Lowered_capabilities_stay_on_their_own_thread()
    {
        Skip.IfNot(KernelBpf.IsAvailable, KernelDifferentialTests.NoKernel);
        ulong before = KernelBpf.EffectiveCaps();
        ulong keep = KernelBpf.CapMask(KernelBpf.CapBpf, KernelBpf.CapNetAdmin);

        ulong inside = KernelBpf.WithEffectiveCaps(keep, KernelBpf.EffectiveCaps);

        Assert.Equal(before & keep, inside);
        Assert.Equal(before, KernelBpf.EffectiveCaps());
    }

    [SkippableFact]
    public void Without_perfmon_a_returned_pointer_is_a_leak()
    {
        Skip.IfNot(KernelBpf.IsAvailable, KernelDifferentialTests.NoKernel);
        Instruction[] program = [Asm.Mov64Reg(R0, R10), Asm.Exit()];
        ulong bpfOnly = KernelBpf.CapMask(KernelBpf.CapBpf, KernelBpf.CapNetAdmin);

        int root = KernelBpf.ProgLoad(KernelBpf.ProgTypeSocketFilter, program, out _);
        (int fd, string log) = KernelBpf.WithEffectiveCaps(bpfOnly, () =>
            (KernelBpf.ProgLoad(KernelBpf.ProgTypeSocketFilter, program, out string text), text));
        if (root >= 0) KernelBpf.Close(root);
        if (fd >= 0) KernelBpf.Close(fd);

        Assert.True(root >= 0, "root may return a pointer");
        Assert.Equal(-EACCES, fd);
        Assert.Contains("R0 leaks addr as return value", log, StringComparison.Ordinal);
    }
}
