using System.Diagnostics;
using BpfSharp.Memory;
using BpfSharp.Runtime;
using BpfSharp.Uapi;

namespace BpfSharp.Syscall;

/// <summary>
/// BPF_PROG_TEST_RUN for any program type, until program types bring their own contexts
/// (kernel: net/bpf/test_run.c). The staging, the same for every type:
/// <list type="bullet">
/// <item>data_in (at most <see cref="MaxDataSize"/> bytes) is copied into a buffer that becomes the
/// run's packet (LD_ABS / LD_IND read it; in checked mode loads and stores may touch it);
/// after the runs it is copied to data_out as the kernel's bpf_test_finish does: all of it if
/// data_size_out is 0, else at most data_size_out bytes with -ENOSPC if it did not fit; data_out
/// may be 0; data_size_out receives the packet size.</item>
/// <item>the context is a zeroed block of <see cref="ContextSize"/> bytes passed in r1; ctx_in is
/// copied into it (a longer ctx_in must be zero past that size, as bpf_ctx_init requires) and
/// ctx_out receives it after the runs (bpf_ctx_finish: -ENOSPC if ctx_size_out is smaller).</item>
/// <item>repeat runs (0 means 1) on the same packet and context; retval is the last run's r0
/// (low 32 bits), duration the mean time of a run in ns.</item>
/// <item>flags may be BPF_F_TEST_RUN_ON_CPU (cpu must then be a possible CPU, else -ENXIO); cpu
/// without the flag and batch_size are -EINVAL.</item>
/// <item>a checked-mode fault ends the command with -EFAULT (-EINTR when the instruction budget ran out).</item>
/// </list>
/// </summary>
internal static unsafe class TestRun
{
    /// <summary>Size of the generic context.</summary>
    public const int ContextSize = 256;
    /// <summary>The largest data_in accepted.</summary>
    public const uint MaxDataSize = 1 << 16;

    /// <summary>Runs <paramref name="program"/> as <paramref name="attr"/> asks; 0 or -errno.</summary>
    public static int Run(LoadedProgram program, ref BpfAttr attr, AttrOut io, int possibleCpus)
    {
        TestRunAttr t = attr.TestRun;
        bool onCpu = (t.Flags & ProgFlags.BPF_F_TEST_RUN_ON_CPU) != 0;
        if ((t.Flags & ~ProgFlags.BPF_F_TEST_RUN_ON_CPU) != 0 || (!onCpu && t.Cpu != 0) || t.BatchSize != 0)
            return -Errno.EINVAL;
        if (onCpu && t.Cpu >= (uint)possibleCpus) return -Errno.ENXIO;
        if (t.DataSizeIn > MaxDataSize) return -Errno.EINVAL;

        using var packet = new NativeBuffer(t.DataSizeIn);
        if (UserMemory.CopyFrom(t.DataIn, (void*)packet.Pointer, t.DataSizeIn) < 0) return -Errno.EFAULT;
        using var ctx = new NativeBuffer(ContextSize);
        if (t.CtxIn != 0)
        {
            int err = AttrLayout.CheckTail((byte*)t.CtxIn, ContextSize, t.CtxSizeIn);
            if (err < 0) return err;
            UserMemory.CopyFrom(t.CtxIn, (void*)ctx.Pointer, Math.Min(t.CtxSizeIn, ContextSize));
        }

        var run = new RunContext
        {
            R1 = (ulong)ctx.Pointer,
            Packet = t.DataSizeIn > 0 ? packet.ToRegion(writable: true, "packet") : null,
            PossibleCpus = possibleCpus, // before Cpu: the slot must be checked against this system's CPUs
        };
        if (onCpu)
            run.Cpu = (int)t.Cpu;
        run.AddRegion(ctx.ToRegion(writable: true, "ctx"));

        uint repeat = Math.Max(t.Repeat, 1);
        ulong r0 = 0;
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

        int result = FinishData(ref attr, io, packet, (uint)r0, duration);
        if (result == 0)
            result = FinishContext(ref attr, io, ctx);
        return result;
    }

    // kernel: bpf_test_finish.
    private static int FinishData(ref BpfAttr attr, AttrOut io, NativeBuffer packet, uint retval, uint duration)
    {
        TestRunAttr t = attr.TestRun;
        uint size = (uint)packet.Length, copy = size;
        int err = 0;
        if (t.DataSizeOut != 0 && copy > t.DataSizeOut)
        {
            copy = t.DataSizeOut;
            err = -Errno.ENOSPC;
        }
        if (t.DataOut != 0)
            UserMemory.CopyTo(t.DataOut, (void*)packet.Pointer, copy);
        if (io.Put(ref attr, ref attr.TestRun.DataSizeOut, size) < 0 ||
            io.Put(ref attr, ref attr.TestRun.Retval, retval) < 0 ||
            io.Put(ref attr, ref attr.TestRun.Duration, duration) < 0)
            return -Errno.EFAULT;
        return err;
    }

    // kernel: bpf_ctx_finish (only when the caller gave a context).
    private static int FinishContext(ref BpfAttr attr, AttrOut io, NativeBuffer ctx)
    {
        TestRunAttr t = attr.TestRun;
        if (t.CtxOut == 0) return 0;
        uint size = ContextSize, copy = size;
        int err = 0;
        if (copy > t.CtxSizeOut)
        {
            copy = t.CtxSizeOut;
            err = -Errno.ENOSPC;
        }
        UserMemory.CopyTo(t.CtxOut, (void*)ctx.Pointer, copy);
        if (io.Put(ref attr, ref attr.TestRun.CtxSizeOut, size) < 0) return -Errno.EFAULT;
        return err;
    }
}
