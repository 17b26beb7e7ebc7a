using System.Diagnostics;
using BpfSharp.Cli.Pcap;
using BpfSharp.Elf;
using BpfSharp.Uapi;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// <c>bpfsharp run OBJ [--section S] [--type T] --pcap FILE</c>: loads the object, runs the selected packet
/// program once per captured packet (BPF_PROG_TEST_RUN: the kernel's per-type packet staging), then prints how
/// many packets got each verdict and what the object's maps hold.
/// </summary>
internal static class PacketReplay
{
    private const int MaxEntriesShown = 64;

    public static int Run(ObjectArgs a, string pcapPath, Terminal io)
    {
        CollectionSpec spec = a.ReadSpec();
        List<ProgramSpec> selected = a.Selected(spec);
        if (selected.Count != 1)
            throw new UsageException($"run: the object has {selected.Count} programs ({string.Join(", ", selected.Select(p => p.Name))}); choose one with --section");
        ProgramSpec p = selected[0];
        if (p.Type is not (BpfProgType.Xdp or BpfProgType.SchedCls or BpfProgType.SchedAct or BpfProgType.SocketFilter or BpfProgType.CgroupSkb))
            throw new UsageException($"run: {p.Name} is a {p.Type} program; --pcap replays packets through XDP, tc, socket and cgroup/skb programs");

        using var system = new BpfSystem();
        using Collection c = Collection.Load(spec, system, new CollectionOptions { Programs = [p.Name] });
        BpfProgram program = c.Programs[p.Name];

        using var file = File.OpenRead(pcapPath);
        long fileSize = file.Length;
        using var pcap = new PcapReader(file);
        if (pcap.LinkType != PcapReader.LinkTypeEthernet)
            throw new InvalidDataException($"pcap: link type {pcap.LinkType} is not Ethernet (1)");

        var verdicts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var progress = new ProgressBar(io, fileSize);
        var output = new byte[64 * 1024];
        long packets = 0;
        var clock = Stopwatch.StartNew();
        while (pcap.TryRead(out ReadOnlySpan<byte> packet, out _))
        {
            packets++;
            string verdict;
            try
            {
                verdict = VerdictName(p.Type, program.TestRun(packet, output).Retval);
            }
            catch (BpfException e)
            {
                verdict = $"not run ({e.ErrnoName})";
            }
            verdicts[verdict] = verdicts.GetValueOrDefault(verdict) + 1;
            progress.Update(file.Position, packets);
        }
        progress.Done();

        io.Out.WriteLine($"{p.Name} ({p.SectionName}, {p.Type}): {packets} packets from {Path.GetFileName(pcapPath)} in {clock.Elapsed.TotalSeconds:0.###} s");
        io.Out.WriteLine("verdicts:");
        foreach (var (verdict, count) in verdicts)
            io.Out.WriteLine($"  {verdict,-24} {count,10}");
        foreach (var (name, map) in c.Maps)
            if (!spec.Maps[name].IsGlobalData) PrintMap(io, name, map);
        return 0;
    }

    // The meaning of r0 for each packet program type (XDP actions, TC_ACT_*, bytes kept, allow/drop).
    internal static string VerdictName(BpfProgType type, uint retval) => type switch
    {
        BpfProgType.Xdp => retval switch
        {
            0 => "XDP_ABORTED", 1 => "XDP_DROP", 2 => "XDP_PASS", 3 => "XDP_TX", 4 => "XDP_REDIRECT",
            _ => $"XDP action {retval} (invalid)",
        },
        BpfProgType.SchedCls or BpfProgType.SchedAct => (int)retval switch
        {
            -1 => "TC_ACT_UNSPEC", 0 => "TC_ACT_OK", 1 => "TC_ACT_RECLASSIFY", 2 => "TC_ACT_SHOT", 3 => "TC_ACT_PIPE",
            4 => "TC_ACT_STOLEN", 5 => "TC_ACT_QUEUED", 6 => "TC_ACT_REPEAT", 7 => "TC_ACT_REDIRECT",
            _ => $"TC action {(int)retval}",
        },
        BpfProgType.SocketFilter => retval == 0 ? "drop" : "keep",
        BpfProgType.CgroupSkb => retval switch { 0 => "drop", 1 => "allow", _ => $"retval {retval}" },
        _ => $"retval {retval}",
    };

    private static void PrintMap(Terminal io, string name, BpfMap map)
    {
        if (map.KeySize == 0 || map.Type is BpfMapType.ProgArray or BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps)
        {
            io.Out.WriteLine($"map {name}: {map.Type}");
            return;
        }
        var key = new byte[map.KeySize];
        var next = new byte[map.KeySize];
        var value = new byte[map.UserValueSize];
        var rows = new List<(string Key, string Value)>();
        bool array = map.Type is BpfMapType.Array or BpfMapType.PercpuArray;
        int entries = 0, shown = 0;
        for (bool more = map.TryGetNextKey(default, next); more; more = map.TryGetNextKey(key, next))
        {
            next.CopyTo(key, 0);
            if (!map.TryLookup(key, value)) continue;
            string text = FormatValue(map, value);
            if (array && text == "0") continue; // an array has every index: show the ones that counted something
            entries++;
            if (shown++ < MaxEntriesShown) rows.Add((FormatNumber(key), text));
        }
        io.Out.WriteLine($"map {name}: {map.Type}, {entries} {(array ? "non-zero " : "")}entries"
            + (map.IsPerCpu ? $", values summed over {map.PossibleCpus} CPUs" : ""));
        foreach (var (k, v) in rows)
            io.Out.WriteLine($"  {k,-20} {v,20}");
        if (entries > MaxEntriesShown) io.Out.WriteLine($"  ... {entries - MaxEntriesShown} more");
    }

    // A per-CPU value of 1, 2, 4 or 8 bytes is shown as the sum over the CPUs.
    private static string FormatValue(BpfMap map, byte[] value)
    {
        if (!map.IsPerCpu) return FormatNumber(value);
        if (map.ValueSize is not (1 or 2 or 4 or 8)) return Convert.ToHexString(value);
        ulong sum = 0;
        for (int cpu = 0; cpu < map.PossibleCpus; cpu++)
            sum += ToUInt64(value.AsSpan(cpu * (int)map.PerCpuSlotSize, (int)map.ValueSize));
        return sum.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string FormatNumber(byte[] bytes) => bytes.Length is 1 or 2 or 4 or 8
        ? ToUInt64(bytes).ToString(System.Globalization.CultureInfo.InvariantCulture)
        : Convert.ToHexString(bytes).ToLowerInvariant();

    private static ulong ToUInt64(ReadOnlySpan<byte> bytes)
    {
        Span<byte> wide = stackalloc byte[8];
        wide.Clear();
        bytes.CopyTo(wide);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(wide);
    }
}
