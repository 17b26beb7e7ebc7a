using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_TRACEPOINT (kernel: tracepoint_verifier_ops): reads the tracepoint record at any aligned offset
/// from 8 (the first 8 bytes hold the kernel's pt_regs pointer) below PERF_MAX_TRACE_SIZE; writes nothing. The
/// record's real length is only known at attach time, which refuses a program that read past it.
/// </summary>
/// <remarks>
/// The kernel compares the (signed) offset with <c>sizeof(void *)</c>, an unsigned size, so a negative offset
/// passes that test: 6.18 accepts <c>*(u64 *)(r1 - 8)</c> and any other aligned negative offset. The attach-time
/// check (the highest byte read, kept as an unsigned max_ctx_offset) then refuses every such program except one
/// whose read ends exactly at the context start (say 8 bytes at -8), which attaches and reads the bytes before
/// the record. This class answers as the kernel does; a host that runs tracepoint programs must bound them at
/// attach time the same way, or give the context headroom.
/// </remarks>
internal sealed class TracepointOps() : KernelVerifierOps(BpfProgType.Tracepoint, TracingContextLayout.PerfMaxTraceSize)
{
    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info) =>
        // kernel: tp_prog_is_valid_access; the end of the access is not bounded (off 8184 size 8 is fine)
        (off < 0 || off >= sizeof(ulong)) && off < ContextSize && type == BpfAccessType.Read && off % size == 0;
}
