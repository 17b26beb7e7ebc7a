using BpfSharp.Isa;
using BpfSharp.Runtime;
using BpfSharp.Tests.Runtime.Engines;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Runtime;

/// <summary>
/// may_goto at run time, on every engine in both modes: each function invocation starts with a loop budget of
/// BPF_MAX_LOOPS (8 * 1024 * 1024, the kernel's count-based may_goto: do_misc_fixups' counter, set at the function's
/// entry); a may_goto falls through and counts it down while it lasts, and jumps once it is spent. The expected
/// values follow from that definition (every case counts its fall-throughs in r0).
/// </summary>
public class MayGotoTests
{
    public sealed record MayGotoCase(string Name, Instruction[] Program, ulong Expected);

    /// <summary>The budget of one function invocation (kernel: BPF_MAX_LOOPS).</summary>
    private const ulong MaxLoops = 8 * 1024 * 1024;

    public static readonly MayGotoCase[] All =
    [
        new("may_goto +0 goes on either way", Program(Mov64(R0, 5), MayGoto(0), Exit()), 5),
        new("the first may_goto falls through", Program(
            Mov64(R0, 0), MayGoto("out"), Mov64(R0, 1), Label("out"), Exit()), 1),
        new("a loop only may_goto ends runs BPF_MAX_LOOPS times", Program(
            Mov64(R0, 0),
            Label("loop"), MayGoto("out"), Add64(R0, 1), Ja("loop"),
            Label("out"), Exit()), MaxLoops),
        new("a loop that ends by its own condition is not cut short", Program(
            Mov64(R0, 0),
            Label("loop"), MayGoto("out"), Add64(R0, 1), Jlt(R0, 1000, "loop"),
            Label("out"), Exit()), 1000),
        new("two may_gotos of one function share its budget", Program(
            Mov64(R0, 0),
            Label("loop"), MayGoto("out"), Add64(R0, 1), MayGoto("out"), Add64(R0, 1), Ja("loop"),
            Label("out"), Exit()), MaxLoops),
        // the outer loop falls through once, the inner one spends the rest, then the outer one jumps out
        new("nested loops share the function's budget", Program(
            Mov64(R0, 0), Mov64(R7, 0),
            Label("outer"), MayGoto("out"), Add64(R0, 1), Add64(R7, 1),
            Label("inner"), MayGoto("next"), Add64(R0, 1), Ja("inner"),
            Label("next"), Ja("outer"),
            Label("out"), Lsh64(R7, 32), Add64(R0, R7), Exit()), (1UL << 32) + MaxLoops),
        new("a callee has its own budget, fresh at each call", Program(
            CallRel("sub"), Mov64(R6, R0), CallRel("sub"), Add64(R6, R0),
            MayGoto("skip"), Add64(R6, 1), Label("skip"),
            Mov64(R0, R6), Exit(),
            Label("sub"), Mov64(R0, 0),
            Label("loop"), MayGoto("out"), Add64(R0, 1), Ja("loop"),
            Label("out"), Exit()), 2 * MaxLoops + 1),
        // a callee that spends its budget in the fifth iteration neither spends nor renews the caller's
        new("the caller's budget survives a call", Program(
            Mov64(R0, 0),
            Label("loop"), MayGoto("out"), Add64(R0, 1), Jne(R0, 5, "loop"),
            Mov64(R6, R0), CallRel("sub"), Mov64(R0, R6), Ja("loop"),
            Label("out"), Exit(),
            Label("sub"), Mov64(R0, 0),
            Label("spin"), MayGoto("done"), Ja("spin"),
            Label("done"), Exit()), MaxLoops),
    ];

    private static readonly Dictionary<string, MayGotoCase> Cases = EngineMatrix.Index(All, c => c.Name);

    public static TheoryData<string, string, string> Rows => EngineMatrix.Rows(Cases.Keys);

    [Theory]
    [MemberData(nameof(Rows))]
    public void Counts_the_budget_of_each_function_invocation(string engine, string mode, string name)
    {
        MayGotoCase c = Cases[name];
        // no instruction budget: the loops run tens of millions of instructions
        Assert.Equal(c.Expected, ProgramRunner.Run(engine, mode, c.Program, new RunSetup { Budget = 0 }).R0);
    }

    [Fact]
    public void The_budget_is_the_kernels_BPF_MAX_LOOPS()
    {
        Assert.Equal(MaxLoops, MayGotoSemantics.InitialBudget);
        Assert.Equal(8 * 1024 * 1024, Opcodes.BPF_MAX_LOOPS);
    }

    [Fact]
    public void Jumps_counts_down_then_jumps()
    {
        ulong budget = 2;
        Assert.False(MayGotoSemantics.Jumps(ref budget));
        Assert.False(MayGotoSemantics.Jumps(ref budget));
        Assert.True(MayGotoSemantics.Jumps(ref budget));
        Assert.True(MayGotoSemantics.Jumps(ref budget));
        Assert.Equal(0UL, budget);
    }

    [Fact]
    public void The_instruction_encodes_as_the_kernels_0xe5()
    {
        Instruction insn = MayGoto(-3);
        Assert.Equal(new Instruction(0xe5, (byte)0, (byte)0, -3, 0), insn);
        Assert.Equal(OpKind.MayGoto, OpcodeTable.Get(insn.Opcode).Kind);
        Assert.Equal("0: (e5) may_goto pc-3", Disassembler.Format([insn], 0));
        Assert.Equal(insn, Assembler.Assemble("may_goto pc-3", validate: false)[0]);
    }
}
