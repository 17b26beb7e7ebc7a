using System.Buffers.Binary;

namespace BpfSharp.Cli.Pcap;

/// <summary>
/// Reads a classic libpcap capture file (pcap-savefile(5)): the 24-byte global header with the magic number
/// in either byte order, microsecond (0xa1b2c3d4) or nanosecond (0xa1b23c4d) timestamps, then records of a
/// 16-byte header and the captured bytes. pcapng is not this format and is refused.
/// </summary>
internal sealed class PcapReader : IDisposable
{
    /// <summary>LINKTYPE_ETHERNET: the records start with an Ethernet header.</summary>
    public const uint LinkTypeEthernet = 1;

    private const uint MagicMicro = 0xa1b2c3d4, MagicNano = 0xa1b23c4d, MagicPcapng = 0x0a0d0d0a;
    private const int GlobalHeaderSize = 24, RecordHeaderSize = 16;
    // Larger than any snaplen tools write (262144), so a corrupt length is caught before allocating.
    private const uint MaxRecord = 1 << 20;

    private readonly Stream _stream;
    private readonly bool _swapped;
    private readonly byte[] _header = new byte[RecordHeaderSize];
    private byte[] _buffer = new byte[2048];
    private long _offset = GlobalHeaderSize;

    /// <summary>Opens a capture and reads its global header.</summary>
    /// <exception cref="InvalidDataException">Not a libpcap file, or truncated.</exception>
    public PcapReader(Stream stream)
    {
        _stream = stream;
        Span<byte> h = stackalloc byte[GlobalHeaderSize];
        if (!ReadExactly(h)) throw new InvalidDataException("pcap: shorter than the 24-byte file header");
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(h);
        if (magic is MagicMicro or MagicNano) _swapped = false;
        else if (BinaryPrimitives.ReverseEndianness(magic) is MagicMicro or MagicNano) _swapped = true;
        else if (magic == MagicPcapng) throw new InvalidDataException("pcap: this is a pcapng file; convert it with 'editcap -F pcap'");
        else throw new InvalidDataException($"pcap: bad magic number 0x{magic:x8}");
        NanosecondTimestamps = (_swapped ? BinaryPrimitives.ReverseEndianness(magic) : magic) == MagicNano;
        VersionMajor = U16(h[4..]);
        VersionMinor = U16(h[6..]);
        SnapLength = U32(h[16..]);
        LinkType = U32(h[20..]) & 0x0fffffff; // the high bits carry FCS information
    }

    /// <summary>The file's link-layer header type (LINKTYPE_*).</summary>
    public uint LinkType { get; }
    /// <summary>The file's snapshot length.</summary>
    public uint SnapLength { get; }
    /// <summary>Format version (2.4 in every current writer).</summary>
    public ushort VersionMajor { get; }
    /// <summary>Format version, minor part.</summary>
    public ushort VersionMinor { get; }
    /// <summary>True if record timestamps count nanoseconds rather than microseconds.</summary>
    public bool NanosecondTimestamps { get; }

    /// <summary>The next record's captured bytes (valid until the next call), or false at the end of the file.</summary>
    /// <exception cref="InvalidDataException">A record is truncated or claims an impossible length.</exception>
    public bool TryRead(out ReadOnlySpan<byte> packet, out uint originalLength)
    {
        packet = default;
        originalLength = 0;
        int got = _stream.ReadAtLeast(_header, RecordHeaderSize, throwOnEndOfStream: false);
        if (got == 0) return false;
        if (got < RecordHeaderSize) throw new InvalidDataException($"pcap: record header at byte {_offset} is truncated");
        uint captured = U32(_header.AsSpan(8));
        originalLength = U32(_header.AsSpan(12));
        if (captured > MaxRecord) throw new InvalidDataException($"pcap: record at byte {_offset} claims {captured} captured bytes");
        if (_buffer.Length < captured) _buffer = new byte[Math.Max(captured, (uint)_buffer.Length * 2)];
        if (!ReadExactly(_buffer.AsSpan(0, (int)captured)))
            throw new InvalidDataException($"pcap: record at byte {_offset} is truncated ({captured} bytes announced)");
        _offset += RecordHeaderSize + captured;
        packet = _buffer.AsSpan(0, (int)captured);
        return true;
    }

    private bool ReadExactly(Span<byte> destination) =>
        _stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false) == destination.Length;

    private ushort U16(ReadOnlySpan<byte> b) => _swapped ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);
    private uint U32(ReadOnlySpan<byte> b) => _swapped ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    /// <summary>Closes the stream.</summary>
    public void Dispose() => _stream.Dispose();
}
