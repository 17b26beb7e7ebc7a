using BpfSharp.Isa;
using BpfSharp.Runtime;
using BpfSharp.Tests.Runtime.Engines;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Runtime;

/// <summary>
/// bpf-to-bpf calls (RFC 9669 4.3.2, src 1): a new 512-byte frame, r10 one frame lower, r6-r9
/// preserved for the caller, at most 8 frames.
/// </summary>
public class LocalCallTests
{
    public sealed record LocalCase(string Name, Instruction[] Program, ulong Expected);

    // f(n) = n == 0 ? 0 : f(n - 1) + 1; main calls f(r1). Insn 5 is the recursive call.
    public static Instruction[] Recursion(int n) => Program(
        Mov64(R1, n),                 // 0
        CallRel("f"),                 // 1
        Exit(),                       // 2
        Label("f"),
        Jeq(R1, 0, "base"),           // 3
        Sub64(R1, 1),                 // 4
        CallRel("f"),                 // 5
        Add64(R0, 1),                 // 6
        Exit(),                       // 7
        Label("base"),
        Mov64(R0, 0),                 // 8
        Exit());                      // 9

    public static readonly LocalCase[] All =
    [
        new("r6-r9 and the caller's stack survive the call", Program(
            Mov64(R1, 1), Mov64(R2, 2), Mov64(R3, 3), Mov64(R4, 4), Mov64(R5, 5),
            Mov64(R6, 6), Mov64(R7, 7), Mov64(R8, 8), Mov64(R9, 9),
            StMem(BPF_DW, R10, -8, 0x4433_2211),
            CallRel("f"),
            Jne(R0, 15, "fail"), Jne(R6, 6, "fail"), Jne(R7, 7, "fail"), Jne(R8, 8, "fail"), Jne(R9, 9, "fail"),
            LdxMem(BPF_DW, R6, R10, -8), Jne(R6, 0x4433_2211, "fail"),
            Mov64(R0, 1), Exit(),
            Label("fail"), Mov64(R0, 0), Exit(),
            Label("f"),
            Mov64(R0, R1), Add64(R0, R2), Add64(R0, R3), Add64(R0, R4), Add64(R0, R5),
            StMem(BPF_DW, R10, -8, 0x0BAD),
            Mov64(R6, 0), Mov64(R7, 0), Mov64(R8, 0), Mov64(R9, 0),
            Exit()), 1),
        new("the callee's r10 is one frame lower", Program(
            Mov64(R6, R10), CallRel("f"), Sub64(R6, R0), Mov64(R0, R6), Exit(),
            Label("f"), Mov64(R0, R10), Exit()), BpfStack.FrameSize),
        new("the caller's r1-r5 are as before the call", Program(
            Mov64(R1, 1), Mov64(R5, 5), CallRel("f"), Mov64(R0, R1), Add64(R0, R5), Exit(),
            Label("f"), Mov64(R1, 100), Mov64(R5, 100), Mov64(R0, 0), Exit()), 6),
        new("the callee starts with r0 and r6-r9 zero", Program(
            Mov64(R0, 7), Mov64(R6, 7), Mov64(R7, 7), Mov64(R8, 7), Mov64(R9, 7), CallRel("f"), Exit(),
            Label("f"), Or64(R0, R6), Or64(R0, R7), Or64(R0, R8), Or64(R0, R9), Exit()), 0),
        new("the callee reads the caller's stack through a pointer", Program(
            StMem(BPF_DW, R10, -8, 77), Mov64(R1, R10), Add64(R1, -8), CallRel("f"), Exit(),
            Label("f"), LdxMem(BPF_DW, R0, R1, 0), Exit()), 77),
        new("nested calls return through every frame", Program(
            Mov64(R1, 1), CallRel("a"), Exit(),
            Label("a"), Add64(R1, 10), CallRel("b"), Add64(R0, 1000), Exit(),
            Label("b"), Add64(R1, 100), Mov64(R0, R1), Exit()), 1111),
        new("eight frames are allowed", Recursion(6), 6),
    ];

    private static readonly Dictionary<string, LocalCase> Cases = EngineMatrix.Index(All, c => c.Name);

    public static TheoryData<string, string, string> Rows => EngineMatrix.Rows(Cases.Keys);

    public static TheoryData<string, bool> EnginesAndModes => EngineMatrix.EnginesAndModes();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Calls_the_subprogram(string engine, string mode, string name)
    {
        LocalCase c = Cases[name];
        Assert.Equal(c.Expected, ProgramRunner.Run(engine, mode, c.Program).R0);
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void A_ninth_frame_is_a_runtime_fault_in_either_mode(string engine, bool isChecked)
    {
        var ex = Assert.Throws<BpfRuntimeException>(() =>
            ProgramRunner.Run(engine, Recursion(7), new RunSetup { Checked = isChecked }));
        Assert.Equal(FaultKind.CallDepthExceeded, ex.Kind);
        Assert.Equal(5, ex.InstructionIndex);
    }

    [Fact]
    public void Kfunc_calls_are_rejected_at_construction()
    {
        var ex = Assert.Throws<BpfFormatException>(() => new Interpreter(Program(Mov64(R0, 0), CallKfunc(1234), Exit())));
        Assert.Equal(1, ex.InstructionIndex);
        Assert.Contains("kfunc calls are not supported", ex.Message);
    }
}
