using System.Diagnostics;
using BpfSharp.Memory;
using BpfSharp.Runtime;
using BpfSharp.Uapi;

namespace BpfSharp.Syscall;

/// <summary>
/// BPF_PROG_TEST_RUN (kernel: net/bpf/test_run.c): each program type stages its own context and packet
/// (<see cref="RunSkb"/> for the <c>__sk_buff</c> types, <see cref="RunXdp"/>, <see cref="RunRawTracepoint"/>,
/// <see cref="RunFlowDissector"/>, <see cref="RunSkLookup"/>, <see cref="RunSyscall"/>, <see cref="RunNetfilter"/>); types without a test run (kprobe,
/// tracepoint, perf_event, the sockmap, sock_ops and cgroup hook types, lwt_seg6local, ...) give -ENOTSUPP. What the types share lives
/// here: the context copy-in (bpf_ctx_init), the timed runs (bpf_test_run), and the copy-out of the packet,
/// retval and duration (bpf_test_finish) and of the context (bpf_ctx_finish). A checked-mode fault ends the
/// command with -EFAULT (-EINTR when the instruction budget ran out).
/// </summary>
internal static unsafe partial class TestRun
{
    /// <summary>Runs <paramref name="program"/> as <paramref name="attr"/> asks; 0 or -errno.</summary>
    public static int Run(LoadedProgram program, ref BpfAttr attr, AttrOut io, int possibleCpus) => program.Type switch
    {
        BpfProgType.SocketFilter or BpfProgType.SchedCls or BpfProgType.SchedAct or BpfProgType.CgroupSkb
            or BpfProgType.LwtIn or BpfProgType.LwtOut or BpfProgType.LwtXmit => RunSkb(program, ref attr, io, possibleCpus),
        BpfProgType.Xdp => RunXdp(program, ref attr, io, possibleCpus),
        BpfProgType.RawTracepoint => RunRawTracepoint(program, ref attr, io, possibleCpus),
        BpfProgType.FlowDissector => RunFlowDissector(program, ref attr, io, possibleCpus),
        BpfProgType.SkLookup => RunSkLookup(program, ref attr, io, possibleCpus),
        BpfProgType.Syscall => RunSyscall(program, ref attr, io, possibleCpus),
        BpfProgType.Netfilter => RunNetfilter(program, ref attr, io, possibleCpus),
        _ => -Errno.ENOTSUPP, // kernel: bpf_prog_test_run without ops->test_run
    };

    /// <summary>
    /// kernel: bpf_ctx_init. The caller's context as a zeroed block of <paramref name="size"/> bytes with ctx_in copied
    /// in, or null when neither ctx_in nor ctx_out is given. A longer ctx_in must be zero past <paramref name="size"/>
    /// (-E2BIG, or -EFAULT).
    /// </summary>
    private static int ContextIn(in TestRunAttr t, int size, out byte[]? ctx)
    {
        ctx = null;
        if (t.CtxIn == 0 && t.CtxOut == 0) return 0;
        var block = new byte[size];
        if (t.CtxIn != 0)
        {
            int err = AttrLayout.CheckTail((byte*)t.CtxIn, (uint)size, t.CtxSizeIn);
            if (err < 0) return err;
            fixed (byte* p = block)
            {
                if (UserMemory.CopyFrom(t.CtxIn, p, Math.Min(t.CtxSizeIn, (uint)size)) < 0) return -Errno.EFAULT;
            }
        }
        ctx = block;
        return 0;
    }

    /// <summary>
    /// kernel: bpf_test_run. Runs the program <paramref name="repeat"/> times (0 means once) with <paramref name="run"/>;
    /// <paramref name="retval"/> is the last run's r0 (low 32 bits), <paramref name="duration"/> the mean ns of a run.
    /// <paramref name="before"/>, if given, runs before each run (a fresh frame for XDP live mode).
    /// </summary>
    private static int Repeat(LoadedProgram program, RunContext run, uint repeat, out uint retval, out uint duration,
        Action<RunContext>? before = null)
    {
        repeat = Math.Max(repeat, 1);
        retval = 0;
        duration = 0;
        program.Prepare(); // the JIT's compilation is not part of a run's time (the kernel compiles at load)
        long start = Stopwatch.GetTimestamp();
        try
        {
            for (uint i = 0; i < repeat; i++)
            {
                before?.Invoke(run);
                retval = (uint)program.Run(run);
            }
        }
        catch (BpfRuntimeException e)
        {
            return e.Kind == FaultKind.BudgetExhausted ? -Errno.EINTR : -Errno.EFAULT;
        }
        double ns = Stopwatch.GetElapsedTime(start).Ticks * 100.0 / repeat;
        duration = ns >= uint.MaxValue ? uint.MaxValue : (uint)ns;
        return 0;
    }

    /// <summary>
    /// kernel: bpf_test_finish. Copies the <paramref name="size"/> bytes <paramref name="copy"/> writes to data_out (all
    /// of them if data_size_out is 0, else at most data_size_out with -ENOSPC), then data_size_out = size, retval and
    /// duration. With <paramref name="fragments"/> bytes in fragments, a data_size_out shorter than them copies nothing
    /// and reports nothing (-ENOSPC).
    /// </summary>
    private static int FinishData(ref BpfAttr attr, AttrOut io, uint size, uint retval, uint duration,
        Func<Span<byte>, int> copy, uint fragments = 0)
    {
        TestRunAttr t = attr.TestRun;
        uint copySize = size;
        int err = 0;
        if (t.DataSizeOut != 0 && copySize > t.DataSizeOut)
        {
            copySize = t.DataSizeOut;
            err = -Errno.ENOSPC;
        }
        if (t.DataOut != 0)
        {
            if (copySize < fragments) return -Errno.ENOSPC;
            copy(new Span<byte>((void*)t.DataOut, (int)copySize));
        }
        if (io.Put(ref attr, ref attr.TestRun.DataSizeOut, size) < 0 ||
            io.Put(ref attr, ref attr.TestRun.Retval, retval) < 0 ||
            io.Put(ref attr, ref attr.TestRun.Duration, duration) < 0)
            return -Errno.EFAULT;
        return err;
    }

    /// <summary>kernel: bpf_ctx_finish. Copies <paramref name="ctx"/> to ctx_out (-ENOSPC if ctx_size_out is smaller) and sets ctx_size_out.</summary>
    private static int FinishContext(ref BpfAttr attr, AttrOut io, byte[]? ctx)
    {
        TestRunAttr t = attr.TestRun;
        if (ctx is null || t.CtxOut == 0) return 0;
        uint size = (uint)ctx.Length, copySize = size;
        int err = 0;
        if (copySize > t.CtxSizeOut)
        {
            copySize = t.CtxSizeOut;
            err = -Errno.ENOSPC;
        }
        fixed (byte* p = ctx)
        {
            if (UserMemory.CopyTo(t.CtxOut, p, copySize) < 0) return -Errno.EFAULT;
        }
        if (io.Put(ref attr, ref attr.TestRun.CtxSizeOut, size) < 0) return -Errno.EFAULT;
        return err;
    }

    // The context of a run as a region checked mode lets the program touch (and helpers' pointer checks see).
    private static MemoryRegion ContextRegion(nint address, int size) => new(address, size, writable: true, "ctx");
}
