using System.Runtime.InteropServices;
using BpfSharp.Hosting;
using BpfSharp.Isa;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Hosting;

/// <summary>
/// Hooks of the tracing types, whose context the host fills: kprobes read <c>struct pt_regs</c>, perf events
/// <c>struct bpf_perf_event_data</c>, raw tracepoints their u64 arguments, tracepoints their record; attaching
/// refuses programs that read past the context the hook supplies, as the kernel's attach does (max_ctx_offset).
/// </summary>
public class TracingHookTests
{
    private static BpfSystem NewSystem() => new(new BpfSystemOptions { PossibleCpus = 2 });

    private static BpfProgram Load(BpfSystem system, BpfProgType type, string asm) =>
        BpfProgram.Load(system, type, Assembler.Assemble(asm));

    [Fact]
    public void A_kprobe_program_reads_the_registers_the_host_fills()
    {
        using BpfSystem system = NewSystem();
        using var hook = new Hook<PtRegs>(system, BpfProgType.Kprobe, "do_sys_open");
        // libbpf: PT_REGS_PARM1(ctx) is ctx->di (offset 112), PT_REGS_PARM2 ctx->si (104), PT_REGS_IP ctx->ip (128)
        using BpfProgram sum = Load(system, BpfProgType.Kprobe, """
            r2 = *(u64 *)(r1 + 112)
            r3 = *(u64 *)(r1 + 104)
            r0 = *(u64 *)(r1 + 128)
            r0 += r2
            r0 += r3
            exit
            """);
        using BpfLink link = hook.Attach(sum);
        var regs = new PtRegs { Di = 1000, Si = 200, Ip = 30 };
        Assert.Equal(1230ul, hook.Fire(ref regs));
    }

    [Fact]
    public void Kprobe_results_combine_as_the_kernel_does_with_AndResults()
    {
        using BpfSystem system = NewSystem();
        using var hook = new Hook<PtRegs>(system, BpfProgType.Kprobe);
        using BpfProgram one = Load(system, BpfProgType.Kprobe, "r0 = 1\nexit");
        using BpfProgram parity = Load(system, BpfProgType.Kprobe, "r0 = *(u64 *)(r1 + 112)\nexit");
        using BpfLink a = hook.Attach(one), b = hook.Attach(parity);
        var regs = new PtRegs { Di = 3 };
        var and = new AndResults();
        hook.Fire(ref regs, ref and);
        Assert.Equal(1u, and.Value);
        regs.Di = 2;
        and = new AndResults();
        hook.Fire(ref regs, ref and);
        Assert.Equal(0u, and.Value);
    }

    [Fact]
    public void A_perf_event_program_reads_the_sample()
    {
        using BpfSystem system = NewSystem();
        using var hook = new Hook<BpfPerfEventData>(system, BpfProgType.PerfEvent);
        // sample_period at 168, addr at 176 (narrow load of its low half)
        using BpfProgram program = Load(system, BpfProgType.PerfEvent, """
            r0 = *(u64 *)(r1 + 168)
            r2 = *(u32 *)(r1 + 176)
            r0 += r2
            exit
            """);
        using BpfLink link = hook.Attach(program);
        var data = new BpfPerfEventData { SamplePeriod = 4000, Addr = 0x1_0000_0007 };
        Assert.Equal(4007ul, hook.Fire(ref data));
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TwoArgs
    {
        public ulong Arg0;
        public ulong Arg1;
    }

    [Fact]
    public void A_raw_tracepoint_hook_supplies_its_arguments_and_refuses_programs_reading_more()
    {
        using BpfSystem system = NewSystem();
        using var hook = new Hook<TwoArgs>(system, BpfProgType.RawTracepoint, "sched_switch");
        using BpfProgram second = Load(system, BpfProgType.RawTracepoint, "r0 = *(u64 *)(r1 + 8)\nexit");
        using BpfProgram third = Load(system, BpfProgType.RawTracepoint, "r0 = *(u64 *)(r1 + 16)\nexit");
        using BpfLink link = hook.Attach(second);
        var args = new TwoArgs { Arg0 = 1, Arg1 = 42 };
        Assert.Equal(42ul, hook.Fire(ref args));
        // kernel: __bpf_probe_register refuses max_ctx_offset > num_args * 8 with -EINVAL
        Assert.Equal(Errno.EINVAL, Assert.Throws<BpfException>(() => hook.Attach(third)).Errno);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SwitchRecord
    {
        public ulong CommonHeader; // common_type, common_flags, common_preempt_count, common_pid
        public uint PrevPid;
        public uint NextPid;
    }

    [Fact]
    public void A_tracepoint_hook_supplies_its_record_and_refuses_programs_reading_past_it()
    {
        using BpfSystem system = NewSystem();
        using var hook = new Hook<SwitchRecord>(system, BpfProgType.Tracepoint, "sched/sched_switch");
        using BpfProgram next = Load(system, BpfProgType.Tracepoint, "r0 = *(u32 *)(r1 + 12)\nexit");
        using BpfProgram past = Load(system, BpfProgType.Tracepoint, "r0 = *(u32 *)(r1 + 16)\nexit");
        // a read ending at the record's start passes the kernel's unsigned max_ctx_offset check; it reads headroom
        using BpfProgram before = Load(system, BpfProgType.Tracepoint, "r0 = *(u64 *)(r1 - 8)\nexit");
        using BpfLink a = hook.Attach(next);
        var record = new SwitchRecord { CommonHeader = 0xffff, PrevPid = 7, NextPid = 8 };
        Assert.Equal(8ul, hook.Fire(ref record));
        using BpfLink b = hook.Attach(before);
        Assert.Equal(0ul, hook.Fire(ref record));
        // kernel: perf_event_attach_bpf_prog refuses max_ctx_offset > the record size with -EACCES
        Assert.Equal(Errno.EACCES, Assert.Throws<BpfException>(() => hook.Attach(past)).Errno);
    }

    [Fact]
    public void Tracing_hooks_need_a_context_as_large_as_the_kernels()
    {
        using BpfSystem system = NewSystem();
        Assert.Throws<ArgumentException>(() => new Hook<TwoArgs>(system, BpfProgType.Kprobe));
        Assert.Throws<ArgumentException>(() => new Hook<PtRegs>(system, BpfProgType.PerfEvent));
        Assert.Throws<ArgumentException>(() => new Hook<PtRegs>(system, BpfProgType.RawTracepoint)); // 21 args > 12
        Assert.Throws<ArgumentException>(() => new Hook<uint>(system, BpfProgType.Tracepoint));
        Assert.Equal(168, Marshal.SizeOf<PtRegs>());
        Assert.Equal(184, Marshal.SizeOf<BpfPerfEventData>());
    }

    [Fact]
    public void A_program_attached_to_a_kprobe_hook_must_be_a_kprobe()
    {
        using BpfSystem system = NewSystem();
        using var hook = new Hook<PtRegs>(system, BpfProgType.Kprobe);
        using BpfProgram tp = Load(system, BpfProgType.RawTracepoint, "r0 = 0\nexit");
        BpfException e = Assert.Throws<BpfException>(() => hook.Attach(tp));
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.Contains("RawTracepoint", e.Message);
    }
}
