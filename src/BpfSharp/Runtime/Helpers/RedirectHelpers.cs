using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Uapi;
using static BpfSharp.Runtime.Helpers.BpfFunc;
using static BpfSharp.Runtime.Helpers.HelperArgs;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// bpf_redirect and bpf_redirect_map (kernel: net/core/filter.c): they record the target in
/// <see cref="RunContext.Redirect"/> for the host to act on and return the verdict that asks for it
/// (TC_ACT_REDIRECT, XDP_REDIRECT). bpf_redirect has the tc meaning in an skb run and the XDP one in an XDP run.
/// </summary>
public static unsafe class RedirectHelpers
{
    /// <summary>BPF_F_INGRESS: redirect to the device's ingress (tc).</summary>
    public const ulong BPF_F_INGRESS = 1;
    /// <summary>BPF_F_BROADCAST: redirect to every entry of the map.</summary>
    public const ulong BPF_F_BROADCAST = 1 << 3;
    /// <summary>BPF_F_EXCLUDE_INGRESS: with BPF_F_BROADCAST, not to the receiving device.</summary>
    public const ulong BPF_F_EXCLUDE_INGRESS = 1 << 4;
    /// <summary>The low bits of bpf_redirect_map's flags: the verdict when the key is not in the map (XDP_ABORTED .. XDP_TX).</summary>
    public const ulong BPF_F_ACTION_MASK = 3;

    /// <summary>TC_ACT_SHOT.</summary>
    public const int TC_ACT_SHOT = 2;
    /// <summary>TC_ACT_REDIRECT.</summary>
    public const int TC_ACT_REDIRECT = 7;
    /// <summary>XDP_ABORTED.</summary>
    public const int XDP_ABORTED = 0;
    /// <summary>XDP_REDIRECT.</summary>
    public const int XDP_REDIRECT = 4;

    /// <summary>Registers redirect and redirect_map under their kernel ids.</summary>
    public static void Register(HelperRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(BPF_FUNC_redirect, Name(BPF_FUNC_redirect), Redirect)
            .Register(BPF_FUNC_redirect_map, Name(BPF_FUNC_redirect_map), RedirectMap);
    }

    /// <summary>
    /// long bpf_redirect(u32 ifindex, u64 flags). tc: TC_ACT_REDIRECT (flags 0 or BPF_F_INGRESS), else TC_ACT_SHOT.
    /// XDP: XDP_REDIRECT (flags 0), else XDP_ABORTED.
    /// </summary>
    public static ulong Redirect(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        if (run.XdpBuff is not null)
        {
            if (r2 != 0) return XDP_ABORTED; // kernel: bpf_xdp_redirect
            run.SetRedirect(new RedirectTarget(true, (uint)r1, 0, int.MaxValue, BpfMapType.Unspec));
            return XDP_REDIRECT;
        }
        if ((r2 & ~BPF_F_INGRESS) != 0) return TC_ACT_SHOT;
        run.SetRedirect(new RedirectTarget(true, (uint)r1, r2, 0, BpfMapType.Unspec));
        return TC_ACT_REDIRECT;
    }

    /// <summary>
    /// long bpf_redirect_map(map, u64 key, u64 flags) (XDP): XDP_REDIRECT to the map entry at key; if there is none (and
    /// not BPF_F_BROADCAST), the verdict in the flags' low bits. Unknown flags: XDP_ABORTED.
    /// </summary>
    public static ulong RedirectMap(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        Map map = Map(run, r1);
        ulong flags = r3;
        // kernel: the flags each map type's map_redirect passes: broadcast flags for device maps only
        ulong allowed = map.Type is BpfMapType.Devmap or BpfMapType.DevmapHash ? BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS : 0;
        if ((flags & ~(BPF_F_ACTION_MASK | allowed)) != 0)
            return XDP_ABORTED;
        uint key = (uint)r2;
        bool found = map.KeySize == sizeof(uint) && map.LookupElem((byte*)&key, Cpu(run, map)) != null;
        if (!found && (flags & BPF_F_BROADCAST) == 0)
        {
            run.SetRedirect(default);
            return flags & BPF_F_ACTION_MASK;
        }
        run.SetRedirect(new RedirectTarget(true, key, flags, map.Id, map.Type));
        return XDP_REDIRECT;
    }
}
