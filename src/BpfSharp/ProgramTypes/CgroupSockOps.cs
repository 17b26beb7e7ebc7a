using BpfSharp.Uapi;
using BpfSharp.Verifier;
using static BpfSharp.ProgramTypes.SockAccess;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_CGROUP_SOCK (kernel: cg_sock_verifier_ops): the context is a <c>struct bpf_sock</c>, read as
/// <see cref="SockAccess.IsValidSock"/> allows; at socket creation and release (BPF_CGROUP_INET_SOCK_CREATE,
/// _RELEASE) bound_dev_if, mark and priority may also be written; src_ip4, src_ip6 and src_port are read only after
/// a bind (BPF_CGROUP_INET4_POST_BIND, INET6_POST_BIND). Returns 0 or 1.
/// </summary>
internal sealed class CgroupSockOps() : KernelVerifierOps(BpfProgType.CgroupSock, SockSize)
{
    /// <inheritdoc/>
    public override RetvalRange? ReturnRange(uint expectedAttachType) => new RetvalRange(0, 1);

    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info)
    {
        // kernel: sock_filter_is_valid_access, then __sock_filter_check_attach_type
        if (!IsValidSock(off, size, ref info))
            return false;
        var attach = (BpfAttachType)expectedAttachType;
        if (off is BoundDevIf or Mark or Priority)
            return attach is BpfAttachType.CgroupInetSockCreate or BpfAttachType.CgroupInetSockRelease;
        if (CtxField.In(off, SrcIp4, 4) && attach != BpfAttachType.CgroupInet4PostBind)
            return false;
        if (CtxField.In(off, SrcIp6, 16) && attach != BpfAttachType.CgroupInet6PostBind)
            return false;
        if (CtxField.In(off, SrcPort, 4) && attach is not (BpfAttachType.CgroupInet4PostBind or BpfAttachType.CgroupInet6PostBind))
            return false;
        return type == BpfAccessType.Read;
    }
}
