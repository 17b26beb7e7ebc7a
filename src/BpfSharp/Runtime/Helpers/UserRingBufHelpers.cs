using BpfSharp.Maps.RingBuf;
using BpfSharp.Memory;
using BpfSharp.Uapi;
using static BpfSharp.Runtime.Helpers.BpfFunc;
using static BpfSharp.Runtime.Helpers.HelperArgs;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// The user ring buffer helper (kernel/bpf/ringbuf.c): bpf_user_ringbuf_drain over <see cref="UserRingBufMap"/>. Each
/// sample is handed to the program's callback as a local dynptr (<see cref="DynptrKern"/>) over the sample in place;
/// the verifier lets the callback only read through it (CONST_PTR_TO_DYNPTR).
/// </summary>
public static unsafe class UserRingBufHelpers
{
    private const string SampleRegion = "user_ringbuf sample";
    private const string DynptrRegion = "user_ringbuf dynptr";

    /// <summary>Registers bpf_user_ringbuf_drain under its kernel id (209).</summary>
    public static void Register(HelperRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(BPF_FUNC_user_ringbuf_drain, Name(BPF_FUNC_user_ringbuf_drain), UserRingbufDrain);
    }

    /// <summary>
    /// long bpf_user_ringbuf_drain(map, callback_fn, ctx, flags): calls <c>callback_fn(dynptr, ctx)</c> for each
    /// submitted sample in order, skipping discarded ones, until none is left, the callback returns non-zero, or
    /// <see cref="UserRingBufMap.MaxSamplesPerDrain"/> records were consumed. Returns the number of samples handed
    /// to the callback; -EINVAL for flags other than BPF_RB_NO_WAKEUP and BPF_RB_FORCE_WAKEUP, -EBUSY while another
    /// drain runs, and the errors of a malformed record (-EINVAL, -E2BIG), the samples drained before it consumed.
    /// </summary>
    public static ulong UserRingbufDrain(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        UserRingBufMap ring = Map(run, r1) as UserRingBufMap ?? throw run.HelperFault($"0x{r1:x} is not a user ring buffer map");
        CheckCallback(run, r2);
        CheckStackOrNull(run, r3);
        if ((r4 & ~(RingBufFlags.BPF_RB_NO_WAKEUP | RingBufFlags.BPF_RB_FORCE_WAKEUP)) != 0)
            return Errno(-Uapi.Errno.EINVAL);
        if (!ring.TryBeginDrain())
            return Errno(-Uapi.Errno.EBUSY);
        byte* dynptr = stackalloc byte[DynptrKern.Size];
        bool isChecked = run.IsChecked;
        var dynptrRegion = new MemoryRegion((nint)dynptr, DynptrKern.Size, writable: false, DynptrRegion);
        if (isChecked)
            run.AddRunRegion(dynptrRegion);
        long samples = 0, discarded = 0, ret = 0;
        try
        {
            // kernel: the loop runs while the callback returned 0; a discarded record counts as a sample, then not
            for (; samples < UserRingBufMap.MaxSamplesPerDrain && ret == 0; samples++)
            {
                int err = ring.Peek(out byte* sample, out uint size);
                if (err == -Uapi.Errno.ENODATA)
                    break;
                if (err == -Uapi.Errno.EAGAIN)
                {
                    discarded++;
                    continue;
                }
                if (err != 0)
                    return Errno(err);
                DynptrKern.Init(dynptr, sample, BpfDynptrType.Local, 0, size);
                var sampleRegion = new MemoryRegion((nint)sample, size, writable: true, SampleRegion);
                if (isChecked)
                    run.AddRunRegion(sampleRegion);
                try
                {
                    ret = (long)run.InvokeCallback(r2, (ulong)dynptr, r3, 0, 0, 0);
                }
                finally
                {
                    if (isChecked)
                        run.RemoveRunRegion(sampleRegion);
                }
                ring.ReleaseSample(size);
                if (run.IsExitRequested)
                    return 0;
            }
            return (ulong)(samples - discarded);
        }
        finally
        {
            if (isChecked)
                run.RemoveRunRegion(dynptrRegion);
            ring.EndDrain(samples, r4);
        }
    }
}
