using BpfSharp.Memory;
using BpfSharp.ProgramTypes;

namespace BpfSharp.Runtime;

// The packet of a run of a packet program type: the skb or XDP frame whose native context r1 points to, the
// region checked mode lets the program touch, and the redirect target the program chose.
public sealed partial class RunContext
{
    private SkBuff? _skb;
    private XdpBuff? _xdp;

    /// <summary>
    /// The skb of a run of an <c>__sk_buff</c> program type (r1 is its <see cref="SkBuff.Context"/>), or null.
    /// Setting it makes its packet the run's <see cref="Packet"/> (LD_ABS/LD_IND read from its data); the skb
    /// helpers find the packet here and keep <see cref="Packet"/> current when they change it.
    /// </summary>
    public SkBuff? SkBuff
    {
        get => _skb;
        set
        {
            _skb = value;
            if (value is not null) _xdp = null;
            SyncPacket();
        }
    }

    /// <summary>
    /// The frame of a run of an XDP program (r1 is its <see cref="XdpBuff.Context"/>), or null. Setting it makes
    /// its metadata and linear packet the run's <see cref="Packet"/>; the XDP helpers keep it current.
    /// </summary>
    public XdpBuff? XdpBuff
    {
        get => _xdp;
        set
        {
            _xdp = value;
            if (value is not null) _skb = null;
            SyncPacket();
        }
    }

    /// <summary>
    /// The target the last bpf_redirect / bpf_redirect_map of the current program run (with its tail calls) chose;
    /// not set before one ran. A host reads it after a run that returned TC_ACT_REDIRECT or XDP_REDIRECT.
    /// </summary>
    public RedirectTarget Redirect { get; private set; }

    /// <summary>For the redirect helpers: records the target of the run in progress.</summary>
    public void SetRedirect(RedirectTarget target) => Redirect = target;

    /// <summary>Forgets the redirect target (a new program run begins).</summary>
    public void ClearRedirect() => Redirect = default;

    /// <summary>
    /// Makes <see cref="Packet"/> the current packet of <see cref="SkBuff"/> or <see cref="XdpBuff"/> (unchanged if
    /// neither is set). Helpers that move or resize the packet call it after the change.
    /// </summary>
    public void SyncPacket()
    {
        if (_skb is { } skb)
        {
            SetPacketBounds(skb.PacketRegion, (ulong)skb.Data, (ulong)skb.Length);
        }
        else if (_xdp is { } xdp)
        {
            MemoryRegion region = xdp.PacketRegion;
            SetPacketBounds(region, (ulong)xdp.Data, (ulong)xdp.Length);
        }
    }

    // The region checked accesses may touch and the bytes LD_ABS / LD_IND read.
    private void SetPacketBounds(MemoryRegion region, ulong start, ulong length)
    {
        _packet = region;
        PacketStart = start;
        PacketLength = length;
    }
}
