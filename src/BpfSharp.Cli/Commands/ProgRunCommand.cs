using System.Globalization;
using BpfSharp.Elf;
using BpfSharp.Runtime;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// <c>bpfsharp prog run OBJ [--section S] [--type T] [--max-entries NAME=N]... [--value-size NAME=N]...
/// [--data-in FILE] [--data-out FILE] [--ctx-in FILE] [--ctx-out FILE] [--repeat N] [--engine jit|interp]</c>: loads the object, verifies the one selected program and
/// runs it with BPF_PROG_TEST_RUN, as <c>bpftool prog run</c> does: prints <c>Return value: R, duration (average):
/// Nns</c>; <c>--data-out</c> and <c>--ctx-out</c> receive the packet and the context after the runs (<c>-</c>:
/// printed in hex).
/// </summary>
internal static class ProgRunCommand
{
    private const string Verb = "prog run";
    private const int OutputRoom = 64 * 1024;

    public static int Run(string[] args, Terminal io)
    {
        string? dataIn = null, dataOut = null, ctxIn = null, ctxOut = null;
        uint repeat = 1;
        ExecutionEngine engine = ExecutionEngine.Jit;
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--data-in": dataIn = Value(args, ref i); break;
                case "--data-out": dataOut = Value(args, ref i); break;
                case "--ctx-in": ctxIn = Value(args, ref i); break;
                case "--ctx-out": ctxOut = Value(args, ref i); break;
                case "--repeat":
                    if (!uint.TryParse(Value(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture, out repeat) || repeat == 0)
                        throw new UsageException($"{Verb}: --repeat takes a positive number");
                    break;
                case "--engine":
                    engine = Value(args, ref i) switch
                    {
                        "jit" => ExecutionEngine.Jit,
                        "interp" => ExecutionEngine.Interpreter,
                        string other => throw new UsageException($"{Verb}: unknown engine '{other}' (available: jit, interp)"),
                    };
                    break;
                default: rest.Add(args[i]); break;
            }
        }
        ObjectArgs a = ObjectArgs.Parse(Verb, [.. rest], "--section", "--type", "--max-entries", "--value-size");
        CollectionSpec spec = a.ReadSpec();
        List<ProgramSpec> selected = a.Selected(spec);
        if (selected.Count != 1)
            throw new UsageException($"{Verb}: {selected.Count} programs selected ({string.Join(", ", selected.Select(p => p.Name))}); choose one with --section");
        byte[] data = dataIn is null ? [] : File.ReadAllBytes(dataIn);
        byte[] context = ctxIn is null ? [] : File.ReadAllBytes(ctxIn);
        byte[] packetOut = dataOut is null ? [] : new byte[Math.Max(OutputRoom, data.Length)];
        byte[] contextOut = ctxOut is null ? [] : new byte[Math.Max(OutputRoom, context.Length)];

        using var system = new BpfSystem(new BpfSystemOptions { Engine = engine });
        ProgramSpec program = selected[0];
        CollectionOptions options = a.SizeOptions(spec) with { Programs = [program.Name] };
        try
        {
            using Collection c = Collection.Load(spec, system, options);
            foreach (string note in c.Notes) io.Error.WriteLine($"bpfsharp: note: {note}");
            BpfProgramRunResult r = c.Programs[program.Name].TestRun(data, packetOut, context, contextOut, repeat);
            io.Out.WriteLine($"Return value: {r.Retval}, duration{(repeat > 1 ? " (average)" : "")}: {r.Duration}ns");
            if (dataOut is not null) Write(dataOut, packetOut.AsSpan(0, r.DataSize), io);
            if (ctxOut is not null) Write(ctxOut, contextOut.AsSpan(0, r.ContextSize), io);
            return 0;
        }
        catch (BpfException e)
        {
            if (e.Detail is { Length: > 0 } log) io.Out.WriteLine(log);
            io.Error.WriteLine($"bpfsharp: {a.Path}: {e.Operation} failed: {e.ErrnoName}");
            return 1;
        }
    }

    // The bytes to FILE, or in hex lines of 16 bytes to standard output for "-".
    private static void Write(string path, ReadOnlySpan<byte> bytes, Terminal io)
    {
        if (path != "-")
        {
            File.WriteAllBytes(path, bytes.ToArray());
            return;
        }
        for (int at = 0; at < bytes.Length; at += 16)
        {
            ReadOnlySpan<byte> line = bytes.Slice(at, Math.Min(16, bytes.Length - at));
            io.Out.WriteLine(string.Join(' ', line.ToArray().Select(b => b.ToString("x2", CultureInfo.InvariantCulture))));
        }
    }

    private static string Value(string[] args, ref int i) =>
        i + 1 < args.Length ? args[++i] : throw new UsageException($"{Verb}: {args[i]} needs a value");
}
