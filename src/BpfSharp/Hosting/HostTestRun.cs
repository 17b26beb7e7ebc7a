using System.Diagnostics;
using BpfSharp.Memory;
using BpfSharp.Runtime;
using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp.Hosting;

/// <summary>
/// BPF_PROG_TEST_RUN for a host-defined program type, shaped like the kernel's test run of context-only types
/// (kernel: bpf_prog_test_run_raw_tp, bpf_ctx_init/bpf_ctx_finish): no packet (data_in, data_out and their sizes must
/// be 0, else -EINVAL); the context is the type's size, zeroed, with ctx_in copied over it (a longer ctx_in must be
/// zero past the context, else -E2BIG); ctx_out receives it after the runs (-ENOSPC and the needed size if
/// ctx_size_out is smaller); repeat, retval, duration and BPF_F_TEST_RUN_ON_CPU as for every type.
/// </summary>
internal static unsafe class HostTestRun
{
    /// <summary>Runs <paramref name="program"/> as <paramref name="attr"/> asks; 0 or -errno.</summary>
    public static int Run(LoadedProgram program, int contextSize, ref BpfAttr attr, AttrOut io, int possibleCpus)
    {
        TestRunAttr t = attr.TestRun;
        bool onCpu = (t.Flags & ProgFlags.BPF_F_TEST_RUN_ON_CPU) != 0;
        if ((t.Flags & ~ProgFlags.BPF_F_TEST_RUN_ON_CPU) != 0 || (!onCpu && t.Cpu != 0) || t.BatchSize != 0)
            return -Errno.EINVAL;
        if (t.DataIn != 0 || t.DataSizeIn != 0 || t.DataOut != 0 || t.DataSizeOut != 0) return -Errno.EINVAL;
        if (onCpu && t.Cpu >= (uint)possibleCpus) return -Errno.ENXIO;

        using var ctx = new NativeBuffer(Math.Max(contextSize, 1));
        if (t.CtxIn != 0)
        {
            if (t.CtxSizeIn > (uint)contextSize
                && new ReadOnlySpan<byte>((byte*)t.CtxIn + contextSize, (int)(t.CtxSizeIn - (uint)contextSize)).ContainsAnyExcept((byte)0))
                return -Errno.E2BIG;
            if (UserMemory.CopyFrom(t.CtxIn, (void*)ctx.Pointer, Math.Min(t.CtxSizeIn, (uint)contextSize)) < 0) return -Errno.EFAULT;
        }
        var run = new RunContext { R1 = (ulong)ctx.Pointer, PossibleCpus = possibleCpus };
        if (onCpu) run.Cpu = (int)t.Cpu;
        run.AddRegion(new MemoryRegion(ctx.Pointer, contextSize, writable: true, "ctx"));

        uint repeat = Math.Max(t.Repeat, 1);
        ulong r0 = 0;
        program.Prepare(); // not timed: the kernel compiles at load
        long start = Stopwatch.GetTimestamp();
        try
        {
            for (uint i = 0; i < repeat; i++)
                r0 = program.Run(run);
        }
        catch (BpfRuntimeException e)
        {
            return e.Kind == FaultKind.BudgetExhausted ? -Errno.EINTR : -Errno.EFAULT;
        }
        double ns = Stopwatch.GetElapsedTime(start).Ticks * 100.0 / repeat;
        uint duration = ns >= uint.MaxValue ? uint.MaxValue : (uint)ns;
        if (io.Put(ref attr, ref attr.TestRun.Retval, (uint)r0) < 0 || io.Put(ref attr, ref attr.TestRun.Duration, duration) < 0)
            return -Errno.EFAULT;
        if (t.CtxOut == 0) return 0;
        uint copy = Math.Min((uint)contextSize, t.CtxSizeOut);
        UserMemory.CopyTo(t.CtxOut, (void*)ctx.Pointer, copy);
        if (io.Put(ref attr, ref attr.TestRun.CtxSizeOut, (uint)contextSize) < 0) return -Errno.EFAULT;
        return copy < (uint)contextSize ? -Errno.ENOSPC : 0;
    }
}
