using BpfSharp.Uapi;
using BpfSharp.Verifier;
using static BpfSharp.ProgramTypes.XdpMdLayout;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_XDP (kernel: xdp_verifier_ops): reads the <c>struct xdp_md</c> fields whole (4 bytes), gets
/// packet, metadata and end pointers, writes nothing (only device-offloaded programs, which BpfSharp does not
/// load, may write rx_queue_index); egress_ifindex is for devmap programs (BPF_XDP_DEVMAP) only. Reads and
/// writes packet data directly.
/// </summary>
internal sealed class XdpOps() : KernelVerifierOps(BpfProgType.Xdp, XdpMdLayout.Size)
{
    /// <inheritdoc/>
    public override bool MayReadPacketData => true;

    /// <inheritdoc/>
    public override bool MayWritePacketData => true;

    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info)
    {
        // kernel: xdp_is_valid_access, then __is_valid_xdp_access
        if (off == EgressIfindex && expectedAttachType != (uint)BpfAttachType.XdpDevmap)
            return false;
        if (type == BpfAccessType.Write)
            return false;

        switch (off)
        {
            case Data:
                info.RegType = RegType.PtrToPacket;
                break;
            case DataMeta:
                info.RegType = RegType.PtrToPacketMeta;
                break;
            case DataEnd:
                info.RegType = RegType.PtrToPacketEnd;
                break;
        }
        if ((off is Data or DataMeta or DataEnd) && info.IsLdsx)
            return false;

        return off >= 0 && off < XdpMdLayout.Size && off % size == 0 && size == sizeof(uint);
    }
}
