using BpfSharp.Isa;
using BpfSharp.Runtime;
using BpfSharp.Tests.Runtime.Engines;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;
using static BpfSharp.Tests.Runtime.Helpers.HelperHarness;

namespace BpfSharp.Tests.Runtime.Helpers;

/// <summary>
/// bpf_loop (bpf-helpers(7): calls callback_fn(i, ctx) nr_loops times, 0 continues, 1 stops, returns the
/// number of calls; -E2BIG over 1 &lt;&lt; 23 loops, -EINVAL for flags) and the callback machinery: a new frame
/// per call, caller state untouched, the 8-frame limit, the shared budget, faults inside callbacks.
/// </summary>
public class LoopHelperTests
{
    public static TheoryData<string, bool> EnginesAndModes => EngineMatrix.EnginesAndModes();
    public static TheoryData<string> Engines => EngineMatrix.Engines();

    private const int Loop = 181;

    // r0 = bpf_loop(n, cb, &ctx at r10-8, flags); returns r0 * 1000 + ctx, ctx starting at 0.
    private static Instruction[] LoopProgram(int n, int flags, params AsmItem[] callback) => Program([
        StMem(BPF_DW, R10, -8, 0),
        Mov64(R1, n), LdFunc(R2, "cb"), Mov64(R3, R10), Add64(R3, -8), Mov64(R4, flags),
        Call(Loop),
        LdxMem(BPF_DW, R1, R10, -8), Mul64(R0, 1000), Add64(R0, R1), Exit(),
        Label("cb"), .. callback]);

    // callback: *ctx += i; return 0
    private static readonly AsmItem[] SumIndexes =
        [LdxMem(BPF_DW, R3, R2, 0), Add64(R3, R1), StxMem(BPF_DW, R2, R3, 0), Mov64(R0, 0), Exit()];

    // callback: *ctx += 1; return i == 3
    private static readonly AsmItem[] CountAndStopAt3 =
        [LdxMem(BPF_DW, R3, R2, 0), Add64(R3, 1), StxMem(BPF_DW, R2, R3, 0), Mov64(R0, 0), Jne(R1, 3, "go"), Mov64(R0, 1), Label("go"), Exit()];

