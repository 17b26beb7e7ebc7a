using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE (kernel: raw_tracepoint_writable_verifier_ops): a raw tracepoint whose
/// first argument is a buffer the program may read and write: a whole 8-byte read at offset 0 yields a
/// PTR_TO_TP_BUFFER; otherwise as <see cref="RawTracepointOps"/>. How far the program reaches into the buffer
/// (kernel: max_tp_access) is checked against the tracepoint's buffer size when it attaches.
/// </summary>
internal sealed class RawTracepointWritableOps()
    : KernelVerifierOps(BpfProgType.RawTracepointWritable, TracingContextLayout.RawTracepointArgs * sizeof(ulong))
{
    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info)
    {
        // kernel: raw_tp_writable_prog_is_valid_access, then raw_tp_prog_is_valid_access
        if (off == 0)
        {
            if (size != sizeof(ulong) || type != BpfAccessType.Read)
                return false;
            info.RegType = RegType.PtrToTpBuffer;
        }
        return off >= 0 && off < ContextSize && type == BpfAccessType.Read && off % size == 0;
    }
}
