using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp;

// BPF_PROG_TEST_RUN.
public sealed unsafe partial class BpfProgram
{
    /// <summary>
    /// Runs the program <paramref name="repeat"/> times on a copy of <paramref name="data"/> (BPF_PROG_TEST_RUN)
    /// and returns the last run's r0 and the mean time of a run. The packet after the runs is copied
    /// into <paramref name="dataOut"/> if it is not empty.
    /// </summary>
    /// <exception cref="BpfException">The run faulted (EFAULT; EINTR when its instruction budget ran out),
    /// <paramref name="dataOut"/> is too small for the packet (ENOSPC), ...</exception>
    public BpfProgramRunResult TestRun(ReadOnlySpan<byte> data, Span<byte> dataOut = default, uint repeat = 1) =>
        TestRun(data, dataOut, default, default, repeat);

    /// <summary>
    /// BPF_PROG_TEST_RUN with a context: <paramref name="context"/> (ctx_in, may be empty) is what the
    /// program gets in r1, and <paramref name="contextOut"/> (ctx_out, may be empty) receives it after the
    /// runs. <paramref name="cpu"/> &gt;= 0 runs on that CPU (BPF_F_TEST_RUN_ON_CPU: raw tracepoints only, as in the kernel); -1 on the calling
    /// thread's current one.
    /// </summary>
    /// <exception cref="BpfException">The run faulted (EFAULT, EINTR), an output is too small (ENOSPC),
    /// the CPU is not a possible CPU (ENXIO), ...</exception>
    public BpfProgramRunResult TestRun(ReadOnlySpan<byte> data, Span<byte> dataOut, ReadOnlySpan<byte> context,
        Span<byte> contextOut, uint repeat = 1, int cpu = -1)
    {
        fixed (byte* dataIn = data)
        fixed (byte* dataOutPtr = dataOut)
        fixed (byte* ctxIn = context)
        fixed (byte* ctxOut = contextOut)
        {
            TestRunAttr a = default;
            a.ProgFd = (uint)Fd;
            a.DataIn = (ulong)dataIn;
            a.DataSizeIn = (uint)data.Length;
            a.DataOut = (ulong)dataOutPtr;
            a.DataSizeOut = (uint)dataOut.Length;
            a.CtxIn = (ulong)ctxIn;
            a.CtxSizeIn = (uint)context.Length;
            a.CtxOut = (ulong)ctxOut;
            a.CtxSizeOut = (uint)contextOut.Length;
            a.Repeat = repeat == 1 ? 0 : repeat; // the same for the types that repeat; the only value a raw tracepoint takes
            if (cpu >= 0)
            {
                a.Flags = ProgFlags.BPF_F_TEST_RUN_ON_CPU;
                a.Cpu = (uint)cpu;
            }
            Check(BpfCommand.ProgTestRun, System.Bpf(BpfCommand.ProgTestRun, AttrBytes(&a, TestRunAttr.End)));
            return new BpfProgramRunResult(a.Retval, a.Duration, (int)a.DataSizeOut, context.IsEmpty && contextOut.IsEmpty ? 0 : (int)a.CtxSizeOut);
        }
    }
}