    public static readonly TheoryData<string, int, int, bool, long> Cases = new()
    {
        { "calls the callback n times with i = 0..n-1", 10, 0, false, 10 * 1000 + 45 },
        { "stops when the callback returns 1, counting that call", 10, 0, true, 4 * 1000 + 4 },
        { "zero loops call nothing", 0, 0, false, 0 },
        { "1 << 23 + 1 loops is E2BIG", (1 << 23) + 1, 0, false, -Errno.E2BIG * 1000L },
        { "non-zero flags is EINVAL", 10, 1, false, -Errno.EINVAL * 1000L },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bpf_loop_follows_the_kernel(string name, int n, int flags, bool stopAt3, long expected)
    {
        _ = name;
        foreach (var (engine, isChecked) in Modes())
        {
            using var h = new HelperHarness();
            ulong r0 = h.Run(engine, isChecked, LoopProgram(n, flags, stopAt3 ? CountAndStopAt3 : SumIndexes));
            Assert.Equal((ulong)expected, r0);
        }
    }

    private static IEnumerable<(string, bool)> Modes()
    {
        foreach (var engine in EngineMatrix.All)
        {
            yield return (engine.Name, true);
            yield return (engine.Name, false);
        }
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void Callback_starts_on_a_fresh_frame_with_r1_r2_and_zeroed_registers(string engine, bool isChecked)
    {
        using var h = new HelperHarness();
        // The caller sets r6-r9 and its own stack slot r10-16; the callback records r3|r4|r5|r6|r7|r8|r9 in
        // *ctx and writes its own r10-16. Afterwards the caller's r6-r9 and r10-16 are as they were.
        ulong r0 = h.Run(engine, isChecked, Program(
            StMem(BPF_DW, R10, -8, -1), StMem(BPF_DW, R10, -16, 0xAA),
            Mov64(R6, 6), Mov64(R7, 7), Mov64(R8, 8), Mov64(R9, 9),
            Mov64(R1, 1), LdFunc(R2, "cb"), Mov64(R3, R10), Add64(R3, -8), Mov64(R4, 0), Call(Loop),
            Jne(R0, 1, "fail"), Jne(R6, 6, "fail"), Jne(R7, 7, "fail"), Jne(R8, 8, "fail"), Jne(R9, 9, "fail"),
            LdxMem(BPF_DW, R1, R10, -16), Jne(R1, 0xAA, "fail"),
            LdxMem(BPF_DW, R0, R10, -8), Exit(),
            Label("fail"), Mov64(R0, -1), Exit(),
            Label("cb"),
            Mov64(R0, R3), Or64(R0, R4), Or64(R0, R5), Or64(R0, R6), Or64(R0, R7), Or64(R0, R8), Or64(R0, R9), Or64(R0, R1),
            StxMem(BPF_DW, R2, R0, 0), StMem(BPF_DW, R10, -16, 0xBB), Mov64(R0, 0), Exit()));
        Assert.Equal(0ul, r0);
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void Callbacks_may_call_subprograms_and_nest_loops(string engine, bool isChecked)
    {
        using var h = new HelperHarness();
        // outer: 3 loops; each runs an inner bpf_loop of 4 whose callback calls add1(ctx) through a bpf-to-bpf call.
        ulong r0 = h.Run(engine, isChecked, Program(
            StMem(BPF_DW, R10, -8, 0),
            Mov64(R1, 3), LdFunc(R2, "outer"), Mov64(R3, R10), Add64(R3, -8), Mov64(R4, 0), Call(Loop),
            LdxMem(BPF_DW, R0, R10, -8), Exit(),
            Label("outer"), Mov64(R3, R2), Mov64(R1, 4), LdFunc(R2, "inner"), Mov64(R4, 0), Call(Loop), Mov64(R0, 0), Exit(),
            Label("inner"), Mov64(R1, R2), CallRel("add1"), Mov64(R0, 0), Exit(),
            Label("add1"), LdxMem(BPF_DW, R2, R1, 0), Add64(R2, 1), StxMem(BPF_DW, R1, R2, 0), Exit()));
        Assert.Equal(12ul, r0);
    }

    // main -> f1 -> ... -> f{depth} (frame index depth), which calls bpf_loop: the callback's frame is depth + 1.
    private static Instruction[] LoopAtDepth(int depth)
    {
        var items = new List<AsmItem> { CallRel("f1"), Exit() };
        for (int k = 1; k <= depth; k++)
        {
            items.Add(Label($"f{k}"));
            if (k < depth)
            {
                items.Add(CallRel($"f{k + 1}"));
                items.Add(Exit());
            }
        }
        items.AddRange([Mov64(R1, 1), LdFunc(R2, "cb"), Mov64(R3, 0), Mov64(R4, 0), Call(Loop), Exit(), Label("cb"), Mov64(R0, 0), Exit()]);
        return Program([.. items]);
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void A_callback_counts_as_a_frame_of_the_eight(string engine, bool isChecked)
    {
        using var h = new HelperHarness();
        Assert.Equal(1ul, h.Run(engine, isChecked, LoopAtDepth(6))); // frames 0..7
        var ex = Assert.Throws<BpfRuntimeException>(() => h.Run(engine, isChecked, LoopAtDepth(7)));
        Assert.Equal(FaultKind.CallDepthExceeded, ex.Kind);
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void A_value_that_is_no_subprogram_is_not_a_callback(string engine, bool isChecked)
    {
        using var h = new HelperHarness();
        foreach (Instruction[] program in new[]
        {
            Program(Mov64(R1, 1), Mov64(R2, 5), Mov64(R3, 0), Mov64(R4, 0), Call(Loop), Exit(), Mov64(R0, 0), Exit()),
            // one slot into the subprogram: not its entry
            Program(Mov64(R1, 1), LdFunc(R2, "cb"), Add64(R2, 1), Mov64(R3, 0), Mov64(R4, 0), Call(Loop), Exit(), Label("cb"), Mov64(R0, 0), Exit()),
        })
        {
            var ex = Assert.Throws<BpfRuntimeException>(() => h.Run(engine, isChecked, program));
            Assert.Equal(FaultKind.InvalidHelperArgument, ex.Kind);
            Assert.Contains("is not a subprogram of the running program", ex.Message);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Checked_callback_context_must_be_null_or_on_the_stack(string engine)
    {
        using var h = new HelperHarness();
        // r3 = the caller memory in r1: a valid pointer, but not to the stack (ARG_PTR_TO_STACK_OR_NULL)
        Instruction[] program = Program(Mov64(R3, R1), Mov64(R1, 1), LdFunc(R2, "cb"), Mov64(R4, 0), Call(Loop), Exit(), Label("cb"), Mov64(R0, 0), Exit());
        var ex = Assert.Throws<BpfRuntimeException>(() => h.Run(engine, true, program));
        Assert.Equal(FaultKind.InvalidHelperArgument, ex.Kind);
        Assert.Equal(1ul, h.Run(engine, false, program));
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void Callbacks_spend_the_runs_instruction_budget(string engine, bool isChecked)
    {
        using var h = new HelperHarness();
        Instruction[] program = LoopProgram(1000, 0, SumIndexes); // 5 instructions per callback
        Assert.Equal(1000ul * 1000 + 499500, h.Run(engine, isChecked, program, budget: 6000));
        var ex = Assert.Throws<BpfRuntimeException>(() => h.Run(engine, isChecked, program, budget: 4000));
        Assert.Equal(FaultKind.BudgetExhausted, ex.Kind);
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void An_exit_requested_in_a_callback_ends_the_whole_program(string engine, bool isChecked)
    {
        using var h = new HelperHarness();
        ulong r0 = h.Run(engine, isChecked, LoopProgram(10, 0,
            LdxMem(BPF_DW, R3, R2, 0), Add64(R3, 1), StxMem(BPF_DW, R2, R3, 0), Mov64(R1, 77), Call(ExitWithId), Mov64(R0, 0), Exit()));
        Assert.Equal(77ul, r0);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void A_fault_in_a_callback_names_the_callbacks_instruction(string engine)
    {
        using var h = new HelperHarness();
        Instruction[] program = Program(
            Mov64(R1, 1), LdFunc(R2, "cb"), Mov64(R3, 0), Mov64(R4, 0), Call(Loop), Exit(), // 0-6
            Label("cb"), Mov64(R0, 0), LdxMem(BPF_DW, R0, R0, 8), Exit());                 // 7-9
        var ex = Assert.Throws<BpfRuntimeException>(() => h.Run(engine, true, program));
        Assert.Equal(FaultKind.OutOfBounds, ex.Kind);
        Assert.Equal(8, ex.InstructionIndex);
    }

    [Fact]
    public void InvokeCallback_needs_a_run_in_progress()
    {
        var run = new RunContext();
        Assert.Throws<InvalidOperationException>(() => run.InvokeCallback(SubprogramPointer.Encode(0), 0, 0, 0, 0, 0));
        Assert.False(run.IsCallback(SubprogramPointer.Encode(0)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(12345)]
    public void Subprogram_pointers_round_trip_and_reject_plain_numbers(int index)
    {
        ulong value = SubprogramPointer.Encode(index);
        Assert.Equal(0x0BF0_CA11_0000_0000ul | (uint)index, value);
        Assert.True(SubprogramPointer.TryDecode(value, out int decoded));
        Assert.Equal(index, decoded);
        Assert.False(SubprogramPointer.TryDecode((ulong)index, out _));
    }
}
