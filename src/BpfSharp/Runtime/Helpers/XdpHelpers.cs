using BpfSharp.ProgramTypes;
using static BpfSharp.Runtime.Helpers.BpfFunc;
using static BpfSharp.Runtime.Helpers.HelperArgs;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// The XDP helpers that move the frame's bounds (kernel: net/core/filter.c): bpf_xdp_adjust_head, bpf_xdp_adjust_tail,
/// bpf_xdp_adjust_meta, and bpf_xdp_get_buff_len. After a change the context's pointers and the run's
/// <see cref="RunContext.Packet"/> follow the frame.
/// </summary>
public static class XdpHelpers
{
    /// <summary>Registers the XDP helpers under their kernel ids.</summary>
    public static void Register(HelperRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(BPF_FUNC_xdp_adjust_head, Name(BPF_FUNC_xdp_adjust_head), XdpAdjustHead)
            .Register(BPF_FUNC_xdp_adjust_tail, Name(BPF_FUNC_xdp_adjust_tail), XdpAdjustTail)
            .Register(BPF_FUNC_xdp_adjust_meta, Name(BPF_FUNC_xdp_adjust_meta), XdpAdjustMeta)
            .Register(BPF_FUNC_xdp_get_buff_len, Name(BPF_FUNC_xdp_get_buff_len), XdpGetBuffLen);
    }

    /// <summary>long bpf_xdp_adjust_head(xdp_md, int delta): moves data by delta (metadata moves along); -EINVAL out of the frame.</summary>
    public static ulong XdpAdjustHead(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        Done(run, PacketArgs.Xdp(run, r1).AdjustHead((int)r2));

    /// <summary>long bpf_xdp_adjust_tail(xdp_md, int delta): moves data_end by delta (new bytes zeroed); -EINVAL out of the frame.</summary>
    public static ulong XdpAdjustTail(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        Done(run, PacketArgs.Xdp(run, r1).AdjustTail((int)r2));

    /// <summary>long bpf_xdp_adjust_meta(xdp_md, int delta): moves data_meta by delta; -EINVAL out of the headroom, -EACCES for a bad length.</summary>
    public static ulong XdpAdjustMeta(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        Done(run, PacketArgs.Xdp(run, r1).AdjustMeta((int)r2));

    /// <summary>u64 bpf_xdp_get_buff_len(xdp_md): the linear packet plus its fragments.</summary>
    public static ulong XdpGetBuffLen(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        XdpBuff xdp = PacketArgs.Xdp(run, r1);
        return (ulong)(xdp.Length + xdp.FragmentsLength);
    }

    private static ulong Done(RunContext run, int result)
    {
        run.SyncPacket();
        return Errno(result);
    }
}
