using BpfSharp.Isa;
using BpfSharp.Runtime.Helpers;
using BpfSharp.Tests.Runtime.Engines;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Runtime.Helpers;

/// <summary>
/// bpf_trace_printk (bpf-helpers(7): fmt with a NUL within fmt_size, up to three arguments, the text goes to
/// the trace pipe, returns the number of bytes written) and bpf_trace_vprintk (arguments in an array).
/// </summary>
public class TraceHelperTests
{
    public static TheoryData<string, bool> EnginesAndModes => EngineMatrix.EnginesAndModes();

    // r0 = bpf_trace_printk(mem + 256, fmtSize, a1, a2, a3)
    private static Instruction[] Printk(int fmtSize, int a1 = 0, int a2 = 0, int a3 = 0) => Program(
        Mov64(R6, R1), Mov64(R1, R6), Add64(R1, 256), Mov64(R2, fmtSize), Mov64(R3, a1), Mov64(R4, a2), Mov64(R5, a3), Call(6), Exit());

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void Trace_printk_writes_the_text_to_the_pipe(string engine, bool isChecked)
    {
        using var h = new HelperHarness();
        h.Clock.MonotonicNs = 5_123_456_789;
        h.SetString(256, "value %d of %u: %x\n");
        var run = h.Load(engine, isChecked, Printk(32, -3, 7, 255));
        var ctx = h.NewContext();
        ctx.Cpu = 2;
        ulong r0 = run(ctx);

        Assert.Equal((ulong)"value -3 of 7: ff\n".Length, r0);
        Assert.True(h.Env.TracePipe.TryRead(out TraceRecord? record));
        Assert.Equal("value -3 of 7: ff\n", record.Message);
        Assert.Equal(2, record.Cpu);
        Assert.Equal(100u, record.Pid);
        Assert.Equal("helper-test", record.Comm);
        Assert.Equal(5_123_456_789ul, record.TimestampNs);
        Assert.EndsWith("[002] .....     5.123456: bpf_trace_printk: value -3 of 7: ff", record.ToString());
        Assert.Equal(0, h.Env.TracePipe.Count);
    }

    [Fact]
    public void Trace_printk_needs_a_nul_within_fmt_size()
    {
        using var h = new HelperHarness();
        h.SetString(256, "hello");
        Assert.Equal(unchecked((ulong)-Errno.EINVAL), h.Run(EngineMatrix.All[0].Name, true, Printk(5)));
        Assert.Equal(0, h.Env.TracePipe.Count);
        Assert.Equal(5ul, h.Run(EngineMatrix.All[0].Name, true, Printk(6)));
    }

    [Fact]
    public void Trace_printk_takes_three_arguments_at_most()
    {
        using var h = new HelperHarness();
        h.SetString(256, "%d %d %d %d");
        Assert.Equal(unchecked((ulong)-Errno.EINVAL), h.Run(EngineMatrix.All[0].Name, true, Printk(16, 1, 2, 3)));
        Assert.Equal(0, h.Env.TracePipe.Count);
    }

    [Fact]
    public void Trace_printk_prints_strings_from_run_memory()
    {
        using var h = new HelperHarness();
        h.SetString(256, "comm=%s");
        h.SetString(512, "bash");
        ulong r0 = h.Run(EngineMatrix.All[0].Name, true, Program(
            Mov64(R6, R1), Mov64(R1, R6), Add64(R1, 256), Mov64(R2, 8), Mov64(R3, R6), Add64(R3, 512), Call(6), Exit()));
        Assert.Equal(9ul, r0);
        Assert.Equal("comm=bash", h.Env.TracePipe.ReadAll().Single().Message);
    }

    [Fact]
    public void Trace_vprintk_takes_its_arguments_from_an_array()
    {
        using var h = new HelperHarness();
        h.SetString(256, "%d-%d-%d-%d");
        for (int k = 0; k < 4; k++) h.SetU64(512 + 8 * k, (ulong)k + 1);
        ulong r0 = h.Run(EngineMatrix.All[0].Name, true, Program(
            Mov64(R6, R1), Mov64(R1, R6), Add64(R1, 256), Mov64(R2, 12), Mov64(R3, R6), Add64(R3, 512), Mov64(R4, 32), Call(177), Exit()));
        Assert.Equal(7ul, r0);
        Assert.Equal("1-2-3-4", h.Env.TracePipe.ReadAll().Single().Message);
    }

    [Fact]
    public void The_pipe_drops_the_oldest_record_when_full()
    {
        var pipe = new TracePipe(capacity: 2);
        for (int k = 0; k < 3; k++)
            pipe.Write(new TraceRecord(0, 0, 1, "t", k.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(1, pipe.Dropped);
        Assert.Equal(["1", "2"], pipe.ReadAll().Select(r => r.Message));
        Assert.Null(pipe.Read(TimeSpan.Zero));
    }

    [Fact]
    public void A_reader_waiting_on_the_pipe_gets_a_record_written_by_another_thread()
    {
        var pipe = new TracePipe();
        var writer = new Thread(() => pipe.Write(new TraceRecord(0, 0, 1, "t", "late")));
        writer.Start();
        TraceRecord? record = pipe.Read(TimeSpan.FromSeconds(30));
        writer.Join();
        Assert.Equal("late", record?.Message);
    }
}
