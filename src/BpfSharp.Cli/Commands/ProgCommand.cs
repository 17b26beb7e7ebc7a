using System.Text;
using BpfSharp.Elf;
using BpfSharp.Isa;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// <c>bpfsharp prog load OBJ [--section S] [--type T] [--max-entries NAME=N]... [--value-size NAME=N]...</c>: loads
/// and verifies the selected programs with the object's maps (sized as the object's loader would size them) and prints a
/// summary; <c>bpfsharp prog dump OBJ [--section S]</c>: prints the linked
/// instructions of each program in the kernel's syntax; with <c>--jited</c>, loads them and prints the IL the JIT
/// emitted for each (bpftool's <c>prog dump jited</c>).
/// </summary>
internal static class ProgCommand
{
    public static int Run(string[] args, Terminal io) => args.FirstOrDefault() switch
    {
        "load" => Load(args[1..], io),
        "dump" => Dump(args[1..], io),
        "run" => ProgRunCommand.Run(args[1..], io),
        _ => throw new UsageException("prog: usage: bpfsharp prog load|dump|run OBJ [--section S] [--type T] [--jited]"),
    };

    private static int Load(string[] args, Terminal io)
    {
        ObjectArgs a = ObjectArgs.Parse("prog load", args, "--section", "--type", "--max-entries", "--value-size");
        CollectionSpec spec = a.ReadSpec();
        List<ProgramSpec> selected = a.Selected(spec);
        CollectionOptions sizes = a.SizeOptions(spec);
        foreach (MapSpec m in spec.Maps.Values)
        {
            if (m.Pinning is MapPinning.None or MapPinning.ByName) continue;
            // a loader's own convention (Cilium's CILIUM_PIN_REPLACE): the maps are loaded, not pinned
            io.Error.WriteLine($"bpfsharp: map '{m.Name}': pinning {(uint)m.Pinning} is not libbpf's; the map is not pinned");
            m.Pinning = MapPinning.None;
        }
        using var system = new BpfSystem();
        var options = sizes with { LogLevel = 4 /* BPF_LOG_STATS */, Programs = [.. selected.Select(p => p.Name)] };
        try
        {
            using Collection c = Collection.Load(spec, system, options);
            foreach (string note in c.Notes) io.Error.WriteLine($"bpfsharp: note: {note}");
            foreach (ProgramSpec p in selected)
            {
                BpfProgram prog = c.Programs[p.Name];
                string stats = prog.VerifierLog.Split('\n').LastOrDefault(l => l.StartsWith("processed ", StringComparison.Ordinal)) ?? "";
                io.Out.WriteLine($"{p.Name}: {p.Type} from section '{p.SectionName}', {p.Instructions.Length} insns"
                    + (p.Instructions.Length > p.MainLength ? $" ({p.MainLength} + subprograms)" : "")
                    + $", id {prog.Id}, tag {prog.Tag}");
                if (stats.Length > 0) io.Out.WriteLine($"  verified: {stats}");
                if (p.MapReferences.Count > 0)
                    io.Out.WriteLine($"  maps: {string.Join(", ", p.MapReferences.Select(r => r.Map).Distinct())}");
            }
            foreach (var (name, map) in c.Maps)
                io.Out.WriteLine($"map {name}: {map.Type}, key {map.KeySize}, value {map.ValueSize}, max_entries {map.MaxEntries}, id {map.Id}");
            return 0;
        }
        catch (BpfException e)
        {
            io.Out.WriteLine(e.Detail is { Length: > 0 } log ? log : e.Message);
            io.Error.WriteLine($"bpfsharp: {a.Path}: {e.Operation} failed: {e.ErrnoName}");
            foreach (var (map, field, option) in e.Operation == "BPF_MAP_CREATE" ? a.Unsized(spec) : [])
                io.Error.WriteLine($"bpfsharp: map '{map}' has {field} 0: the object's loader sets it at run time; give it with {option}");
            return 1;
        }
    }

    private static int Dump(string[] args, Terminal io)
    {
        ObjectArgs a = ObjectArgs.Parse("prog dump", args, "--section", "--type", "--jited");
        CollectionSpec spec = a.ReadSpec();
        if (a.Jited)
            return DumpJited(a, spec, io);
        foreach (ProgramSpec p in a.Selected(spec))
        {
            var text = new StringBuilder();
            text.AppendLine($"{p.Name} ({p.SectionName}, {p.Type}):");
            var maps = p.MapReferences.ToDictionary(r => r.Instruction, r => r.IsValue ? $"{r.Map}+{r.Offset}" : r.Map);
            var lines = spec.Btf is null ? [] : p.LineInfo.GroupBy(l => l.Instruction).ToDictionary(g => g.Key, g => g.Last());
            uint shownLine = uint.MaxValue;
            for (int pc = 0; pc < p.Instructions.Length; pc += p.Instructions[pc].IsLdImm64 ? 2 : 1)
            {
                // As the verifier log shows line info: "; source @ file.c:line", once per change of line.
                if (lines.TryGetValue(pc, out var line) && line.LineOffset != shownLine)
                {
                    shownLine = line.LineOffset;
                    text.AppendLine($"; {spec.Btf!.StringAt(line.LineOffset).Trim()} @ {Path.GetFileName(spec.Btf.StringAt(line.FileNameOffset))}:{line.Line}");
                }
                text.Append(Disassembler.Format(p.Instructions, pc));
                text.AppendLine(maps.TryGetValue(pc, out string? map) ? $"  ; {map}" : "");
            }
            io.Out.Write(text.ToString());
        }
        return 0;
    }

    // Loads (verifies, resolves maps, rewrites context accesses) and prints what the JIT made of each program.
    private static int DumpJited(ObjectArgs a, CollectionSpec spec, Terminal io)
    {
        List<ProgramSpec> selected = a.Selected(spec);
        using var system = new BpfSystem();
        try
        {
            using Collection c = Collection.Load(spec, system, new CollectionOptions { Programs = [.. selected.Select(p => p.Name)] });
            foreach (ProgramSpec p in selected)
            {
                io.Out.WriteLine($"{p.Name} ({p.SectionName}, {p.Type}):");
                io.Out.Write(c.Programs[p.Name].DumpJited());
            }
            return 0;
        }
        catch (BpfException e)
        {
            io.Out.WriteLine(e.Detail is { Length: > 0 } log ? log : e.Message);
            io.Error.WriteLine($"bpfsharp: {a.Path}: {e.Operation} failed: {e.ErrnoName}");
            return 1;
        }
    }
}
