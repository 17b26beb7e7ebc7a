using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Helpers;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Bench;

/// <summary>
/// Map lookup and update speed: HASH and ARRAY with 4-byte keys and 8-byte values, 2^20 entries, from
/// user space (the typed API, the raw <c>Bpf</c> facade, the map object itself) and from programs (a
/// loop of K helper calls per run, through PROG_TEST_RUN in checked mode and in an unchecked
/// interpreter), on 1 and 2 threads, beside ConcurrentDictionary&lt;int, long&gt; and the live
/// kernel's maps (bpf() syscall and kernel programs). Program rows report ns per helper call net of the
/// loop and the run (a baseline program without the call is subtracted).
/// </summary>
internal static class MapBench
{
    private sealed record Row(string Map, string Op, string Implementation, int Threads, Measurement Result, bool Net);

    private sealed class Options
    {
        public double Seconds = 0.4;
        public int Entries = 1 << 20;
        public int[] Threads = [1, 2];
        public int PerRun = 64;
        public uint Repeat = 16;
    }

    public static void Run(string[] args)
    {
        Options o = Parse(args);
        uint mask = (uint)o.Entries - 1;
        bool kernel = KernelBpf.IsAvailable();
        Console.WriteLine($"maps: {o.Entries:N0} entries, 4-byte keys, 8-byte values; {o.Seconds}s per cell; " +
            $"programs: {o.PerRun} helper calls per run, {o.Repeat} runs per PROG_TEST_RUN; kernel columns: {(kernel ? "yes" : "skipped (no bpf())")}");
        Console.WriteLine($"{Environment.ProcessorCount} processors, .NET {Environment.Version}, {RuntimeInformation.OSDescription}");
        var rows = new List<Row>();
        foreach (BpfMapType type in new[] { BpfMapType.Hash, BpfMapType.Array })
            MeasureMap(type, o, mask, kernel, rows);
        Print(rows);
        PrintGoals(rows);
    }

    private static void MeasureMap(BpfMapType type, Options o, uint mask, bool kernel, List<Row> rows)
    {
        string mapName = type == BpfMapType.Hash ? "HASH" : "ARRAY";
        using var system = new BpfSystem(new BpfSystemOptions { PossibleCpus = Environment.ProcessorCount });
        using var map = BpfMap<int, long>.Create(system, type, (uint)o.Entries);
        Fill(map, o.Entries);
        var dictionary = new ConcurrentDictionary<int, long>(Environment.ProcessorCount, o.Entries);
        for (int k = 0; k < o.Entries; k++) dictionary[k] = k;
        ulong handle = MapHandle(system, map);
        Map core = system.Maps.Resolve(handle) ?? throw new InvalidOperationException("no map behind the handle");
        int kernelMap = kernel ? KernelMap(type, o.Entries) : -1;
        var helpers = StandardHelpers.Create(system.HelperEnvironment);

        try
        {
            foreach (MapOp op in new[] { MapOp.Lookup, MapOp.Update })
            {
                string opName = op == MapOp.Lookup ? "lookup" : "update";
                bool update = op == MapOp.Update;
                using BpfProgram measured = Load(system, map, o.PerRun, mask, update, baseline: false);
                using BpfProgram baseline = Load(system, map, o.PerRun, mask, update, baseline: true);
                var uncheckedMeasured = Unchecked(handle, o.PerRun, mask, update, false, helpers);
                var uncheckedBaseline = Unchecked(handle, o.PerRun, mask, update, true, helpers);
                int kernelMeasured = -1, kernelBaseline = -1;
                if (kernel)
                {
                    kernelMeasured = KernelBpf.LoadSocketFilter(MapPrograms.Loop(() => Asm.LdMapFd(R1, kernelMap), o.PerRun, mask, update, false));
                    kernelBaseline = KernelBpf.LoadSocketFilter(MapPrograms.Loop(() => Asm.LdMapFd(R1, kernelMap), o.PerRun, mask, update, true));
                }
                foreach (int threads in o.Threads)
                {
                    void Add(string name, Func<int, IWorker> make) =>
                        rows.Add(new Row(mapName, opName, name, threads, Harness.Run(threads, o.Seconds, make), false));
                    void AddNet(string name, Func<int, IWorker> measure, Func<int, IWorker> baseWorker)
                    {
                        Measurement m = Harness.Run(threads, o.Seconds, measure, opsPerUnit: o.PerRun);
                        Measurement b = Harness.Run(threads, o.Seconds, baseWorker, opsPerUnit: o.PerRun);
                        rows.Add(new Row(mapName, opName, name, threads, m with { NsPerOp = m.NsPerOp - b.NsPerOp }, true));
                    }

                    Add("ConcurrentDictionary<int,long>", _ => new DictionaryWorker(dictionary, op, mask));
                    Add("typed API: BpfMap<int,long>", _ => new TypedWorker(map, op, mask));
                    Add("raw Bpf() facade", _ => new FacadeWorker(system, map.Fd, op, mask));
                    Add("map object (Map.LookupElem/UpdateElem)", _ => new CoreWorker(core, system.Epochs, op, mask));
                    AddNet("program, PROG_TEST_RUN (checked)", _ => new TestRunWorker(measured, o.Repeat), _ => new TestRunWorker(baseline, o.Repeat));
                    AddNet("program, unchecked interpreter", _ => new UncheckedWorker(uncheckedMeasured, system),
                        _ => new UncheckedWorker(uncheckedBaseline, system));
                    if (kernel)
                    {
                        Add("kernel: bpf() syscall", _ => new KernelSyscallWorker(kernelMap, op, mask));
                        AddNet("kernel: program, PROG_TEST_RUN", _ => new KernelTestRunWorker(kernelMeasured, o.Repeat),
                            _ => new KernelTestRunWorker(kernelBaseline, o.Repeat));
                    }
                    Console.Error.WriteLine($"  {mapName} {opName} x{threads} done");
                }
                if (kernel)
                {
                    KernelBpf.Close(kernelMeasured);
                    KernelBpf.Close(kernelBaseline);
                }
            }
        }
        finally
        {
            if (kernelMap >= 0) KernelBpf.Close(kernelMap);
        }
    }

