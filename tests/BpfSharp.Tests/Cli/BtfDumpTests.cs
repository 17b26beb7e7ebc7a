using System.Diagnostics;
using BpfSharp.Elf;

namespace BpfSharp.Tests.Cli;

/// <summary>
/// <c>bpfsharp btf dump</c> prints what bpftool prints for the same BTF (the object's, with DATASEC sizes and offsets
/// filled in as our loader loads it): bpftool from Debian's package is the oracle, skipped where it is not installed.
/// </summary>
public class BtfDumpTests
{
    public static TheoryData<string> Objects()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "programs"), "*.o").Order())
            if (CollectionSpec.Load(path).Btf is not null) data.Add(Path.GetFileName(path));
        return data;
    }

    private static string? Bpftool() =>
        new[] { "/usr/sbin/bpftool", "/usr/bin/bpftool", "/sbin/bpftool" }.FirstOrDefault(File.Exists);

    [SkippableTheory]
    [MemberData(nameof(Objects))]
    public void Bpftool_prints_the_same_types(string obj)
    {
        string? bpftool = Bpftool();
        Skip.If(bpftool is null, "bpftool is not installed");
        CollectionSpec spec = CollectionSpec.Load(TestPrograms.PathOf(obj));
        string raw = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(raw, spec.Btf!.Data.ToArray());
            var psi = new ProcessStartInfo(bpftool!, ["btf", "dump", "file", raw]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using Process p = Process.Start(psi)!;
            string expected = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Skip.If(p.ExitCode != 0, $"bpftool failed: {p.StandardError.ReadToEnd()}");
            var r = CliTestHost.Run("", "btf", "dump", TestPrograms.PathOf(obj));
            Assert.Equal(0, r.ExitCode);
            Assert.Equal(expected, r.Out);
        }
        finally
        {
            File.Delete(raw);
        }
    }

    [Fact]
    public void Map_list_shows_definitions_slots_and_global_data()
    {
        var r = CliTestHost.Run("", "map", "list", TestPrograms.PathOf("elf_map_in_map.o"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("outer: ArrayOfMaps key 4 value 4 max_entries 2 (section .maps) inner Array key 4 value 4 max_entries 1 slots [1]=inner", r.Out);
        var g = CliTestHost.Run("", "map", "list", TestPrograms.PathOf("elf_globals.o"));
        Assert.Contains("elf_glob.rodata: Array key 4 value 4 max_entries 1 flags 0x480 (section .rodata) frozen", g.Out);
    }
}
