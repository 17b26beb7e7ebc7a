using BpfSharp.Maps.RingBuf;
using BpfSharp.Memory;
using BpfSharp.Uapi;

namespace BpfSharp;

/// <summary>
/// A record reserved by <see cref="UserRingBufWriter.TryReserve(int, out UserRingBufSample)"/>: its bytes in place in
/// the ring, to fill and then hand to <see cref="UserRingBufWriter.Submit"/> or <see cref="UserRingBufWriter.Discard"/>
/// exactly once. Not valid after that.
/// </summary>
public readonly unsafe struct UserRingBufSample
{
    private readonly byte* _data;

    internal UserRingBufSample(byte* data, int length)
    {
        _data = data;
        Length = length;
    }

    /// <summary>The record's bytes in the ring (contiguous even when the record wraps around its end).</summary>
    public Span<byte> Data => new(_data, Length);

    /// <summary>The record's length in bytes, as reserved.</summary>
    public int Length { get; }

    /// <summary>False for the default value (no reservation).</summary>
    public bool IsValid => _data != null;

    internal byte* Address => _data;
}

/// <summary>
/// The user-space producer of a BPF_MAP_TYPE_USER_RINGBUF map, in the style of libbpf's <c>user_ring_buffer</c>
/// (user_ring_buffer__reserve, __reserve_blocking, __submit, __discard): records are reserved in order at the
/// producer position, written in place and submitted or discarded; programs consume them with
/// bpf_user_ringbuf_drain, in reservation order, each once every earlier one is submitted or discarded.
/// </summary>
/// <remarks>
/// <para>A reservation writes the record header (<c>struct bpf_ringbuf_hdr</c>: the length with
/// BPF_RINGBUF_BUSY_BIT set) at the producer position and moves the producer position (a release store) past the
/// header and data rounded up to 8 bytes. A submit clears the busy bit (an atomic exchange), a discard also sets
/// BPF_RINGBUF_DISCARD_BIT, so the drain skips the record. A record stays busy until then: the drain stops at it.</para>
/// <para>One producer per ring (a ring with another producer is refused). Reservations are serialized by a lock, so
/// the writer may be shared by threads; submits and discards may come from any thread in any order.
/// <see cref="Dispose"/> must not race with them.</para>
/// <para>The writer holds a reference to the map: the ring stays valid after its fd is closed, until Dispose.</para>
/// </remarks>
public sealed unsafe class UserRingBufWriter : IDisposable
{
    private readonly UserRingBufMap _ring;
    private readonly ulong* _consumerPos;
    private readonly ulong* _producerPos;
    private readonly byte* _data;
    private readonly ulong _mask;
    private readonly object _reserveLock = new();
    private readonly RingBufSignal _signal = new();
    private int _disposed;

    /// <summary>The producer of the user ring buffer <paramref name="map"/> (libbpf: user_ring_buffer__new).</summary>
    /// <exception cref="BpfException">The map is not a user ring buffer (EINVAL) or already has a producer (EBUSY).</exception>
    public UserRingBufWriter(BpfMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        int err = map.System.GetObject(map.Fd, out BpfObject? obj);
        if (err < 0) throw new BpfException(err, "user ring buffer");
        if (obj is not UserRingBufMap ring)
        {
            obj?.Release();
            throw new BpfException(-Errno.EINVAL, "user ring buffer", $"{map} is not a BPF_MAP_TYPE_USER_RINGBUF map");
        }
        if (!ring.TryAttachProducer())
        {
            ring.Release();
            throw new BpfException(-Errno.EBUSY, "user ring buffer", $"{map} already has a producer");
        }
        _ring = ring;
        _consumerPos = (ulong*)ring.ConsumerPositionAddress;
        _producerPos = (ulong*)ring.ProducerPositionAddress;
        _data = (byte*)ring.DataAddress;
        _mask = ring.DataSize - 1;
        ring.WaitQueue.Subscribe(_signal);
    }

    /// <summary>The ring's data size in bytes (max_entries).</summary>
    public ulong DataSize => _mask + 1;

    /// <summary>The producer position: bytes reserved since the ring was created.</summary>
    public ulong ProducerPosition => Volatile.Read(ref *_producerPos);

    /// <summary>The consumer position: bytes drained by programs since the ring was created.</summary>
    public ulong ConsumerPosition => Volatile.Read(ref *_consumerPos);

    /// <summary>Bytes free for new records now (a record of n bytes takes n + 8 rounded up to 8).</summary>
    public ulong AvailableBytes => DataSize - (ProducerPosition - ConsumerPosition);

