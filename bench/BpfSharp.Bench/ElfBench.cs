using System.Diagnostics;
using BpfSharp.Elf;

namespace BpfSharp.Bench;

/// <summary>
/// The object loader on bench/programs/large.o (about 1 MB: 600 programs, 64 maps, global data, subprograms, BTF and
/// DWARF): time to read, parse and link it into a CollectionSpec (goal: under 50 ms), then to create its maps and
/// verify and load every program into a BpfSystem.
/// </summary>
internal static class ElfBench
{
    public static void Run(string[] args)
    {
        int repeats = args.Length > 0 && int.TryParse(args[0], out int r) ? r : 21;
        string path = Path.Combine(AppContext.BaseDirectory, "programs", "large.o");
        byte[] image = File.ReadAllBytes(path);
        CollectionSpec spec = CollectionSpec.Load(image, "large"); // warm-up: JIT, tiering
        for (int i = 0; i < 3; i++) CollectionSpec.Load(image, "large");
        var times = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            spec = CollectionSpec.Load(image, "large");
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        int insns = spec.Programs.Values.Sum(p => p.Instructions.Length);
        Console.WriteLine($"elf: {image.Length / 1024} KiB object, {spec.Programs.Count} programs ({insns} insns linked), {spec.Maps.Count} maps");
        Console.WriteLine($"  parse + link (CollectionSpec.Load): median {times[repeats / 2]:0.00} ms, best {times[0]:0.00} ms over {repeats} runs");

        using var system = new BpfSystem();
        long loadStart = Stopwatch.GetTimestamp();
        using (Collection.Load(spec, system))
            Console.WriteLine($"  create maps + verify + load every program (Collection.Load): {Stopwatch.GetElapsedTime(loadStart).TotalMilliseconds:0} ms");
    }
}
