using BpfSharp.Uapi;

namespace BpfSharp.Maps.RingBuf;

/// <summary>
/// What the two ring buffer map types share (kernel: kernel/bpf/ringbuf.c, one <c>struct bpf_ringbuf</c> for both):
/// creation (ringbuf_map_alloc) and the memory an mmap of the map shows (<see cref="RingBufArea"/>): the consumer
/// position alone on a page, the producer position alone on the next, then the data pages mapped twice.
/// <see cref="RingBufMap"/> is produced by programs and consumed by user space, <see cref="UserRingBufMap"/> the
/// other way round.
/// </summary>
public abstract unsafe class RingBufAreaMap : Map
{
    private const uint CreateFlagMask = MapFlags.BPF_F_NUMA_NODE; // kernel: RINGBUF_CREATE_FLAG_MASK

    private protected RingBufAreaMap(MapAttributes attributes, MapContext context, RingBufArea area) : base(attributes, context)
    {
        Area = area;
        area.MapHandle = Handle;
    }

    private protected RingBufArea Area { get; }

    /// <summary>
    /// kernel: ringbuf_map_alloc. -EINVAL for flags other than BPF_F_NUMA_NODE, a key or value size, or a max_entries
    /// that is not a power of 2 and a multiple of the page size; -ENOMEM. <paramref name="doubleMap"/> false forces
    /// the copying fallback.
    /// </summary>
    private protected static int TryCreateArea(MapAttributes attributes, MapContext context, bool doubleMap, out RingBufArea? area)
    {
        area = null;
        uint size = attributes.MaxEntries;
        if ((attributes.Flags & ~CreateFlagMask) != 0 || attributes.KeySize != 0 || attributes.ValueSize != 0
            || size == 0 || (size & (size - 1)) != 0 || size % (uint)Environment.SystemPageSize != 0)
            return -Errno.EINVAL;
        long charge = (long)RingBufArea.ChargeFor(size);
        if (!context.TryCharge(charge)) return -Errno.ENOMEM;
        area = RingBufArea.Create(size, doubleMap);
        if (area is null)
        {
            context.Uncharge(charge);
            return -Errno.ENOMEM;
        }
        return 0;
    }

    /// <summary>Who is woken when the other side has work: committed records (ring buffer), freed room (user ring buffer).</summary>
    public RingBufWaitQueue WaitQueue { get; } = new();

    /// <summary>The data area's size in bytes (max_entries).</summary>
    public ulong DataSize => Area.DataSize;

    /// <summary>True if the data pages are mapped twice (Linux memfd + mmap); false for the copying fallback.</summary>
    public bool IsDoubleMapped => Area.IsDoubleMapped;

    /// <summary>The consumer position's address (the first page of the kernel's mmap layout).</summary>
    public nint ConsumerPositionAddress => (nint)Area.ConsumerPos;

    /// <summary>The producer position's address (the second page of the kernel's mmap layout).</summary>
    public nint ProducerPositionAddress => (nint)Area.ProducerPos;

    /// <summary>The first data byte; the data follows itself once more, so <c>DataSize</c> bytes from any record start are mapped.</summary>
    public nint DataAddress => (nint)Area.Data;

    /// <summary>The consumer position: bytes consumed (discarded records included) since creation (BPF_RB_CONS_POS).</summary>
    public ulong ConsumerPosition => Volatile.Read(ref *Area.ConsumerPos);

    /// <summary>The producer position: bytes reserved since creation (BPF_RB_PROD_POS).</summary>
    public ulong ProducerPosition => Volatile.Read(ref *Area.ProducerPos);

    /// <summary>Bytes produced and not yet consumed (BPF_RB_AVAIL_DATA, ringbuf_avail_data_sz), busy records included.</summary>
    public ulong AvailableData => Area.AvailableData;

    /// <summary>No element has an address (kernel: ringbuf_map_lookup_elem is -ENOTSUPP; the verifier keeps programs from calling it).</summary>
    public override byte* LookupElem(byte* key, int cpu) => null;

    /// <summary>kernel: ringbuf_map_update_elem: -ENOTSUPP.</summary>
    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu) => -Errno.ENOTSUPP;

    /// <summary>kernel: ringbuf_map_delete_elem: -ENOTSUPP.</summary>
    public override int DeleteElem(byte* key) => -Errno.ENOTSUPP;

    /// <summary>kernel: ringbuf_map_get_next_key: -ENOTSUPP.</summary>
    public override int GetNextKey(byte* key, byte* nextKey) => -Errno.ENOTSUPP;

    /// <summary>MAP_LOOKUP_ELEM: -ENOTSUPP (the kernel's lookup returns ERR_PTR(-ENOTSUPP)).</summary>
    public override int SysLookup(byte* key, byte* value, ulong flags) => -Errno.ENOTSUPP;

    /// <summary>MAP_LOOKUP_AND_DELETE_ELEM: -ENOTSUPP.</summary>
    public override int SysLookupAndDelete(byte* key, byte* value, ulong flags) => -Errno.ENOTSUPP;

    /// <summary>Frees the ring once no run can still reach it (commit into it, or drain it).</summary>
    protected override void Free()
    {
        RingBufArea area = Area;
        MapContext context = Context;
        long charge = (long)RingBufArea.ChargeFor(area.DataSize);
        Context.Epochs.Defer(() =>
        {
            area.Free();
            context.Uncharge(charge);
        });
        base.Free();
    }
}
