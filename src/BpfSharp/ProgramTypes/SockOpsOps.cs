using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_SOCK_OPS (kernel: sock_ops_verifier_ops): reads <c>struct bpf_sock_ops</c> (224 bytes) whole
/// (skb_tcp_flags also in part), the u64 counters and pointers as 8 bytes: sk may be NULL, skb_data and skb_data_end
/// are packet pointers (read only); writes reply and sk_txhash. Returns 0 or 1.
/// </summary>
internal sealed class SockOpsOps() : KernelVerifierOps(BpfProgType.SockOps, Size)
{
    private const int Size = 224;
    private const int Reply = 4, SkTxhash = 164, BytesReceived = 168, Sk = 184, SkbData = 192, SkbDataEnd = 200,
        SkbTcpFlags = 212, SkbHwtstamp = 216;

    /// <inheritdoc/>
    public override RetvalRange? ReturnRange(uint expectedAttachType) => new RetvalRange(0, 1);

    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info)
    {
        // kernel: sock_ops_is_valid_access
        const int sizeDefault = sizeof(uint);
        if (off < 0 || off >= Size || off % size != 0)
            return false;
        if (type == BpfAccessType.Write)
            return off is Reply or SkTxhash && size == sizeDefault;
        // The u64 fields and the pointers are read whole, at their start.
        if (CtxField.InTill(off, BytesReceived, SkbDataEnd, 8) || CtxField.In(off, SkbHwtstamp, 8))
        {
            if (off == Sk)
                info.RegType = RegType.PtrToSocketOrNull;
            else if (off == SkbData)
                info.RegType = RegType.PtrToPacket;
            else if (off == SkbDataEnd)
                info.RegType = RegType.PtrToPacketEnd;
            return size == sizeof(ulong);
        }
        if (off == SkbTcpFlags)
        {
            info.CtxFieldSize = sizeDefault;
            return CtxField.NarrowAccessOk(size, sizeDefault);
        }
        return size == sizeDefault;
    }
}
