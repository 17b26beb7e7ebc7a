using BpfSharp.Tests.Runtime.Engines;

namespace BpfSharp.Tests.Runtime;

/// <summary>Loads, stores, lddw and atomics over every engine, in checked and unchecked mode.</summary>
public class MemoryTests
{
    private static readonly Dictionary<string, MemoryCase> Cases =
        EngineMatrix.Index(LoadStoreCases.All.Concat(WideLoadCases.All).Concat(AtomicCases.All), c => c.Name);

    public static TheoryData<string, string, string> Rows => EngineMatrix.Rows(Cases.Keys);

    [Theory]
    [MemberData(nameof(Rows))]
    public void Reads_and_writes_what_the_RFC_says(string engine, string mode, string name)
    {
        MemoryCase c = Cases[name];
        RunResult result = ProgramRunner.Run(engine, mode, c.Program(), new RunSetup { Memory = ProgramRunner.Hex(c.Before) });
        Assert.Equal($"0x{c.Expected:x16}", $"0x{result.R0:x16}");
        if (c.After is not null)
            Assert.Equal(c.After.Replace(" ", ""), Convert.ToHexString(result.Memory));
    }
}
