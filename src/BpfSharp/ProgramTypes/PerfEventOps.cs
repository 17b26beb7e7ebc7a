using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_PERF_EVENT (kernel: perf_event_verifier_ops): reads <c>struct bpf_perf_event_data</c>, the
/// registers only as whole 8-byte words, sample_period and addr also in part (narrow loads of a u64 field);
/// writes nothing.
/// </summary>
internal sealed class PerfEventOps() : KernelVerifierOps(BpfProgType.PerfEvent, TracingContextLayout.PerfEventDataSize)
{
    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info)
    {
        // kernel: pe_prog_is_valid_access (on a 64-bit kernel, where an unaligned offset is always refused)
        if (off < 0 || off >= ContextSize || type != BpfAccessType.Read || off % size != 0)
            return false;
        if (CtxField.In(off, TracingContextLayout.PerfEventSamplePeriod, 8) || CtxField.In(off, TracingContextLayout.PerfEventAddr, 8))
        {
            info.CtxFieldSize = sizeof(ulong);
            return CtxField.NarrowAccessOk(size, sizeof(ulong));
        }
        return size == sizeof(ulong);
    }
}
