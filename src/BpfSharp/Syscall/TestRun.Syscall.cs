using BpfSharp.Memory;
using BpfSharp.ProgramTypes;
using BpfSharp.Runtime;
using BpfSharp.Uapi;

namespace BpfSharp.Syscall;

// kernel: bpf_prog_test_run_syscall.
internal static unsafe partial class TestRun
{
    /// <summary>
    /// The syscall program test run: one run (no data_in, data_out, ctx_out, duration, repeat, flags or batch_size:
    /// -EINVAL) on a copy of ctx_in (at least as long as the program reaches, below U16_MAX bytes; none: r1 = NULL),
    /// which is then copied back over ctx_in. Only retval is reported.
    /// </summary>
    private static int RunSyscall(LoadedProgram program, ref BpfAttr attr, AttrOut io, int possibleCpus)
    {
        TestRunAttr t = attr.TestRun;
        if (t.DataIn != 0 || t.DataOut != 0 || t.CtxOut != 0 || t.Duration != 0 || t.Repeat != 0 || t.Flags != 0
            || t.BatchSize != 0)
            return -Errno.EINVAL;
        if (t.CtxSizeIn < program.MaxCtxOffset || t.CtxSizeIn > SyscallOps.MaxCtxSize) return -Errno.EINVAL;
        using var ctx = new NativeBuffer(Math.Max(t.CtxSizeIn, 1u), alignment: 8);
        if (UserMemory.CopyFrom(t.CtxIn, (void*)ctx.Pointer, t.CtxSizeIn) < 0) return -Errno.EFAULT;
        var run = new RunContext { R1 = t.CtxSizeIn == 0 ? 0 : (ulong)ctx.Pointer, PossibleCpus = possibleCpus };
        run.AddRegion(new MemoryRegion(ctx.Pointer, t.CtxSizeIn, writable: true, "ctx"));
        int err = Repeat(program, run, 1, out uint retval, out _);
        if (err < 0) return err;
        if (io.Put(ref attr, ref attr.TestRun.Retval, retval) < 0) return -Errno.EFAULT;
        return UserMemory.CopyTo(t.CtxIn, (void*)ctx.Pointer, t.CtxSizeIn) < 0 ? -Errno.EFAULT : 0;
    }
}
