using BpfSharp.Elf;
using BpfSharp.Elf.Btf;
using BpfSharp.Isa;
using BpfSharp.Uapi;

namespace BpfSharp;

/// <summary>
/// An object's maps and programs, created in a <see cref="BpfSystem"/> from a <see cref="CollectionSpec"/> as
/// libbpf's bpf_object__load does: maps first (global data written, <c>.rodata</c> frozen, pinned maps
/// reused, map-in-map slots filled), then each program with its map references patched to the maps'
/// fds, then program-array slots. Disposing it closes every fd it holds.
/// </summary>
public sealed partial class Collection : IDisposable
{
    private readonly Dictionary<string, BpfMap> _maps;
    private readonly Dictionary<string, BpfProgram> _programs;
    private readonly HashSet<BpfMap> _borrowed;
    private readonly List<string> _notes = [];
    private BpfBtf? _btf;

    private Collection(Dictionary<string, BpfMap> maps, Dictionary<string, BpfProgram> programs, HashSet<BpfMap> borrowed)
    {
        _maps = maps;
        _programs = programs;
        _borrowed = borrowed;
    }

    /// <summary>The object's BTF as loaded into the system (BPF_BTF_LOAD), or null if it has none.</summary>
    public BpfBtf? Btf => _btf;

    /// <summary>
    /// What the loader did that the object did not ask for, one line each: its BTF left out because the system refused it
    /// (worded as libbpf logs it: "BTF is optional, ignoring"), stand-in sizes (<see cref="CollectionOptions.StandInSizes"/>).
    /// </summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>The maps by name (global data maps under their internal names, e.g. <c>prog.rodata</c>).</summary>
    public IReadOnlyDictionary<string, BpfMap> Maps => _maps;
    /// <summary>The loaded programs by function name.</summary>
    public IReadOnlyDictionary<string, BpfProgram> Programs => _programs;

    /// <summary>Creates the maps and loads the programs of <paramref name="spec"/> into <paramref name="system"/>.</summary>
    /// <exception cref="BpfException">A map could not be created or a program was rejected (the message carries the verifier log); nothing stays open.</exception>
    /// <exception cref="InvalidOperationException">
    /// The spec refers to a map or program it does not define, or <paramref name="options"/> sizes a map it does not define.
    /// </exception>
    public static Collection Load(CollectionSpec spec, BpfSystem system, CollectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(system);
        options ??= new CollectionOptions();
        var maps = new Dictionary<string, BpfMap>(StringComparer.Ordinal);
        var programs = new Dictionary<string, BpfProgram>(StringComparer.Ordinal);
        var borrowed = new HashSet<BpfMap>();
        var collection = new Collection(maps, programs, borrowed);
        try
        {
            CheckSizeNames(spec, options);
            if (spec.Btf is not null) collection._btf = LoadBtf(system, spec, collection._notes);
            foreach (MapSpec m in spec.Maps.Values)
            {
                try
                {
                    maps[m.Name] = CreateMap(system, m, options, borrowed, collection._btf, collection._notes);
                }
                catch (BpfException e) when (e.Detail is null)
                {
                    throw new BpfException(e.Errno, e.Operation, $"map '{m.Name}' ({m})" + Unsized(system, m, options));
                }
            }
            foreach (MapSpec m in spec.Maps.Values)
                if (m.Type != BpfMapType.ProgArray) FillSlots(m, maps[m.Name], maps, skipMissing: false);
            foreach (ProgramSpec p in spec.Programs.Values)
            {
                if (options.Programs is { } wanted ? !wanted.Contains(p.Name) : !p.Autoload) continue;
                programs[p.Name] = LoadProgram(system, spec, p, maps, options, collection._btf);
            }
            foreach (MapSpec m in spec.Maps.Values)
                if (m.Type == BpfMapType.ProgArray) FillSlots(m, maps[m.Name], programs, skipMissing: true);
            return collection;
        }
        catch
        {
            collection.Dispose();
            throw;
        }
    }

