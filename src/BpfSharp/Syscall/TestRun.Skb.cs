using BpfSharp.Memory;
using BpfSharp.ProgramTypes;
using BpfSharp.Runtime;
using BpfSharp.Uapi;

namespace BpfSharp.Syscall;

// kernel: bpf_prog_test_run_skb (socket filter, tc, cgroup/skb, lwt).
internal static unsafe partial class TestRun
{
    /// <summary>
    /// The skb test run: no flags, cpu or batch_size (-EINVAL); data_in of 14 to <see cref="SkBuffTestRun.MaxDataSize"/>
    /// bytes (-EINVAL) received on loopback; ctx_in / ctx_out a <c>struct __sk_buff</c> (<see cref="SkBuffTestRun"/>);
    /// the runs share one skb; data_out gets the packet with its Ethernet header (zeroed for the types that do not see it).
    /// </summary>
    private static int RunSkb(LoadedProgram program, ref BpfAttr attr, AttrOut io, int possibleCpus)
    {
        TestRunAttr t = attr.TestRun;
        if (t.Flags != 0 || t.Cpu != 0 || t.BatchSize != 0) return -Errno.EINVAL;
        int err = SkBuffTestRun.CheckDataSize(t.DataSizeIn);
        if (err < 0) return err;
        var data = new byte[t.DataSizeIn];
        fixed (byte* p = data)
        {
            if (UserMemory.CopyFrom(t.DataIn, p, t.DataSizeIn) < 0) return -Errno.EFAULT;
        }
        err = ContextIn(t, SkBuffLayout.Size, out byte[]? ctx);
        if (err < 0) return err;
        err = SkBuffTestRun.Create(program.Type, data, ctx, out SkBuff? created);
        if (err < 0) return err;
        using SkBuff skb = created!;
        var run = new RunContext { R1 = (ulong)skb.Context, PossibleCpus = possibleCpus, SkBuff = skb };
        run.AddRegion(ContextRegion(skb.Context, SkBuff.ContextSize));
        err = Repeat(program, run, t.Repeat, out uint retval, out uint duration);
        if (err < 0) return err;
        SkBuffTestRun.Finish(program.Type, skb);
        if (ctx is not null)
            SkBuffTestRun.ToUser(skb, ctx);
        err = FinishData(ref attr, io, (uint)skb.Length, retval, duration, dest => Copy(skb.Packet, dest));
        return err == 0 ? FinishContext(ref attr, io, ctx) : err;
    }

    private static int Copy(ReadOnlySpan<byte> from, Span<byte> to)
    {
        int n = Math.Min(from.Length, to.Length);
        from[..n].CopyTo(to);
        return n;
    }
}
