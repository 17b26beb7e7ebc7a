using System.Buffers.Binary;
using BpfSharp.Uapi;
using static BpfSharp.ProgramTypes.XdpMdLayout;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// The frame and context staging of BPF_PROG_TEST_RUN for XDP (kernel: bpf_prog_test_run_xdp with
/// xdp_convert_md_to_buff and xdp_convert_buff_to_md): data_in is the metadata (ctx_in's <c>data</c> bytes) then
/// the packet; ctx_in's <c>data_end</c> sets the linear part, the rest goes to fragments.
/// </summary>
public static class XdpTestRun
{
    /// <summary>The ifindex of the only device, loopback, whose queue 0 receives test packets.</summary>
    public const uint LoopbackIfindex = 1;

    /// <summary>
    /// kernel: the checks of ctx_in (a <c>struct xdp_md</c>, zero-extended to 24 bytes) before the frame is built:
    /// -EINVAL unless data_meta is 0, data &lt;= data_end &lt;= <paramref name="dataSize"/>, and data is a valid metadata length
    /// that leaves room for the frame header.
    /// </summary>
    public static int CheckContext(ReadOnlySpan<byte> ctx, uint dataSize)
    {
        uint data = U32(ctx, Data), end = U32(ctx, DataEnd);
        if (U32(ctx, DataMeta) != 0 || end > dataSize || data > end || (data & 3) != 0
            || data > XdpBuff.Headroom - XdpBuff.FrameHeaderSize)
            return -Errno.EINVAL;
        return 0;
    }

    /// <summary>
    /// Builds the frame: <paramref name="data"/> with the first <c>ctx.data</c> bytes as metadata, a linear part of
    /// <c>ctx.data_end</c> bytes (all of data_in without a context), as much as fits a page, the rest in fragments;
    /// the device fields from <paramref name="ctx"/> (empty: none given). Returns 0, -EINVAL (too short, egress_ifindex
    /// set, rx_queue_index without or beyond the device's queues), -ENODEV (no such device) or -ENOMEM (too many fragments).
    /// </summary>
    public static int Create(ReadOnlySpan<byte> data, ReadOnlySpan<byte> ctx, out XdpBuff? xdp)
    {
        xdp = null;
        int meta = ctx.IsEmpty ? 0 : (int)U32(ctx, Data);
        if (data.Length < EthTypeTrans.HeaderLength + meta)
            return -Errno.EINVAL;
        int linear = ctx.IsEmpty ? data.Length : (int)U32(ctx, DataEnd);
        int maxLinear = XdpBuff.FrameSize - (XdpBuff.Headroom - meta) - XdpBuff.Tailroom;
        linear = Math.Min(linear, maxLinear);
        int rest = data.Length - linear;
        if ((rest + XdpBuff.FragmentSize - 1) / XdpBuff.FragmentSize > XdpBuff.MaxFragments)
            return -Errno.ENOMEM;
        uint ingress = 0, queue = 0;
        if (!ctx.IsEmpty)
        {
            // kernel: xdp_convert_md_to_buff
            if (U32(ctx, EgressIfindex) != 0)
                return -Errno.EINVAL;
            ingress = U32(ctx, IngressIfindex);
            queue = U32(ctx, RxQueueIndex);
            if (ingress == 0 && queue != 0)
                return -Errno.EINVAL;
            if (ingress != 0 && ingress != LoopbackIfindex)
                return -Errno.ENODEV;
            if (queue >= 1)
                return -Errno.EINVAL; // loopback has one receive queue
        }
        xdp = new XdpBuff(data[..linear], meta, data[linear..])
        {
            IngressIfindex = LoopbackIfindex,
            RxQueueIndex = queue,
        };
        return 0;
    }

    /// <summary>kernel: xdp_convert_buff_to_md. ctx_out's data and data_end become offsets from data_meta; the rest stays as given.</summary>
    public static void ToUser(XdpBuff xdp, Span<byte> ctx)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(ctx[Data..], (uint)xdp.MetaLength);
        BinaryPrimitives.WriteUInt32LittleEndian(ctx[DataEnd..], (uint)(xdp.MetaLength + xdp.Length));
    }

    private static uint U32(ReadOnlySpan<byte> ctx, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(ctx[offset..]);
}
