using BpfSharp.Elf;
using BpfSharp.Isa;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// <c>bpfsharp verify OBJ [--section S] [--type T] [--log-level N] [--max-entries NAME=N]... [--value-size NAME=N]...</c>:
/// creates the object's maps, verifies each selected program and prints its verifier log. Exit 0: every program
/// accepted; 1: one was rejected; 2: bad input (arguments, a malformed object). A map the object leaves for its loader
/// to size (max_entries 0) and no <c>--max-entries</c> sizes gets a stand-in size (<see cref="CollectionOptions.StandInSizes"/>),
/// with a note: the verdict does not depend on it.
/// </summary>
internal static class VerifyCommand
{
    public const string Verb = "verify";

    public static int Run(string[] args, Terminal io)
    {
        ObjectArgs a = ObjectArgs.Parse(Verb, args, "--section", "--type", "--log-level", "--max-entries", "--value-size");
        CollectionSpec spec;
        List<ProgramSpec> selected;
        CollectionOptions sizes;
        try
        {
            spec = a.ReadSpec();
            selected = a.Selected(spec);
            sizes = a.SizeOptions(spec) with { StandInSizes = true, LogLevel = a.LogLevel };
            // Each program is verified against maps of its own: no pin may carry one program's maps into the next.
            foreach (MapSpec m in spec.Maps.Values) m.Pinning = MapPinning.None;
        }
        catch (BpfFormatException e)
        {
            io.Error.WriteLine($"bpfsharp: {a.Path}: {e.Message}");
            return 2;
        }
        using var system = new BpfSystem();
        int rejected = 0;
        var noted = new HashSet<string>(StringComparer.Ordinal);
        foreach (ProgramSpec p in selected)
        {
            var options = sizes with { Programs = [p.Name] };
            try
            {
                using Collection c = Collection.Load(spec, system, options);
                foreach (string note in c.Notes)
                    if (noted.Add(note)) io.Error.WriteLine($"bpfsharp: note: {note}");
                if (c.Programs[p.Name].VerifierLog is { Length: > 0 } log) io.Out.WriteLine(log);
                io.Out.WriteLine($"{p.Name} ({p.SectionName}): accepted");
            }
            catch (BpfException e)
            {
                rejected++;
                io.Out.WriteLine(e.Detail is { Length: > 0 } log ? log : e.Message);
                io.Out.WriteLine($"{p.Name} ({p.SectionName}): rejected ({e.ErrnoName})");
            }
            catch (InvalidOperationException e)
            {
                io.Error.WriteLine($"bpfsharp: {a.Path}: {e.Message}");
                return 2;
            }
        }
        return rejected == 0 ? 0 : 1;
    }
}
