using System.Runtime.InteropServices;
using BpfSharp.Uapi;

namespace BpfSharp.Maps.RingBuf;

/// <summary>
/// The memory of one ring buffer (kernel: <c>struct bpf_ringbuf</c> and bpf_ringbuf_area_alloc), laid out as the
/// kernel lays it out: a private control page, the consumer page, the producer page, then the data pages
/// mapped twice back to back, so a record that wraps past the end is still one contiguous span.
/// </summary>
/// <remarks>
/// On Linux the data pages are a memfd mapped twice with mmap (<see cref="IsDoubleMapped"/>). Elsewhere, or if
/// that fails, the area is one allocation with room for the data twice: a record that wraps is written
/// contiguously past the end, and its commit copies the part past the end to the start of the data, so both
/// layouts hold the same bytes at <c>data[pos &amp; mask]</c> (the copying fallback).
/// The control page keeps what commit and reserve need from a record pointer alone: the mask, the map's
/// handle (for wakeups), the reservation spin lock and pending_pos.
/// </remarks>
internal sealed unsafe class RingBufArea
{
    /// <summary>Pages before the data: control, consumer, producer (kernel: RINGBUF_NR_META_PAGES with RINGBUF_PGOFF 1).</summary>
    public const int MetaPages = 3;

    [StructLayout(LayoutKind.Explicit)]
    private struct Control
    {
        [FieldOffset(0)] public ulong Mask;
        [FieldOffset(8)] public nint MapHandle;
        [FieldOffset(16)] public int Mirrored;
        [FieldOffset(64)] public uint Lock; // kernel: rb->spinlock, on its own cache line
        [FieldOffset(72)] public ulong PendingPos; // kernel: rb->pending_pos, guarded by the lock
    }

    private static readonly int PageShift = System.Numerics.BitOperations.Log2((uint)Environment.SystemPageSize);
    private static readonly nuint PageSize = (nuint)Environment.SystemPageSize;

    private readonly byte* _base;
    private readonly nuint _mappedLength;
    private int _freed;

    private RingBufArea(byte* baseAddress, nuint mappedLength, ulong dataSize, bool doubleMapped)
    {
        _base = baseAddress;
        _mappedLength = mappedLength;
        DataSize = dataSize;
        IsDoubleMapped = doubleMapped;
        Ctl->Mask = dataSize - 1;
        Ctl->Mirrored = doubleMapped ? 0 : 1;
    }

    private Control* Ctl => (Control*)_base;

    /// <summary>The data area's size (max_entries), a power of 2 and a multiple of the page size.</summary>
    public ulong DataSize { get; }

    /// <summary>True if the data pages are mapped twice (memfd + mmap); false for the copying fallback.</summary>
    public bool IsDoubleMapped { get; }

    /// <summary>The start of the area (the control page).</summary>
    public byte* Base => _base;

    /// <summary>The consumer position (kernel: rb->consumer_pos, alone on its page).</summary>
    public ulong* ConsumerPos => (ulong*)(_base + PageSize);

    /// <summary>The producer position (kernel: rb->producer_pos, alone on its page).</summary>
    public ulong* ProducerPos => (ulong*)(_base + 2 * PageSize);

    /// <summary>The first data byte; <c>Data[i]</c> and <c>Data[DataSize + i]</c> are the same byte for a record.</summary>
    public byte* Data => _base + MetaPages * PageSize;

    /// <summary>The handle of the map that owns the ring (read back by commits to wake its consumer).</summary>
    public nint MapHandle
    {
        get => Ctl->MapHandle;
        set => Ctl->MapHandle = value;
    }

    /// <summary>Bytes charged for the area: the metadata pages and the data once (the second mapping shares its pages).</summary>
    public static ulong ChargeFor(ulong dataSize) => MetaPages * (ulong)PageSize + dataSize;

