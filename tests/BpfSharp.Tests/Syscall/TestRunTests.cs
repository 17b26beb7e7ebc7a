using System.Diagnostics;
using BpfSharp.Isa;
using BpfSharp.Memory;
using BpfSharp.ProgramTypes;
using BpfSharp.Runtime;
using BpfSharp.Syscall;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Syscall;

/// <summary>
/// PROG_TEST_RUN's common machinery on socket filters (and raw tracepoints for BPF_F_TEST_RUN_ON_CPU): data_in is
/// the packet, data_out receives it, the context is the skb's, repeat and duration as the kernel's. The per-type
/// staging has its own tests (ProgramTypes/*TestRunTests).
/// </summary>
public unsafe class TestRunTests
{
    private const int CountHelper = 1000, SpinHelper = 1001;
    private const int TailCallId = 12, SmpProcessorId = 8; // kernel helper ids: bpf_tail_call, bpf_get_smp_processor_id

    private sealed class Counter
    {
        public int Calls;
    }

    private static OurTarget System(Counter counter, Func<RunContext, ulong>? tailCall = null, long budget = 1 << 20)
    {
        var helpers = new HelperRegistry()
            .Register(CountHelper, "count", (run, _, _, _, _, _) => (ulong)Interlocked.Increment(ref counter.Calls))
            .Register(SpinHelper, "spin", (run, _, _, _, _, _) =>
            {
                long start = Stopwatch.GetTimestamp();
                while (Stopwatch.GetElapsedTime(start).Ticks < 10) { } // at least 1 µs
                return 0;
            })
            .Register(SmpProcessorId, "get_smp_processor_id", (run, _, _, _, _, _) => (ulong)run.Cpu);
        if (tailCall is not null)
            helpers.Register(TailCallId, "tail_call", (run, _, _, _, _, _) => tailCall(run));
        return new OurTarget(OurTarget.Options(helpers: helpers, budget: budget, verify: false)); // the run machinery, on unverified programs
    }

    // The smallest packet an skb test run takes: an Ethernet header.
    private static byte[] Frame() => new byte[14];

    private static LoadedProgram Program(OurTarget t, int fd)
    {
        Assert.Equal(0, t.System.GetObject(fd, out BpfObject? obj));
        obj!.Release();
        return Assert.IsType<LoadedProgram>(obj);
    }

    [SkippableTheory]
    [InlineData("ours")]
    [InlineData("kernel")]
    public void Retval_is_the_low_32_bits_of_r0(string target)
    {
        using IBpfTarget t = Targets.Create(target);
        int prog = t.Load(Asm.Program(Asm.LdImm64(R0, 0x1234_5678_9abc_def0), Asm.Exit()));
        Assert.Equal(0, t.TestRun(prog, new byte[64], out TestRunAttr run, repeat: 3));
        Assert.Equal(0x9abc_def0u, run.Retval);
        Assert.Equal(64u, run.DataSizeOut); // data_out may be null; the size is reported anyway
    }

    [SkippableTheory]
    [InlineData("ours")]
    [InlineData("kernel")]
    public void A_data_out_too_small_is_ENOSPC_with_the_full_size_reported(string target)
    {
        using IBpfTarget t = Targets.Create(target);
        int prog = t.Load(Asm.Mov64(R0, 0), Asm.Exit());
        byte[] dataOut = new byte[8];
        Assert.Equal(-Errno.ENOSPC, t.TestRun(prog, new byte[20], out TestRunAttr run, dataOut: dataOut, dataSizeOut: 8));
        Assert.Equal(20u, run.DataSizeOut);
    }

    [Fact]
    public void Data_out_receives_the_packet()
    {
        using var t = new OurTarget();
        int prog = t.Load(Asm.Program(Asm.Mov64(R0, 0), Asm.Exit()), out _, BpfProgType.SchedCls); // tc sees the whole frame
        byte[] data = [.. Enumerable.Range(1, 20).Select(i => (byte)i)];
        byte[] whole = new byte[20], part = new byte[16];
        Assert.Equal(0, t.TestRun(prog, data, out _, dataOut: whole)); // data_size_out 0: all of it, as the kernel
        Assert.Equal(data, whole);
        Assert.Equal(-Errno.ENOSPC, t.TestRun(prog, data, out TestRunAttr run, dataOut: part, dataSizeOut: 16));
        Assert.Equal(data[..16], part);
        Assert.Equal(20u, run.DataSizeOut);
    }

