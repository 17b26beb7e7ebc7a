using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_RAW_TRACEPOINT (kernel: raw_tracepoint_verifier_ops): reads the u64 argument array
/// (MAX_BPF_FUNC_ARGS = 12 entries) at any aligned offset and size; writes nothing.
/// </summary>
internal sealed class RawTracepointOps() : KernelVerifierOps(BpfProgType.RawTracepoint, TracingContextLayout.RawTracepointArgs * sizeof(ulong))
{
    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info) =>
        // kernel: raw_tp_prog_is_valid_access -> bpf_tracing_ctx_access
        off >= 0 && off < ContextSize && type == BpfAccessType.Read && off % size == 0;
}
