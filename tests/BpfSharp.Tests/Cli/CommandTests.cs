namespace BpfSharp.Tests.Cli;

/// <summary>The `asm`, `disasm` and `run` commands end to end, through files.</summary>
public class CommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bpfsharp-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AsmThenRunThenDisasm()
    {
        string src = Path.Combine(_dir, "p.s");
        string bin = Path.Combine(_dir, "p.bin");
        File.WriteAllText(src, """
            ; sum of the first r2 bytes at r1
            r0 = 0
            loop:
            if r2 == 0 goto out
            r3 = *(u8 *)(r1 +0)
            r0 += r3
            r1 += 1
            r2 += -1
            goto loop
            out:
            exit
            """);
        Assert.Equal(0, CliTestHost.Run("", "asm", src, "-o", bin).ExitCode);
        Assert.Equal(8 * 8, new FileInfo(bin).Length);

        var run = CliTestHost.Run("", "run", bin, "--mem-hex", "01 02 03 fa", "--no-verify");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("0x100", run.Out.TrimEnd()); // 1 + 2 + 3 + 250
        var jit = CliTestHost.Run("", "run", bin, "--mem-hex", "01 02 03 fa", "--engine", "jit");
        Assert.Equal(0, jit.ExitCode);
        Assert.Equal("0x100", jit.Out.TrimEnd());

        var dis = CliTestHost.Run("", "disasm", bin);
        Assert.Equal(0, dis.ExitCode);
        string[] lines = dis.Out.TrimEnd().Split('\n');
        Assert.Equal(8, lines.Length);
        Assert.Equal("0: (b7) r0 = 0", lines[0]);
        Assert.Equal("1: (15) if r2 == 0x0 goto pc+5", lines[1]);
        Assert.Equal("2: (71) r3 = *(u8 *)(r1 +0)", lines[2]);
        Assert.Equal("6: (05) goto pc-6", lines[6]);
        Assert.Equal("7: (95) exit", lines[7]);
    }

    [Fact]
    public void RunReadsAssemblyDirectly()
    {
        string src = Path.Combine(_dir, "p.s");
        File.WriteAllText(src, "r0 = 5\nr0 *= 7\nexit\n");
        var r = CliTestHost.Run("", "run", src);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("0x23", r.Out.TrimEnd());
    }

    [Fact]
    public void DisasmHex()
    {
        var r = CliTestHost.Run("", "disasm", "--hex", "bf 20 00 00 00 00 00 00 95 00 00 00 00 00 00 00");
        Assert.Equal("0: (bf) r0 = r2\n1: (95) exit\n", r.Out.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData(new[] { "nosuch" }, 2)]
    [InlineData(new[] { "run" }, 2)]
    [InlineData(new[] { "run", "/nonexistent/prog.bin" }, 1)]
    [InlineData(new[] { "disasm", "--hex", "zz" }, 2)]
    [InlineData(new[] { "run", "x.bin", "--engine", "warp" }, 2)]
    public void BadCommandLinesFailWithOneLine(string[] args, int code)
    {
        var r = CliTestHost.Run("", args);
        Assert.Equal(code, r.ExitCode);
        Assert.StartsWith("bpfsharp: ", r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void AsmErrorNamesTheLine()
    {
        string src = Path.Combine(_dir, "bad.s");
        File.WriteAllText(src, "r0 = 0\nr0 +== 1\nexit\n");
        var r = CliTestHost.Run("", "asm", src, "-o", Path.Combine(_dir, "bad.bin"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("line 2", r.Error);
    }
}
