using System.Buffers.Binary;
using BpfSharp.Memory;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// The runtime context of XDP programs (kernel: <c>struct xdp_buff</c>): one frame of <see cref="FrameSize"/>
/// bytes holding headroom, metadata, the packet and tailroom, the fragments of a multi-buffer packet, and the
/// native context a program gets in r1.
/// </summary>
/// <remarks>
/// The native context keeps the 24 bytes of <c>struct xdp_md</c> (ingress_ifindex, rx_queue_index,
/// egress_ifindex in place) and appends three 64-bit slots for the packet pointers
/// (<see cref="DataPointerOffset"/>, <see cref="DataEndPointerOffset"/>, <see cref="DataMetaPointerOffset"/>);
/// a verified program's 4-byte loads of <c>data</c>, <c>data_end</c> and <c>data_meta</c> are rewritten into
/// 8-byte loads of them (kernel: xdp_convert_ctx_access, see <see cref="CtxRewrite"/>). The program sees the
/// linear part only; <see cref="FragmentsLength"/> bytes more follow in fragments.
/// </remarks>
public sealed unsafe partial class XdpBuff : IDisposable
{
    /// <summary>Size of the native context.</summary>
    public const int ContextSize = XdpMdLayout.Size + 3 * sizeof(ulong);
    /// <summary>Offset of the 64-bit <c>data</c> pointer in the native context.</summary>
    public const int DataPointerOffset = XdpMdLayout.Size;
    /// <summary>Offset of the 64-bit <c>data_end</c> pointer in the native context.</summary>
    public const int DataEndPointerOffset = XdpMdLayout.Size + 8;
    /// <summary>Offset of the 64-bit <c>data_meta</c> pointer in the native context.</summary>
    public const int DataMetaPointerOffset = XdpMdLayout.Size + 16;
    /// <summary>Bytes of one frame (kernel: the test run's frame_sz, a page).</summary>
    public const int FrameSize = 4096;
    /// <summary>Headroom in front of the packet (kernel: XDP_PACKET_HEADROOM).</summary>
    public const int Headroom = 256;
    /// <summary>Tailroom reserved at the end of the frame (kernel: SKB_DATA_ALIGN(sizeof(struct skb_shared_info))).</summary>
    public const int Tailroom = 320;
    /// <summary>Bytes at the start of the frame the packet and metadata may not reach (kernel: sizeof(struct xdp_frame)).</summary>
    public const int FrameHeaderSize = 40;
    /// <summary>The most fragments a packet has (kernel: MAX_SKB_FRAGS).</summary>
    public const int MaxFragments = 17;
    /// <summary>The size of one fragment's page (kernel: PAGE_SIZE, the rxq's frag_size in a test run).</summary>
    public const int FragmentSize = 4096;
    /// <summary>The longest metadata (kernel: xdp_metalen_invalid's bound, the u8 skb_shared_info.meta_len, 4-byte aligned).</summary>
    public const int MaxMetaLength = 252;

    private readonly NativeBuffer _ctx;
    private readonly NativeBuffer _frame;
    private readonly List<Fragment> _frags = [];
    private int _meta, _data, _end;