    [Fact]
    public void Ld_abs_reads_from_the_network_header_of_data_in()
    {
        using var t = new OurTarget();
        int prog = t.Load(Asm.Mov64(R6, R1), Asm.LdAbs(BPF_H, 2), Asm.Exit());
        byte[] frame = new byte[18];
        frame[16] = 0x30;
        frame[17] = 0x40;
        Assert.Equal(0, t.TestRun(prog, frame, out TestRunAttr run)); // a socket filter sees the packet after the Ethernet header
        Assert.Equal(0x3040u, run.Retval);
        Assert.Equal(0, t.TestRun(prog, frame[..17], out run)); // past the packet: the load ends the program with 0
        Assert.Equal(0u, run.Retval);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    public void A_packet_shorter_than_an_Ethernet_header_is_EINVAL(int size)
    {
        using var t = new OurTarget();
        int prog = t.Load(Asm.Mov64(R0, 0), Asm.Exit());
        Assert.Equal(-Errno.EINVAL, t.TestRun(prog, new byte[size], out _));
    }

    [Theory]
    [InlineData(0u, 1)]
    [InlineData(1u, 1)]
    [InlineData(5u, 5)]
    public void Repeat_runs_the_program_that_often(uint repeat, int runs)
    {
        var counter = new Counter();
        using OurTarget t = System(counter);
        int prog = t.Load(Asm.Call(CountHelper), Asm.Exit());
        Assert.Equal(0, t.TestRun(prog, Frame(), out TestRunAttr run, repeat));
        Assert.Equal(runs, counter.Calls);
        Assert.Equal((uint)runs, run.Retval); // the last run's r0
    }

    [Fact]
    public void Duration_is_the_mean_ns_of_one_run()
    {
        var counter = new Counter();
        using OurTarget t = System(counter);
        int prog = t.Load(Asm.Call(SpinHelper), Asm.Exit());
        long start = Stopwatch.GetTimestamp();
        Assert.Equal(0, t.TestRun(prog, Frame(), out TestRunAttr run, repeat: 4));
        double wholeCallNs = Stopwatch.GetElapsedTime(start).Ticks * 100.0;
        Assert.True(run.Duration >= 1000, $"{run.Duration}"); // every run spins at least 1 µs
        Assert.True(run.Duration <= wholeCallNs / 4, $"{run.Duration} > {wholeCallNs / 4}"); // a mean, not a total
    }

    [Fact]
    public void Ctx_in_reaches_the_program_and_ctx_out_receives_it()
    {
        using var t = new OurTarget();
        // r0 = skb->cb[0]; skb->cb[1] = r0 + 1
        int prog = t.Load(Asm.LdxMem(BPF_W, R0, R1, SkBuffLayout.Cb), Asm.Mov64(R2, R0), Asm.Add64(R2, 1),
            Asm.StxMem(BPF_W, R1, R2, SkBuffLayout.Cb + 4), Asm.Exit());
        byte[] ctxIn = new byte[SkBuffLayout.Size];
        BitConverter.TryWriteBytes(ctxIn.AsSpan(SkBuffLayout.Cb), 41u);
        byte[] ctxOut = new byte[SkBuffLayout.Size];
        byte[] frame = Frame();
        fixed (byte* ci = ctxIn)
        fixed (byte* co = ctxOut)
        fixed (byte* d = frame)
        {
            BpfAttr attr = default;
            attr.TestRun.ProgFd = (uint)prog;
            attr.TestRun.DataIn = (ulong)d;
            attr.TestRun.DataSizeIn = (uint)frame.Length;
            attr.TestRun.CtxIn = (ulong)ci;
            attr.TestRun.CtxSizeIn = (uint)ctxIn.Length;
            attr.TestRun.CtxOut = (ulong)co;
            attr.TestRun.CtxSizeOut = (uint)ctxOut.Length;
            Assert.Equal(0, t.Bpf(BpfCommand.ProgTestRun, ref attr));
            Assert.Equal(41u, attr.TestRun.Retval);
            Assert.Equal((uint)SkBuffLayout.Size, attr.TestRun.CtxSizeOut);
            attr.TestRun.CtxSizeOut = 4;
            Assert.Equal(-Errno.ENOSPC, t.Bpf(BpfCommand.ProgTestRun, ref attr));
            Assert.Equal((uint)SkBuffLayout.Size, attr.TestRun.CtxSizeOut);
        }
        Assert.Equal(41u, BitConverter.ToUInt32(ctxOut, SkBuffLayout.Cb));
        Assert.Equal(42u, BitConverter.ToUInt32(ctxOut, SkBuffLayout.Cb + 4));
    }

    [Theory]
    [InlineData(300, false, 0)]             // longer than struct __sk_buff, zero tail: fine
    [InlineData(300, true, -Errno.E2BIG)]   // non-zero byte past the context
    [InlineData(5000, false, -Errno.E2BIG)] // more than a page
    public void Ctx_in_follows_the_tail_rule(int size, bool dirtyTail, int expected)
    {
        using var t = new OurTarget();
        int prog = t.Load(Asm.Mov64(R0, 0), Asm.Exit());
        byte[] ctx = new byte[size];
        if (dirtyTail) ctx[size - 1] = 1;
        byte[] frame = Frame();
        fixed (byte* c = ctx)
        fixed (byte* d = frame)
        {
            BpfAttr attr = default;
            attr.TestRun.ProgFd = (uint)prog;
            attr.TestRun.DataIn = (ulong)d;
            attr.TestRun.DataSizeIn = (uint)frame.Length;
            attr.TestRun.CtxIn = (ulong)c;
            attr.TestRun.CtxSizeIn = (uint)size;
            Assert.Equal(expected, t.Bpf(BpfCommand.ProgTestRun, ref attr));
        }
    }

    [Theory]
    [InlineData(1u, 0, 1u)]
    [InlineData(5u, -Errno.ENXIO, 0u)] // the system has 2 possible CPUs
    public void Run_on_cpu_sets_the_cpu_the_program_sees(uint cpu, int expected, uint retval)
    {
        using OurTarget t = System(new Counter());
        int prog = t.Load(Asm.Program(Asm.Call(SmpProcessorId), Asm.Exit()), out _, BpfProgType.RawTracepoint); // the type that runs on a CPU
        BpfAttr attr = default;
        attr.TestRun.ProgFd = (uint)prog;
        attr.TestRun.Flags = ProgFlags.BPF_F_TEST_RUN_ON_CPU;
        attr.TestRun.Cpu = cpu;
        Assert.Equal(expected, t.Bpf(BpfCommand.ProgTestRun, ref attr));
        Assert.Equal(retval, attr.TestRun.Retval);
    }

    [Fact]
    public void Run_on_cpu_reaches_every_possible_cpu_even_beyond_the_host_processors()
    {
        // 16 possible CPUs on a host with fewer: the slot is this system's, not the machine's.
        using var t = new OurTarget(OurTarget.Options(cpus: 16, helpers: BpfSharp.Runtime.Helpers.StandardHelpers.Create()));
        int prog = t.Load(Asm.Program(Asm.Call(8 /* BPF_FUNC_get_smp_processor_id */), Asm.Exit()), out _, BpfProgType.RawTracepoint);
        BpfAttr attr = default;
        attr.TestRun.ProgFd = (uint)prog;
        attr.TestRun.Flags = ProgFlags.BPF_F_TEST_RUN_ON_CPU;
        attr.TestRun.Cpu = 13;
        Assert.Equal(0, t.Bpf(BpfCommand.ProgTestRun, ref attr));
        Assert.Equal(13u, attr.TestRun.Retval);
    }

    [Fact]
    public void A_checked_mode_fault_is_EFAULT()
    {
        using var t = new OurTarget(OurTarget.Options(verify: false));
        int prog = t.Load(Asm.Mov64(R1, 0), Asm.LdxMem(BPF_DW, R0, R1, 0), Asm.Exit());
        Assert.Equal(-Errno.EFAULT, t.TestRun(prog, Frame(), out _));
    }

    [Fact]
    public void An_endless_loop_runs_out_of_budget_with_EINTR()
    {
        using OurTarget t = System(new Counter(), budget: 10_000);
        int prog = t.Load(Asm.Program(Asm.Label("top"), Asm.Ja("top")));
        Assert.Equal(-Errno.EINTR, t.TestRun(prog, Frame(), out _));
    }

    [Fact]
    public void A_tail_call_runs_the_target_with_the_same_r1()
    {
        LoadedProgram? target = null;
        using OurTarget t = System(new Counter(), run =>
        {
            run.TailCallCount++;
            run.RequestTailCall(target!);
            return 0;
        });
        // The target returns *(u32 *)(ctx + 0), which only the caller wrote.
        int callee = t.Load(Asm.LdxMem(BPF_W, R0, R1, 0), Asm.Exit());
        target = Program(t, callee);
        int caller = t.Load(Asm.StMem(BPF_W, R1, 0, 1234), Asm.Call(TailCallId), Asm.Mov64(R0, 99), Asm.Exit());
        Assert.Equal(0, t.TestRun(caller, Frame(), out TestRunAttr run));
        Assert.Equal(1234u, run.Retval);
    }

    [Fact]
    public void A_chain_of_tail_calls_stops_after_33()
    {
        LoadedProgram? self = null;
        int calls = 0;
        using OurTarget t = System(new Counter(), run =>
        {
            calls++;
            if (run.TailCallCount >= RunContext.MaxTailCalls) return unchecked((ulong)-Errno.ENOENT); // bpf_tail_call fails: go on
            run.TailCallCount++;
            run.RequestTailCall(self!);
            return 0;
        });
        int prog = t.Load(Asm.Call(TailCallId), Asm.Mov64(R0, 77), Asm.Exit());
        self = Program(t, prog);
        Assert.Equal(0, t.TestRun(prog, Frame(), out TestRunAttr run));
        Assert.Equal(77u, run.Retval);
        Assert.Equal(34, calls); // the first run and 33 tail calls each call it once
    }

    [Fact]
    public void The_runner_bounds_a_tail_call_chain_even_if_the_helper_does_not()
    {
        LoadedProgram? self = null;
        var counter = new Counter();
        using OurTarget t = System(counter, run =>
        {
            run.RequestTailCall(self!); // never counts
            return 0;
        });
        int prog = t.Load(Asm.Call(CountHelper), Asm.Call(TailCallId), Asm.Exit());
        self = Program(t, prog);
        Assert.Equal(0, t.TestRun(prog, Frame(), out _));
        Assert.Equal(1 + RunContext.MaxTailCalls, counter.Calls);
    }

    [Fact]
    public void A_run_is_one_epoch()
    {
        long inside = 0;
        EpochManager? epochs = null;
        var helpers = new HelperRegistry().Register(CountHelper, "epoch", (run, _, _, _, _, _) =>
        {
            // Memory retired during the run is not freed before the run ends.
            var block = (byte*)global::System.Runtime.InteropServices.NativeMemory.AlignedAlloc(8, 8);
            epochs!.Retire(block);
            epochs.Reclaim();
            inside = epochs.PendingCount;
            return 0;
        });
        using var t = new OurTarget(OurTarget.Options(helpers: helpers, verify: false));
        epochs = t.System.Epochs;
        int prog = t.Load(Asm.Call(CountHelper), Asm.Exit());
        Assert.Equal(0, t.TestRun(prog, Frame(), out _));
        Assert.Equal(1, inside);
        epochs.Reclaim();
        Assert.Equal(0, epochs.PendingCount);
    }
}
