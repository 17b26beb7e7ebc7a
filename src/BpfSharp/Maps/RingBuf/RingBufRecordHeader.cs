namespace BpfSharp.Maps.RingBuf;

/// <summary>
/// <c>struct bpf_ringbuf_hdr</c> (include/uapi/linux/bpf.h): the 8 bytes before every record. <c>len</c> is the
/// record's size with <see cref="BusyBit"/> set while it is being written and <see cref="DiscardBit"/> once
/// discarded; <c>pg_off</c> is the page of the header counted from the start of the ring buffer (its first
/// metadata page), so a record pointer alone leads back to its ring.
/// </summary>
public static class RingBufRecordHeader
{
    /// <summary>BPF_RINGBUF_BUSY_BIT: the record is reserved but not yet committed.</summary>
    public const uint BusyBit = 1u << 31;

    /// <summary>BPF_RINGBUF_DISCARD_BIT: the record was discarded; the consumer skips it.</summary>
    public const uint DiscardBit = 1u << 30;

    /// <summary>BPF_RINGBUF_HDR_SZ.</summary>
    public const int Size = 8;

    /// <summary>RINGBUF_MAX_RECORD_SZ (UINT_MAX / 4): the largest record a reservation may ask for.</summary>
    public const ulong MaxRecordSize = uint.MaxValue / 4;

    /// <summary>
    /// The ring space a record of <paramref name="len"/> bytes takes (the busy and discard bits ignored):
    /// header plus data, rounded up to 8 (libbpf: roundup_len).
    /// </summary>
    public static ulong SpaceFor(uint len) => ((ulong)(len & ~(BusyBit | DiscardBit)) + Size + 7) & ~7ul;
}
