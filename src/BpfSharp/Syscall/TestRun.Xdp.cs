using BpfSharp.ProgramTypes;
using BpfSharp.Runtime;
using BpfSharp.Uapi;

namespace BpfSharp.Syscall;

// kernel: bpf_prog_test_run_xdp.
internal static unsafe partial class TestRun
{
    /// <summary>BPF_F_TEST_XDP_LIVE_FRAMES: run on fresh copies of the frame, as packets the stack would receive.</summary>
    public const uint BPF_F_TEST_XDP_LIVE_FRAMES = 1 << 1;

    private const uint DefaultBatchSize = 64; // kernel: NAPI_POLL_WEIGHT
    private const uint MaxBatchSize = 256; // kernel: TEST_XDP_MAX_BATCH

    /// <summary>
    /// The XDP test run: not for devmap / cpumap programs; flags only BPF_F_TEST_XDP_LIVE_FRAMES (batch_size up to 256,
    /// else -E2BIG; batch_size without it -EINVAL); ctx_in an <c>xdp_md</c> (<see cref="XdpTestRun"/>); the runs share one
    /// frame (live mode: each run gets a fresh copy, and retval stays 0); data_out gets metadata, packet and fragments.
    /// </summary>
    private static int RunXdp(LoadedProgram program, ref BpfAttr attr, AttrOut io, int possibleCpus)
    {
        TestRunAttr t = attr.TestRun;
        if (program.ExpectedAttachType is (uint)BpfAttachType.XdpDevmap or (uint)BpfAttachType.XdpCpumap)
            return -Errno.EINVAL;
        if ((t.Flags & ~BPF_F_TEST_XDP_LIVE_FRAMES) != 0) return -Errno.EINVAL;
        bool live = (t.Flags & BPF_F_TEST_XDP_LIVE_FRAMES) != 0;
        if (live)
        {
            if (t.BatchSize > MaxBatchSize) return -Errno.E2BIG;
        }
        else if (t.BatchSize != 0)
        {
            return -Errno.EINVAL;
        }
        int err = ContextIn(t, XdpMdLayout.Size, out byte[]? ctx);
        if (err < 0) return err;
        if (ctx is not null)
        {
            err = XdpTestRun.CheckContext(ctx, t.DataSizeIn);
            if (err < 0) return err;
            if (live && (t.DataOut != 0 || t.CtxOut != 0)) return -Errno.EINVAL;
        }
        var data = new byte[t.DataSizeIn];
        fixed (byte* p = data)
        {
            if (UserMemory.CopyFrom(t.DataIn, p, t.DataSizeIn) < 0) return -Errno.EFAULT;
        }
        err = XdpTestRun.Create(data, ctx, out XdpBuff? created);
        if (err < 0) return err;
        XdpBuff xdp = created!;
        try
        {
            var run = new RunContext { R1 = (ulong)xdp.Context, PossibleCpus = possibleCpus, XdpBuff = xdp };
            run.AddRegion(ContextRegion(xdp.Context, XdpBuff.ContextSize));
            uint retval, duration;
            if (live)
            {
                err = RunLive(program, run, data, ctx, t.Repeat, out duration);
                retval = 0;
            }
            else
            {
                err = Repeat(program, run, t.Repeat, out retval, out duration);
            }
            if (ctx is not null)
                XdpTestRun.ToUser(xdp, ctx);
            if (err < 0) return err;
            uint size = (uint)(xdp.MetaLength + xdp.Length + xdp.FragmentsLength);
            err = FinishData(ref attr, io, size, retval, duration, xdp.CopyTo, (uint)xdp.FragmentsLength);
            return err == 0 ? FinishContext(ref attr, io, ctx) : err;
        }
        finally
        {
            xdp.Dispose();
        }
    }

    // kernel: bpf_test_run_xdp_live. Every run gets a fresh copy of the frame; what the program does with it
    // (pass, transmit, redirect) has nowhere to go here, so the copies are dropped.
    private static int RunLive(LoadedProgram program, RunContext run, byte[] data, byte[]? ctx, uint repeat, out uint duration)
    {
        XdpBuff? current = null;
        try
        {
            return Repeat(program, run, repeat, out _, out duration, r =>
            {
                current?.Dispose();
                XdpTestRun.Create(data, ctx, out current);
                r.R1 = (ulong)current!.Context;
                r.ClearRegions();
                r.AddRegion(ContextRegion(current.Context, XdpBuff.ContextSize));
                r.XdpBuff = current;
            });
        }
        finally
        {
            current?.Dispose();
        }
    }
}
