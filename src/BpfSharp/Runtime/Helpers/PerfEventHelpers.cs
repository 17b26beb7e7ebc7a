using BpfSharp.Maps;
using BpfSharp.Memory;
using static BpfSharp.Runtime.Helpers.BpfFunc;
using static BpfSharp.Runtime.Helpers.HelperArgs;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// bpf_perf_event_output (helper 25) into a <see cref="PerfEventArray"/>: a PERF_RECORD_SAMPLE with the data as its raw
/// part, written to the running CPU's buffer (BPF_F_CURRENT_CPU) or the indexed one.
/// </summary>
/// <remarks>
/// The packet program types' variants (bpf_skb_event_output, bpf_xdp_event_output) also append packet bytes when the
/// flags carry a length in BPF_F_CTXLEN_MASK; that is not implemented: such flags are -EINVAL here.
/// </remarks>
public static unsafe class PerfEventHelpers
{
    /// <summary>Registers bpf_perf_event_output under its kernel id.</summary>
    public static void Register(HelperRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(BPF_FUNC_perf_event_output, Name(BPF_FUNC_perf_event_output), PerfEventOutput);
    }

    /// <summary>long bpf_perf_event_output(ctx, map, flags, data, size): 0 or -errno (EINVAL, E2BIG, ENOENT, EOPNOTSUPP, ENOSPC).</summary>
    public static ulong PerfEventOutput(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        Map map = Map(run, r2);
        if (map is not PerfEventArray array) throw run.HelperFault($"0x{r2:x} is not a perf event array");
        run.CheckAccess(r4, r5, AccessKind.Load);
        if (r5 > ushort.MaxValue) return Errno(-Uapi.Errno.E2BIG); // a perf record's size is a u16
        return Errno(array.Output(r3, Cpu(run, map), new ReadOnlySpan<byte>((void*)r4, (int)r5)));
    }
}
