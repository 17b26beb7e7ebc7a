using BpfSharp.Elf.Btf;
using BpfSharp.Isa;
using BpfSharp.Uapi;

namespace BpfSharp.Elf;

/// <summary>
/// A program as an object file defines it, linked and ready for BPF_PROG_LOAD except for map fds: its
/// instructions with every subprogram it calls appended (as libbpf appends them), and the instructions
/// that name a map, which <c>Collection.Load</c> patches with the created maps' fds.
/// </summary>
public sealed class ProgramSpec
{
    /// <summary>Creates a spec for function <paramref name="name"/> of section <paramref name="sectionName"/>.</summary>
    public ProgramSpec(string name, string sectionName, Instruction[] instructions)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        SectionName = sectionName ?? throw new ArgumentNullException(nameof(sectionName));
        Instructions = instructions ?? throw new ArgumentNullException(nameof(instructions));
    }

    /// <summary>The C function's name.</summary>
    public string Name { get; set; }
    /// <summary>The ELF section (the <c>SEC()</c> name).</summary>
    public string SectionName { get; }
    /// <summary>prog_type, from the section name (<see cref="BpfProgType.Unspec"/> if no convention matched: set it before loading).</summary>
    public BpfProgType Type { get; set; }
    /// <summary>expected_attach_type.</summary>
    public uint ExpectedAttachType { get; set; }
    /// <summary>prog_flags.</summary>
    public uint Flags { get; set; }
    /// <summary>What the section names after its prefix (the kprobe's function, the tracepoint, ...).</summary>
    public string AttachTarget { get; set; } = "";
    /// <summary>False for a <c>SEC("?...")</c> program, which is loaded only when asked for by name (libbpf's autoload).</summary>
    public bool Autoload { get; set; } = true;
    /// <summary>The object's license (the <c>license</c> section).</summary>
    public string License { get; set; } = "";
    /// <summary>The object's <c>version</c> section (kern_version), 0 if none.</summary>
    public uint KernelVersion { get; set; }
    /// <summary>The instructions: the function, then the subprograms it reaches.</summary>
    public Instruction[] Instructions { get; set; }
    /// <summary>The instructions that load a map's address or a pointer into a map's value.</summary>
    public List<MapReference> MapReferences { get; } = [];
    /// <summary>The BTF function records (from .BTF.ext) of the function and each appended subprogram, by instruction.</summary>
    public List<BtfFuncInfo> FuncInfo { get; } = [];
    /// <summary>The BTF source line records, by instruction.</summary>
    public List<BtfLineInfo> LineInfo { get; } = [];
    /// <summary>CO-RE relocations of the program's instructions (resolving them needs a target BTF).</summary>
    public List<BtfCoreRelocation> CoreRelocations { get; } = [];
    /// <summary>Instructions of the function itself (the rest are appended subprograms).</summary>
    public int MainLength { get; set; }

    /// <summary>
    /// The instructions with every map reference given a map's fd (<paramref name="mapFd"/> of the map's name): the
    /// <c>lddw</c>s become BPF_PSEUDO_MAP_FD, or BPF_PSEUDO_MAP_VALUE with the offset in the second slot. A copy.
    /// </summary>
    /// <exception cref="KeyNotFoundException"><paramref name="mapFd"/> does not know a referenced map.</exception>
    public Instruction[] WithMapFds(Func<string, int> mapFd)
    {
        ArgumentNullException.ThrowIfNull(mapFd);
        Instruction[] insns = (Instruction[])Instructions.Clone();
        foreach (MapReference r in MapReferences)
        {
            Instruction ld = insns[r.Instruction], next = insns[r.Instruction + 1];
            insns[r.Instruction] = new Instruction(ld.Opcode, ld.Dst,
                r.IsValue ? Opcodes.BPF_PSEUDO_MAP_VALUE : Opcodes.BPF_PSEUDO_MAP_FD, 0, mapFd(r.Map));
            insns[r.Instruction + 1] = new Instruction(next.Opcode, next.Dst, next.Src, next.Offset, (int)r.Offset);
        }
        return insns;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({SectionName}): {Type}, {Instructions.Length} insns";
}

/// <summary>
/// An <c>lddw</c> that names a map: BPF_PSEUDO_MAP_FD (the map itself) or, for global data,
/// BPF_PSEUDO_MAP_VALUE with a byte offset into the map's value.
/// </summary>
/// <param name="Instruction">Index of the <c>lddw</c> in <see cref="ProgramSpec.Instructions"/>.</param>
/// <param name="Map">The map's name in the collection.</param>
/// <param name="IsValue">True for a pointer into the value (BPF_PSEUDO_MAP_VALUE).</param>
/// <param name="Offset">The byte offset into the value.</param>
public readonly record struct MapReference(int Instruction, string Map, bool IsValue, uint Offset);
