using BpfSharp.Elf;
using BpfSharp.Isa;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// <c>bpfsharp verify OBJ [--section S] [--type T] [--log-level N]</c>: creates the object's maps, verifies
/// each selected program and prints its verifier log. Exit 0: every program accepted; 1: one was
/// rejected; 2: bad input (arguments, a malformed object).
/// </summary>
internal static class VerifyCommand
{
    public const string Verb = "verify";

    public static int Run(string[] args, Terminal io)
    {
        ObjectArgs a = ObjectArgs.Parse(Verb, args, "--section", "--type", "--log-level");
        CollectionSpec spec;
        List<ProgramSpec> selected;
        try
        {
            spec = a.ReadSpec();
            selected = a.Selected(spec);
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
        foreach (ProgramSpec p in selected)
        {
            var options = new CollectionOptions { LogLevel = a.LogLevel, Programs = [p.Name] };
            try
            {
                using Collection c = Collection.Load(spec, system, options);
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
