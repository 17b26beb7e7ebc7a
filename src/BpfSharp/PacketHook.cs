using BpfSharp.ProgramTypes;
using BpfSharp.Runtime;
using BpfSharp.Uapi;

namespace BpfSharp;

/// <summary>
/// A hook whose programs run on packets the host receives: XDP programs on the frame (kernel: a driver's receive
/// path), tc classifiers and actions, socket filters and cgroup/skb programs on an skb built from it, each with the
/// context, packet pointers and helpers of BPF_PROG_TEST_RUN for that type. What the programs do to the packet
/// (writes, adjust_head/tail, skb_change_tail, ...) is in <c>packetOut</c> after the fire.
/// <code>
/// using var hook = new PacketHook(system, BpfProgType.Xdp, "eth0 rx");
/// using BpfLink link = hook.Attach(xdpProgram);
/// PacketVerdict v = hook.Fire(frame, buffer);   // v.Result is the XDP action, buffer[..v.PacketLength] the frame after it
/// </code>
/// The default way several programs combine follows the kernel's multi-program attach points: XDP programs run while
/// they return XDP_PASS (libxdp's dispatcher), tc programs while they return TC_ACT_UNSPEC (tcx's TCX_NEXT),
/// cgroup/skb programs all run and the packet is allowed only if every one allows it, socket filters all run and the
/// last decides. Firing allocates nothing (each thread keeps its own packet buffer) and may happen on any thread.
/// </summary>
public sealed class PacketHook : Hook
{
    private readonly ThreadLocal<XdpBuff>? _xdp;
    private readonly ThreadLocal<SkBuff>? _skb;

    /// <summary>Declares an event point for packets and programs of <paramref name="programType"/>.</summary>
    /// <exception cref="ArgumentException">The type is not XDP, SCHED_CLS, SCHED_ACT, SOCKET_FILTER or CGROUP_SKB.</exception>
    public PacketHook(BpfSystem system, BpfProgType programType, string name = "")
        : base(system, programType, name ?? "")
    {
        switch (programType)
        {
            case BpfProgType.Xdp:
                _xdp = new ThreadLocal<XdpBuff>(() => new XdpBuff(new byte[EthTypeTrans.HeaderLength]) { IngressIfindex = XdpTestRun.LoopbackIfindex }, trackAllValues: true);
                break;
            case BpfProgType.SchedCls or BpfProgType.SchedAct or BpfProgType.SocketFilter or BpfProgType.CgroupSkb:
                _skb = new ThreadLocal<SkBuff>(() => new SkBuff(new byte[EthTypeTrans.HeaderLength]), trackAllValues: true);
                break;
            default:
                throw new ArgumentException($"{TypeName(programType)} programs do not run on packets; packet hooks take XDP, " +
                    "SCHED_CLS, SCHED_ACT, SOCKET_FILTER and CGROUP_SKB", nameof(programType));
        }
    }

    /// <summary>The largest frame an XDP hook takes (one page less the headroom and tailroom the kernel keeps).</summary>
    public const int MaxXdpFrame = XdpBuff.FrameSize - XdpBuff.Headroom - XdpBuff.Tailroom;

    /// <summary>
    /// Runs the attached programs on <paramref name="frame"/> (starting at its Ethernet header) combined as the
    /// kernel combines programs at this kind of attach point (see the class summary). The packet after the programs
    /// is copied to <paramref name="packetOut"/> (as much as fits; the whole frame from its Ethernet header).
    /// </summary>
    /// <exception cref="ArgumentException">The frame is shorter than an Ethernet header, too long, or (skb types) an IPv4 or
    /// IPv6 packet shorter than its fixed header, as BPF_PROG_TEST_RUN refuses them.</exception>
    /// <exception cref="BpfRuntimeException">An unverified (checked-mode) program faulted; later programs did not run.</exception>
    public PacketVerdict Fire(ReadOnlySpan<byte> frame, Span<byte> packetOut = default)
    {
        switch (ProgramType)
        {
            case BpfProgType.Xdp:
                var xdp = new WhileResult(2 /* XDP_PASS */);
                PacketVerdict v = Fire(frame, ref xdp, packetOut);
                return v with { Result = xdp.Value };
            case BpfProgType.SchedCls or BpfProgType.SchedAct:
                var tc = new WhileResult(uint.MaxValue /* TC_ACT_UNSPEC */);
                v = Fire(frame, ref tc, packetOut);
                return v with { Result = tc.Value };
            case BpfProgType.CgroupSkb:
                var all = new AndResults();
                v = Fire(frame, ref all, packetOut);
                return v with { Result = all.Value };
            default:
                var last = new LastResult();
                v = Fire(frame, ref last, packetOut);
                return v with { Result = last.Value };
        }
    }

