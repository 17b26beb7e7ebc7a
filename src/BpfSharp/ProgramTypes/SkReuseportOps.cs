using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_SK_REUSEPORT (kernel: sk_reuseport_verifier_ops), which picks the socket of a SO_REUSEPORT group:
/// reads <c>struct sk_reuseport_md</c> (56 bytes): data and data_end are packet pointers (read only), sk a socket,
/// migrating_sk a socket's common part or NULL, hash a whole u32, len, eth_protocol (at least 2 bytes), ip_protocol
/// and bind_inany also in part; writes nothing. Any return value (SK_PASS selects).
/// </summary>
internal sealed class SkReuseportOps() : KernelVerifierOps(BpfProgType.SkReuseport, Size)
{
    private const int Size = 56;
    private const int Data = 0, DataEnd = 8, Len = 16, EthProtocol = 20, IpProtocol = 24, BindInany = 28, Hash = 32,
        Sk = 40, MigratingSk = 48;

    /// <inheritdoc/>
    public override bool MayReadPacketData => true;

    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info)
    {
        // kernel: sk_reuseport_is_valid_access
        if (off < 0 || off >= Size || off % size != 0 || type != BpfAccessType.Read)
            return false;
        switch (off)
        {
            case Data:
                info.RegType = RegType.PtrToPacket;
                return size == sizeof(ulong);
            case DataEnd:
                info.RegType = RegType.PtrToPacketEnd;
                return size == sizeof(ulong);
            case Hash:
                return size == sizeof(uint);
            case Sk:
                info.RegType = RegType.PtrToSocket;
                return size == sizeof(ulong);
            case MigratingSk:
                info.RegType = RegType.PtrToSockCommonOrNull;
                return size == sizeof(ulong);
        }
        if (CtxField.In(off, EthProtocol, 4) && size < sizeof(ushort))
            return false; // sk_buff.protocol is 2 bytes
        if (CtxField.In(off, EthProtocol, 4) || CtxField.In(off, IpProtocol, 4) || CtxField.In(off, BindInany, 4)
            || CtxField.In(off, Len, 4))
        {
            info.CtxFieldSize = sizeof(uint);
            return CtxField.NarrowAccessOk(size, sizeof(uint));
        }
        return false;
    }
}
