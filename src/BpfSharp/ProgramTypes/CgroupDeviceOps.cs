using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_CGROUP_DEVICE (kernel: cg_dev_verifier_ops, kernel/bpf/cgroup.c): reads
/// <c>struct bpf_cgroup_dev_ctx</c> (access_type, major, minor: 12 bytes) whole, access_type also in part; writes
/// nothing. Returns 0 (deny) or 1 (allow).
/// </summary>
internal sealed class CgroupDeviceOps() : KernelVerifierOps(BpfProgType.CgroupDevice, Size)
{
    private const int Size = 12;
    private const int AccessType = 0;

    /// <inheritdoc/>
    public override RetvalRange? ReturnRange(uint expectedAttachType) => new RetvalRange(0, 1);

    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info)
    {
        // kernel: cgroup_dev_is_valid_access; the end of the access is bounded, not only its start
        if (type == BpfAccessType.Write || off < 0 || off + size > Size || off % size != 0)
            return false;
        if (CtxField.In(off, AccessType, 4))
        {
            info.CtxFieldSize = sizeof(uint);
            return CtxField.NarrowAccessOk(size, sizeof(uint));
        }
        return size == sizeof(uint);
    }
}