    /// <summary>Allocates an area for <paramref name="dataSize"/> data bytes; null if the memory is not there.</summary>
    /// <param name="dataSize">A power of 2 and a multiple of the page size.</param>
    /// <param name="doubleMap">Map the data twice where the system can; false forces the copying fallback.</param>
    public static RingBufArea? Create(ulong dataSize, bool doubleMap)
    {
        if (doubleMap && OperatingSystem.IsLinux())
        {
            RingBufArea? mapped = TryMapTwice(dataSize);
            if (mapped is not null) return mapped;
        }
        nuint length = (nuint)(MetaPages * (ulong)PageSize + 2 * dataSize);
        void* p;
        try
        {
            p = NativeMemory.AlignedAlloc(length, PageSize);
        }
        catch (OutOfMemoryException)
        {
            return null;
        }
        NativeMemory.Clear(p, length);
        return new RingBufArea((byte*)p, 0, dataSize, doubleMapped: false);
    }

    // A memfd of metadata + data, mapped once whole and then its data pages again right after.
    private static RingBufArea? TryMapTwice(ulong dataSize)
    {
        ulong meta = MetaPages * (ulong)PageSize;
        nuint total = (nuint)(meta + 2 * dataSize);
        int fd = RingBufNative.MemfdCreate("bpfsharp-ringbuf", RingBufNative.MFD_CLOEXEC);
        if (fd < 0) return null;
        try
        {
            if (RingBufNative.Ftruncate(fd, (long)(meta + dataSize)) != 0) return null;
            // Reserve the whole range first, so the two data mappings are adjacent.
            nint reserved = RingBufNative.Mmap(0, total, RingBufNative.PROT_NONE,
                RingBufNative.MAP_PRIVATE | RingBufNative.MAP_ANONYMOUS, -1, 0);
            if (reserved == RingBufNative.MAP_FAILED) return null;
            const int rw = RingBufNative.PROT_READ | RingBufNative.PROT_WRITE;
            const int shared = RingBufNative.MAP_SHARED | RingBufNative.MAP_FIXED;
            nint first = RingBufNative.Mmap(reserved, (nuint)(meta + dataSize), rw, shared, fd, 0);
            nint second = first == RingBufNative.MAP_FAILED ? first
                : RingBufNative.Mmap(reserved + (nint)(meta + dataSize), (nuint)dataSize, rw, shared, fd, (long)meta);
            if (first == RingBufNative.MAP_FAILED || second == RingBufNative.MAP_FAILED)
            {
                RingBufNative.Munmap(reserved, total);
                return null;
            }
            return new RingBufArea((byte*)reserved, total, dataSize, doubleMapped: true); // a new memfd reads as zeros
        }
        finally
        {
            RingBufNative.Close(fd); // the mappings keep the memory
        }
    }

    /// <summary>Unmaps or frees the area. Only when no run, commit or reader can reach it any more.</summary>
    public void Free()
    {
        if (Interlocked.Exchange(ref _freed, 1) != 0) return;
        if (IsDoubleMapped) RingBufNative.Munmap((nint)_base, _mappedLength);
        else NativeMemory.AlignedFree(_base);
    }

