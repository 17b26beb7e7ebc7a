using System.Buffers.Binary;
using BpfSharp.Uapi;
using static BpfSharp.ProgramTypes.SkBuffLayout;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// The packet and context staging of BPF_PROG_TEST_RUN for the <c>__sk_buff</c> types (kernel: the skb part of
/// bpf_prog_test_run_skb, eth_type_trans on the loopback device, convert___skb_to_skb, convert_skb_to___skb).
/// </summary>
public static class SkBuffTestRun
{
    /// <summary>The largest data_in (kernel: PAGE_SIZE - NET_SKB_PAD - NET_IP_ALIGN - SKB_DATA_ALIGN(sizeof(struct skb_shared_info))).</summary>
    public const int MaxDataSize = 4096 - SkBuff.DefaultHeadroom - 320;

    /// <summary>The largest wire_len ctx_in may give (kernel: GSO_LEGACY_MAX_SIZE).</summary>
    public const uint MaxWireLength = 65536;

    /// <summary>The largest gso_segs ctx_in may give (kernel: GSO_MAX_SEGS).</summary>
    public const uint MaxGsoSegs = 65535;

    /// <summary>True for the types that see the Ethernet header (tc): the others see the packet from the network header.</summary>
    public static bool SeesLinkLayer(BpfProgType type) => type is BpfProgType.SchedCls or BpfProgType.SchedAct;

    /// <summary>kernel: bpf_test_init's size check. 0, or -EINVAL for less than an Ethernet header or more than <see cref="MaxDataSize"/>.</summary>
    public static int CheckDataSize(uint size) => size < EthTypeTrans.HeaderLength || size > MaxDataSize ? -Errno.EINVAL : 0;

    /// <summary>
    /// Builds the skb a test run of <paramref name="type"/> runs on: <paramref name="data"/> received on the loopback
    /// device (pkt_type and protocol from eth_type_trans, the Ethernet header pulled, then pushed back for tc), and
    /// the fields <paramref name="ctx"/> (a whole <c>struct __sk_buff</c>, or empty when the caller gave no context)
    /// may set. Returns 0, -ENODEV for an ifindex other than loopback's, or -EINVAL for an IPv4 / IPv6 packet shorter
    /// than its fixed header, a context field the kernel does not take or a bad wire_len / gso_segs.
    /// </summary>
    public static int Create(BpfProgType type, ReadOnlySpan<byte> data, ReadOnlySpan<byte> ctx, out SkBuff? skb)
    {
        skb = null;
        if (!ctx.IsEmpty && ctx.Length != Size)
            throw new ArgumentException("the context must be a whole struct __sk_buff", nameof(ctx));
        if (!ctx.IsEmpty && U32(ctx, Ifindex) > LoopbackIfindex)
            return -Errno.ENODEV; // the only device is loopback
        var b = new SkBuff(data);
        int err = Receive(type, b);
        if (err == 0 && !ctx.IsEmpty)
            err = FromUser(b, ctx);
        if (err < 0)
        {
            b.Dispose();
            return err;
        }
        skb = b;
        return 0;
    }

    /// <summary>
    /// The skb of a packet received on the loopback device, as a program of <paramref name="type"/> sees it: pkt_type and
    /// protocol from eth_type_trans, the Ethernet header pulled (pushed back for tc, which sees the link layer), the
    /// socket fields of the cgroup types. <paramref name="skb"/> holds the frame from its Ethernet header. 0, or -EINVAL
    /// for an IPv4 / IPv6 packet shorter than its fixed header.
    /// </summary>
    public static int Receive(BpfProgType type, SkBuff skb)
    {
        (uint pktType, uint protocol) = EthTypeTrans.Classify(skb.Packet);
        skb.Pull(EthTypeTrans.HeaderLength);
        skb.SetNetworkHeader(0);
        skb.PktType = pktType;
        skb.Protocol = protocol;
        skb.WriteField(Ifindex, LoopbackIfindex);
        int err = SetSocket(skb);
        if (SeesLinkLayer(type))
            skb.Push(EthTypeTrans.HeaderLength, zero: false);
        return err;
    }

    /// <summary>
    /// What data_out receives after the runs: the packet from skb->data, with, for the types that do not see the
    /// link layer, 14 zeroed bytes for the Ethernet header in front (the kernel pushes them back zeroed).
    /// </summary>
    public static void Finish(BpfProgType type, SkBuff skb)
    {
        if (!SeesLinkLayer(type))
            skb.Push(EthTypeTrans.HeaderLength);
    }

