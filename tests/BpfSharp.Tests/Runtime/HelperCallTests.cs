using BpfSharp.Isa;
using BpfSharp.Runtime;
using BpfSharp.Tests.Runtime.Engines;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Runtime;

/// <summary>call imm and callx: helpers by id, r1-r5 in, r0 out; unwind and early exit.</summary>
public class HelperCallTests
{
    public sealed record CallCase(string Name, Instruction[] Program, ulong Expected);

    private static readonly Instruction[] SetArgs = [Mov64(R1, 1), Mov64(R2, 2), Mov64(R3, 3), Mov64(R4, 4), Mov64(R5, 5)];

    public static readonly CallCase[] All =
    [
        new("call passes r1-r5 and returns r0", Program([.. SetArgs, Call(TestHelpers.Sum), Exit()]), 15),
        new("call leaves r1-r5 as they were", Program([.. SetArgs, Call(TestHelpers.Sum),
            Mov64(R0, R1), Add64(R0, R2), Add64(R0, R3), Add64(R0, R4), Add64(R0, R5), Exit()]), 15),
        new("a pure helper gets r1-r5 and returns r0", Program([.. SetArgs, Call(TestHelpers.PureSum), Exit()]), 15),
        new("a pure helper leaves r1-r9 as they were", Program([.. SetArgs, Mov64(R6, 6), Mov64(R9, 9), Call(TestHelpers.PureSum),
            Mov64(R0, R1), Add64(R0, R2), Add64(R0, R3), Add64(R0, R4), Add64(R0, R5), Add64(R0, R6), Add64(R0, R9), Exit()]), 30),
        new("a pure helper in a subprogram and a loop", Program([
            Mov64(R6, 3), Mov64(R7, 0), Label("loop"), CallRel("f"), Add64(R7, R0), Sub64(R6, 1), Jne(R6, 0, "loop"), Mov64(R0, R7), Exit(),
            Label("f"), .. SetArgs, Call(TestHelpers.PureSum), Exit()]), 45),
        new("call preserves r6-r9", Program(Mov64(R6, 6), Mov64(R7, 7), Mov64(R8, 8), Mov64(R9, 9), Call(TestHelpers.Sum),
            Mov64(R0, R6), Add64(R0, R7), Add64(R0, R8), Add64(R0, R9), Exit()), 30),
        new("helper sees the index of its call", Program(Mov64(R0, 0), Mov64(R0, 0), Call(TestHelpers.CallerInsn), Exit()), 2),
        new("callx calls the helper whose id is in dst", Program([.. SetArgs, Mov64(R6, TestHelpers.Sum), Callx(R6), Exit()]), 15),
        new("callx conformance case", Program(Mov64(R1, -1), Mov64(R2, 5), Callx(R2), Mov64(R0, 2), Exit()), 2),
        new("unwind with 0 ends the program with r0 = 0", Program(Mov64(R1, 0), Call(ConformanceHelpers.UnwindId), Mov64(R0, 99), Exit()), 0),
        new("unwind with non-zero returns it", Program(Mov64(R1, 7), Call(ConformanceHelpers.UnwindId), Exit()), 7),
        new("unwind through callx", Program(Mov64(R1, 0), Mov64(R6, 5), Callx(R6), Mov64(R0, 99), Exit()), 0),
        new("unwind from a subprogram ends the whole program", Program(
            Mov64(R0, 1), CallRel("f"), Mov64(R0, 42), Exit(),
            Label("f"), CallRel("g"), Mov64(R0, 43), Exit(),
            Label("g"), Mov64(R1, 0), Call(ConformanceHelpers.UnwindId), Mov64(R0, 44), Exit()), 0),
        new("RequestExit ends the program with its value", Program(Call(TestHelpers.ExitWith1234), Mov64(R0, 1), Exit()), 1234),
        new("RegisterUnwind helper returning 0 ends the program", Program(Mov64(R1, 1), Call(TestHelpers.CountDown), Mov64(R0, 99), Exit()), 0),
        new("RegisterUnwind helper returning non-zero continues", Program(Mov64(R1, 5), Call(TestHelpers.CountDown), Add64(R0, 100), Exit()), 104),
    ];

    private static readonly Dictionary<string, CallCase> Cases = EngineMatrix.Index(All, c => c.Name);

    public static TheoryData<string, string, string> Rows => EngineMatrix.Rows(Cases.Keys);

    public static TheoryData<string, bool> EnginesAndModes => EngineMatrix.EnginesAndModes();

    public static TheoryData<string> Engines => EngineMatrix.Engines();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Calls_the_helper(string engine, string mode, string name)
    {
        CallCase c = Cases[name];
        ulong r0 = ProgramRunner.Run(engine, mode, c.Program, new RunSetup { Helpers = TestHelpers.Registry() }).R0;
        Assert.Equal(c.Expected, r0);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Helpers_read_the_run_state(string engine)
    {
        var setup = new RunSetup { Helpers = TestHelpers.Registry(), Configure = run => run.State = 77ul };
        Assert.Equal(77ul, ProgramRunner.Run(engine, Program(Call(TestHelpers.StateValue), Exit()), setup).R0);
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void Unknown_static_helper_id_is_a_runtime_fault(string engine, bool isChecked)
    {
        var setup = new RunSetup { Helpers = TestHelpers.Registry(), Checked = isChecked };
        var ex = Assert.Throws<BpfRuntimeException>(() => ProgramRunner.Run(engine, Program(Mov64(R0, 0), Call(1000), Exit()), setup));
        Assert.Equal(FaultKind.UnknownHelper, ex.Kind);
        Assert.Equal(1, ex.InstructionIndex);
        Assert.Equal("insn 1: call to unknown helper id 1000", ex.Message);
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void Unknown_callx_helper_id_is_a_runtime_fault(string engine, bool isChecked)
    {
        var setup = new RunSetup { Helpers = TestHelpers.Registry(), Checked = isChecked };
        Instruction[] program = Program(Mov64(R0, 0), Mov64(R3, -1), Callx(R3), Exit());
        var ex = Assert.Throws<BpfRuntimeException>(() => ProgramRunner.Run(engine, program, setup));
        Assert.Equal(FaultKind.UnknownHelper, ex.Kind);
        Assert.Equal(2, ex.InstructionIndex);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Without_a_registry_every_helper_is_unknown(string engine)
    {
        var ex = Assert.Throws<BpfRuntimeException>(() => ProgramRunner.Run(engine, Program(Call(ConformanceHelpers.UnwindId), Exit())));
        Assert.Equal(FaultKind.UnknownHelper, ex.Kind);
    }
}
