namespace BpfSharp.Tests.Cli;

/// <summary>
/// The bpf_conformance plugin protocol: `bpfsharp [MEM] conformance-plugin [opts]`, program as
/// hex bytes (two spaces apart, as the runner writes them) on stdin, r0 in hex on stdout.
/// </summary>
public class ConformancePluginTests
{
    // mov r0, 42; exit  (RFC 9669: MOV | K | ALU64 = 0xb7, EXIT = 0x95)
    private const string Return42 = "b7  00  00  00  2a  00  00  00  95  00  00  00  00  00  00  00  \n";
    // r0 = *(u8 *)(r1 + 2); r0 += r2; exit  -> mem[2] + length
    private const string ReadMem = "71  10  02  00  00  00  00  00  0f  20  00  00  00  00  00  00  95  00  00  00  00  00  00  00  \n";

    [Fact]
    public void PrintsR0InHexWithNothingBeforeIt()
    {
        var r = CliTestHost.Run(Return42, "conformance-plugin");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("0x2a", r.Out.TrimEnd());
        Assert.Equal("", r.Error);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void MemoryArgumentMayComeBeforeOrAfterTheVerb(bool memFirst)
    {
        const string mem = "00  11  22  33  ";
        string[] args = memFirst ? [mem, "conformance-plugin"] : ["conformance-plugin", mem];
        var r = CliTestHost.Run(ReadMem, args);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("0x26", r.Out.TrimEnd()); // 0x22 + 4 bytes
    }

    [Fact]
    public void WithoutMemoryR1AndR2AreZero()
    {
        // r0 = r1; r0 |= r2; exit
        var r = CliTestHost.Run("bf  10  00  00  00  00  00  00  4f  20  00  00  00  00  00  00  95  00  00  00  00  00  00  00", "conformance-plugin");
        Assert.Equal("0x0", r.Out.TrimEnd());
    }

    [Fact]
    public void UnwindHelperWithZeroEndsTheProgram()
    {
        // r1 = 0; call 5 (unwind); r0 = 7; exit -> unwind returns 0 and the program ends with r0 = 0
        var r = CliTestHost.Run(
            "b7  01  00  00  00  00  00  00  85  00  00  00  05  00  00  00  b7  00  00  00  07  00  00  00  95  00  00  00  00  00  00  00",
            "conformance-plugin");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("0x0", r.Out.TrimEnd());
    }

    [Theory]
    [InlineData("b7  00  00  00  2a  00  00", "insn 0")]                              // truncated: not a multiple of 8
    [InlineData("ff  00  00  00  00  00  00  00", "insn 0: unknown opcode 0xff")]
    [InlineData("b7  00  00  00  00  00  00  00  18  00  00  00  00  00  00  00", "insn 1")] // lddw without second half
    public void BadProgramIsOneLineOnStderrAndNonZeroExit(string program, string expected)
    {
        var r = CliTestHost.Run(program, "conformance-plugin");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Equal("", r.Out);
        Assert.Contains(expected, r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void OutOfBoundsAccessIsAnErrorNotACrash()
    {
        // r0 = *(u64 *)(r1 + 0) with r1 = 0 (no memory)
        var r = CliTestHost.Run("79  10  00  00  00  00  00  00  95  00  00  00  00  00  00  00", "conformance-plugin");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("insn 0", r.Error);
    }

    [Fact]
    public void InfiniteLoopEndsWithBudgetError()
    {
        // ja -1
        var r = CliTestHost.Run("05  00  ff  ff  00  00  00  00  95  00  00  00  00  00  00  00", "conformance-plugin");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("insn 0", r.Error);
    }
}

/// <summary>The plugin's --elf mode, on an object clang built from tests/programs/conformance_main.c.</summary>
public class ConformancePluginElfTests
{
    private static string ObjectAsHex() =>
        string.Join("  ", TestPrograms.Read("conformance_main.o").Select(b => b.ToString("x2")));

    [Fact]
    public void RunsTheGlobalFunctionWithItsSubprogram()
    {
        // main_prog(mem, len) = triple(mem[1]) + len = 5 * 3 + 4
        var r = CliTestHost.Run(ObjectAsHex(), "00  05  00  00", "conformance-plugin", "--elf");
        Assert.Equal("", r.Error);
        Assert.Equal("0x13", r.Out.TrimEnd());
    }

    [Fact]
    public void WithoutMemoryTakesTheShortPath()
    {
        var r = CliTestHost.Run(ObjectAsHex(), "conformance-plugin", "--elf");
        Assert.Equal("0x2a", r.Out.TrimEnd());
    }

    [Fact]
    public void GarbageIsAnElfErrorLine()
    {
        var r = CliTestHost.Run("7f  45  4c  46  02", "conformance-plugin", "--elf");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("bpfsharp: ELF: ", r.Error);
    }
}
