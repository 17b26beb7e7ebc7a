using BpfSharp.Uapi;
using static BpfSharp.Tests.Hosting.HostingKit;

namespace BpfSharp.Tests.Hosting;

/// <summary>
/// BPF_PROG_TEST_RUN of a host type, shaped like the kernel's context-only test runs (bpf_prog_test_run_raw_tp with
/// bpf_ctx_init/bpf_ctx_finish): the context is the type's size, ctx_in over zeroes, ctx_out after the run, no packet.
/// </summary>
public class HostTestRunTests
{
    [Fact]
    public void The_context_goes_in_and_comes_back_with_the_programs_writes()
    {
        using BpfSystem system = NewSystem(out BpfProgType type);
        using BpfProgram program = Load(system, type, """
            r2 = *(u32 *)(r1 + 0)
            r2 *= 2
            *(u32 *)(r1 + 4) = r2
            r0 = *(u16 *)(r1 + 24)
            exit
            """);
        var ctx = new byte[32];
        BitConverter.TryWriteBytes(ctx.AsSpan(0), 21u);
        BitConverter.TryWriteBytes(ctx.AsSpan(24), (ushort)8080);
        var ctxOut = new byte[32];
        BpfProgramRunResult result = program.TestRun([], default, ctx, ctxOut);
        Assert.Equal(8080u, result.Retval);
        Assert.Equal(32, result.ContextSize);
        Assert.Equal(42u, BitConverter.ToUInt32(ctxOut, 4));
    }

    [Fact]
    public void A_short_ctx_in_is_zero_extended_and_a_long_one_must_have_a_zero_tail()
    {
        using BpfSystem system = NewSystem(out BpfProgType type);
        using BpfProgram program = Load(system, type, "r0 = *(u64 *)(r1 + 8)\nexit");
        Assert.Equal(0u, program.TestRun([], default, new byte[4], default).Retval);
        Assert.Equal(0u, program.TestRun([], default, new byte[40], default).Retval);
        var tail = new byte[40];
        tail[36] = 1;
        Assert.Equal(Errno.E2BIG, Assert.Throws<BpfException>(() => program.TestRun([], default, tail, default)).Errno);
    }

    [Fact]
    public void Packet_data_and_a_short_ctx_out_are_refused()
    {
        using BpfSystem system = NewSystem(out BpfProgType type);
        using BpfProgram program = Load(system, type, "r0 = 0\nexit");
        Assert.Equal(Errno.EINVAL, Assert.Throws<BpfException>(() => program.TestRun([1, 2, 3])).Errno);
        Assert.Equal(Errno.ENOSPC, Assert.Throws<BpfException>(() => program.TestRun([], default, new byte[32], new byte[8])).Errno);
    }
}
