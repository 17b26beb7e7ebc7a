using BpfSharp.Uapi;

namespace BpfSharp.Tests.Kernel;

// Raw tracepoints (the arguments as ctx_in) and the types without a test run.
internal static partial class PacketRunCases
{
    private static IEnumerable<PacketRunCase> Others()
    {
        const BpfProgType raw = BpfProgType.RawTracepoint;
        const string arg1 = "r0 = *(u64 *)(r1 +8)|exit";
        byte[] args = new byte[16];
        args[8] = 7;
        yield return Case("raw_tp reads its argument", raw, arg1, null) with { CtxIn = args, DataOut = 0 };
        yield return Case("raw_tp without arguments", raw, arg1, null) with { DataOut = 0 };
        yield return Case("raw_tp with fewer arguments than it reads", raw, arg1, null) with { CtxIn = new byte[15], DataOut = 0 };
        yield return Case("raw_tp with 12 arguments", raw, arg1, null) with { CtxIn = new byte[96], DataOut = 0 };
        yield return Case("raw_tp with 97 bytes of arguments", raw, arg1, null) with { CtxIn = new byte[97], DataOut = 0 };
        yield return Case("raw_tp that reads no argument, without any", raw, "r0 = 3|exit", null) with { DataOut = 0 };
        yield return Case("raw_tp with data_in", raw, arg1, Ipv4()) with { CtxIn = args, DataOut = 0 };
        yield return Case("raw_tp with data_size_in alone", raw, arg1, null) with { CtxIn = args, DataOut = 0, DataSizeIn = 10 };
        yield return Case("raw_tp with data_out", raw, arg1, null) with { CtxIn = args };
        yield return Case("raw_tp with ctx_out", raw, arg1, null) with { CtxIn = args, DataOut = 0, CtxOut = 16 };
        yield return Case("raw_tp with repeat", raw, arg1, null) with { CtxIn = args, DataOut = 0, Repeat = 1 };
        yield return Case("raw_tp with cpu but no flag", raw, arg1, null) with { CtxIn = args, DataOut = 0, Cpu = 1 };
        yield return Case("raw_tp on cpu 1", raw, "call bpf_get_smp_processor_id|exit", null) with { CtxIn = args, DataOut = 0, Cpu = 1, Flags = 1 };
        yield return Case("raw_tp on cpu 999", raw, arg1, null) with { CtxIn = args, DataOut = 0, Cpu = 999, Flags = 1 };
        yield return Case("raw_tp with another flag", raw, arg1, null) with { CtxIn = args, DataOut = 0, Flags = 4 };
        yield return Case("raw_tp with batch_size", raw, arg1, null) with { CtxIn = args, DataOut = 0, BatchSize = 1 };
        foreach (BpfProgType type in (BpfProgType[])[BpfProgType.Kprobe, BpfProgType.Tracepoint, BpfProgType.PerfEvent])
            yield return Case($"{type} has no test run", type, "r0 = 0|exit", Ipv4());
    }
}
