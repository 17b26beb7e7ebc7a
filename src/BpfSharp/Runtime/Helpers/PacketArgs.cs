using BpfSharp.ProgramTypes;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// The context argument of the packet helpers (ARG_PTR_TO_CTX): the run's <see cref="RunContext.SkBuff"/> or
/// <see cref="RunContext.XdpBuff"/>. A run without one, or (checked mode) a pointer that is not its context,
/// is a fault: the helper has no packet to work on.
/// </summary>
public static class PacketArgs
{
    /// <summary>The skb whose context <paramref name="ctx"/> is.</summary>
    /// <exception cref="BpfRuntimeException">The run has no skb, or checked mode and <paramref name="ctx"/> is not its context.</exception>
    public static SkBuff Skb(RunContext run, ulong ctx)
    {
        SkBuff skb = run.SkBuff ?? throw run.HelperFault("the run has no skb (RunContext.SkBuff)");
        if (run.IsChecked && ctx != (ulong)skb.Context)
            throw run.HelperFault($"0x{ctx:x} is not the skb context");
        return skb;
    }

    /// <summary>The XDP frame whose context <paramref name="ctx"/> is.</summary>
    /// <exception cref="BpfRuntimeException">The run has no frame, or checked mode and <paramref name="ctx"/> is not its context.</exception>
    public static XdpBuff Xdp(RunContext run, ulong ctx)
    {
        XdpBuff xdp = run.XdpBuff ?? throw run.HelperFault("the run has no XDP frame (RunContext.XdpBuff)");
        if (run.IsChecked && ctx != (ulong)xdp.Context)
            throw run.HelperFault($"0x{ctx:x} is not the xdp_md context");
        return xdp;
    }
}
