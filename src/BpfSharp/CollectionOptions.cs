namespace BpfSharp;

/// <summary>How <see cref="Collection.Load"/> creates an object's maps and loads its programs.</summary>
public sealed record CollectionOptions
{
    /// <summary>The verifier log level for every program (see <see cref="BpfProgramOptions.LogLevel"/>).</summary>
    public uint LogLevel { get; init; }
    /// <summary>Where maps with <c>pinning = LIBBPF_PIN_BY_NAME</c> are pinned and looked for (libbpf's default pin root).</summary>
    public string PinPath { get; init; } = "/sys/fs/bpf";
    /// <summary>Existing maps to use instead of creating the spec's map of the same name.</summary>
    public IReadOnlyDictionary<string, BpfMap>? MapReplacements { get; init; }
    /// <summary>
    /// The BTF CO-RE relocations are resolved against (libbpf's btf_custom_path); null: the running kernel's
    /// (<see cref="Elf.Btf.KernelBtf.Vmlinux"/>).
    /// </summary>
    public Elf.Btf.BtfBlob? CoreTarget { get; init; }
    /// <summary>The programs to load, by name (null: every program whose <see cref="Elf.ProgramSpec.Autoload"/> is set).</summary>
    public IReadOnlyCollection<string>? Programs { get; init; }
    /// <summary>
    /// max_entries for maps by name, as the object's user-space loader sets them before load (libbpf's
    /// bpf_map__set_max_entries; a ring buffer's size is rounded up to a power-of-2 number of pages as libbpf rounds it).
    /// Instead of the spec's <see cref="Elf.MapSpec.MaxEntries"/>, which stays as it is.
    /// </summary>
    public IReadOnlyDictionary<string, uint>? MaxEntries { get; init; }
    /// <summary>value_size for maps by name, as libbpf's bpf_map__set_value_size (e.g. a stack trace map's depth).</summary>
    public IReadOnlyDictionary<string, uint>? ValueSizes { get; init; }
    /// <summary>
    /// For verifying an object without its user-space loader: a map whose max_entries is still 0 after
    /// <see cref="MaxEntries"/> and libbpf's own defaults (and that its type needs: <see cref="Collection.NeedsMaxEntries"/>)
    /// is created with <see cref="Collection.StandInMaxEntries"/> (a ring buffer with one page), and a stack trace map
    /// without value_size with <see cref="Collection.StandInStackTraceValueSize"/>; each is named in
    /// <see cref="Collection.Notes"/>. False: such a map is refused (EINVAL), as the kernel refuses it.
    /// </summary>
    public bool StandInSizes { get; init; }
}
