using System.Diagnostics;
using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Runtime;
using BpfSharp.Uapi;

namespace BpfSharp.Syscall;

/// <summary>
/// A program loaded with BPF_PROG_LOAD (the kernel's <c>struct bpf_prog</c>): its instructions as
/// they run (map lddws resolved to addresses), the engine that runs them, and one reference to
/// every map it uses, so those maps live as long as the program does.
/// </summary>
/// <remarks>
/// A verified program runs unchecked, on the engine <see cref="BpfSystemOptions.Engine"/> names (the JIT by
/// default). A program loaded unverified (<see cref="BpfSystemOptions.Verify"/> off) runs on the same engine in
/// checked mode (every memory access bounds-checked against the run's regions, an instruction budget per run),
/// which turns what would be an unsafe program into a <see cref="BpfRuntimeException"/>.
/// </remarks>
public sealed partial class LoadedProgram : BpfObject
{
    private readonly Instruction[] _instructions;
    private readonly Map[] _usedMaps;
    private readonly MapLoad[] _loads;
    private readonly MemoryRegion[] _directValues;
    private readonly IProgramEngine _engine;
    private readonly EpochManager _epochs;
    private readonly MapRegistry _registry;
    private readonly BtfObject? _btf;

    internal LoadedProgram(ProgramSpec spec, IProgramEngine engine, EpochManager epochs, MapRegistry registry)
    {
        Type = spec.Type;
        Name = spec.Name;
        ExpectedAttachType = spec.ExpectedAttachType;
        Flags = spec.Flags;
        License = spec.License;
        GplCompatible = AttachChecks.IsGplCompatible(spec.License);
        Tag = spec.Tag;
        _btf = spec.Btf;
        _instructions = spec.Instructions;
        _usedMaps = spec.UsedMaps;
        _loads = spec.Loads;
        _directValues = DirectValueRegions(spec.Instructions, spec.Loads);
        _engine = engine;
        _epochs = epochs;
        _registry = registry;
        LoadTime = (ulong)Stopwatch.GetElapsedTime(0).Ticks * 100;
        MaxCtxOffset = spec.MaxCtxOffset;
    }

    /// <summary>prog_type.</summary>
    public BpfProgType Type { get; }
    /// <summary>prog_name.</summary>
    public string Name { get; }
    /// <summary>expected_attach_type (after the kernel's defaults for old loaders).</summary>
    public uint ExpectedAttachType { get; }
    /// <summary>prog_flags.</summary>
    public uint Flags { get; }
    /// <summary>The license string.</summary>
    public string License { get; }
    /// <summary>True if the license lets the program call GPL-only helpers.</summary>
    public bool GplCompatible { get; }
    /// <summary>The program tag (SHA-256 of the instructions as loaded, map fds zeroed).</summary>
    public ProgTag Tag { get; }
    /// <summary>Id of the BTF object given with the program (prog_btf_fd), or 0.</summary>
    public uint BtfId => _btf?.Id ?? 0;
    /// <summary>
    /// The end of the furthest context access the verifier saw (kernel: aux->max_ctx_offset; 0 for an unverified
    /// program): attach points that supply a context of their own size refuse programs that read past it.
    /// </summary>
    internal uint MaxCtxOffset { get; }
    /// <summary>When the program was loaded, in ns of the monotonic clock.</summary>
    public ulong LoadTime { get; }
    /// <summary>True if the program runs in checked mode (it was loaded unverified).</summary>
    public bool IsChecked => _engine.Checked;
    /// <summary>The engine that runs the program (<see cref="ExecutionEngine.Jit"/> when it was JIT-compiled).</summary>
    public ExecutionEngine Engine => _engine.Engine;
    /// <summary>The IL listing of the JIT-compiled program (with the instructions as they run), or a line saying it is interpreted.</summary>
    internal string JitListing() => _engine is Runtime.Jit.JitProgram jit
        ? jit.DumpListing(_instructions)
        : $"not JIT-compiled: runs on the {_engine.Engine} ({(ProgramEngines.JitAvailable ? "as configured" : "no dynamic code here")})\n";

    /// <summary>
    /// kernel: the <c>map->owner</c> fields bpf_prog_map_compatible compares for a PROG_ARRAY (program type,
    /// expected attach type, XDP frags, sleepable; every program here has the same JIT state): programs
    /// sharing a prog array must have equal owners. Null for BPF_PROG_TYPE_EXT, which is never a tail-call
    /// target (prog_fd_array_get_ptr).
    /// </summary>
    internal object? TailCallOwner => Type == BpfProgType.Ext ? null
        : new ProgArrayOwner(Type, ExpectedAttachType, (Flags & ProgFlags.BPF_F_XDP_HAS_FRAGS) != 0, (Flags & ProgFlags.BPF_F_SLEEPABLE) != 0);

    /// <summary>The instructions as they run: map lddws hold the map's handle or value address.</summary>
    public ReadOnlySpan<Instruction> Instructions => _instructions;

    /// <summary>The maps the program uses, in the order it first names them.</summary>
    public IReadOnlyList<Map> UsedMaps => _usedMaps;

    /// <summary>
    /// kernel: bpf_insn_prepare_dump. The instructions as OBJ_GET_INFO_BY_FD shows them: a map
    /// lddw as BPF_PSEUDO_MAP_FD / BPF_PSEUDO_MAP_VALUE with the map's id (and the value offset).
    /// </summary>
    internal Instruction[] DumpInstructions()
    {
        var dump = (Instruction[])_instructions.Clone();
        foreach (MapLoad load in _loads)
        {
            Instruction first = dump[load.Index];
            dump[load.Index] = new Instruction(first.Opcode, first.Dst, load.Kind, first.Offset, (int)load.Map.Id);
            dump[load.Index + 1] = Instruction.FromRaw((ulong)load.Offset << 32);
        }
        return dump;
    }

    /// <inheritdoc/>
    protected override void Free()
    {
        foreach (Map map in _usedMaps)
            map.Release();
        _btf?.Release();
    }

    // Checked mode: the values a program addresses directly (global data) are regions of its runs.
    private static MemoryRegion[] DirectValueRegions(Instruction[] instructions, MapLoad[] loads)
    {
        var regions = new List<MemoryRegion>();
        var seen = new HashSet<Map>();
        foreach (MapLoad load in loads)
        {
            if (load.Kind != Opcodes.BPF_PSEUDO_MAP_VALUE || !seen.Add(load.Map)) continue;
            ulong address = instructions[load.Index].Imm64(instructions[load.Index + 1]) - load.Offset;
            bool writable = (load.Map.Flags & MapFlags.BPF_F_RDONLY_PROG) == 0;
            regions.Add(new MemoryRegion((nint)address, load.Map.ValueSize, writable, "map_value"));
        }
        return [.. regions];
    }
}

/// <summary>What a PROG_ARRAY requires all its programs to share (kernel: struct bpf_map_owner).</summary>
internal readonly record struct ProgArrayOwner(BpfProgType Type, uint ExpectedAttachType, bool XdpHasFrags, bool Sleepable);

/// <summary>What PROG_LOAD has gathered about a program before it becomes a <see cref="LoadedProgram"/>.</summary>
internal sealed record ProgramSpec(
    BpfProgType Type, string Name, uint ExpectedAttachType, uint Flags, string License, ProgTag Tag, BtfObject? Btf,
    Instruction[] Instructions, Map[] UsedMaps, MapLoad[] Loads)
{
    /// <summary>The verifier's max_ctx_offset (0 when the program was not verified).</summary>
    public uint MaxCtxOffset { get; init; }
}
