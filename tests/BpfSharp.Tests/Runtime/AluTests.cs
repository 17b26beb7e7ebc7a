using BpfSharp.Tests.Runtime.Engines;

namespace BpfSharp.Tests.Runtime;

/// <summary>ALU, ALU64 and END semantics over every engine, in checked and unchecked mode.</summary>
public class AluTests
{
    private static readonly Dictionary<string, AluCase> Cases =
        EngineMatrix.Index(Alu64Cases.All.Concat(Alu32Cases.All).Concat(EndianCases.All), c => c.Name);

    public static TheoryData<string, string, string> Rows => EngineMatrix.Rows(Cases.Keys);

    [Theory]
    [MemberData(nameof(Rows))]
    public void Computes_the_RFC_result(string engine, string mode, string name)
    {
        AluCase c = Cases[name];
        ulong r0 = ProgramRunner.Run(engine, mode, c.Program()).R0;
        Assert.Equal($"0x{c.Expected:x16}", $"0x{r0:x16}");
    }
}
