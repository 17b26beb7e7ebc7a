using BpfSharp.Uapi;
using BpfSharp.Verifier;
using static BpfSharp.ProgramTypes.SkBuffLayout;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_SK_SKB (kernel: sk_skb_verifier_ops), the stream parser and verdict programs of a sockmap:
/// reads <c>struct __sk_buff</c> but mark, tc_classid, data_meta, the timestamps and wire_len, gets packet and end
/// pointers, writes tc_index and priority, and reads and writes packet data directly. Any return value.
/// </summary>
internal sealed class SkSkbOps() : KernelVerifierOps(BpfProgType.SkSkb, SkBuffLayout.Size)
{
    /// <inheritdoc/>
    public override bool MayReadPacketData => true;

    /// <inheritdoc/>
    public override bool MayWritePacketData => true;

    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info)
    {
        // kernel: sk_skb_is_valid_access
        if (CtxField.In(off, TcClassid, 4) || CtxField.In(off, DataMeta, 4) || CtxField.In(off, Tstamp, 8)
            || CtxField.In(off, WireLen, 4) || CtxField.In(off, Hwtstamp, 8))
            return false;
        if (type == BpfAccessType.Write && !(CtxField.In(off, TcIndex, 4) || CtxField.In(off, Priority, 4)))
            return false;
        if (CtxField.In(off, Mark, 4))
            return false;
        return SkBuffAccess.IsValidWithPacketPointers(off, size, type, ref info);
    }
}
