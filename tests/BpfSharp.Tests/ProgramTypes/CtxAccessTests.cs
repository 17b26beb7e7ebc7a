using BpfSharp.ProgramTypes;
using BpfSharp.Uapi;
using BpfSharp.Verifier;
using static BpfSharp.Uapi.BpfProgType;
using static BpfSharp.Verifier.RegType;

namespace BpfSharp.Tests.ProgramTypes;

/// <summary>
/// Context access rules of each program type as literal cases, each one the verdict the live 6.18 kernel gave
/// (the whole space is compared with the kernel by <see cref="CtxAccessKernelTests"/>).
/// </summary>
public class CtxAccessTests
{
    private const BpfAccessType R = BpfAccessType.Read, W = BpfAccessType.Write;
    private const uint Egress = (uint)BpfAttachType.CgroupInetEgress, Devmap = (uint)BpfAttachType.XdpDevmap;

    /// <summary>type, expected attach type, read/write, sign-extending, offset, size, allowed, loaded type, field size.</summary>
    public static readonly TheoryData<BpfProgType, uint, BpfAccessType, bool, int, int, bool, RegType, int> Cases = new()
    {
        // __sk_buff: a __u32 field reads whole or narrow (1, 2 bytes at aligned offsets inside it), never as 8 bytes.
        { SocketFilter, 0, R, false, SkBuffLayout.Len, 4, true, ScalarValue, 4 },
        { SocketFilter, 0, R, false, SkBuffLayout.Len + 3, 1, true, ScalarValue, 4 },
        { SocketFilter, 0, R, false, SkBuffLayout.Len + 2, 2, true, ScalarValue, 4 },
        { SocketFilter, 0, R, false, SkBuffLayout.Len + 1, 2, false, ScalarValue, 0 },
        { SocketFilter, 0, R, false, SkBuffLayout.Len, 8, false, ScalarValue, 4 },
        { SchedCls, 0, R, true, SkBuffLayout.GsoSize + 2, 2, true, ScalarValue, 4 },
        // Writes: mark by tc and cgroup/skb, not by a socket filter; cb[] by all, at any size inside it.
        { SocketFilter, 0, W, false, SkBuffLayout.Mark, 4, false, ScalarValue, 0 },
        { SchedCls, 0, W, false, SkBuffLayout.Mark, 4, true, ScalarValue, 0 },
        { SchedCls, 0, W, false, SkBuffLayout.Mark, 2, false, ScalarValue, 0 },
        { CgroupSkb, 0, W, false, SkBuffLayout.Mark, 4, true, ScalarValue, 0 },
        { SocketFilter, 0, W, false, SkBuffLayout.Cb + 1, 1, true, ScalarValue, 0 },
        { SocketFilter, 0, W, false, SkBuffLayout.Cb + 8, 8, true, ScalarValue, 0 },
        { SocketFilter, 0, W, false, SkBuffLayout.Cb + 16, 8, false, ScalarValue, 0 },
        { SchedCls, 0, W, false, SkBuffLayout.QueueMapping, 4, true, ScalarValue, 0 },
        { CgroupSkb, 0, W, false, SkBuffLayout.QueueMapping, 4, false, ScalarValue, 0 },
        { SchedAct, 0, W, false, SkBuffLayout.TcIndex, 4, true, ScalarValue, 0 },
        { SchedAct, 0, W, false, SkBuffLayout.TcClassid, 4, true, ScalarValue, 0 },
        { SchedCls, 0, W, false, SkBuffLayout.Len, 4, false, ScalarValue, 0 },
        // Packet pointers: 4-byte loads only, no sign extension; not for socket filters; no data_meta in cgroup/skb.
        { SchedCls, 0, R, false, SkBuffLayout.Data, 4, true, PtrToPacket, 0 },
        { SchedCls, 0, R, false, SkBuffLayout.DataEnd, 4, true, PtrToPacketEnd, 0 },
        { SchedAct, 0, R, false, SkBuffLayout.DataMeta, 4, true, PtrToPacketMeta, 0 },
        { SchedCls, 0, R, false, SkBuffLayout.Data, 2, false, PtrToPacket, 0 },
        { SchedCls, 0, R, true, SkBuffLayout.Data, 4, false, PtrToPacket, 0 },
        { SocketFilter, 0, R, false, SkBuffLayout.Data, 4, false, ScalarValue, 0 },
        { CgroupSkb, 0, R, false, SkBuffLayout.Data, 4, true, PtrToPacket, 0 },
        { CgroupSkb, Egress, R, false, SkBuffLayout.DataEnd, 4, true, PtrToPacketEnd, 0 },
        { CgroupSkb, 0, R, false, SkBuffLayout.DataMeta, 4, false, ScalarValue, 0 },
        // sk: an 8-byte read of a nullable socket pointer; flow_keys is the flow dissector's alone.
        { SocketFilter, 0, R, false, SkBuffLayout.Sk, 8, true, PtrToSockCommonOrNull, 0 },
        { CgroupSkb, 0, R, false, SkBuffLayout.Sk, 8, true, PtrToSockCommonOrNull, 0 },
        { SchedCls, 0, R, false, SkBuffLayout.Sk, 4, false, ScalarValue, 0 },
        { SchedCls, 0, W, false, SkBuffLayout.Sk, 8, false, ScalarValue, 0 },
        { SchedCls, 0, R, false, SkBuffLayout.FlowKeys, 8, false, ScalarValue, 0 },
        // Timestamps: 8 bytes; tstamp written by tc and cgroup/skb; tstamp_type a tc-only byte, then padding.
        { SchedCls, 0, R, false, SkBuffLayout.Tstamp, 8, true, ScalarValue, 0 },
        { SchedCls, 0, R, false, SkBuffLayout.Tstamp, 4, false, ScalarValue, 0 },
        { CgroupSkb, 0, W, false, SkBuffLayout.Tstamp, 8, true, ScalarValue, 0 },
        { SocketFilter, 0, R, false, SkBuffLayout.Tstamp, 8, false, ScalarValue, 0 },
        { SchedCls, 0, R, false, SkBuffLayout.Hwtstamp, 8, true, ScalarValue, 0 },
        { SchedCls, 0, W, false, SkBuffLayout.Hwtstamp, 8, false, ScalarValue, 0 },
        { SchedCls, 0, R, true, SkBuffLayout.TstampType, 1, true, ScalarValue, 0 },
        { SchedCls, 0, R, false, SkBuffLayout.TstampType, 4, false, ScalarValue, 0 },
        { SchedCls, 0, R, false, SkBuffLayout.TstampType + 1, 1, false, ScalarValue, 0 },
        { CgroupSkb, 0, R, false, SkBuffLayout.TstampType, 1, false, ScalarValue, 0 },
        // Socket fields: whole 4-byte reads in cgroup/skb only.
        { CgroupSkb, 0, R, false, SkBuffLayout.RemoteIp4, 4, true, ScalarValue, 0 },
        { CgroupSkb, 0, R, false, SkBuffLayout.RemoteIp4, 2, false, ScalarValue, 0 },
        { CgroupSkb, 0, R, false, SkBuffLayout.LocalPort, 2, true, ScalarValue, 4 },
        { SchedCls, 0, R, false, SkBuffLayout.RemoteIp4, 4, false, ScalarValue, 0 },
        { SocketFilter, 0, R, false, SkBuffLayout.Family, 4, false, ScalarValue, 0 },
        { CgroupSkb, 0, R, false, SkBuffLayout.TcClassid, 4, false, ScalarValue, 0 },
        { SchedCls, 0, R, false, SkBuffLayout.Size, 4, false, ScalarValue, 0 },
        { SchedCls, 0, R, false, -4, 4, false, ScalarValue, 0 },
        // xdp_md: 4-byte reads only, pointers without sign extension, egress_ifindex for devmap programs, no writes.
        { Xdp, 0, R, false, XdpMdLayout.Data, 4, true, PtrToPacket, 0 },
        { Xdp, 0, R, false, XdpMdLayout.DataEnd, 4, true, PtrToPacketEnd, 0 },
        { Xdp, 0, R, false, XdpMdLayout.DataMeta, 4, true, PtrToPacketMeta, 0 },
        { Xdp, 0, R, false, XdpMdLayout.Data, 2, false, PtrToPacket, 0 },
        { Xdp, 0, R, true, XdpMdLayout.Data, 4, false, PtrToPacket, 0 },
        { Xdp, 0, R, true, XdpMdLayout.IngressIfindex, 4, true, ScalarValue, 0 },
        { Xdp, 0, R, false, XdpMdLayout.RxQueueIndex, 2, false, ScalarValue, 0 },
        { Xdp, 0, R, false, XdpMdLayout.EgressIfindex, 4, false, ScalarValue, 0 },
        { Xdp, Devmap, R, false, XdpMdLayout.EgressIfindex, 4, true, ScalarValue, 0 },
        { Xdp, 0, W, false, XdpMdLayout.RxQueueIndex, 4, false, ScalarValue, 0 },
        // pt_regs: any aligned read inside it.
        { Kprobe, 0, R, false, 0, 8, true, ScalarValue, 0 },
        { Kprobe, 0, R, true, 165, 1, true, ScalarValue, 0 },
        { Kprobe, 0, R, false, 160, 8, true, ScalarValue, 0 },
        { Kprobe, 0, R, false, 164, 8, false, ScalarValue, 0 },
        { Kprobe, 0, R, false, 4, 8, false, ScalarValue, 0 },
        { Kprobe, 0, W, false, 0, 8, false, ScalarValue, 0 },
        // Tracepoint record: from 8 below 8192, the end unbounded; and (a kernel quirk) any aligned negative offset.
        { Tracepoint, 0, R, false, 0, 8, false, ScalarValue, 0 },
        { Tracepoint, 0, R, false, 8, 8, true, ScalarValue, 0 },
        { Tracepoint, 0, R, false, 8184, 8, true, ScalarValue, 0 },
        { Tracepoint, 0, R, false, 8192, 1, false, ScalarValue, 0 },
        { Tracepoint, 0, R, false, -8, 8, true, ScalarValue, 0 },
        { Tracepoint, 0, R, false, -3, 2, false, ScalarValue, 0 },
        { Tracepoint, 0, W, false, 16, 8, false, ScalarValue, 0 },
        // Raw tracepoint: 12 u64 arguments.
        { RawTracepoint, 0, R, false, 88, 8, true, ScalarValue, 0 },
        { RawTracepoint, 0, R, false, 92, 4, true, ScalarValue, 0 },
        { RawTracepoint, 0, R, false, 96, 1, false, ScalarValue, 0 },
        // bpf_perf_event_data: registers as whole u64 words; sample_period and addr also narrow.
        { PerfEvent, 0, R, false, 0, 8, true, ScalarValue, 0 },
        { PerfEvent, 0, R, false, 0, 4, false, ScalarValue, 0 },
        { PerfEvent, 0, R, false, TracingContextLayout.PerfEventSamplePeriod + 4, 4, true, ScalarValue, 8 },
        { PerfEvent, 0, R, true, TracingContextLayout.PerfEventAddr + 1, 1, true, ScalarValue, 8 },
        { PerfEvent, 0, R, false, TracingContextLayout.PerfEventDataSize, 1, false, ScalarValue, 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Access(BpfProgType type, uint attach, BpfAccessType access, bool ldsx, int off, int size, bool allowed, RegType loaded, int fieldSize)
    {
        var info = new CtxAccessInfo { RegType = ScalarValue, IsLdsx = ldsx };
        Assert.Equal(allowed, ProgramTypeOps.For(type)!.IsValidAccess(off, size, access, attach, ref info));
        if (!allowed) return;
        Assert.Equal(loaded, info.RegType);
        Assert.Equal(fieldSize, info.CtxFieldSize);
    }

    [Theory]
    [InlineData(SkBuffLayout.Data, BpfAccessType.Read, 4)]
    [InlineData(SkBuffLayout.DataEnd, BpfAccessType.Read, 4)]
    [InlineData(SkBuffLayout.Tstamp, BpfAccessType.Write, 8)]
    public void Cgroup_skb_without_cap_bpf_loses_the_packet_pointers_and_tstamp(int off, BpfAccessType access, int size)
    {
        var info = new CtxAccessInfo { RegType = ScalarValue };
        Assert.True(ProgramTypeOps.For(CgroupSkb)!.IsValidAccess(off, size, access, 0, ref info));
        info = new CtxAccessInfo { RegType = ScalarValue };
        VerifierOps unprivileged = ProgramTypeOps.For(CgroupSkb, VerifierCapabilities.Unprivileged)!;
        Assert.False(unprivileged.IsValidAccess(off, size, access, 0, ref info));
        info = new CtxAccessInfo { RegType = ScalarValue };
        Assert.True(unprivileged.IsValidAccess(SkBuffLayout.Mark, 4, BpfAccessType.Write, 0, ref info));
    }
}
