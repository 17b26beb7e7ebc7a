using BpfSharp.Isa;
using BpfSharp.ProgramTypes;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;
using static BpfSharp.Tests.Api.ApiKit;

namespace BpfSharp.Tests.Api;

/// <summary><see cref="BpfProgram"/>: load, attributes, test runs with data and context, pin, dispose.</summary>
public class BpfProgramTests
{
    [Fact]
    public void Load_reports_type_name_and_the_id_of_the_loaded_program()
    {
        using BpfSystem system = NewSystem();
        using BpfProgram program = BpfProgram.Load(system, BpfProgType.SocketFilter,
            [Asm.Mov64Imm(R0, 7), Asm.Exit()], name: "seven");
        Assert.Equal(BpfProgType.SocketFilter, program.Type);
        Assert.Equal("seven", program.Name);
        Assert.NotEqual(0u, program.Id);
        Assert.Equal(16, program.Tag.ToString().Length);
        Assert.Equal(7u, program.TestRun(new byte[14]).Retval);
    }

    [Fact]
    public void TestRun_returns_the_low_32_bits_of_r0_and_the_packet()
    {
        using BpfSystem system = NewSystem();
        // r0 = the packet's byte 1 after the Ethernet header (a legacy LD_ABS load reads data_in from the network header).
        using BpfProgram program = BpfProgram.Load(system, BpfProgType.SocketFilter, Asm.Program(
            Asm.Mov64Reg(R6, R1),
            Asm.LdAbs(BPF_B, 1),
            Asm.Exit()));
        byte[] frame = [.. new byte[14], 0x10, 0x20, 0x30, 0x40];
        var output = new byte[18];
        BpfProgramRunResult result = program.TestRun(frame, output, repeat: 5);
        Assert.Equal(0x20u, result.Retval);
        Assert.Equal(18, result.DataSize);
        Assert.Equal(frame, output); // a socket filter's data_out has the Ethernet header zeroed
        Assert.Equal(Errno.ENOSPC, ErrnoOf(() => program.TestRun(frame, new byte[2])));
    }

    [Fact]
    public void TestRun_passes_the_context_in_r1_and_copies_it_back()
    {
        using BpfSystem system = NewSystem();
        // r0 = skb->mark; skb->cb[1] = 99
        using BpfProgram program = BpfProgram.Load(system, BpfProgType.SchedCls, Asm.Program(
            Asm.LdxMem(BPF_W, R0, R1, SkBuffLayout.Mark),
            Asm.StMem(BPF_W, R1, SkBuffLayout.Cb + 4, 99),
            Asm.Exit()));
        var context = new byte[SkBuffLayout.Size];
        BitConverter.TryWriteBytes(context.AsSpan(SkBuffLayout.Mark), 1234);
        var contextOut = new byte[256];
        BpfProgramRunResult result = program.TestRun(new byte[14], default, context, contextOut);
        Assert.Equal(1234u, result.Retval);
        Assert.Equal(99, BitConverter.ToInt32(contextOut, SkBuffLayout.Cb + 4));
        Assert.Equal(SkBuffLayout.Size, result.ContextSize);
    }

    [Fact]
    public void TestRun_on_a_cpu_that_does_not_exist_is_ENXIO()
    {
        using BpfSystem system = NewSystem(cpus: 2);
        using BpfProgram program = BpfProgram.Load(system, BpfProgType.RawTracepoint, [Asm.Mov64Imm(R0, 0), Asm.Exit()]);
        Assert.Equal(0u, RunOnce(program, cpu: 1));
        Assert.Equal(Errno.ENXIO, ErrnoOf(() => RunOnce(program, cpu: 2)));
    }

    [Fact]
    public void A_faulting_run_is_EFAULT()
    {
        using BpfSystem system = NewUncheckedLoadSystem();
        using BpfProgram program = BpfProgram.Load(system, BpfProgType.SocketFilter, Asm.Program(
            Asm.LdImm64(R1, 0x1000),
            Asm.LdxMem(BPF_DW, R0, R1, 0), // checked mode: not a region of the run
            Asm.Exit()));
        Assert.Equal(Errno.EFAULT, ErrnoOf(() => program.TestRun(new byte[14])));
    }

    [Fact]
    public void Pin_Open_and_FromFd_reach_the_same_program()
    {
        using BpfSystem system = NewSystem();
        using BpfProgram program = BpfProgram.Load(system, BpfProgType.SocketFilter, [Asm.Mov64Imm(R0, 3), Asm.Exit()]);
        program.Pin("/sys/fs/bpf/three");
        using BpfProgram opened = BpfProgram.Open(system, "/sys/fs/bpf/three");
        Assert.Equal(program.Id, opened.Id);
        Assert.Equal(3u, opened.TestRun(new byte[14]).Retval);

        using BpfMap map = BpfMap.Create(system, BpfMapType.Array, 4, 8, 1);
        Assert.Equal(Errno.EINVAL, ErrnoOf(() => BpfProgram.FromFd(system, map.Fd)));
        map.Pin("/sys/fs/bpf/map");
        Assert.Equal(Errno.EINVAL, ErrnoOf(() => BpfProgram.Open(system, "/sys/fs/bpf/map")));
    }

    [Fact]
    public void Dispose_closes_the_fd()
    {
        using BpfSystem system = NewSystem();
        var program = BpfProgram.Load(system, BpfProgType.SocketFilter, [Asm.Mov64Imm(R0, 0), Asm.Exit()]);
        int fd = program.Fd;
        program.Dispose();
        Assert.Equal(-Errno.EBADF, system.Close(fd));
        Assert.Throws<ObjectDisposedException>(() => program.TestRun(new byte[14]));
    }
}