    private static void Fill(BpfMap<int, long> map, int entries)
    {
        const int Chunk = 1 << 16;
        var keys = new int[Chunk];
        var values = new long[Chunk];
        for (int start = 0; start < entries; start += Chunk)
        {
            int n = Math.Min(Chunk, entries - start);
            for (int i = 0; i < n; i++) (keys[i], values[i]) = (start + i, start + i);
            map.UpdateBatch(keys.AsSpan(0, n), values.AsSpan(0, n));
        }
    }

    private static unsafe int KernelMap(BpfMapType type, int entries)
    {
        int fd = KernelBpf.MapCreate(type, 4, 8, (uint)entries);
        if (fd < 0) throw new InvalidOperationException($"kernel BPF_MAP_CREATE: {Errno.Name(fd)}");
        for (int k = 0; k < entries; k++)
        {
            long value = k;
            int err = KernelBpf.Elem(BpfCommand.MapUpdateElem, fd, &k, &value);
            if (err < 0) throw new InvalidOperationException($"kernel BPF_MAP_UPDATE_ELEM: {Errno.Name(err)}");
        }
        return fd;
    }

    private static BpfProgram Load(BpfSystem system, BpfMap map, int perRun, uint mask, bool update, bool baseline) =>
        BpfProgram.Load(system, BpfProgType.SocketFilter,
            MapPrograms.Loop(() => Asm.LdMapFd(R1, map.Fd), perRun, mask, update, baseline), name: baseline ? "baseline" : "measured");

    // The program's instructions with the map handle in place of the fd, as PROG_LOAD resolves them.
    private static Interpreter Unchecked(ulong handle, int perRun, uint mask, bool update, bool baseline, HelperRegistry helpers) =>
        new(MapPrograms.Loop(() => Asm.LdImm64(R1, (long)handle), perRun, mask, update, baseline),
            new InterpreterOptions { Checked = false, Helpers = helpers });

    // The handle (the map pointer programs hold) of a map: a program stores it into its context.
    private static ulong MapHandle(BpfSystem system, BpfMap map)
    {
        using BpfProgram program = BpfProgram.Load(system, BpfProgType.SocketFilter, MapPrograms.StoreMapPointer(map.Fd));
        var context = new byte[256];
        program.TestRun([], default, new byte[8], context);
        return BitConverter.ToUInt64(context);
    }

    private static void Print(List<Row> rows)
    {
        Console.WriteLine();
        Console.WriteLine("| map | op | implementation | threads | ns/op | M ops/s (all threads) | bytes allocated/op |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (Row r in rows)
        {
            string ns = r.Result.NsPerOp.ToString("F1", CultureInfo.InvariantCulture) + (r.Net ? " (net)" : "");
            Console.WriteLine($"| {r.Map} | {r.Op} | {r.Implementation} | {r.Threads} | {ns} | " +
                $"{r.Result.OpsPerSecond / 1e6:F1} | {r.Result.BytesPerOp:0.###} |");
        }
    }

    private static void PrintGoals(List<Row> rows)
    {
        double Ns(string map, string impl) =>
            rows.FirstOrDefault(r => r.Map == map && r.Op == "lookup" && r.Threads == 1 && r.Implementation == impl)?.Result.NsPerOp ?? double.NaN;
        double dictionary = Ns("HASH", "ConcurrentDictionary<int,long>");
        Console.WriteLine();
        Console.WriteLine("Goals (1 thread, lookup, ns per helper call net of loop and run):");
        foreach (string impl in new[] { "program, unchecked interpreter", "program, PROG_TEST_RUN (checked)" })
        {
            double hash = Ns("HASH", impl), array = Ns("ARRAY", impl);
            Console.WriteLine($"  {impl}: HASH {hash:F1} ns = {hash / dictionary:F2}x ConcurrentDictionary.TryGetValue ({dictionary:F1} ns) " +
                $"[goal <= 2x: {(hash <= 2 * dictionary ? "met" : "NOT met")}]; ARRAY {array:F1} ns [goal < 5 ns: {(array < 5 ? "met" : "NOT met")}]");
        }
        double worst = rows.Where(r => !r.Implementation.StartsWith("kernel", StringComparison.Ordinal)).Max(r => r.Result.BytesPerOp);
        Console.WriteLine($"  most bytes allocated per op in any of our rows: {worst:0.###}");
    }

    private static Options Parse(string[] args)
    {
        var o = new Options();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            string value = args[i + 1];
            switch (args[i])
            {
                case "--seconds": o.Seconds = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--entries":
                    o.Entries = int.Parse(value, CultureInfo.InvariantCulture);
                    if (o.Entries <= 0 || (o.Entries & (o.Entries - 1)) != 0) throw new ArgumentException("--entries must be a power of two");
                    break;
                case "--threads": o.Threads = value.Split(',').Select(int.Parse).ToArray(); break;
                case "--batch": o.PerRun = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--repeat": o.Repeat = uint.Parse(value, CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        return o;
    }
}
