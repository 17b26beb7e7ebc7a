using BpfSharp.Memory;
using BpfSharp.Runtime;

namespace BpfSharp.Tests.Runtime;

/// <summary>Helpers the call tests register, with the conformance suite's unwind (id 5).</summary>
public static class TestHelpers
{
    public const int Sum = 1, CallerInsn = 2, ExitWith1234 = 6, ProbeRead = 7, StateValue = 8, CountDown = 9, PureSum = 10;

    public static HelperRegistry Registry() => new HelperRegistry()
        .AddConformanceHelpers()
        .Register(Sum, "sum", static (run, r1, r2, r3, r4, r5) => r1 + r2 + r3 + r4 + r5)
        .Register(CallerInsn, "caller_insn", static (run, r1, r2, r3, r4, r5) => (ulong)run.CallerInstruction)
        .Register(ExitWith1234, "exit_1234", static (run, r1, r2, r3, r4, r5) => { run.RequestExit(1234); return 7; })
        .Register(ProbeRead, "probe_read", static (run, r1, r2, r3, r4, r5) => { run.CheckAccess(r1, r2, AccessKind.Load); return 1; })
        .Register(PureSum, "pure_sum", static (run, r1, r2, r3, r4, r5) => r1 + r2 + r3 + r4 + r5, HelperFlags.Pure)
        .Register(StateValue, "state_value", static (run, r1, r2, r3, r4, r5) => run.State is ulong v ? v : 0)
        .RegisterUnwind(CountDown, "count_down", static (run, r1, r2, r3, r4, r5) => r1 - 1);
}
