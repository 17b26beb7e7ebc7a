using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_CGROUP_SYSCTL (kernel: cg_sysctl_verifier_ops, kernel/bpf/cgroup.c): reads
/// <c>struct bpf_sysctl</c> (write, file_pos: 8 bytes) whole or in part, writes file_pos whole. Returns 0 or 1.
/// </summary>
internal sealed class CgroupSysctlOps() : KernelVerifierOps(BpfProgType.CgroupSysctl, Size)
{
    private const int Size = 8;
    private const int Write = 0, FilePos = 4;

    /// <inheritdoc/>
    public override RetvalRange? ReturnRange(uint expectedAttachType) => new RetvalRange(0, 1);

    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info)
    {
        // kernel: sysctl_is_valid_access
        if (off < 0 || off + size > Size || off % size != 0)
            return false;
        if (CtxField.In(off, Write, 4) && type != BpfAccessType.Read)
            return false;
        if (!CtxField.In(off, Write, 4) && !CtxField.In(off, FilePos, 4))
            return false;
        if (type == BpfAccessType.Write)
            return size == sizeof(uint);
        info.CtxFieldSize = sizeof(uint);
        return CtxField.NarrowAccessOk(size, sizeof(uint));
    }
}
