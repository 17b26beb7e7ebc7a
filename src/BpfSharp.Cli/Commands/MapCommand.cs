using BpfSharp.Elf;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp map list OBJ</c>: the maps an object declares (BTF-defined, legacy and global data), as it would create them.</summary>
internal static class MapCommand
{
    public static int Run(string[] args, Terminal io)
    {
        if (args.Length != 2 || args[0] != "list")
            throw new UsageException("map: usage: bpfsharp map list OBJ");
        CollectionSpec spec = CollectionSpec.Load(args[1]);
        foreach (MapSpec m in spec.Maps.Values)
        {
            string flags = m.Flags == 0 ? "" : $" flags 0x{m.Flags:x}";
            string extra = (m.Pinning == MapPinning.ByName ? " pinned by name" : "") + (m.Freeze ? " frozen" : "")
                + (m.InnerMap is { } inner ? $" inner {inner.Type} key {inner.KeySize} value {inner.ValueSize} max_entries {inner.MaxEntries}" : "")
                + (m.Slots.Count > 0 ? $" slots {string.Join(", ", m.Slots.Select(s => $"[{s.Index}]={s.Target}"))}" : "");
            io.Out.WriteLine($"{m.Name}: {m.Type} key {m.KeySize} value {m.ValueSize} max_entries {m.MaxEntries}{flags} (section {m.SectionName}){extra}");
        }
        return 0;
    }
}
