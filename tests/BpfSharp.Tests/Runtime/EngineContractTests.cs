using BpfSharp.Isa;
using BpfSharp.Runtime;
using BpfSharp.Tests.Runtime.Engines;
using BpfSharp.Tests.Support;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Runtime;

/// <summary>Construction, options and the register conventions of a run, on every engine.</summary>
public class EngineContractTests
{
    public static TheoryData<string> Engines => EngineMatrix.Engines();

    [Theory]
    [MemberData(nameof(Engines))]
    public void Invalid_programs_are_rejected_at_construction(string engine)
    {
        IEngine e = EngineMatrix.Get(engine);
        Assert.Throws<BpfFormatException>(() => e.Build([]));
        var ex = Assert.Throws<BpfFormatException>(() => e.Build([Mov64(R0, 0), Raw(0xff, 0, 0, 0, 0)]));
        Assert.Equal(1, ex.InstructionIndex);
    }

    [Fact]
    public void A_negative_budget_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new Interpreter(Program(Exit()), new InterpreterOptions { InstructionBudget = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new BpfSharp.Runtime.Jit.JitProgram(Program(Exit()), new BpfSharp.Runtime.Jit.JitOptions { InstructionBudget = -1 }));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Options_are_reported(string engine)
    {
        IProgramEngine vm = EngineMatrix.Get(engine).Build(Program(LdImm64(R0, 1), Exit()), new EngineOptions(true, null, 5));
        Assert.True(vm.Checked);
        Assert.Equal(5, vm.InstructionBudget);
        Assert.Equal(engine.StartsWith("jit", StringComparison.Ordinal) ? ExecutionEngine.Jit : ExecutionEngine.Interpreter, vm.Engine);
    }

    [Fact]
    public void The_interpreter_reports_its_instruction_count()
    {
        Assert.Equal(3, new Interpreter(Program(LdImm64(R0, 1), Exit())).InstructionCount);
        Assert.Equal(3, new BpfSharp.Runtime.Jit.JitProgram(Program(LdImm64(R0, 1), Exit())).InstructionCount);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void The_engine_snapshots_the_helper_registry(string engine)
    {
        var helpers = new HelperRegistry();
        IProgramEngine vm = EngineMatrix.Get(engine).Build(Program(Call(1), Exit()), new EngineOptions(false, helpers, 0));
        helpers.Register(1, "late", static (run, a, b, c, d, e) => 1);
        Assert.Throws<BpfRuntimeException>(() => vm.Run(new RunContext()));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void A_run_starts_with_r1_to_r5_from_the_context_and_the_rest_zero(string engine)
    {
        IProgramEngine vm = EngineMatrix.Get(engine).Build(Program(
            Mov64(R0, R1), Add64(R0, R2), Add64(R0, R3), Add64(R0, R4), Add64(R0, R5),
            Or64(R0, R6), Or64(R0, R7), Or64(R0, R8), Or64(R0, R9), Exit()));
        var run = new RunContext { R1 = 0x10000, R2 = 0x2000, R3 = 0x300, R4 = 0x40, R5 = 0x5 };
        Assert.Equal(0x12345ul, vm.Run(run));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Runs_do_not_allocate(string engine)
    {
        IProgramEngine vm = EngineMatrix.Get(engine).Build(Program(Mov64(R0, 1), StxMem(Opcodes.BPF_DW, R10, R0, -8), Call(5), Exit()),
            new EngineOptions(true, HelperRegistry.ForConformance(), 100));
        var run = new RunContext { R1 = 3 };
        vm.Run(run);
        Assert.Equal(0, Allocations.Least(() =>
        {
            for (int k = 0; k < 100; k++) vm.Run(run);
        }));
    }
}
