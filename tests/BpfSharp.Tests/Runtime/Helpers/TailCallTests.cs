using BpfSharp.Isa;
using BpfSharp.Runtime;
using BpfSharp.Tests.Runtime.Engines;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;
using static BpfSharp.Tests.Runtime.Helpers.HelperHarness;

namespace BpfSharp.Tests.Runtime.Helpers;

/// <summary>
/// bpf_tail_call (bpf-helpers(7)): jumps into the program in the PROG_ARRAY slot, never returning; falls
/// through when the index is out of range, the slot is empty or 33 tail calls were made (MAX_TAIL_CALL_CNT).
/// The program-run loop lives in the system layer; <see cref="RunChain"/> plays it here.
/// </summary>
public class TailCallTests
{
    public static TheoryData<string, bool> EnginesAndModes => EngineMatrix.EnginesAndModes();
    public static TheoryData<string> Engines => EngineMatrix.Engines();

    private const int TailCallId = 12;

    // The program-run loop: run, then as long as the run ended in a tail call, run the target with the same context.
    private static ulong RunChain(Func<RunContext, ulong> first, RunContext ctx)
    {
        ulong r0 = first(ctx);
        while (ctx.TakeTailCall() is TestProgram next)
            r0 = next.Run(ctx);
        return r0;
    }

    // bpf_tail_call(ctx, progs, index); return fallThrough
    private static Instruction[] TailCallTo(TestProgArray progs, int index, int fallThrough) => Program(
        LdImm64(R2, HandleOf(progs)), Mov64(R3, index), Call(TailCallId), Mov64(R0, fallThrough), Exit());

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void A_chain_takes_at_most_33_tail_calls(string engine, bool isChecked)
    {
        // tools/testing/selftests/bpf: tailcall3 / test_tailcall_count: entry tail-calls classifier_0, which
        // counts itself and tail-calls itself; the count ends at 33 and the last run returns 1.
        using var h = new HelperHarness();
        var progs = h.Add(new TestProgArray(h.MapContext, 1));
        var classifier = new TestProgram(h.Load(engine, isChecked, Program(
            LdxMem(BPF_DW, R2, R1, 0), Add64(R2, 1), StxMem(BPF_DW, R1, R2, 0),
            LdImm64(R2, HandleOf(progs)), Mov64(R3, 0), Call(TailCallId), Mov64(R0, 1), Exit())), "classifier_0");
        progs.Set(0, classifier);
        var entry = h.Load(engine, isChecked, TailCallTo(progs, 0, 0));
        var ctx = h.NewContext();

        Assert.Equal(1ul, RunChain(entry, ctx));
        Assert.Equal(33ul, h.U64(0));
        Assert.Equal(33, ctx.TailCallCount);

        // the next chain on the same context starts counting again
        h.SetU64(0, 0);
        Assert.Equal(1ul, RunChain(entry, ctx));
        Assert.Equal(33ul, h.U64(0));
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void A_successful_tail_call_does_not_return(string engine, bool isChecked)
    {
        using var h = new HelperHarness();
        var progs = h.Add(new TestProgArray(h.MapContext, 2));
        progs.Set(1, new TestProgram(h.Load(engine, isChecked, Program(Mov64(R0, 42), Exit())), "target"));
        var entry = h.Load(engine, isChecked, Program(
            LdImm64(R2, HandleOf(progs)), Mov64(R3, 1), Call(TailCallId), StMem(BPF_DW, R1, 8, 1), Mov64(R0, 7), Exit()));
        var ctx = h.NewContext();
        Assert.Equal(42ul, RunChain(entry, ctx));
        Assert.Equal(0ul, h.U64(8)); // nothing after the call ran
        Assert.Null(ctx.TailCallTarget);
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void An_index_past_max_entries_falls_through_without_counting(string engine, bool isChecked)
    {
        using var h = new HelperHarness();
        var progs = h.Add(new TestProgArray(h.MapContext, 2));
        progs.Set(0, new TestProgram(h.Load(engine, isChecked, Program(Mov64(R0, 42), Exit())), "target"));
        var ctx = h.NewContext();
        Assert.Equal(7ul, RunChain(h.Load(engine, isChecked, TailCallTo(progs, 2, 7)), ctx));
        Assert.Equal(0, ctx.TailCallCount);
        Assert.Equal(7ul, RunChain(h.Load(engine, isChecked, TailCallTo(progs, -1, 7)), ctx)); // u32 index 0xffffffff
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void An_empty_slot_falls_through_and_does_not_count(string engine, bool isChecked)
    {
        using var h = new HelperHarness();
        var progs = h.Add(new TestProgArray(h.MapContext, 2));
        var ctx = h.NewContext();
        Assert.Equal(7ul, RunChain(h.Load(engine, isChecked, TailCallTo(progs, 1, 7)), ctx));
        // the 6.18 kernel (x86-64 JIT) counts a tail call only once the slot holds a program (see
        // SubprogramTailCallTests: 33 calls into an empty slot leave the next real one free to go)
        Assert.Equal(0, ctx.TailCallCount);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void A_map_that_is_no_prog_array_faults_in_checked_mode(string engine)
    {
        using var h = new HelperHarness();
        var array = h.Add(new TestArrayMap(h.MapContext, 8, 2));
        Instruction[] program = Program(LdImm64(R2, HandleOf(array)), Mov64(R3, 0), Call(TailCallId), Mov64(R0, 7), Exit());
        var ex = Assert.Throws<BpfRuntimeException>(() => h.Run(engine, true, program));
        Assert.Equal(FaultKind.InvalidHelperArgument, ex.Kind);
        Assert.Equal(7ul, h.Run(engine, false, program));
    }
}
