using BpfSharp.Uapi;
using BpfSharp.Verifier;
using static BpfSharp.Uapi.BpfAttachType;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_CGROUP_SOCK_ADDR (kernel: cg_sock_addr_verifier_ops), the bind, connect, sendmsg, recvmsg,
/// getpeername and getsockname hooks: reads <c>struct bpf_sock_addr</c> (72 bytes); the address fields
/// (user_ip4, user_ip6, user_port, msg_src_ip4, msg_src_ip6) also in part or, for the IPv6 arrays, 8 bytes at a
/// time, and they may be written whole; user_ip4 and user_ip6 belong to the IPv4 and IPv6 hooks, msg_src_ip4 and
/// msg_src_ip6 to UDP sendmsg only; sk is a socket. Return values: 1 at recvmsg, getpeername and getsockname,
/// 0 to 3 at bind, else 0 or 1.
/// </summary>
internal sealed class CgroupSockAddrOps() : KernelVerifierOps(BpfProgType.CgroupSockAddr, Size)
{
    private const int Size = 72;
    private const int UserIp4 = 4, UserIp6 = 8, UserPort = 24, MsgSrcIp4 = 40, MsgSrcIp6 = 44, Sk = 64;

    /// <inheritdoc/>
    public override RetvalRange? ReturnRange(uint expectedAttachType) => (BpfAttachType)expectedAttachType switch
    {
        CgroupUdp4Recvmsg or CgroupUdp6Recvmsg or CgroupUnixRecvmsg or CgroupInet4Getpeername or CgroupInet6Getpeername
            or CgroupUnixGetpeername or CgroupInet4Getsockname or CgroupInet6Getsockname or CgroupUnixGetsockname
            => new RetvalRange(1, 1),
        CgroupInet4Bind or CgroupInet6Bind => new RetvalRange(0, 3),
        _ => new RetvalRange(0, 1),
    };

    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info)
    {
        // kernel: sock_addr_is_valid_access
        const int sizeDefault = sizeof(uint);
        if (off < 0 || off >= Size || off % size != 0)
            return false;
        var attach = (BpfAttachType)expectedAttachType;
        if (CtxField.In(off, UserIp4, 4) && attach is not (CgroupInet4Bind or CgroupInet4Connect or CgroupInet4Getpeername
                or CgroupInet4Getsockname or CgroupUdp4Sendmsg or CgroupUdp4Recvmsg))
            return false;
        if (CtxField.In(off, UserIp6, 16) && attach is not (CgroupInet6Bind or CgroupInet6Connect or CgroupInet6Getpeername
                or CgroupInet6Getsockname or CgroupUdp6Sendmsg or CgroupUdp6Recvmsg))
            return false;
        if (CtxField.In(off, MsgSrcIp4, 4) && attach != CgroupUdp4Sendmsg)
            return false;
        if (CtxField.In(off, MsgSrcIp6, 16) && attach != CgroupUdp6Sendmsg)
            return false;

        if (CtxField.In(off, UserIp4, 4) || CtxField.In(off, UserIp6, 16) || CtxField.In(off, MsgSrcIp4, 4)
            || CtxField.In(off, MsgSrcIp6, 16) || CtxField.In(off, UserPort, 4))
        {
            if (type == BpfAccessType.Read)
                info.CtxFieldSize = sizeDefault;
            if (CtxField.WideAccessOk(off, size, UserIp6, 16) || CtxField.WideAccessOk(off, size, MsgSrcIp6, 16))
                return true;
            return type == BpfAccessType.Read ? CtxField.NarrowAccessOk(size, sizeDefault) : size == sizeDefault;
        }
        if (off == Sk)
        {
            if (type != BpfAccessType.Read || size != sizeof(ulong))
                return false;
            info.RegType = RegType.PtrToSocket;
            return true;
        }
        // user_family, family, type and protocol; not the padding after msg_src_ip6 nor the upper half of sk
        return type == BpfAccessType.Read && size == sizeDefault && off < MsgSrcIp6 + 16;
    }
}
