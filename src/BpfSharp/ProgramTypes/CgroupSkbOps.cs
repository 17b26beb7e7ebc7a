using BpfSharp.Uapi;
using BpfSharp.Verifier;
using static BpfSharp.ProgramTypes.SkBuffLayout;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_CGROUP_SKB (kernel: cg_skb_verifier_ops): reads <c>struct __sk_buff</c> but tc_classid,
/// data_meta and wire_len, writes mark, priority and cb[]; with CAP_BPF (<paramref name="bpfCapable"/>) also
/// reads the packet pointers (read-only packet access) and writes tstamp. Returns 0 or 1, and at
/// BPF_CGROUP_INET_EGRESS 0 to 3 (the congestion notification bit).
/// </summary>
internal sealed class CgroupSkbOps(bool bpfCapable) : KernelVerifierOps(BpfProgType.CgroupSkb, SkBuffLayout.Size)
{
    /// <inheritdoc/>
    public override bool MayReadPacketData => true;

    /// <inheritdoc/>
    public override RetvalRange? ReturnRange(uint expectedAttachType) =>
        expectedAttachType == (uint)BpfAttachType.CgroupInetEgress ? new RetvalRange(0, 3) : new RetvalRange(0, 1);

    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info)
    {
        // kernel: cg_skb_is_valid_access
        if (CtxField.In(off, TcClassid, 4) || CtxField.In(off, DataMeta, 4) || CtxField.In(off, WireLen, 4))
            return false;
        bool packetPointer = CtxField.In(off, Data, 4) || CtxField.In(off, DataEnd, 4);
        if (packetPointer && !bpfCapable)
            return false;

        if (type == BpfAccessType.Write && !IsWritable(off))
            return false;

        return SkBuffAccess.IsValidWithPacketPointers(off, size, type, ref info);
    }

    private bool IsWritable(int off) =>
        CtxField.In(off, Mark, 4) || CtxField.In(off, Priority, 4) || CtxField.In(off, Cb, CbSize)
        || (CtxField.In(off, Tstamp, 8) && bpfCapable);
}
