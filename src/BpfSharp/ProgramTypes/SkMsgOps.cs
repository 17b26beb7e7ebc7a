using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_SK_MSG (kernel: sk_msg_verifier_ops), a sockmap's message verdict program: reads
/// <c>struct sk_msg_md</c> (80 bytes) whole, never writes it; data and data_end are packet pointers, sk a socket.
/// Reads and writes the message data directly. Any return value.
/// </summary>
internal sealed class SkMsgOps() : KernelVerifierOps(BpfProgType.SkMsg, Size)
{
    private const int Size = 80;
    private const int Data = 0, DataEnd = 8, Family = 16, RemoteIp4 = 20, LocalIp4 = 24, RemoteIp6 = 28, LocalIp6 = 44,
        RemotePort = 60, LocalPort = 64, MsgSize = 68, Sk = 72;

    /// <inheritdoc/>
    public override bool MayReadPacketData => true;

    /// <inheritdoc/>
    public override bool MayWritePacketData => true;

    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info)
    {
        // kernel: sk_msg_is_valid_access
        if (type == BpfAccessType.Write || off % size != 0)
            return false;
        switch (off)
        {
            case Data:
                info.RegType = RegType.PtrToPacket;
                return size == sizeof(ulong);
            case DataEnd:
                info.RegType = RegType.PtrToPacketEnd;
                return size == sizeof(ulong);
            case Sk:
                info.RegType = RegType.PtrToSocket;
                return size == sizeof(ulong);
        }
        if (CtxField.In(off, Family, 4) || CtxField.In(off, RemoteIp4, 4) || CtxField.In(off, LocalIp4, 4)
            || CtxField.In(off, RemoteIp6, 16) || CtxField.In(off, LocalIp6, 16) || CtxField.In(off, RemotePort, 4)
            || CtxField.In(off, LocalPort, 4) || CtxField.In(off, MsgSize, 4))
            return size == sizeof(uint);
        return false;
    }
}
