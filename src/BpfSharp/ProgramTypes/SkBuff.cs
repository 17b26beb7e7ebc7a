using System.Buffers.Binary;
using BpfSharp.Memory;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// The runtime context of the <c>struct __sk_buff</c> program types (socket filter, tc classifier and action,
/// cgroup/skb): a linear packet in native memory with room before and after it (kernel: <c>struct sk_buff</c>),
/// and the native context a program gets in r1.
/// </summary>
/// <remarks>
/// <para>The native context keeps the UAPI layout for every plain field, so loads, narrow loads and stores of
/// <c>mark</c>, <c>cb[]</c>, <c>len</c>, ... stay in place; after the 192 UAPI bytes it has three 64-bit
/// slots holding the packet pointers (<see cref="DataPointerOffset"/>, <see cref="DataEndPointerOffset"/>,
/// <see cref="DataMetaPointerOffset"/>). A verified program's 4-byte loads of <c>data</c>, <c>data_end</c>
/// and <c>data_meta</c> are rewritten at load into 8-byte loads of those slots (kernel: bpf_convert_ctx_access,
/// see <see cref="CtxRewrite"/>); the UAPI 32-bit slots of these three fields read 0.</para>
/// <para>The fields the kernel computes from the skb (<c>len</c>, <c>pkt_type</c>, <c>protocol</c>,
/// <c>hash</c>, the packet pointers) are kept current in the context by this class and the helpers that
/// change the packet. The <c>sk</c> pointer reads NULL: there is no socket behind the packet.</para>
/// </remarks>
public sealed unsafe partial class SkBuff : IDisposable
{
    /// <summary>Size of the native context: the UAPI struct and the three pointer slots.</summary>
    public const int ContextSize = SkBuffLayout.Size + 3 * sizeof(ulong);
    /// <summary>Offset of the 64-bit <c>data</c> pointer in the native context.</summary>
    public const int DataPointerOffset = SkBuffLayout.Size;
    /// <summary>Offset of the 64-bit <c>data_end</c> pointer in the native context.</summary>
    public const int DataEndPointerOffset = SkBuffLayout.Size + 8;
    /// <summary>Offset of the 64-bit <c>data_meta</c> pointer in the native context.</summary>
    public const int DataMetaPointerOffset = SkBuffLayout.Size + 16;
    /// <summary>Headroom a new skb gets (kernel: NET_SKB_PAD + NET_IP_ALIGN on x86-64).</summary>
    public const int DefaultHeadroom = 64;
    /// <summary>The longest packet the skb helpers grow to (kernel: BPF_SKB_MAX_LEN = SKB_MAX_ALLOC).</summary>
    public const int MaxLength = 16 * 1024 - 320;

    private readonly NativeBuffer _ctx;
    private NativeBuffer _buffer;
    private int _data;
    private int _length;
    private int _macHeader = -1;
    private int _networkHeader = -1;

