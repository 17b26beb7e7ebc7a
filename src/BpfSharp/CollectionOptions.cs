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
}
