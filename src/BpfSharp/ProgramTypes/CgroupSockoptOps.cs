using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_CGROUP_SOCKOPT (kernel: cg_sockopt_verifier_ops, kernel/bpf/cgroup.c), the getsockopt and
/// setsockopt hooks: reads <c>struct bpf_sockopt</c> (40 bytes): sk is a socket, optval and optval_end packet
/// pointers to the option buffer, the rest whole u32s; retval exists only at getsockopt. Writes optlen, at
/// getsockopt retval, at setsockopt level and optname. Reads and writes the option buffer directly. Returns 0 or 1.
/// </summary>
internal sealed class CgroupSockoptOps() : KernelVerifierOps(BpfProgType.CgroupSockopt, Size)
{
    private const int Size = 40;
    private const int Sk = 0, Optval = 8, OptvalEnd = 16, Level = 24, Optname = 28, Optlen = 32, Retval = 36;

    /// <inheritdoc/>
    public override bool MayReadPacketData => true;

    /// <inheritdoc/>
    public override bool MayWritePacketData => true;

    /// <inheritdoc/>
    public override RetvalRange? ReturnRange(uint expectedAttachType) => new RetvalRange(0, 1);

    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info)
    {
        // kernel: cg_sockopt_is_valid_access
        const int sizeDefault = sizeof(uint);
        if (off < 0 || off >= Size || off % size != 0)
            return false;
        var attach = (BpfAttachType)expectedAttachType;
        if (type == BpfAccessType.Write)
        {
            return off switch
            {
                Retval => size == sizeDefault && attach == BpfAttachType.CgroupGetsockopt,
                Optname or Level => size == sizeDefault && attach == BpfAttachType.CgroupSetsockopt,
                Optlen => size == sizeDefault,
                _ => false,
            };
        }
        switch (off)
        {
            case Sk:
                info.RegType = RegType.PtrToSocket;
                return size == sizeof(ulong);
            case Optval:
                info.RegType = RegType.PtrToPacket;
                return size == sizeof(ulong);
            case OptvalEnd:
                info.RegType = RegType.PtrToPacketEnd;
                return size == sizeof(ulong);
            case Retval:
                return size == sizeDefault && attach == BpfAttachType.CgroupGetsockopt;
            case < Level:
                return false; // the upper halves of the pointers
            default:
                return size == sizeDefault;
        }
    }
}
