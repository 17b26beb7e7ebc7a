using BpfSharp.ProgramTypes;
using BpfSharp.Uapi;
using BpfSharp.Verifier;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.ProgramTypes;

/// <summary>
/// <see cref="ProgramTypeOps"/>: one shared instance per type, context sizes, return ranges, packet access and
/// the helpers each type gets (the verdicts and variants the live 6.18 kernel gave; the kernel comparisons are
/// <see cref="ProgramTypeOpsKernelTests"/> and <see cref="HelperPrototypeKernelTests"/>).
/// </summary>
public class ProgramTypeOpsTests
{
    private static readonly BpfProgType[] Implemented = [.. HelperAvailabilityKernelTests.CoveredTypes];

    [Fact]
    public void Each_implemented_type_has_one_shared_instance()
    {
        foreach (BpfProgType type in Implemented)
        {
            VerifierOps? ops = ProgramTypeOps.For(type);
            Assert.NotNull(ops);
            Assert.Equal(type, ops.ProgType);
            Assert.Same(ops, ProgramTypeOps.For(type));
            Assert.Same(ops, ProgramTypeOps.For(type, VerifierCapabilities.Privileged));
        }
        Assert.NotSame(ProgramTypeOps.For(SchedCls), ProgramTypeOps.For(SchedAct));
        Assert.NotSame(ProgramTypeOps.For(CgroupSkb), ProgramTypeOps.For(CgroupSkb, VerifierCapabilities.Unprivileged));
        Assert.Same(ProgramTypeOps.For(SocketFilter), ProgramTypeOps.For(SocketFilter, VerifierCapabilities.Unprivileged));
    }

    [Theory]
    [InlineData(Unspec)]
    [InlineData(Lsm)]
    [InlineData(BpfProgType.StructOps)]
    [InlineData(Ext)]
    [InlineData(BpfProgType.LircMode2)]
    [InlineData((BpfProgType)1000)]
    public void Other_types_are_not_implemented(BpfProgType type) => Assert.Null(ProgramTypeOps.For(type));

    [Theory]
    [InlineData(SocketFilter, 192)]
    [InlineData(SchedCls, 192)]
    [InlineData(SchedAct, 192)]
    [InlineData(CgroupSkb, 192)]
    [InlineData(Xdp, 24)]
    [InlineData(Kprobe, 168)]
    [InlineData(Tracepoint, 8192)]
    [InlineData(RawTracepoint, 96)]
    [InlineData(PerfEvent, 184)]
    [InlineData(SkSkb, 192)]
    [InlineData(SkMsg, 80)]
    [InlineData(SockOps, 224)]
    [InlineData(CgroupSock, 80)]
    [InlineData(CgroupSockAddr, 72)]
    [InlineData(LwtIn, 192)]
    [InlineData(LwtOut, 192)]
    [InlineData(LwtXmit, 192)]
    [InlineData(LwtSeg6local, 192)]
    [InlineData(BpfProgType.FlowDissector, 192)]
    [InlineData(BpfProgType.CgroupDevice, 12)]
    [InlineData(BpfProgType.CgroupSysctl, 8)]
    [InlineData(CgroupSockopt, 40)]
    [InlineData(SkReuseport, 56)]
    [InlineData(BpfProgType.SkLookup, 72)]
    [InlineData(RawTracepointWritable, 96)]
    [InlineData(BpfProgType.Netfilter, 16)]
    [InlineData(BpfProgType.Syscall, 65535)]
    public void Context_size(BpfProgType type, int size) => Assert.Equal(size, ProgramTypeOps.For(type)!.ContextSize);

