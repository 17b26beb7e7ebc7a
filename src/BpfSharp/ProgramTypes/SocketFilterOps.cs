using BpfSharp.Uapi;
using BpfSharp.Verifier;
using static BpfSharp.ProgramTypes.SkBuffLayout;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_SOCKET_FILTER (kernel: sk_filter_verifier_ops): reads most of <c>struct __sk_buff</c> but not the
/// packet pointers, the socket fields, tc_classid or the timestamps; writes only cb[]; uses LD_ABS/LD_IND.
/// </summary>
internal sealed class SocketFilterOps() : KernelVerifierOps(BpfProgType.SocketFilter, SkBuffLayout.Size)
{
    /// <inheritdoc/>
    public override bool MayAccessSkb => true;

    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info)
    {
        // kernel: sk_filter_is_valid_access
        if (CtxField.In(off, TcClassid, 4) || CtxField.In(off, Data, 4) || CtxField.In(off, DataMeta, 4)
            || CtxField.In(off, DataEnd, 4) || CtxField.InTill(off, Family, LocalPort, 4) || CtxField.In(off, Tstamp, 8)
            || CtxField.In(off, WireLen, 4) || CtxField.In(off, Hwtstamp, 8))
            return false;
        if (type == BpfAccessType.Write && !CtxField.In(off, Cb, CbSize))
            return false;
        return SkBuffAccess.IsValid(off, size, type, ref info);
    }
}
