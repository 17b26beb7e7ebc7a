using BpfSharp.Uapi;
using BpfSharp.Verifier;
using static BpfSharp.ProgramTypes.SkBuffLayout;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_LWT_IN, LWT_OUT, LWT_XMIT and LWT_SEG6LOCAL (kernel: lwt_*_verifier_ops, all with
/// lwt_is_valid_access): read <c>struct __sk_buff</c> but tc_classid, the socket fields, data_meta, the timestamps
/// and wire_len, get packet and end pointers, write mark, priority and cb[]. Packet data is read directly; only
/// LWT_XMIT may also write it. Any return value.
/// </summary>
internal sealed class LwtOps(BpfProgType progType) : KernelVerifierOps(progType, SkBuffLayout.Size)
{
    /// <inheritdoc/>
    public override bool MayReadPacketData => true;

    /// <inheritdoc/>
    public override bool MayWritePacketData => ProgType == BpfProgType.LwtXmit;

    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info)
    {
        // kernel: lwt_is_valid_access
        if (CtxField.In(off, TcClassid, 4) || CtxField.InTill(off, Family, LocalPort, 4) || CtxField.In(off, DataMeta, 4)
            || CtxField.In(off, Tstamp, 8) || CtxField.In(off, WireLen, 4) || CtxField.In(off, Hwtstamp, 8))
            return false;
        if (type == BpfAccessType.Write
            && !(CtxField.In(off, Mark, 4) || CtxField.In(off, Priority, 4) || CtxField.In(off, Cb, CbSize)))
            return false;
        return SkBuffAccess.IsValidWithPacketPointers(off, size, type, ref info);
    }
}
