using BpfSharp.Uapi;

namespace BpfSharp.Maps.RingBuf;

/// <summary>
/// BPF_MAP_TYPE_RINGBUF (kernel: kernel/bpf/ringbuf.c): a multi-producer, single-consumer ring of variable-size
/// records in native memory. Producers (programs on any number of threads, or the host) reserve a record under a
/// spin lock, write it in place and commit or discard it without a lock; the consumer sees records strictly in
/// reservation order, each once every earlier one is committed or discarded, and skips discarded ones.
/// </summary>
/// <remarks>
/// <para>The memory is laid out as the kernel's mmap of a ring buffer fd shows it (<see cref="RingBufArea"/>):
/// the consumer position alone on a page, the producer position alone on the next, then the data pages mapped
/// twice. Records are <c>struct bpf_ringbuf_hdr</c> + data, 8-byte aligned (<see cref="RingBufRecordHeader"/>).</para>
/// <para>Commits wake the consumer through <see cref="RingBufAreaMap.WaitQueue"/> only when it has caught up to the committed
/// record (self-pacing), unless BPF_RB_NO_WAKEUP or BPF_RB_FORCE_WAKEUP say otherwise. One consumer at a time
/// (<see cref="TryAttachConsumer"/>): the ring has one consumer position.</para>
/// <para>No element commands: lookup, update, delete and get_next_key are -ENOTSUPP, as in the kernel.</para>
/// </remarks>
public sealed unsafe class RingBufMap : RingBufAreaMap
{
    private int _consumerAttached;

    private RingBufMap(MapAttributes attributes, MapContext context, RingBufArea area) : base(attributes, context, area)
    {
    }

    /// <summary>
    /// kernel: ringbuf_map_alloc. -EINVAL for flags other than BPF_F_NUMA_NODE, a key or value size, or a
    /// max_entries that is not a power of 2 and a multiple of the page size; -ENOMEM.
    /// </summary>
    internal static int TryCreate(MapAttributes attributes, MapContext context, out Map? map) =>
        TryCreate(attributes, context, doubleMap: true, out map);

    /// <summary>As <see cref="TryCreate(MapAttributes, MapContext, out Map?)"/>; <paramref name="doubleMap"/> false forces the copying fallback.</summary>
    internal static int TryCreate(MapAttributes attributes, MapContext context, bool doubleMap, out Map? map)
    {
        int err = TryCreateArea(attributes, context, doubleMap, out RingBufArea? area);
        map = err < 0 ? null : new RingBufMap(attributes, context, area!);
        return err;
    }

    /// <summary>Claims the ring for one consumer: false if another consumer holds it.</summary>
    public bool TryAttachConsumer() => Interlocked.CompareExchange(ref _consumerAttached, 1, 0) == 0;

    /// <summary>Lets another consumer attach.</summary>
    public void DetachConsumer() => Volatile.Write(ref _consumerAttached, 0);

    /// <summary>
    /// bpf_ringbuf_reserve: <paramref name="size"/> bytes for a record, or null at once if the ring has no room
    /// (or the size is over RINGBUF_MAX_RECORD_SZ or the ring). Commit it with <see cref="Submit"/> or <see cref="Discard"/>.
    /// </summary>
    public byte* Reserve(ulong size) => Area.Reserve(size);

    /// <summary>bpf_ringbuf_submit of a record this ring reserved: visible to the consumer once every earlier record is committed.</summary>
    public void Submit(byte* sample, ulong flags = 0) => Commit(sample, flags, discard: false);

    /// <summary>bpf_ringbuf_discard of a record this ring reserved: the consumer skips it.</summary>
    public void Discard(byte* sample, ulong flags = 0) => Commit(sample, flags, discard: true);

    private void Commit(byte* sample, ulong flags, bool discard)
    {
        if (RingBufArea.Commit(sample, flags, discard, out _)) WaitQueue.Wake();
    }

    /// <summary>
    /// bpf_ringbuf_output: reserves, copies <paramref name="data"/> in and submits with <paramref name="flags"/>.
    /// -EINVAL for flags other than BPF_RB_NO_WAKEUP and BPF_RB_FORCE_WAKEUP, -EAGAIN when the ring is full.
    /// </summary>
    public int Output(ReadOnlySpan<byte> data, ulong flags = 0)
    {
        if ((flags & ~(RingBufFlags.BPF_RB_NO_WAKEUP | RingBufFlags.BPF_RB_FORCE_WAKEUP)) != 0) return -Errno.EINVAL;
        byte* record = Reserve((ulong)data.Length);
        if (record == null) return -Errno.EAGAIN;
        data.CopyTo(new Span<byte>(record, data.Length));
        Submit(record, flags);
        return 0;
    }

    /// <summary>bpf_ringbuf_query: BPF_RB_AVAIL_DATA, BPF_RB_RING_SIZE, BPF_RB_CONS_POS, BPF_RB_PROD_POS; 0 for anything else.</summary>
    public ulong Query(ulong flags) => flags switch
    {
        RingBufFlags.BPF_RB_AVAIL_DATA => AvailableData,
        RingBufFlags.BPF_RB_RING_SIZE => DataSize,
        RingBufFlags.BPF_RB_CONS_POS => ConsumerPosition,
        RingBufFlags.BPF_RB_PROD_POS => ProducerPosition,
        _ => 0,
    };

    /// <summary>
    /// Commits a record reserved from any ring (the helpers get only the record pointer): true if the ring's
    /// consumer should be woken; <paramref name="mapHandle"/> is the owning map's handle, to find the map by.
    /// </summary>
    internal static bool CommitRecord(byte* sample, ulong flags, bool discard, out nint mapHandle) =>
        RingBufArea.Commit(sample, flags, discard, out mapHandle);

    /// <summary>True if <paramref name="sample"/> points at the data of a record header inside this ring's first data mapping.</summary>
    internal bool IsRecord(ulong sample) =>
        sample >= (ulong)Area.Data + RingBufRecordHeader.Size && sample < (ulong)Area.Data + DataSize + RingBufRecordHeader.Size
        && (sample & 7) == 0;
}
