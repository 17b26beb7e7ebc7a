using BpfSharp.Uapi;
using BpfSharp.Verifier;
using static BpfSharp.ProgramTypes.SkBuffLayout;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_SCHED_CLS and BPF_PROG_TYPE_SCHED_ACT (kernel: tc_cls_act_verifier_ops): read the whole
/// <c>struct __sk_buff</c> but the socket fields, get packet, metadata and end pointers, write mark, priority,
/// tc_index, tc_classid, queue_mapping, cb[] and tstamp, and read and write packet data directly.
/// </summary>
internal sealed class TcClsActOps(BpfProgType progType) : KernelVerifierOps(progType, SkBuffLayout.Size)
{
    /// <inheritdoc/>
    public override bool MayReadPacketData => true;

    /// <inheritdoc/>
    public override bool MayWritePacketData => true;

    /// <inheritdoc/>
    public override bool MayAccessSkb => true;

    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info)
    {
        // kernel: tc_cls_act_is_valid_access
        if (type == BpfAccessType.Write && !IsWritable(off))
            return false;

        if (CtxField.In(off, Data, 4))
            info.RegType = RegType.PtrToPacket;
        else if (CtxField.In(off, DataMeta, 4))
            info.RegType = RegType.PtrToPacketMeta;
        else if (CtxField.In(off, DataEnd, 4))
            info.RegType = RegType.PtrToPacketEnd;
        else if (CtxField.InTill(off, Family, LocalPort, 4))
            return false;
        else if (off == TstampType)
            return size == sizeof(byte); // a u8 field: read only as a byte

        return SkBuffAccess.IsValid(off, size, type, ref info);
    }

    private static bool IsWritable(int off) =>
        CtxField.In(off, Mark, 4) || CtxField.In(off, TcIndex, 4) || CtxField.In(off, Priority, 4)
        || CtxField.In(off, TcClassid, 4) || CtxField.In(off, Cb, CbSize) || CtxField.In(off, Tstamp, 8)
        || CtxField.In(off, QueueMapping, 4);
}
