namespace BpfSharp.ProgramTypes;

/// <summary>
/// The sizes of the tracing program types' contexts on x86-64: <c>struct pt_regs</c> (kprobes),
/// <c>struct bpf_perf_event_data</c> (perf events), the raw tracepoint argument array and the tracepoint
/// record buffer.
/// </summary>
public static class TracingContextLayout
{
    /// <summary>sizeof(struct pt_regs) on x86-64: 21 registers of 8 bytes (r15 .. ss).</summary>
    public const int PtRegsSize = 21 * 8;

    /// <summary>struct bpf_perf_event_data.sample_period (__u64), right after the registers.</summary>
    public const int PerfEventSamplePeriod = PtRegsSize;

    /// <summary>struct bpf_perf_event_data.addr (__u64).</summary>
    public const int PerfEventAddr = PtRegsSize + 8;

    /// <summary>sizeof(struct bpf_perf_event_data).</summary>
    public const int PerfEventDataSize = PtRegsSize + 16;

    /// <summary>MAX_BPF_FUNC_ARGS: a raw tracepoint sees up to 12 u64 arguments.</summary>
    public const int RawTracepointArgs = 12;

    /// <summary>
    /// PERF_MAX_TRACE_SIZE: the bound on a tracepoint record the program reads; 8192 since Linux 6.10 (it was
    /// 2048 before), as the live 6.18 kernel confirms.
    /// </summary>
    public const int PerfMaxTraceSize = 8192;
}
