using BpfSharp.Isa;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Jit;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Runtime.Jit;

/// <summary>
/// Subprograms too large for RyuJIT to optimize as one method (it silently switches to MinOpts past its
/// DEFAULT_MIN_OPTS_* limits) are compiled as pieces (<see cref="MethodPiece"/>). The engine matrix runs every case
/// also as "jit-pieces" (pieces of two instructions); these tests cover the automatic cut of large programs.
/// </summary>
public class MethodPieceTests
{
    [Fact]
    public void A_small_program_is_one_method()
    {
        var jit = new JitProgram(LargeProgram(100));
        Assert.Equal(2, jit.MethodCosts.Count); // the main program and its subprogram
    }

    [Theory]
    [InlineData(4_000)]
    [InlineData(8_000)]
    public void A_large_program_runs_as_methods_RyuJIT_optimizes_and_as_the_interpreter_does(int blocks)
    {
        Instruction[] program = LargeProgram(blocks);
        HelperRegistry helpers = TestHelpers.Registry();
        var jit = new JitProgram(program, new JitOptions { Helpers = helpers });
        Assert.True(jit.MethodCosts.Count > 2, $"{program.Length} instructions in {jit.MethodCosts.Count} methods");
        Assert.All(jit.MethodCosts, cost => Assert.True(cost.Within(IlCost.MinOptsThreshold), cost.ToString()));

        var interpreter = new Interpreter(program, new InterpreterOptions { Helpers = helpers });
        var run = new RunContext { R1 = 0x0123_4567_89ab_cdef, R2 = 77 };
        ulong expected = interpreter.Run(run);
        Assert.Equal(expected, jit.Run(new RunContext { R1 = 0x0123_4567_89ab_cdef, R2 = 77 }));

        // Checked and budgeted code is larger per instruction: more, smaller pieces, the same result and the same count.
        var checkedJit = new JitProgram(program, new JitOptions { Helpers = helpers, Checked = true, InstructionBudget = 10_000_000 });
        Assert.True(checkedJit.MethodCosts.Count > jit.MethodCosts.Count);
        Assert.All(checkedJit.MethodCosts, cost => Assert.True(cost.Within(IlCost.MinOptsThreshold), cost.ToString()));
        Assert.Equal(expected, checkedJit.Run(new RunContext { R1 = 0x0123_4567_89ab_cdef, R2 = 77 }));
    }

    [Fact]
    public void A_budget_that_runs_out_in_a_later_piece_faults_where_the_interpreter_does()
    {
        Instruction[] program = LargeProgram(4_000);
        HelperRegistry helpers = TestHelpers.Registry();
        var interpreter = new Interpreter(program, new InterpreterOptions { Helpers = helpers, Checked = true, InstructionBudget = 20_000 });
        var jit = new JitProgram(program, new JitOptions { Helpers = helpers, Checked = true, InstructionBudget = 20_000 });
        Assert.True(jit.MethodCosts.Count > 2);
        var expected = Assert.Throws<BpfRuntimeException>(() => interpreter.Run(new RunContext { R1 = 5 }));
        var actual = Assert.Throws<BpfRuntimeException>(() => jit.Run(new RunContext { R1 = 5 }));
        Assert.Equal(expected.Message, actual.Message);
    }

    [Fact]
    public void A_cut_avoids_splitting_a_loop()
    {
        // 100 ALU instructions, a loop from slot 30 back from slot 50; the IL budget fits 40 instructions per method,
        // so the first cut would fall at 40, inside the loop: it moves back to 30, the loop's head.
        var items = new List<AsmItem>();
        for (int pc = 0; pc < 30; pc++) items.Add(Add64(R0, 1));
        items.Add(Label("loop"));
        for (int pc = 30; pc < 50; pc++) items.Add(Add64(R0, 1));
        items.Add(JmpImm(BPF_JGT, R0, 1_000, "loop"));
        for (int pc = 51; pc < 99; pc++) items.Add(Add64(R0, 1));
        items.Add(Exit());
        Instruction[] program = Program([.. items]);
        DecodedInsn[] code = PreDecoder.Decode(program, []);
        var reachable = new bool[code.Length];
        var costs = new IlCost[code.Length];
        int perInstruction = IlCost.Budget.LocalReferences / 40;
        for (int pc = 0; pc < program.Length; pc++)
        {
            reachable[pc] = true;
            costs[pc] = new IlCost(0, 0, 0, (pc + 1) * perInstruction);
        }
        MethodPiece[] pieces = MethodPieces.Plan(code, 0, reachable, costs, 0)!;
        Assert.NotNull(pieces);
        Assert.Equal(30, pieces[1].Start);
        Assert.True(pieces[1].Contains(50));
        Assert.Equal([0], pieces[0].Entries);
        Assert.Equal([30], pieces[1].Entries);
    }

    [Fact]
    public void The_listing_shows_the_pieces()
    {
        Instruction[] program = Program(Mov64(R0, 1), Add64(R0, 2), Add64(R0, 3), Exit());
        var jit = new JitProgram(program, new JitOptions { PieceInstructions = 2 });
        string listing = jit.DumpListing(program);
        Assert.Contains(".method bpf_sub_0_part_0 (insns 0-1, entered at 0)", listing);
        Assert.Contains(".method bpf_sub_0_part_1 (insns 2-4, entered at 2)", listing);
        Assert.Contains(".method bpf_sub_0 (insn 0, in 2 pieces)", listing);
        Assert.Equal(6ul, jit.Run(new RunContext()));
    }

    // blocks x 10 instructions: ALU on all registers from r1/r2, 64-bit stack stores and loads, a forward jump per
    // block, a 20-iteration loop every 100 blocks and a bpf-to-bpf call every 50; r0 mixes everything.
    private static Instruction[] LargeProgram(int blocks)
    {
        var items = new List<AsmItem> { Mov64(R6, R1), Mov64(R7, R2), Mov64(R8, 3), Mov64(R9, 0x55), Mov64(R0, 0) };
        for (int b = 0; b < blocks; b++)
        {
            var x = (Reg)(6 + b % 4);
            var y = (Reg)(6 + (b + 1) % 4);
            items.Add(Add64(R0, x));
            items.Add(Mul64(x, 0x3779b1));
            items.Add(Xor64(y, x));
            items.Add(StxMem(BPF_DW, R10, x, (short)(-8 * (1 + b % 8))));
            items.Add(Rsh64(x, 7));
            items.Add(JmpImm(BPF_JSET, y, 1, $"skip{b}"));
            items.Add(Add64(R0, 1));
            items.Add(Label($"skip{b}"));
            items.Add(LdxMem(BPF_DW, R1, R10, (short)(-8 * (1 + (b + 3) % 8))));
            items.Add(Add64(R0, R1));
            if (b % 100 == 50)
            {
                items.Add(Mov64(R1, 20));
                items.Add(Label($"loop{b}"));
                items.Add(Add64(R0, R1));
                items.Add(Sub64(R1, 1));
                items.Add(JmpImm(BPF_JNE, R1, 0, $"loop{b}"));
            }
            if (b % 50 == 25)
            {
                items.Add(Mov64(R1, R0));
                items.Add(CallRel("sub"));
            }
        }
        items.Add(Exit());
        items.Add(Label("sub"));
        items.Add(Mov64(R0, R1));
        items.Add(Xor64(R0, 0x1234));
        items.Add(Exit());
        return Program([.. items]);
    }
}
