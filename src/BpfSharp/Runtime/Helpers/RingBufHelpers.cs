using BpfSharp.Maps;
using BpfSharp.Maps.RingBuf;
using BpfSharp.Memory;
using BpfSharp.Uapi;
using static BpfSharp.Runtime.Helpers.BpfFunc;
using static BpfSharp.Runtime.Helpers.HelperArgs;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// The ring buffer helpers (kernel/bpf/ringbuf.c): bpf_ringbuf_output, bpf_ringbuf_reserve, bpf_ringbuf_submit,
/// bpf_ringbuf_discard and bpf_ringbuf_query over <see cref="RingBufMap"/>, and their dynptr forms
/// bpf_ringbuf_reserve_dynptr, bpf_ringbuf_submit_dynptr and bpf_ringbuf_discard_dynptr (the record in a ring buffer
/// dynptr, <see cref="DynptrKern"/>). The verifier makes sure a reserved record is submitted or discarded exactly once
/// on every path; checked mode tracks reserved records as run regions and faults on a pointer that is not one.
/// </summary>
public static unsafe class RingBufHelpers
{
    private const string RecordRegion = "ringbuf_mem";

    /// <summary>Registers the eight helpers under their kernel ids (130-134, 198-200).</summary>
    public static void Register(HelperRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(BPF_FUNC_ringbuf_output, Name(BPF_FUNC_ringbuf_output), RingbufOutput)
            .Register(BPF_FUNC_ringbuf_reserve, Name(BPF_FUNC_ringbuf_reserve), RingbufReserve)
            .Register(BPF_FUNC_ringbuf_submit, Name(BPF_FUNC_ringbuf_submit), RingbufSubmit)
            .Register(BPF_FUNC_ringbuf_discard, Name(BPF_FUNC_ringbuf_discard), RingbufDiscard)
            .Register(BPF_FUNC_ringbuf_query, Name(BPF_FUNC_ringbuf_query), RingbufQuery)
            .Register(BPF_FUNC_ringbuf_reserve_dynptr, Name(BPF_FUNC_ringbuf_reserve_dynptr), RingbufReserveDynptr)
            .Register(BPF_FUNC_ringbuf_submit_dynptr, Name(BPF_FUNC_ringbuf_submit_dynptr), RingbufSubmitDynptr)
            .Register(BPF_FUNC_ringbuf_discard_dynptr, Name(BPF_FUNC_ringbuf_discard_dynptr), RingbufDiscardDynptr);
    }

    /// <summary>long bpf_ringbuf_output(ringbuf, data, size, flags): 0, -EINVAL (flags) or -EAGAIN (full).</summary>
    public static ulong RingbufOutput(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        RingBufMap ring = Ring(run, r1);
        run.CheckAccess(r2, r3, AccessKind.Load);
        if (r3 > int.MaxValue) return Errno(-Uapi.Errno.EAGAIN); // over RINGBUF_MAX_RECORD_SZ or any ring
        return Errno(ring.Output(new ReadOnlySpan<byte>((void*)r2, (int)r3), r4));
    }

    /// <summary>void *bpf_ringbuf_reserve(ringbuf, size, flags): the record, or NULL (non-zero flags, no room).</summary>
    public static ulong RingbufReserve(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        RingBufMap ring = Ring(run, r1);
        if (r3 != 0) return 0;
        byte* record = ring.Reserve(r2);
        if (record != null && run.IsChecked)
            run.AddRunRegion(new MemoryRegion((nint)record, (long)r2, writable: true, RecordRegion));
        return (ulong)record;
    }

    /// <summary>void bpf_ringbuf_submit(data, flags): commits the record.</summary>
    public static ulong RingbufSubmit(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        Commit(run, r1, r2, discard: false);

    /// <summary>void bpf_ringbuf_discard(data, flags): discards the record.</summary>
    public static ulong RingbufDiscard(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        Commit(run, r1, r2, discard: true);

    /// <summary>u64 bpf_ringbuf_query(ringbuf, flags): BPF_RB_AVAIL_DATA, _RING_SIZE, _CONS_POS, _PROD_POS; else 0.</summary>
    public static ulong RingbufQuery(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        Ring(run, r1).Query(r2);

    /// <summary>
    /// long bpf_ringbuf_reserve_dynptr(ringbuf, size, flags, ptr): a ring buffer dynptr over a new record of <c>size</c>
    /// (u32) bytes; 0, or -EINVAL (flags), -E2BIG (size past 16 MiB - 1) or -EINVAL (no room), the dynptr then null
    /// (it must still be submitted or discarded).
    /// </summary>
    public static ulong RingbufReserveDynptr(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        RingBufMap ring = Ring(run, r1);
        byte* ptr = (byte*)r4;
        uint size = (uint)r2;
        run.CheckAccess(r4, DynptrKern.Size, AccessKind.Store);
        int err = r3 != 0 ? -Uapi.Errno.EINVAL : DynptrKern.CheckSize(size);
        byte* record = err == 0 ? ring.Reserve(size) : null;
        if (err == 0 && record == null)
            err = -Uapi.Errno.EINVAL; // not -EAGAIN as bpf_ringbuf_output's
        if (err != 0)
        {
            DynptrKern.SetNull(ptr);
            return Errno(err);
        }
        if (run.IsChecked)
            run.AddRunRegion(new MemoryRegion((nint)record, size, writable: true, RecordRegion));
        DynptrKern.Init(ptr, record, BpfDynptrType.Ringbuf, 0, size);
        return 0;
    }

    /// <summary>void bpf_ringbuf_submit_dynptr(ptr, flags): commits the dynptr's record (none for a null dynptr) and nulls it.</summary>
    public static ulong RingbufSubmitDynptr(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        CommitDynptr(run, r1, r2, discard: false);

    /// <summary>void bpf_ringbuf_discard_dynptr(ptr, flags): discards the dynptr's record (none for a null dynptr) and nulls it.</summary>
    public static ulong RingbufDiscardDynptr(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        CommitDynptr(run, r1, r2, discard: true);

    private static ulong CommitDynptr(RunContext run, ulong dynptr, ulong flags, bool discard)
    {
        byte* ptr = (byte*)dynptr;
        run.CheckAccess(dynptr, DynptrKern.Size, AccessKind.Store);
        byte* record = DynptrKern.Data(ptr);
        if (record == null)
            return 0;
        Commit(run, (ulong)record, flags, discard);
        DynptrKern.SetNull(ptr);
        return 0;
    }

    private static ulong Commit(RunContext run, ulong sample, ulong flags, bool discard)
    {
        if (run.IsChecked) ForgetRecord(run, sample);
        if (RingBufMap.CommitRecord((byte*)sample, flags, discard, out nint handle) && run.Maps?.Resolve((ulong)handle) is RingBufMap ring)
            ring.WaitQueue.Wake();
        return 0;
    }

    // Checked mode: the pointer must be a record this run reserved and has not committed.
    private static void ForgetRecord(RunContext run, ulong sample)
    {
        ReadOnlySpan<MemoryRegion> regions = run.RunRegions;
        for (int i = regions.Length - 1; i >= 0; i--)
        {
            if ((ulong)regions[i].Start == sample && regions[i].Name == RecordRegion)
            {
                run.RemoveRunRegion(regions[i]);
                return;
            }
        }
        throw run.HelperFault($"0x{sample:x} is not a ring buffer record reserved by this run and not yet submitted or discarded");
    }

    private static RingBufMap Ring(RunContext run, ulong handle) =>
        Map(run, handle) as RingBufMap ?? throw run.HelperFault($"0x{handle:x} is not a ring buffer map");
}