    /// <summary>
    /// A packet holding a copy of <paramref name="packet"/> (starting at the link-layer header) with
    /// <paramref name="headroom"/> free bytes before it, and a zeroed context whose pointers and <c>len</c>
    /// describe it. The mac header is set at its start.
    /// </summary>
    public SkBuff(ReadOnlySpan<byte> packet, int headroom = DefaultHeadroom)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(headroom);
        _ctx = new NativeBuffer(ContextSize);
        _buffer = new NativeBuffer(headroom + packet.Length + DefaultHeadroom);
        Reset(packet, headroom);
    }

    /// <summary>
    /// Makes this skb hold a copy of <paramref name="packet"/> as a new one would (zeroed context, no hash or
    /// checksum state, the mac header at the start), reusing its memory when the packet fits: what a host that
    /// runs many packets does to allocate nothing per packet.
    /// </summary>
    public void Reset(ReadOnlySpan<byte> packet, int headroom = DefaultHeadroom)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(headroom);
        if (_buffer.Length < headroom + packet.Length)
        {
            _buffer.Dispose();
            _buffer = new NativeBuffer(headroom + packet.Length + DefaultHeadroom);
        }
        _ctx.Span.Clear();
        _data = headroom;
        _length = packet.Length;
        _macHeader = headroom;
        _networkHeader = -1;
        HashValid = L4Hash = false;
        IpSummed = default;
        Csum = 0;
        packet.CopyTo(_buffer.Span.Slice(_data, _length));
        ComputeDataPointers();
    }

    /// <summary>The address of the native context (what the program gets in r1).</summary>
    public nint Context => _ctx.Pointer;

    /// <summary>The native context's bytes (<see cref="ContextSize"/>; the first 192 in the UAPI layout).</summary>
    public Span<byte> ContextBytes => _ctx.Span;

    /// <summary>The address of the first packet byte (kernel: skb->data).</summary>
    public nint Data => _buffer.Pointer + _data;

    /// <summary>The packet length (kernel: skb->len; the packet is always linear).</summary>
    public int Length => _length;

    /// <summary>The packet bytes from <see cref="Data"/>.</summary>
    public Span<byte> Packet => _buffer.Span.Slice(_data, _length);

    /// <summary>Free bytes before the packet (kernel: skb_headroom).</summary>
    public int Headroom => _data;

    /// <summary>Free bytes after the packet (kernel: skb_tailroom).</summary>
    public int Tailroom => (int)_buffer.Length - _data - _length;

    /// <summary>The packet as a region the run may read and write: from data_meta (here data) to data_end.</summary>
    public MemoryRegion PacketRegion => new(Data, _length, writable: true, "packet");

    /// <summary>Offset of the link-layer header from <see cref="Data"/> (kernel: skb_mac_offset), or null if unset.</summary>
    public int? MacHeaderOffset => _macHeader < 0 ? null : _macHeader - _data;

    /// <summary>Offset of the network header from <see cref="Data"/> (kernel: skb_network_offset), or null if unset.</summary>
    public int? NetworkHeaderOffset => _networkHeader < 0 ? null : _networkHeader - _data;

    /// <summary>Sets the network header <paramref name="offset"/> bytes after <see cref="Data"/> (kernel: skb_set_network_header).</summary>
    public void SetNetworkHeader(int offset) => _networkHeader = _data + offset;

    /// <summary>A 32-bit field of the context at UAPI offset <paramref name="offset"/>.</summary>
    public uint ReadField(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(_ctx.Span[offset..]);

    /// <summary>Writes a 32-bit field of the context at UAPI offset <paramref name="offset"/>.</summary>
    public void WriteField(int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_ctx.Span[offset..], value);

    /// <summary>A 64-bit field of the context (tstamp, hwtstamp) at UAPI offset <paramref name="offset"/>.</summary>
    public ulong ReadField64(int offset) => BinaryPrimitives.ReadUInt64LittleEndian(_ctx.Span[offset..]);

    /// <summary>Writes a 64-bit field of the context at UAPI offset <paramref name="offset"/>.</summary>
    public void WriteField64(int offset, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(_ctx.Span[offset..], value);

    /// <summary>skb->hash as <c>__sk_buff.hash</c> shows it (0: none computed).</summary>
    public uint Hash
    {
        get => ReadField(SkBuffLayout.Hash);
        set => WriteField(SkBuffLayout.Hash, value);
    }

    /// <summary>skb->pkt_type (PACKET_HOST 0, BROADCAST 1, MULTICAST 2, OTHERHOST 3, ...).</summary>
    public uint PktType
    {
        get => ReadField(SkBuffLayout.PktType);
        set => WriteField(SkBuffLayout.PktType, value);
    }

    /// <summary>skb->protocol as <c>__sk_buff.protocol</c> shows it: the EtherType in network byte order.</summary>
    public uint Protocol
    {
        get => ReadField(SkBuffLayout.Protocol);
        set => WriteField(SkBuffLayout.Protocol, value);
    }

    /// <summary>True when <see cref="Hash"/> holds a hash (kernel: skb->l4_hash || skb->sw_hash); false makes bpf_get_hash_recalc compute one.</summary>
    public bool HashValid { get; set; }

    /// <summary>True when the hash came from the layer-4 flow (kernel: skb->l4_hash).</summary>
    public bool L4Hash { get; set; }

    /// <summary>How the packet's checksum stands (kernel: skb->ip_summed; CHECKSUM_NONE after a test run's setup).</summary>
    public SkbChecksum IpSummed { get; set; }

    /// <summary>The packet's one's-complement sum while <see cref="IpSummed"/> is CHECKSUM_COMPLETE (kernel: skb->csum).</summary>
    public uint Csum { get; set; }

    /// <summary>
    /// kernel: bpf_compute_data_pointers. Writes the packet pointers and <c>len</c> into the context; call
    /// after anything that moved or resized the packet.
    /// </summary>
    public void ComputeDataPointers()
    {
        byte* ctx = (byte*)_ctx.Pointer;
        ulong data = (ulong)Data;
        *(ulong*)(ctx + DataPointerOffset) = data;
        *(ulong*)(ctx + DataEndPointerOffset) = data + (ulong)_length;
        *(ulong*)(ctx + DataMetaPointerOffset) = data; // no metadata in front of an skb here
        WriteField(SkBuffLayout.Len, (uint)_length);
    }

    /// <summary>Frees the packet and the context.</summary>
    public void Dispose()
    {
        _buffer.Dispose();
        _ctx.Dispose();
    }
}