    /// <summary>
    /// kernel: convert_skb_to___skb. Updates the caller's context <paramref name="ctx"/> (ctx_out) from the skb:
    /// mark, priority, ingress_ifindex, ifindex, tstamp, cb[], wire_len, gso_segs and hwtstamp; the rest stays as given.
    /// </summary>
    public static void ToUser(SkBuff skb, Span<byte> ctx)
    {
        ReadOnlySpan<byte> native = skb.ContextBytes;
        foreach (int field in (ReadOnlySpan<int>)[Mark, Priority, IngressIfindex, Ifindex, WireLen, GsoSegs])
            native.Slice(field, 4).CopyTo(ctx[field..]);
        native.Slice(Tstamp, 8).CopyTo(ctx[Tstamp..]);
        native.Slice(Hwtstamp, 8).CopyTo(ctx[Hwtstamp..]);
        native.Slice(Cb, CbSize).CopyTo(ctx[Cb..]);
    }

    private const uint LoopbackIfindex = 1;

    // kernel: convert___skb_to_skb. Only mark, priority, ingress_ifindex, ifindex, cb[], tstamp, wire_len,
    // gso_segs, gso_size and hwtstamp may be non-zero.
    private static int FromUser(SkBuff skb, ReadOnlySpan<byte> ctx)
    {
        if (!Zero(ctx, 0, Mark) || !Zero(ctx, Mark + 4, Priority) || !Zero(ctx, Ifindex + 4, Cb)
            || !Zero(ctx, Cb + CbSize, Tstamp) || !Zero(ctx, GsoSegs + 4, GsoSize) || !Zero(ctx, GsoSize + 4, Hwtstamp))
            return -Errno.EINVAL;
        Span<byte> native = skb.ContextBytes;
        foreach (int field in (ReadOnlySpan<int>)[Mark, Priority, IngressIfindex, GsoSegs, GsoSize])
            ctx.Slice(field, 4).CopyTo(native[field..]);
        ctx.Slice(Tstamp, 8).CopyTo(native[Tstamp..]);
        ctx.Slice(Hwtstamp, 8).CopyTo(native[Hwtstamp..]);
        ctx.Slice(Cb, CbSize).CopyTo(native[Cb..]);
        uint wireLen = U32(ctx, WireLen);
        if (wireLen == 0)
            wireLen = (uint)skb.Length;
        else if (wireLen < (uint)skb.Length || wireLen > MaxWireLength)
            return -Errno.EINVAL;
        skb.WriteField(WireLen, wireLen);
        return U32(ctx, GsoSegs) > MaxGsoSegs ? -Errno.EINVAL : 0;
    }

    // The socket of the test run (kernel: the family and addresses bpf_prog_test_run_skb gives its dummy sock):
    // the family of an IPv4 / IPv6 packet, its source as the local and its destination as the remote address.
    // An IPv4 / IPv6 packet shorter than the fixed header is -EINVAL.
    private static int SetSocket(SkBuff skb)
    {
        ReadOnlySpan<byte> l3 = skb.Packet;
        Span<byte> ctx = skb.ContextBytes;
        switch (BinaryPrimitives.ReverseEndianness((ushort)skb.Protocol))
        {
            case 0x0800: // ETH_P_IP
                if (l3.Length < 20) return -Errno.EINVAL;
                skb.WriteField(Family, 2); // AF_INET
                l3.Slice(12, 4).CopyTo(ctx[LocalIp4..]);
                l3.Slice(16, 4).CopyTo(ctx[RemoteIp4..]);
                break;
            case 0x86dd: // ETH_P_IPV6
                if (l3.Length < 40) return -Errno.EINVAL;
                skb.WriteField(Family, 10); // AF_INET6
                l3.Slice(8, 16).CopyTo(ctx[LocalIp6..]);
                l3.Slice(24, 16).CopyTo(ctx[RemoteIp6..]);
                break;
        }
        return 0;
    }

    private static uint U32(ReadOnlySpan<byte> ctx, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(ctx[offset..]);

    private static bool Zero(ReadOnlySpan<byte> ctx, int from, int to) => ctx[from..to].IndexOfAnyExcept((byte)0) < 0;
}
