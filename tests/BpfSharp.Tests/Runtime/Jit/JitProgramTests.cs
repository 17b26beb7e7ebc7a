using BpfSharp.Isa;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Jit;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Runtime.Jit;

/// <summary>What is particular to the JIT: the listing, direct helper calls, engine selection in BpfSystem.</summary>
public class JitProgramTests
{
    public static ulong StaticHelper(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => r1 * 3;

    public static TheoryData<string> PreparedShapes => ["leaf", "leaf using the stack", "helper call", "subprogram", "pieces", "checked"];

    [Theory]
    [MemberData(nameof(PreparedShapes))]
    public void Prepare_compiles_without_running_and_runs_still_give_their_results(string shape)
    {
        // The program counts its runs in caller memory (r1): Prepare must not run any of it.
        AsmItem[] body = [LdxMem(Opcodes.BPF_DW, R2, R1, 0), Add64(R2, 1), StxMem(Opcodes.BPF_DW, R1, R2, 0)];
        var helpers = new HelperRegistry().Register(TestHelpers.Sum, "sum", static (run, r1, r2, r3, r4, r5) => r1 + r2);
        (Instruction[] program, JitOptions options) = shape switch
        {
            "leaf" => (Program([.. body, Mov64(R0, R2), Exit()]), new JitOptions()),
            "leaf using the stack" => (Program([.. body, StxMem(Opcodes.BPF_DW, R10, R2, -8), LdxMem(Opcodes.BPF_DW, R0, R10, -8), Exit()]), new JitOptions()),
            "helper call" => (Program([.. body, Mov64(R6, R2), Mov64(R1, R2), Mov64(R2, 0), Call(TestHelpers.Sum), Exit()]), new JitOptions { Helpers = helpers }),
            "subprogram" => (Program([.. body, Mov64(R1, R2), CallRel("sub"), Exit(), Label("sub"), Mov64(R0, R1), Exit()]), new JitOptions()),
            "pieces" => (Program([.. body, Mov64(R0, R2), Exit()]), new JitOptions { PieceInstructions = 1 }),
            _ => (Program([.. body, Mov64(R0, R2), Exit()]), new JitOptions { Checked = true, InstructionBudget = 100 }),
        };
        var jit = new JitProgram(program, options);
        jit.Prepare();
        jit.Prepare();
        using var memory = new BpfSharp.Memory.NativeBuffer(8);
        var run = new RunContext { R1 = (ulong)memory.Pointer };
        run.AddRegion(new BpfSharp.Memory.MemoryRegion(memory.Pointer, 8, writable: true, "counter"));
        Assert.Equal(1ul, jit.Run(run));
        Assert.Equal(2ul, jit.Run(run));
        Assert.Equal(2ul, BitConverter.ToUInt64(memory.Span));
    }

    [Fact]
    public void The_listing_shows_each_instruction_before_its_IL()
    {
        Instruction[] program = Program(Mov64(R0, 7), Add64(R0, R1), Exit());
        var jit = new JitProgram(program);
        string listing = jit.DumpListing(program);
        Assert.Contains(".method bpf_sub_0 (insn 0)", listing);
        Assert.Contains("// 0: (b7) r0 = 7", listing);
        Assert.Contains("// 1: (0f) r0 += r1", listing);
        Assert.Contains("add", listing);
        Assert.Contains("ret", listing);
        Assert.Contains($"// {jit.IlSize} bytes of IL in all (unchecked mode)", listing);
    }

    [Fact]
    public void Helpers_are_called_directly_not_through_their_delegate()
    {
        var helpers = new HelperRegistry()
            .Register(1, "static", StaticHelper)
            .Register(2, "lambda", static (run, r1, r2, r3, r4, r5) => r1 + 1);
        Instruction[] program = Program(Mov64(R1, 5), Call(1), Mov64(R1, R0), Call(2), Exit());
        var jit = new JitProgram(program, new JitOptions { Helpers = helpers });
        Assert.Equal(16ul, jit.Run(new RunContext()));
        string listing = jit.DumpListing(program);
        Assert.Contains($"call {nameof(JitProgramTests)}::{nameof(StaticHelper)}", listing);
        Assert.DoesNotContain("Invoke", listing);
    }

    [Fact]
    public void Checked_mode_emits_the_access_checks_and_the_budget()
    {
        Instruction[] program = Program(LdxMem(Opcodes.BPF_DW, R0, R10, -8), Exit());
        string unchecked_ = new JitProgram(program).DumpListing(program);
        string checked_ = new JitProgram(program, new JitOptions { Checked = true, InstructionBudget = 10 }).DumpListing(program);
        Assert.DoesNotContain("AccessCheck", unchecked_);
        Assert.DoesNotContain("BudgetExhausted", unchecked_);
        Assert.Contains("call AccessCheck::Check", checked_);
        Assert.Contains("call EngineFaults::BudgetExhausted", checked_);
    }

    [Fact]
    public void The_engines_are_chosen_by_name_and_report_it()
    {
        Instruction[] program = Program(Mov64(R0, 1), Exit());
        Assert.True(ProgramEngines.JitAvailable); // this test process supports dynamic code
        Assert.Equal(ExecutionEngine.Jit, ProgramEngines.Create(program, ExecutionEngine.Jit).Engine);
        Assert.Equal(ExecutionEngine.Interpreter, ProgramEngines.Create(program, ExecutionEngine.Interpreter).Engine);
        Assert.IsType<JitProgram>(ProgramEngines.Create(program, ExecutionEngine.Jit));
    }

    [Fact]
    public void Without_dynamic_code_the_JIT_falls_back_to_the_interpreter_with_the_same_options()
    {
        var helpers = new HelperRegistry().Register(1, "static", StaticHelper);
        IProgramEngine engine = ProgramEngines.Create(Program(Mov64(R1, 2), Call(1), Exit()), ExecutionEngine.Jit,
            new InterpreterOptions { Checked = true, Helpers = helpers, InstructionBudget = 9 }, jitAvailable: false);
        Assert.IsType<Interpreter>(engine);
        Assert.True(engine.Checked);
        Assert.Equal(9, engine.InstructionBudget);
        Assert.Equal(6ul, engine.Run(new RunContext()));
    }

    [Theory]
    [InlineData(null, ExecutionEngine.Jit)]
    [InlineData(ExecutionEngine.Jit, ExecutionEngine.Jit)]
    [InlineData(ExecutionEngine.Interpreter, ExecutionEngine.Interpreter)]
    public void BpfSystem_runs_verified_programs_on_the_JIT_unless_told_otherwise(ExecutionEngine? asked, ExecutionEngine expected)
    {
        using var system = new BpfSystem(asked is { } e ? new BpfSystemOptions { Engine = e } : null);
        using var prog = BpfProgram.Load(system, BpfProgType.SocketFilter, Program(Mov64(R0, 42), Exit()));
        Assert.Equal(expected, prog.Engine);
        Assert.Equal(42u, prog.TestRun(new byte[64]).Retval);
        Assert.Contains(expected == ExecutionEngine.Jit ? ".method bpf_sub_0" : "not JIT-compiled", prog.DumpJited());
    }
}
