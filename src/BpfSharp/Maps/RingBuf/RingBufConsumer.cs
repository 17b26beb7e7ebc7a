namespace BpfSharp.Maps.RingBuf;

/// <summary>
/// The consumer side of one ring (libbpf: ringbuf__process_ring): walks records from the consumer position,
/// stops at the first busy one, skips discarded ones, and publishes the consumer position once a record is
/// released, which frees its space for producers. One consumer per ring; not thread-safe.
/// </summary>
/// <remarks>
/// A record handed out by <see cref="TryNext"/> stays in place (no copy) until <see cref="Release"/>: the
/// consumer position stays at its start, so producers cannot reuse its space.
/// </remarks>
public sealed unsafe class RingBufConsumer
{
    private readonly ulong* _consumerPos;
    private readonly ulong* _producerPos;
    private readonly byte* _data;
    private readonly ulong _mask;
    private ulong _pos; // past the records handed out; published at Release
    private bool _outstanding;

    /// <summary>A consumer of <paramref name="ring"/>'s records (the caller keeps the map alive and is its only consumer).</summary>
    public RingBufConsumer(RingBufMap ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        Ring = ring;
        _consumerPos = (ulong*)ring.ConsumerPositionAddress;
        _producerPos = (ulong*)ring.ProducerPositionAddress;
        _data = (byte*)ring.DataAddress;
        _mask = ring.DataSize - 1;
        _pos = Volatile.Read(ref *_consumerPos);
    }

    /// <summary>The ring consumed.</summary>
    public RingBufMap Ring { get; }

    /// <summary>
    /// The next committed record in reservation order: true with its data address and length, or false if the
    /// next record is still busy or none was produced. Releases a record still outstanding first.
    /// </summary>
    public bool TryNext(out byte* sample, out int length)
    {
        Release();
        ulong prod = Volatile.Read(ref *_producerPos); // pairs with the producer's release of producer_pos
        while (_pos < prod)
        {
            byte* hdr = _data + (_pos & _mask);
            uint len = Volatile.Read(ref *(uint*)hdr);
            if ((len & RingBufRecordHeader.BusyBit) != 0) break; // not committed yet: later records wait for it
            _pos += RingBufRecordHeader.SpaceFor(len);
            if ((len & RingBufRecordHeader.DiscardBit) != 0) continue;
            sample = hdr + RingBufRecordHeader.Size;
            length = (int)len;
            _outstanding = true;
            return true;
        }
        Volatile.Write(ref *_consumerPos, _pos); // discarded records skipped: their space is free too
        sample = null;
        length = 0;
        return false;
    }

    /// <summary>Publishes the consumer position past the record handed out last: its space goes back to producers.</summary>
    public void Release()
    {
        if (!_outstanding) return;
        _outstanding = false;
        Volatile.Write(ref *_consumerPos, _pos); // pairs with the producer's acquire of consumer_pos
    }
}