    /// <summary>
    /// A frame whose linear part holds <paramref name="linear"/> (<paramref name="metaLength"/> bytes of metadata,
    /// then the packet), starting at <see cref="Headroom"/> - <paramref name="metaLength"/>, followed by
    /// <paramref name="fragments"/> in fragments of <see cref="FragmentSize"/> bytes.
    /// </summary>
    /// <exception cref="ArgumentException">The linear part does not fit the frame, the metadata is longer than it,
    /// or more than <see cref="MaxFragments"/> fragments would be needed.</exception>
    public XdpBuff(ReadOnlySpan<byte> linear, int metaLength = 0, ReadOnlySpan<byte> fragments = default)
    {
        _ctx = new NativeBuffer(ContextSize);
        _frame = new NativeBuffer(FrameSize);
        try
        {
            Reset(linear, metaLength, fragments);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// Makes this frame hold <paramref name="linear"/> and <paramref name="fragments"/> as a new one would (zeroed
    /// context, no fragments left from before), reusing its memory: what a host that runs many frames does.
    /// </summary>
    /// <exception cref="ArgumentException">As the constructor.</exception>
    public void Reset(ReadOnlySpan<byte> linear, int metaLength = 0, ReadOnlySpan<byte> fragments = default)
    {
        if (metaLength < 0 || metaLength > linear.Length || metaLength > Headroom - FrameHeaderSize)
            throw new ArgumentOutOfRangeException(nameof(metaLength));
        int start = Headroom - metaLength;
        if (start + linear.Length > FrameSize - Tailroom)
            throw new ArgumentException("the linear part does not fit the frame", nameof(linear));
        if ((fragments.Length + FragmentSize - 1) / FragmentSize > MaxFragments)
            throw new ArgumentException("more fragments than MAX_SKB_FRAGS", nameof(fragments));
        _ctx.Span.Clear();
        linear.CopyTo(_frame.Span[start..]);
        _meta = start;
        _data = start + metaLength;
        _end = start + linear.Length;
        _frags.Clear();
        for (int off = 0; off < fragments.Length; off += FragmentSize)
        {
            int size = Math.Min(FragmentSize, fragments.Length - off);
            var page = new byte[FragmentSize];
            fragments.Slice(off, size).CopyTo(page);
            _frags.Add(new Fragment(page, size));
        }
        UpdatePointers();
    }

    /// <summary>The address of the native context (what the program gets in r1).</summary>
    public nint Context => _ctx.Pointer;

    /// <summary>The native context's bytes (<see cref="ContextSize"/>; the first 24 in the <c>xdp_md</c> layout).</summary>
    public Span<byte> ContextBytes => _ctx.Span;

    /// <summary>The address of the first packet byte (kernel: xdp->data).</summary>
    public nint Data => _frame.Pointer + _data;

    /// <summary>The linear packet length (data_end - data).</summary>
    public int Length => _end - _data;

    /// <summary>The metadata length (data - data_meta).</summary>
    public int MetaLength => _data - _meta;

    /// <summary>Bytes in fragments after the linear part (kernel: skb_shared_info.xdp_frags_size).</summary>
    public int FragmentsLength
    {
        get
        {
            int total = 0;
            foreach (Fragment f in _frags)
                total += f.Size;
            return total;
        }
    }

    /// <summary>The linear packet bytes.</summary>
    public Span<byte> Packet => _frame.Span[_data.._end];

    /// <summary>The metadata bytes in front of the packet.</summary>
    public Span<byte> Metadata => _frame.Span[_meta.._data];

    /// <summary>The region a run may read and write: the metadata and the linear packet.</summary>
    public MemoryRegion PacketRegion => new(_frame.Pointer + _meta, _end - _meta, writable: true, "packet");

    /// <summary>xdp_md.ingress_ifindex as the program reads it (kernel: rxq->dev->ifindex; 1, loopback, in a test run).</summary>
    public uint IngressIfindex
    {
        get => ReadField(XdpMdLayout.IngressIfindex);
        set => WriteField(XdpMdLayout.IngressIfindex, value);
    }

    /// <summary>xdp_md.rx_queue_index (kernel: rxq->queue_index).</summary>
    public uint RxQueueIndex
    {
        get => ReadField(XdpMdLayout.RxQueueIndex);
        set => WriteField(XdpMdLayout.RxQueueIndex, value);
    }

    /// <summary>xdp_md.egress_ifindex (devmap programs; 0 otherwise).</summary>
    public uint EgressIfindex
    {
        get => ReadField(XdpMdLayout.EgressIfindex);
        set => WriteField(XdpMdLayout.EgressIfindex, value);
    }

    /// <summary>
    /// Copies the frame as BPF_PROG_TEST_RUN's data_out holds it: the metadata, the linear packet, then the fragments,
    /// at most <paramref name="destination"/>.Length bytes. Returns the bytes copied.
    /// </summary>
    public int CopyTo(Span<byte> destination)
    {
        int copied = Math.Min(destination.Length, _end - _meta);
        _frame.Span.Slice(_meta, copied).CopyTo(destination);
        foreach (Fragment f in _frags)
        {
            int n = Math.Min(f.Size, destination.Length - copied);
            if (n <= 0) break;
            f.Page.AsSpan(0, n).CopyTo(destination[copied..]);
            copied += n;
        }
        return copied;
    }

    /// <summary>Frees the frame and the context.</summary>
    public void Dispose()
    {
        _frame.Dispose();
        _ctx.Dispose();
    }

    private uint ReadField(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(_ctx.Span[offset..]);

    private void WriteField(int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_ctx.Span[offset..], value);

    // The packet pointers in the native context.
    private void UpdatePointers()
    {
        byte* ctx = (byte*)_ctx.Pointer;
        ulong frame = (ulong)_frame.Pointer;
        *(ulong*)(ctx + DataPointerOffset) = frame + (ulong)_data;
        *(ulong*)(ctx + DataEndPointerOffset) = frame + (ulong)_end;
        *(ulong*)(ctx + DataMetaPointerOffset) = frame + (ulong)_meta;
    }

    // One fragment: a page and the bytes of it in use (kernel: skb_frag_t with offset 0).
    private sealed class Fragment(byte[] page, int size)
    {
        public byte[] Page { get; } = page;
        public int Size { get; set; } = size;
    }
}