    /// <summary>
    /// kernel: __bpf_ringbuf_reserve. Reserves <paramref name="size"/> bytes: the record's address (its header is
    /// busy until commit), or null at once if the size is too large or the ring has no room. The reservation is
    /// serialized by a spin lock held for a few stores; it never waits for space.
    /// </summary>
    public byte* Reserve(ulong size)
    {
        if (size > RingBufRecordHeader.MaxRecordSize) return null;
        ulong len = (size + RingBufRecordHeader.Size + 7) & ~7ul;
        if (len > DataSize) return null;
        Control* ctl = Ctl;
        ulong mask = ctl->Mask;
        byte* data = Data;
        ulong consPos = Volatile.Read(ref *ConsumerPos);
        SpinLock.Lock(&ctl->Lock);
        ulong pendPos = ctl->PendingPos;
        ulong prodPos = *ProducerPos;
        ulong newProdPos = prodPos + len;
        // Move pending_pos past every record committed since: the oldest busy record bounds the ring's reach.
        while (pendPos < prodPos)
        {
            uint hdrLen = Volatile.Read(ref *(uint*)(data + (pendPos & mask)));
            if ((hdrLen & RingBufRecordHeader.BusyBit) != 0) break;
            pendPos += RingBufRecordHeader.SpaceFor(hdrLen);
        }
        ctl->PendingPos = pendPos;
        // Out of space: the producer may not get more than mask ahead of the consumer or of the oldest busy record.
        if (newProdPos - consPos > mask || newProdPos - pendPos > mask)
        {
            SpinLock.Unlock(&ctl->Lock);
            return null;
        }
        byte* hdr = data + (prodPos & mask);
        ((uint*)hdr)[1] = (uint)((ulong)(hdr - _base) >> PageShift); // pg_off
        ((uint*)hdr)[0] = (uint)size | RingBufRecordHeader.BusyBit;
        Volatile.Write(ref *ProducerPos, newProdPos); // pairs with the consumer's acquire of producer_pos
        SpinLock.Unlock(&ctl->Lock);
        return hdr + RingBufRecordHeader.Size;
    }

    /// <summary>
    /// kernel: bpf_ringbuf_commit. Submits (or discards) the record at <paramref name="sample"/>, lock-free: clears the
    /// busy bit (and sets the discard bit) with one atomic exchange. Returns true if the consumer should be woken:
    /// always with BPF_RB_FORCE_WAKEUP, never with BPF_RB_NO_WAKEUP, otherwise only if the consumer has caught up to
    /// this record (self-pacing). <paramref name="mapHandle"/> is the owning map's handle, read from the ring.
    /// </summary>
    /// <remarks>Only for a pointer <see cref="Reserve"/> returned and not yet committed: the ring is found from its header.</remarks>
    public static bool Commit(byte* sample, ulong flags, bool discard, out nint mapHandle)
    {
        byte* hdr = sample - RingBufRecordHeader.Size;
        uint pgOff = ((uint*)hdr)[1];
        byte* rb = (byte*)(((nuint)hdr & ~(PageSize - 1)) - ((nuint)pgOff << PageShift)); // bpf_ringbuf_restore_from_rec
        Control* ctl = (Control*)rb;
        byte* data = rb + MetaPages * PageSize;
        ulong mask = ctl->Mask;
        uint len = ((uint*)hdr)[0];
        uint newLen = len ^ RingBufRecordHeader.BusyBit;
        if (discard) newLen |= RingBufRecordHeader.DiscardBit;
        ulong recPos = (ulong)(hdr - data);
        if (ctl->Mirrored != 0)
        {
            // The copying fallback: the part written past the end belongs at the start of the data.
            ulong end = recPos + RingBufRecordHeader.Size + (len & ~RingBufRecordHeader.BusyBit);
            if (end > mask + 1)
                Buffer.MemoryCopy(data + mask + 1, data, (long)(end - mask - 1), (long)(end - mask - 1));
        }
        Interlocked.Exchange(ref *(uint*)hdr, newLen); // a full barrier: the record, then the consumer position
        mapHandle = ctl->MapHandle;
        ulong consPos = Volatile.Read(ref *(ulong*)(rb + PageSize)) & mask;
        if ((flags & RingBufFlags.BPF_RB_FORCE_WAKEUP) != 0) return true;
        return consPos == recPos && (flags & RingBufFlags.BPF_RB_NO_WAKEUP) == 0;
    }

    /// <summary>kernel: ringbuf_avail_data_sz: producer position minus consumer position.</summary>
    public ulong AvailableData
    {
        get
        {
            ulong cons = Volatile.Read(ref *ConsumerPos);
            ulong prod = Volatile.Read(ref *ProducerPos);
            return prod - cons;
        }
    }
}
