using BpfSharp.Uapi;

namespace BpfSharp.Maps.RingBuf;

/// <summary>
/// BPF_MAP_TYPE_USER_RINGBUF (kernel: kernel/bpf/ringbuf.c, user_ringbuf_map_ops): a ring of variable-size records
/// that user space produces and programs consume with bpf_user_ringbuf_drain. The memory is laid out as for
/// <see cref="RingBufMap"/> (consumer page, producer page, data pages mapped twice), with the roles swapped: user
/// space owns the producer position and the data (the kernel lets them be mapped writable), the kernel side owns the
/// consumer position (mapped read-only in user space). Records are <c>struct bpf_ringbuf_hdr</c> + data, 8-byte
/// aligned, the busy bit set until the producer submits them.
/// </summary>
/// <remarks>
/// <para>Creation follows ringbuf_map_alloc (the same as a ring buffer's): -EINVAL for flags other than
/// BPF_F_NUMA_NODE, a key or value size, or a max_entries that is not a power of 2 and a multiple of the page size.
/// No element commands: lookup, update, delete and get_next_key are -ENOTSUPP.</para>
/// <para>Everything the kernel reads from user-space memory is checked before it is trusted (kernel:
/// __bpf_user_ringbuf_peek): an unaligned producer position, or a record longer than what the producer advertised,
/// than the ring or than a dynptr can hold, ends a drain with an error. One drain at a time (the kernel's busy bit):
/// a concurrent drain gets -EBUSY.</para>
/// <para>Drains that consume samples wake <see cref="RingBufAreaMap.WaitQueue"/> (producers waiting for room), unless
/// BPF_RB_NO_WAKEUP; BPF_RB_FORCE_WAKEUP always wakes it.</para>
/// </remarks>
public sealed unsafe class UserRingBufMap : RingBufAreaMap
{
    /// <summary>BPF_MAX_USER_RINGBUF_SAMPLES: the most samples one bpf_user_ringbuf_drain call handles (128 Ki).</summary>
    public const int MaxSamplesPerDrain = 128 * 1024;

    private int _busy; // kernel: rb->busy, held across a drain's callbacks
    private int _producerAttached;

    private UserRingBufMap(MapAttributes attributes, MapContext context, RingBufArea area) : base(attributes, context, area)
    {
    }

    /// <summary>
    /// kernel: ringbuf_map_alloc for user_ringbuf_map_ops. -EINVAL for flags other than BPF_F_NUMA_NODE, a key or
    /// value size, or a max_entries that is not a power of 2 and a multiple of the page size; -ENOMEM.
    /// </summary>
    internal static int TryCreate(MapAttributes attributes, MapContext context, out Map? map) =>
        TryCreate(attributes, context, doubleMap: true, out map);

    /// <summary>As <see cref="TryCreate(MapAttributes, MapContext, out Map?)"/>; <paramref name="doubleMap"/> false forces the copying fallback.</summary>
    internal static int TryCreate(MapAttributes attributes, MapContext context, bool doubleMap, out Map? map)
    {
        int err = TryCreateArea(attributes, context, doubleMap, out RingBufArea? area);
        map = err < 0 ? null : new UserRingBufMap(attributes, context, area!);
        return err;
    }

    /// <summary>
    /// True if a producer has room to write (kernel: ringbuf_map_poll_user's EPOLLOUT): fewer bytes are outstanding
    /// than the ring holds.
    /// </summary>
    public bool HasRoom => AvailableData < DataSize;

    /// <summary>Claims the ring for one producer: false if another producer holds it (the producer position is one).</summary>
    public bool TryAttachProducer() => Interlocked.CompareExchange(ref _producerAttached, 1, 0) == 0;

    /// <summary>Lets another producer attach.</summary>
    public void DetachProducer() => Volatile.Write(ref _producerAttached, 0);

    /// <summary>Takes the ring's busy bit for one drain: false (-EBUSY) if another drain holds it.</summary>
    internal bool TryBeginDrain() => Interlocked.CompareExchange(ref _busy, 1, 0) == 0;

    /// <summary>Drops the busy bit after every consumer position store, and wakes producers as the flags say.</summary>
    internal void EndDrain(long samples, ulong flags)
    {
        Volatile.Write(ref _busy, 0);
        if ((flags & RingBufFlags.BPF_RB_FORCE_WAKEUP) != 0
            || ((flags & RingBufFlags.BPF_RB_NO_WAKEUP) == 0 && samples > 0))
            WaitQueue.Wake();
    }

    /// <summary>
    /// kernel: __bpf_user_ringbuf_peek. The next sample at the consumer position: 0 with its address and length;
    /// -ENODATA if none is there or it is still busy; -EAGAIN if it was discarded (the consumer position moved past
    /// it); -EINVAL for an unaligned producer position or a record past it; -E2BIG for a record larger than the ring
    /// or than a dynptr holds.
    /// </summary>
    internal int Peek(out byte* sample, out uint size)
    {
        sample = null;
        size = 0;
        ulong prod = Volatile.Read(ref *Area.ProducerPos); // pairs with the producer's release of producer_pos
        if (prod % 8 != 0) return -Errno.EINVAL;
        ulong cons = Volatile.Read(ref *Area.ConsumerPos);
        if (cons >= prod) return -Errno.ENODATA;
        ulong mask = Area.DataSize - 1;
        byte* hdr = Area.Data + (cons & mask);
        uint hdrLen = Volatile.Read(ref *(uint*)hdr); // pairs with the producer's release of the header
        uint flags = hdrLen & (RingBufRecordHeader.BusyBit | RingBufRecordHeader.DiscardBit);
        uint sampleLen = hdrLen & ~flags;
        ulong total = RingBufRecordHeader.SpaceFor(sampleLen);
        if (total > prod - cons) return -Errno.EINVAL;
        if (total > Area.DataSize) return -Errno.E2BIG;
        if (sampleLen > Runtime.Helpers.DynptrKern.MaxSize) return -Errno.E2BIG;
        if ((flags & RingBufRecordHeader.DiscardBit) != 0)
        {
            Volatile.Write(ref *Area.ConsumerPos, cons + total);
            return -Errno.EAGAIN;
        }
        if ((flags & RingBufRecordHeader.BusyBit) != 0) return -Errno.ENODATA;
        sample = Area.Data + ((cons + RingBufRecordHeader.Size) & mask);
        size = sampleLen;
        return 0;
    }

    /// <summary>kernel: __bpf_user_ringbuf_sample_release: moves the consumer position past a sample of <paramref name="size"/> bytes.</summary>
    internal void ReleaseSample(uint size)
    {
        ulong cons = *Area.ConsumerPos; // only the drain holding the busy bit writes it
        Volatile.Write(ref *Area.ConsumerPos, cons + RingBufRecordHeader.SpaceFor(size));
    }
}
