using BpfSharp.Isa;
using BpfSharp.Tests.Runtime.Engines;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Runtime;

/// <summary>JMP and JMP32 semantics over every engine, in checked and unchecked mode.</summary>
public class JumpTests
{
    private static readonly Dictionary<string, JumpCase> Cases = EngineMatrix.Index(JumpCases.All, c => c.Name);

    public static TheoryData<string, string, string> Rows => EngineMatrix.Rows(Cases.Keys);

    public static TheoryData<string> Engines => EngineMatrix.Engines();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Takes_the_branch_the_RFC_says(string engine, string mode, string name)
    {
        JumpCase c = Cases[name];
        ulong r0 = ProgramRunner.Run(engine, mode, c.Program()).R0;
        Assert.Equal(c.Taken ? 1ul : 0ul, r0);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Backward_jumps_loop(string engine)
    {
        // r0 = 1 + 2 + ... + 10 with a backward conditional jump.
        Instruction[] program = Program(
            Mov64(R0, 0),
            Mov64(R1, 10),
            Label("loop"),
            Add64(R0, R1),
            Sub64(R1, 1),
            Jne(R1, 0, "loop"),
            Exit());
        Assert.Equal(55ul, ProgramRunner.Run(engine, program).R0);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Gotol_reaches_beyond_a_16_bit_offset(string engine)
    {
        // gotol over 40000 instructions: a displacement that does not fit in off.
        var items = new List<AsmItem> { Mov64(R0, 1), Gotol("far") };
        for (int k = 0; k < 40_000; k++) items.Add(Mov64(R0, 2));
        items.Add(Label("far"));
        items.Add(Exit());
        Assert.Equal(1ul, ProgramRunner.Run(engine, Program([.. items])).R0);
    }
}
