using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_KPROBE (kernel: kprobe_verifier_ops): reads <c>struct pt_regs</c> at any aligned offset and size
/// inside it, writes nothing. Session programs (BPF_TRACE_KPROBE_SESSION, BPF_TRACE_UPROBE_SESSION) return 0 or 1;
/// other kprobes return anything.
/// </summary>
internal sealed class KprobeOps() : KernelVerifierOps(BpfProgType.Kprobe, TracingContextLayout.PtRegsSize)
{
    /// <inheritdoc/>
    public override RetvalRange? ReturnRange(uint expectedAttachType) =>
        expectedAttachType is (uint)BpfAttachType.TraceKprobeSession or (uint)BpfAttachType.TraceUprobeSession
            ? new RetvalRange(0, 1)
            : null;

    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info) =>
        // kernel: kprobe_prog_is_valid_access
        off >= 0 && off + size <= ContextSize && type == BpfAccessType.Read && off % size == 0;
}
