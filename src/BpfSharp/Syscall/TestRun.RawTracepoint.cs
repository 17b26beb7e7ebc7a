using BpfSharp.Memory;
using BpfSharp.Runtime;
using BpfSharp.Uapi;

namespace BpfSharp.Syscall;

// kernel: bpf_prog_test_run_raw_tp.
internal static unsafe partial class TestRun
{
    /// <summary>The largest ctx_in: the tracepoint's arguments (kernel: MAX_BPF_FUNC_ARGS * sizeof(u64)).</summary>
    public const uint MaxRawTracepointArgs = 12 * sizeof(ulong);

    /// <summary>
    /// The raw tracepoint test run: one run (no data_in, data_out, ctx_out, duration, repeat or batch_size: -EINVAL)
    /// with ctx_in as the argument array (at least as long as the program reads, at most 96 bytes; none: r1 = NULL),
    /// on the given CPU with BPF_F_TEST_RUN_ON_CPU (-ENXIO if it is no possible CPU). Only retval is reported.
    /// </summary>
    private static int RunRawTracepoint(LoadedProgram program, ref BpfAttr attr, AttrOut io, int possibleCpus)
    {
        TestRunAttr t = attr.TestRun;
        if (t.DataIn != 0 || t.DataOut != 0 || t.CtxOut != 0 || t.Duration != 0 || t.Repeat != 0 || t.BatchSize != 0)
            return -Errno.EINVAL;
        if (t.CtxSizeIn < program.MaxCtxOffset || t.CtxSizeIn > MaxRawTracepointArgs) return -Errno.EINVAL;
        bool onCpu = (t.Flags & ProgFlags.BPF_F_TEST_RUN_ON_CPU) != 0;
        if (!onCpu && t.Cpu != 0) return -Errno.EINVAL;
        using var ctx = new NativeBuffer(t.CtxSizeIn, alignment: 8);
        if (UserMemory.CopyFrom(t.CtxIn, (void*)ctx.Pointer, t.CtxSizeIn) < 0) return -Errno.EFAULT;
        if (onCpu && t.Cpu >= (uint)possibleCpus) return -Errno.ENXIO;
        var run = new RunContext { R1 = t.CtxSizeIn == 0 ? 0 : (ulong)ctx.Pointer, PossibleCpus = possibleCpus };
        if (onCpu) run.Cpu = (int)t.Cpu;
        run.AddRegion(new MemoryRegion(ctx.Pointer, t.CtxSizeIn, writable: false, "ctx"));
        int err = Repeat(program, run, 1, out uint retval, out _);
        if (err < 0) return err;
        return io.Put(ref attr, ref attr.TestRun.Retval, retval) < 0 ? -Errno.EFAULT : 0;
    }
}
