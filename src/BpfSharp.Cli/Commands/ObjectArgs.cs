using BpfSharp.Elf;
using BpfSharp.Uapi;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// The arguments the object commands share: <c>OBJ [--section S] [--type T] [--log-level N] [--max-entries NAME=N]...
/// [--value-size NAME=N]...</c>.
/// </summary>
internal sealed class ObjectArgs
{
    public required string Path { get; init; }
    public string? Section { get; init; }
    public BpfProgType? Type { get; init; }
    public uint LogLevel { get; init; }
    /// <summary><c>--jited</c>: show what the JIT made of the programs.</summary>
    public bool Jited { get; init; }
    /// <summary><c>--max-entries NAME=N</c> (repeatable): a map's size, as the object's loader sets it (bpf_map__set_max_entries).</summary>
    public Dictionary<string, uint> MaxEntries { get; } = new(StringComparer.Ordinal);
    /// <summary><c>--value-size NAME=N</c> (repeatable): a map's value size, as bpf_map__set_value_size sets it.</summary>
    public Dictionary<string, uint> ValueSizes { get; } = new(StringComparer.Ordinal);
    private string Verb { get; init; } = "";

    /// <summary>Parses <paramref name="args"/>; <paramref name="allowed"/> lists the options the command takes.</summary>
    public static ObjectArgs Parse(string verb, string[] args, params string[] allowed)
    {
        string? path = null, section = null;
        BpfProgType? type = null;
        uint logLevel = 0;
        bool jited = false;
        var maxEntries = new Dictionary<string, uint>(StringComparer.Ordinal);
        var valueSizes = new Dictionary<string, uint>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a.StartsWith('-') && !allowed.Contains(a))
                throw new UsageException($"{verb}: unknown option '{a}'");
            switch (a)
            {
                case "--jited": jited = true; break;
                case "--section": section = Value(verb, args, ref i); break;
                case "--type": type = ParseType(verb, Value(verb, args, ref i)); break;
                case "--max-entries": AddSize(verb, a, Value(verb, args, ref i), maxEntries); break;
                case "--value-size": AddSize(verb, a, Value(verb, args, ref i), valueSizes); break;
                case "--log-level":
                    if (!uint.TryParse(Value(verb, args, ref i), out logLevel) || logLevel > 2)
                        throw new UsageException($"{verb}: --log-level takes 0, 1 or 2");
                    break;
                default:
                    if (path is not null) throw new UsageException($"{verb}: unexpected argument '{a}'");
                    path = a;
                    break;
            }
        }
        var parsed = new ObjectArgs
        {
            Verb = verb,
            Path = path ?? throw new UsageException($"{verb}: usage: bpfsharp {verb} OBJ {string.Join(' ', allowed.Select(o => o == "--jited" ? "[--jited]" : $"[{o} ...]"))}"),
            Section = section,
            Type = type,
            LogLevel = logLevel,
            Jited = jited,
        };
        foreach (var (name, n) in maxEntries) parsed.MaxEntries[name] = n;
        foreach (var (name, n) in valueSizes) parsed.ValueSizes[name] = n;
        return parsed;
    }

    // NAME=N: a map's name and a size (the last one given for a name counts).
    private static void AddSize(string verb, string option, string text, Dictionary<string, uint> sizes)
    {
        int eq = text.LastIndexOf('=');
        if (eq <= 0 || !uint.TryParse(text.AsSpan(eq + 1), out uint n))
            throw new UsageException($"{verb}: {option} takes NAME=N (a map's name and a number), not '{text}'");
        sizes[text[..eq]] = n;
    }

    /// <summary>
    /// The collection options the size arguments give (<c>--max-entries</c>, <c>--value-size</c>); each name must be a map
    /// of <paramref name="spec"/>.
    /// </summary>
    public CollectionOptions SizeOptions(CollectionSpec spec)
    {
        foreach (string name in MaxEntries.Keys.Concat(ValueSizes.Keys))
            if (!spec.Maps.ContainsKey(name))
                throw new UsageException($"{Verb}: {Path} has no map '{name}' (maps: {string.Join(", ", spec.Maps.Keys)})");
        return new CollectionOptions { MaxEntries = MaxEntries, ValueSizes = ValueSizes };
    }

    /// <summary>
    /// What <paramref name="spec"/> leaves for its loader to size and no option sizes, as the options that would:
    /// <c>--max-entries NAME=N</c>, and <c>--value-size NAME=N</c> for a stack trace map without value_size.
    /// </summary>
    public IEnumerable<(string Map, string Field, string Option)> Unsized(CollectionSpec spec)
    {
        foreach (MapSpec m in spec.Maps.Values)
        {
            if (m.MaxEntries == 0 && Collection.NeedsMaxEntries(m.Type) && !MaxEntries.ContainsKey(m.Name))
                yield return (m.Name, "max_entries", $"--max-entries {m.Name}=N");
            if (m.ValueSize == 0 && m.Type == BpfMapType.StackTrace && !ValueSizes.ContainsKey(m.Name))
                yield return (m.Name, "value_size", $"--value-size {m.Name}=N");
        }
    }

    /// <summary>The object's spec, with <see cref="Type"/> applied to the selected programs.</summary>
    public CollectionSpec ReadSpec()
    {
        CollectionSpec spec = CollectionSpec.Load(Path);
        foreach (ProgramSpec p in Selected(spec))
            if (Type is { } t) p.Type = t;
        return spec;
    }

    /// <summary>
    /// The programs <c>--section</c> selects (a section name or a program name); without it, the ones libbpf would load
    /// (not those of a <c>SEC("?...")</c>).
    /// </summary>
    public List<ProgramSpec> Selected(CollectionSpec spec)
    {
        var selected = spec.Programs.Values.Where(p => Section is null ? p.Autoload : p.SectionName == Section || p.Name == Section).ToList();
        if (selected.Count == 0 && Section is null && spec.Programs.Count > 0 && spec.Programs.Values.All(p => p.SectionName == ".text"))
            throw new UsageException($"{Path}: the object has no program sections; its .text functions ({string.Join(", ", spec.Programs.Keys)}) " +
                "can be chosen with --section NAME (or --section .text for all) and --type TYPE");
        if (selected.Count == 0)
            throw new UsageException(Section is null ? $"{Path}: the object has no programs"
                : $"{Path}: no section or program '{Section}' (sections: {string.Join(", ", spec.Programs.Values.Select(p => p.SectionName).Distinct())})");
        return selected;
    }

    // A type by its kernel name (xdp, socket_filter, BPF_PROG_TYPE_SCHED_CLS), a SEC() name (tc, kprobe/x) or its number.
    private static BpfProgType ParseType(string verb, string text)
    {
        if (uint.TryParse(text, out uint number)) return (BpfProgType)number;
        string bare = text.StartsWith("BPF_PROG_TYPE_", StringComparison.OrdinalIgnoreCase) ? text[14..] : text;
        foreach (BpfProgType t in Enum.GetValues<BpfProgType>())
            if (string.Equals(t.ToString(), bare.Replace("_", ""), StringComparison.OrdinalIgnoreCase)) return t;
        if (ProgramSection.TryParse(text, out ProgramSection s)) return s.Type;
        throw new UsageException($"{verb}: unknown program type '{text}'");
    }

    private static string Value(string verb, string[] args, ref int i) =>
        i + 1 < args.Length ? args[++i] : throw new UsageException($"{verb}: {args[i]} needs a value");
}