    private static BpfMap CreateMap(BpfSystem system, MapSpec m, CollectionOptions options, HashSet<BpfMap> borrowed, BpfBtf? btf,
        List<string> notes)
    {
        if (options.MapReplacements?.TryGetValue(m.Name, out BpfMap? given) == true)
        {
            borrowed.Add(given);
            return given;
        }
        if (m.Pinning is not (MapPinning.None or MapPinning.ByName))
            throw new BpfException(Errno.EOPNOTSUPP, "BPF_MAP_CREATE",
                $"map '{m.Name}': pinning {(uint)m.Pinning} is neither LIBBPF_PIN_NONE nor LIBBPF_PIN_BY_NAME (set MapSpec.Pinning)");
        string pin = $"{options.PinPath.TrimEnd('/')}/{m.Name}";
        BpfMapSpec create = ToCreateSpec(system, m, options, notes);
        if (m.Pinning == MapPinning.ByName && TryOpenPinned(system, pin, m, create) is { } pinned)
            return pinned;
        using BpfMap? inner = m.InnerMap is not { } i ? null : CreateWithBtf(system, ToCreateSpec(system, i, options, notes), i, btf);
        BpfMap map = CreateWithBtf(system, create with { InnerMap = inner }, m, btf);
        try
        {
            if (m.Contents is not null)
            {
                map.Update(stackalloc byte[4], m.Contents);
                if (m.Freeze) map.Freeze();
            }
            if (m.Pinning == MapPinning.ByName) map.Pin(pin);
            return map;
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    // libbpf's bpf_object__sanitize_and_load_btf: if the system refuses the object's BTF, the object loads without it
    // (maps without key and value type ids, programs without func_info and line_info) unless the kernel needs it
    // (kernel_needs_btf: the object has struct_ops).
    private static BpfBtf? LoadBtf(BpfSystem system, CollectionSpec spec, List<string> notes)
    {
        try
        {
            return BpfBtf.Load(system, spec.Btf!.Data);
        }
        catch (BpfException e)
        {
            if (spec.NeedsKernelBtf)
                throw new BpfException(e.Errno, e.Operation,
                    $"Error loading .BTF into kernel: {e.ErrnoName}. BTF is mandatory, can't proceed." + (e.Detail is { Length: > 0 } log ? $"\n{log}" : ""));
            // one line: the BTF verifier log's last line says what was refused
            string why = e.Detail?.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() is { } last ? $" ({last})" : "";
            notes.Add($"Error loading .BTF into kernel: {e.ErrnoName}. BTF is optional, ignoring.{why}");
            return null;
        }
    }

    // Why a map that could not be created was refused, if the object left its size to its user-space loader.
    private static string Unsized(BpfSystem system, MapSpec m, CollectionOptions options)
    {
        BpfMapSpec create = ToCreateSpec(system, m, options, null);
        if (create.MaxEntries == 0 && NeedsMaxEntries(m.Type))
            return ": max_entries is 0; the object leaves it to its user-space loader (libbpf's bpf_map__set_max_entries): " +
                "set it with CollectionOptions.MaxEntries";
        return create.ValueSize == 0 && m.Type == BpfMapType.StackTrace
            ? ": value_size is 0; the object leaves it to its user-space loader (libbpf's bpf_map__set_value_size): " +
                "set it with CollectionOptions.ValueSizes"
            : "";
    }

    // libbpf's map_is_reuse_compat: a pinned map is reused only if it matches the definition.
    private static BpfMap? TryOpenPinned(BpfSystem system, string path, MapSpec m, BpfMapSpec want)
    {
        BpfMap map;
        try
        {
            map = BpfMap.Open(system, path);
        }
        catch (BpfException e) when (e.Errno == Errno.ENOENT)
        {
            return null;
        }
        if (map.Type == want.Type && map.KeySize == want.KeySize && map.ValueSize == want.ValueSize
            && map.MaxEntries == want.MaxEntries && map.Flags == want.Flags)
            return map;
        map.Dispose();
        throw BpfException.For(BpfCommand.ObjGet, -Errno.EINVAL,
            $"the map pinned at {path} does not match the definition of '{m.Name}' ({m})");
    }

    // As libbpf: describe key and value with the object's BTF; if the map is refused with it, try once without.
    private static BpfMap CreateWithBtf(BpfSystem system, BpfMapSpec create, MapSpec m, BpfBtf? btf)
    {
        if (btf is null || m.BtfValueTypeId == 0) return BpfMap.Create(system, create);
        try
        {
            return BpfMap.Create(system, create with { BtfFd = btf.Fd, BtfKeyTypeId = m.BtfKeyTypeId, BtfValueTypeId = m.BtfValueTypeId });
        }
        catch (BpfException)
        {
            return BpfMap.Create(system, create);
        }
    }

    // The kernel keeps 15 characters of a name (libbpf truncates too).
    // Characters the kernel refuses in a name (bpf_obj_name_cpy) become '_', as cilium/ebpf sanitizes them: a program
    // named after its section ("tail-12") would otherwise be refused with EINVAL.
    private static string KernelName(string name) => ObjectReader.SanitizedName(name.Length > 15 ? name[..15] : name);

    // A program left out by CollectionOptions.Programs leaves its slot empty (skipMissing); a missing map is an error.
    private static void FillSlots<T>(MapSpec m, BpfMap map, Dictionary<string, T> targets, bool skipMissing) where T : BpfFdObject
    {
        Span<byte> key = stackalloc byte[4];
        Span<byte> value = stackalloc byte[4];
        foreach (MapSlot slot in m.Slots)
        {
            if (!targets.TryGetValue(slot.Target, out T? target))
            {
                if (skipMissing) continue;
                throw new InvalidOperationException($"map '{m.Name}' slot {slot.Index} names '{slot.Target}', which the object does not define");
            }
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(key, slot.Index);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(value, target.Fd);
            map.Update(key, value);
        }
    }

    private static BpfProgram LoadProgram(BpfSystem system, CollectionSpec spec, ProgramSpec p, Dictionary<string, BpfMap> maps,
        CollectionOptions options, BpfBtf? btf)
    {
        if (p.Type == BpfProgType.Unspec)
            throw new BpfException(Errno.EINVAL, "BPF_PROG_LOAD",
                $"program '{p.Name}': missing BPF prog type, check ELF section name '{p.SectionName}' (or set the program's type)");
        Instruction[] insns = p.WithMapFds(name => maps.TryGetValue(name, out BpfMap? map) ? map.Fd
            : throw new InvalidOperationException($"program '{p.Name}' names map '{name}', which the object does not define"));
        if (p.CoreRelocations.Count > 0)
        {
            BtfBlob target = options.CoreTarget ?? KernelBtf.Vmlinux ?? throw new InvalidOperationException(
                $"program '{p.Name}' has {p.CoreRelocations.Count} CO-RE relocations and there is no target BTF: " +
                $"pass CollectionOptions.CoreTarget ({KernelBtf.Path} does not exist here)");
            CoreRelocator.Apply(insns, p.CoreRelocations, spec.Btf!, target);
        }
        uint attachBtfId = AttachBtfId(p, options);
        return BpfProgram.Load(system, p.Type, insns, new BpfProgramOptions
        {
            AttachBtfId = attachBtfId,
            License = p.License,
            Name = KernelName(p.Name),
            Flags = p.Flags,
            ExpectedAttachType = p.ExpectedAttachType,
            KernelVersion = p.KernelVersion,
            LogLevel = options.LogLevel,
            Btf = btf,
            FuncInfo = btf is null ? null : p.FuncInfo,
            LineInfo = btf is null ? null : p.LineInfo,
        });
    }

    // libbpf: libbpf_prepare_prog_load -> libbpf_find_attach_btf_id, with libbpf's messages.
    private static uint AttachBtfId(ProgramSpec p, CollectionOptions options)
    {
        if (!AttachBtf.NeedsAttachBtfId(p.Type, p.ExpectedAttachType)) return 0;
        if (p.AttachTarget.Length == 0)
            throw new BpfException(-Errno.EINVAL, "BPF_PROG_LOAD",
                $"prog '{p.Name}': no BTF-based attach target is specified, use bpf_program__set_attach_target()");
        int err = AttachBtf.Find(options.CoreTarget ?? KernelBtf.Vmlinux, p.ExpectedAttachType, p.AttachTarget, out uint id);
        if (err < 0)
            throw new BpfException(err, "BPF_PROG_LOAD",
                $"prog '{p.Name}': failed to find kernel BTF type ID of '{p.AttachTarget}': {err}");
        return id;
    }

    /// <summary>Closes every fd the collection holds (maps given in <see cref="CollectionOptions.MapReplacements"/> stay open).</summary>
    public void Dispose()
    {
        foreach (BpfProgram p in _programs.Values) p.Dispose();
        foreach (BpfMap m in _maps.Values)
            if (!_borrowed.Contains(m)) m.Dispose();
        _programs.Clear();
        _maps.Clear();
        _btf?.Dispose();
        _btf = null;
    }
}