    /// <summary>
    /// libbpf: user_ring_buffer__reserve. Reserves a record of <paramref name="size"/> bytes at the producer
    /// position without waiting: 0 and the record; -E2BIG if the size uses the header's flag bits or the record
    /// (header included, rounded up to 8) is larger than the ring; -ENOSPC if the ring has no room now.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The writer is disposed.</exception>
    public int TryReserve(int size, out UserRingBufSample sample)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        sample = default;
        uint len = (uint)size;
        if (size < 0 || (len & (RingBufRecordHeader.BusyBit | RingBufRecordHeader.DiscardBit)) != 0)
            return -Errno.E2BIG;
        ulong total = RingBufRecordHeader.SpaceFor(len);
        if (total > DataSize)
            return -Errno.E2BIG;
        lock (_reserveLock)
        {
            ulong cons = Volatile.Read(ref *_consumerPos); // pairs with the drain's release of consumer_pos
            ulong prod = *_producerPos;
            if (DataSize - (prod - cons) < total)
                return -Errno.ENOSPC;
            byte* hdr = _data + (prod & _mask);
            ((uint*)hdr)[0] = len | RingBufRecordHeader.BusyBit;
            ((uint*)hdr)[1] = 0;
            Volatile.Write(ref *_producerPos, prod + total); // pairs with the drain's acquire of producer_pos
            sample = new UserRingBufSample(_data + ((prod + RingBufRecordHeader.Size) & _mask), size);
            return 0;
        }
    }

    /// <summary>
    /// libbpf: user_ring_buffer__reserve_blocking. As <see cref="TryReserve(int, out UserRingBufSample)"/>, waiting
    /// up to <paramref name="millisecondsTimeout"/> (-1: no limit) for drains to free room: -ENOSPC if none came in
    /// time, -EINVAL for a negative timeout other than -1.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public int TryReserve(int size, int millisecondsTimeout, out UserRingBufSample sample, CancellationToken cancellationToken = default)
    {
        sample = default;
        if (millisecondsTimeout < -1)
            return -Errno.EINVAL;
        long deadline = Environment.TickCount64 + Math.Max(millisecondsTimeout, 0);
        while (true)
        {
            _signal.Reset(); // then try: a drain after this try wakes the wait below
            int err = TryReserve(size, out sample);
            if (err != -Errno.ENOSPC)
                return err;
            int wait = -1;
            if (millisecondsTimeout >= 0)
            {
                long left = deadline - Environment.TickCount64;
                if (left <= 0) return err;
                wait = (int)Math.Min(left, int.MaxValue);
            }
            if (!_signal.Wait(wait, cancellationToken))
                return TryReserve(size, out sample); // one more try once the time is up, as libbpf does
        }
    }

    /// <summary>As <see cref="TryReserve(int, out UserRingBufSample)"/>, throwing on failure.</summary>
    /// <exception cref="BpfException">E2BIG or ENOSPC.</exception>
    public UserRingBufSample Reserve(int size)
    {
        int err = TryReserve(size, out UserRingBufSample sample);
        if (err < 0) throw new BpfException(err, "user ring buffer reserve");
        return sample;
    }

    /// <summary>libbpf: user_ring_buffer__submit. Makes the record visible to drains (once every earlier one is committed).</summary>
    public void Submit(UserRingBufSample sample) => Commit(sample, discard: false);

    /// <summary>libbpf: user_ring_buffer__discard. Gives the record's space back without it being handed to a program.</summary>
    public void Discard(UserRingBufSample sample) => Commit(sample, discard: true);

    /// <summary>
    /// Reserves a record of <paramref name="data"/>'s length, copies it in and submits it: 0, -E2BIG or -ENOSPC
    /// (nothing written).
    /// </summary>
    public int Write(ReadOnlySpan<byte> data)
    {
        int err = TryReserve(data.Length, out UserRingBufSample sample);
        if (err < 0) return err;
        data.CopyTo(sample.Data);
        Submit(sample);
        return 0;
    }

    /// <summary>As <see cref="Write(ReadOnlySpan{byte})"/> with the bytes of <paramref name="value"/>.</summary>
    public int Write<T>(in T value) where T : unmanaged
    {
        fixed (T* p = &value)
            return Write(new ReadOnlySpan<byte>(p, sizeof(T)));
    }

    private void Commit(UserRingBufSample sample, bool discard)
    {
        if (!sample.IsValid) throw new ArgumentException("not a reserved record", nameof(sample));
        ulong offset = (ulong)(sample.Address - _data);
        if (offset >= DataSize) throw new ArgumentException("not a record of this ring", nameof(sample));
        if (!_ring.IsDoubleMapped)
        {
            // the copying fallback: the part written past the end belongs at the start of the data
            ulong end = offset + (ulong)sample.Length;
            if (end > DataSize)
                Buffer.MemoryCopy(_data + DataSize, _data, (long)(end - DataSize), (long)(end - DataSize));
        }
        uint* hdr = (uint*)(_data + ((offset + DataSize - RingBufRecordHeader.Size) & _mask));
        uint len = Volatile.Read(ref *hdr);
        if ((len & RingBufRecordHeader.BusyBit) == 0) throw new InvalidOperationException("the record was already submitted or discarded");
        uint newLen = len & ~RingBufRecordHeader.BusyBit;
        if (discard) newLen |= RingBufRecordHeader.DiscardBit;
        Interlocked.Exchange(ref *hdr, newLen); // the record's bytes, then the header, for the drain's acquire
    }

    /// <summary>Detaches from the ring and drops the map reference (libbpf: user_ring_buffer__free).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _ring.WaitQueue.Unsubscribe(_signal);
        _ring.DetachProducer();
        _ring.Release();
    }
}
