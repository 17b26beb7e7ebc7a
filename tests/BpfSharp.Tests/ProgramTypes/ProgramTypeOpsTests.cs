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
    [InlineData(CgroupSock)]
    [InlineData(LwtIn)]
    [InlineData(SkSkb)]
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
    public void Packet_and_skb_access(BpfProgType type, bool read, bool write, bool ldAbs)
    {
        VerifierOps ops = ProgramTypeOps.For(type)!;
        Assert.Equal(read, ops.MayReadPacketData);
        Assert.Equal(write, ops.MayWritePacketData);
        Assert.Equal(ldAbs, ops.MayAccessSkb);
    }
}