    [Theory]
    [InlineData(CgroupSkb, BpfAttachType.CgroupInetIngress, "0..1")]
    [InlineData(CgroupSkb, BpfAttachType.CgroupInetEgress, "0..3")]
    [InlineData(Kprobe, BpfAttachType.TraceKprobeSession, "0..1")]
    [InlineData(Kprobe, BpfAttachType.TraceUprobeSession, "0..1")]
    [InlineData(Kprobe, BpfAttachType.TraceKprobeMulti, "any")]
    [InlineData(Kprobe, BpfAttachType.CgroupInetIngress, "any")]
    [InlineData(SocketFilter, BpfAttachType.CgroupInetIngress, "any")]
    [InlineData(SchedCls, BpfAttachType.CgroupInetIngress, "any")]
    [InlineData(Xdp, BpfAttachType.CgroupInetIngress, "any")]
    [InlineData(Tracepoint, BpfAttachType.CgroupInetIngress, "any")]
    [InlineData(RawTracepoint, BpfAttachType.CgroupInetIngress, "any")]
    [InlineData(PerfEvent, BpfAttachType.CgroupInetIngress, "any")]
    [InlineData(CgroupSockAddr, BpfAttachType.CgroupInet4Connect, "0..1")]
    [InlineData(CgroupSockAddr, BpfAttachType.CgroupUdp6Sendmsg, "0..1")]
    [InlineData(CgroupSockAddr, BpfAttachType.CgroupInet4Bind, "0..3")]
    [InlineData(CgroupSockAddr, BpfAttachType.CgroupInet6Bind, "0..3")]
    [InlineData(CgroupSockAddr, BpfAttachType.CgroupUdp4Recvmsg, "1..1")]
    [InlineData(CgroupSockAddr, BpfAttachType.CgroupUnixGetpeername, "1..1")]
    [InlineData(CgroupSockAddr, BpfAttachType.CgroupInet6Getsockname, "1..1")]
    [InlineData(CgroupSock, BpfAttachType.CgroupInetSockCreate, "0..1")]
    [InlineData(SockOps, BpfAttachType.CgroupInetIngress, "0..1")]
    [InlineData(BpfProgType.CgroupDevice, BpfAttachType.CgroupInetIngress, "0..1")]
    [InlineData(BpfProgType.CgroupSysctl, BpfAttachType.CgroupInetIngress, "0..1")]
    [InlineData(CgroupSockopt, BpfAttachType.CgroupGetsockopt, "0..1")]
    [InlineData(BpfProgType.SkLookup, BpfAttachType.SkLookup, "0..1")]
    [InlineData(BpfProgType.Netfilter, BpfAttachType.Netfilter, "0..1")]
    [InlineData(SkSkb, BpfAttachType.CgroupInetIngress, "any")]
    [InlineData(SkMsg, BpfAttachType.CgroupInetIngress, "any")]
    [InlineData(LwtXmit, BpfAttachType.CgroupInetIngress, "any")]
    [InlineData(BpfProgType.FlowDissector, BpfAttachType.CgroupInetIngress, "any")]
    [InlineData(SkReuseport, BpfAttachType.SkReuseportSelect, "any")]
    [InlineData(BpfProgType.Syscall, BpfAttachType.CgroupInetIngress, "any")]
    public void Return_range(BpfProgType type, BpfAttachType attach, string expected)
    {
        RetvalRange? range = ProgramTypeOps.For(type)!.ReturnRange((uint)attach);
        Assert.Equal(expected, range is { } r ? $"{r.MinVal}..{r.MaxVal}" : "any");
        Assert.False(range?.Return32Bit ?? false);
    }

    [Theory]
    [InlineData(SocketFilter, false, false, true)]
    [InlineData(SchedCls, true, true, true)]
    [InlineData(SchedAct, true, true, true)]
    [InlineData(Xdp, true, true, false)]
    [InlineData(CgroupSkb, true, false, false)]
    [InlineData(Kprobe, false, false, false)]
    [InlineData(Tracepoint, false, false, false)]
    [InlineData(RawTracepoint, false, false, false)]
    [InlineData(PerfEvent, false, false, false)]
    [InlineData(SkSkb, true, true, false)]
    [InlineData(SkMsg, true, true, false)]
    [InlineData(LwtIn, true, false, false)]
    [InlineData(LwtOut, true, false, false)]
    [InlineData(LwtXmit, true, true, false)]
    [InlineData(LwtSeg6local, true, false, false)]
    [InlineData(BpfProgType.FlowDissector, true, false, false)]
    [InlineData(SkReuseport, true, false, false)]
    [InlineData(CgroupSockopt, true, true, false)]
    [InlineData(SockOps, false, false, false)]
    [InlineData(CgroupSock, false, false, false)]
    public void Packet_and_skb_access(BpfProgType type, bool read, bool write, bool ldAbs)
    {
        VerifierOps ops = ProgramTypeOps.For(type)!;
        Assert.Equal(read, ops.MayReadPacketData);
        Assert.Equal(write, ops.MayWritePacketData);
        Assert.Equal(ldAbs, ops.MayAccessSkb);
    }
}