    /// <summary>
    /// Runs the attached programs on <paramref name="frame"/> in attach order, handing each result to
    /// <paramref name="aggregator"/>; the returned verdict's <see cref="PacketVerdict.Result"/> is the last program's r0.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="Fire(ReadOnlySpan{byte}, Span{byte})"/>.</exception>
    public PacketVerdict Fire<TAggregator>(ReadOnlySpan<byte> frame, ref TAggregator aggregator, Span<byte> packetOut = default)
        where TAggregator : IHookAggregator, allows ref struct
    {
        if (frame.Length < EthTypeTrans.HeaderLength)
            throw new ArgumentException($"a frame holds at least a {EthTypeTrans.HeaderLength}-byte Ethernet header", nameof(frame));
        // The whole fire is one epoch: Dispose frees the packet buffers only after every fire that could use them.
        using Memory.EpochManager.Guard epoch = System.Epochs.Enter();
        if (IsDisposed) return default;
        if (_xdp is not null)
        {
            if (frame.Length > MaxXdpFrame)
                throw new ArgumentException($"an XDP frame holds at most {MaxXdpFrame} bytes", nameof(frame));
            XdpBuff xdp = _xdp.Value!;
            xdp.Reset(frame);
            xdp.IngressIfindex = XdpTestRun.LoopbackIfindex;
            RedirectTarget redirect = RunPacketPrograms(xdp, null, ref aggregator, out ulong r0);
            xdp.Packet[..Math.Min(xdp.Length, packetOut.Length)].CopyTo(packetOut);
            return new PacketVerdict(r0, xdp.Length, redirect);
        }
        SkBuff skb = _skb!.Value!;
        if (frame.Length > SkBuffTestRun.MaxDataSize)
            throw new ArgumentException($"a frame holds at most {SkBuffTestRun.MaxDataSize} bytes", nameof(frame));
        skb.Reset(frame);
        if (SkBuffTestRun.Receive(ProgramType, skb) < 0)
            throw new ArgumentException("the IPv4 or IPv6 packet is shorter than its fixed header", nameof(frame));
        RedirectTarget target = RunPacketPrograms(null, skb, ref aggregator, out ulong result);
        if (!SkBuffTestRun.SeesLinkLayer(ProgramType))
            skb.Push(EthTypeTrans.HeaderLength, zero: false); // the frame again from its Ethernet header
        skb.Packet[..Math.Min(skb.Length, packetOut.Length)].CopyTo(packetOut);
        return new PacketVerdict(result, skb.Length, target);
    }

    // The packet buffers of every thread, freed once no fire can be using them.
    private protected override void Disposed() => System.Epochs.Defer(() =>
    {
        if (_xdp is not null) foreach (XdpBuff b in _xdp.Values) b.Dispose();
        if (_skb is not null) foreach (SkBuff b in _skb.Values) b.Dispose();
        _xdp?.Dispose();
        _skb?.Dispose();
    });

    // Runs programs while each returns `next`; the value is the last result.
    private struct WhileResult(uint next) : IHookAggregator
    {
        public ulong Value;

        public bool Add(int index, ulong result)
        {
            Value = result;
            return (uint)result == next;
        }
    }
}

/// <summary>What a <see cref="PacketHook"/> fire decided.</summary>
/// <param name="Result">The combined result: the XDP action, the TC_ACT_* code, 1/0 (allow/drop) for cgroup/skb, the
/// bytes to keep for a socket filter.</param>
/// <param name="PacketLength">The packet's length after the programs (adjust_head/tail, change_tail, ...).</param>
/// <param name="Redirect">The target of bpf_redirect / bpf_redirect_map, when the result is a redirect.</param>
public readonly record struct PacketVerdict(ulong Result, int PacketLength, RedirectTarget Redirect);
