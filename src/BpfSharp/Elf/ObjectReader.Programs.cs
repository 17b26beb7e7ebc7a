using BpfSharp.Elf.Btf;
using BpfSharp.Isa;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Elf;

// Programs: every function of a program section, linked as libbpf's bpf_object__relocate does: map and
// global data references become pseudo lddw's, and each subprogram a program reaches is appended once.
internal sealed partial class ObjectReader
{
    private const byte CallOpcode = BPF_JMP | BPF_CALL;

    // A function: its section and its instructions in it.
    private readonly record struct Function(string Name, ElfSection Section, int Start, int Count, bool IsLocal);

    private readonly Dictionary<int, Function[]> _functions = [];
    // The relocations of each code section by the offset of the instruction they patch.
    private readonly Dictionary<int, Dictionary<ulong, ElfRelocation>> _codeRelocations = [];

    private void ReadPrograms()
    {
        foreach (ElfSection s in _elf.Sections)
        {
            if (!s.IsExecutable || s.Size == 0) continue;
            if (s.Size % Instruction.Size != 0) throw Fault(s, 0, $"size {s.Size} is not a multiple of {Instruction.Size}");
            _functions[s.Index] = FunctionsOf(s);
            _codeRelocations[s.Index] = CodeRelocations(s);
        }
        foreach (ElfSection s in _elf.Sections)
        {
            if (!_functions.TryGetValue(s.Index, out Function[]? functions) || s == _text) continue;
            // libbpf: a leading '?' turns autoload off; the rest is the section name as usual.
            bool autoload = !s.Name.StartsWith('?');
            string sectionName = autoload ? s.Name : s.Name[1..];
            bool known = ProgramSection.TryParse(sectionName, out ProgramSection kind)
                || ProgramSection.TryParseLegacy(sectionName, out kind);
            foreach (Function f in functions)
            {
                // A static function in a program section is a program too, as cilium/ebpf loads it (Cilium's own
                // objects declare their tail-call programs static); libbpf refuses such objects outright.
                ProgramSpec program = Link(f);
                if (known)
                {
                    program.Type = kind.Type;
                    program.ExpectedAttachType = kind.ExpectedAttachType;
                    program.Flags = kind.Flags;
                    program.AttachTarget = kind.AttachTarget;
                }
                program.Autoload = autoload;
                AddProgram(program, s, f);
            }
        }
        if (_spec.Programs.Count == 0 && _text is not null && _functions.TryGetValue(_text.Index, out Function[]? textFunctions))
        {
            // No program section at all (code built for PREVAIL or ubpf, which take .text's functions as programs):
            // libbpf would load nothing; the global functions are offered as programs that do not load by default
            // and have no type, to be chosen by name with one given.
            foreach (Function f in textFunctions)
                if (!f.IsLocal)
                    AddProgram(Link(f), _text, f).Autoload = false;
        }
    }

    private ProgramSpec AddProgram(ProgramSpec program, ElfSection s, Function f)
    {
        program.License = _spec.License;
        program.KernelVersion = _spec.KernelVersion;
        if (!_spec.Programs.TryAdd(program.Name, program))
            throw Fault(s, (ulong)f.Start * Instruction.Size, $"program '{f.Name}' is defined twice");
        return program;
    }

    // libbpf's checks: each relocation patches one instruction, at its start.
    private Dictionary<ulong, ElfRelocation> CodeRelocations(ElfSection s)
    {
        var byOffset = new Dictionary<ulong, ElfRelocation>();
        if (!_relocations.TryGetValue(s.Index, out ElfRelocation[]? relocs)) return byOffset;
        foreach (ElfRelocation r in relocs)
        {
            if (r.Offset % Instruction.Size != 0) throw Fault(s, r.Offset, "relocation is not at an instruction's start");
            if (!byOffset.TryAdd(r.Offset, r)) throw Fault(s, r.Offset, "two relocations patch the same instruction");
        }
        return byOffset;
    }

    // The FUNC symbols of an executable section, each running to its size (or to the next function).
    private Function[] FunctionsOf(ElfSection s)
    {
        int total = (int)(s.Size / Instruction.Size);
        var syms = SymbolsIn(s).Where(sym => sym.Type == ElfFile.STT_FUNC).OrderBy(sym => sym.Value).ToArray();
        if (syms.Length == 0)
            return [LegacyProgram(s, total)];
        var result = new Function[syms.Length];
        for (int i = 0; i < syms.Length; i++)
        {
            ElfSymbol sym = syms[i];
            if (sym.Value % Instruction.Size != 0 || sym.Value >= s.Size)
                throw Fault(s, sym.Value, $"function '{sym.Name}' does not start an instruction inside the section");
            int start = (int)(sym.Value / Instruction.Size);
            int next = i + 1 < syms.Length ? (int)(syms[i + 1].Value / Instruction.Size) : total;
            int count = sym.Size == 0 ? next - start : (int)Math.Min(sym.Size / Instruction.Size, (ulong)(total - start));
            if (count <= 0) throw Fault(s, sym.Value, $"function '{sym.Name}' is empty");
            result[i] = new Function(sym.Name, s, start, count, sym.Binding == STB_LOCAL);
        }
        return result;
    }

    // Objects from LLVM before 2018 (the kernel's old samples/bpf, iproute2-era Cilium) typed no symbol STT_FUNC. The
    // libbpf of that time (bpf_object__init_prog_names) made each code section one program named after the first
    // global symbol in it (the function, then a NOTYPE symbol), or after the section when it has none.
    private Function LegacyProgram(ElfSection s, int total)
    {
        ElfSymbol? named = SymbolsIn(s).Find(sym => sym.Binding != STB_LOCAL && sym.Name.Length > 0 && sym.Value == 0);
        return new Function(named?.Name ?? s.Name, s, 0, total, IsLocal: false);
    }

    private ProgramSpec Link(Function main)
    {
        var insns = new List<Instruction>(main.Count);
        var references = new List<MapReference>();
        // Functions already in the program, by (section, first instruction), with where they start in it.
        var placed = new Dictionary<(int, int), int> { [(main.Section.Index, main.Start)] = 0 };
        var queue = new Queue<(Function F, int Dest)>();
        var program = new ProgramSpec(main.Name, main.Section.Name, []) { MainLength = main.Count };
        Append(main);
        queue.Enqueue((main, 0));
        while (queue.TryDequeue(out var block))
            Relocate(block.F, block.Dest);
        program.Instructions = [.. insns];
        program.MapReferences.AddRange(references);
        return program;

        void Append(Function f)
        {
            ReadOnlySpan<byte> code = _elf.Data(f.Section).Slice(f.Start * Instruction.Size, f.Count * Instruction.Size);
            for (int i = 0; i < f.Count; i++)
                insns.Add(Instruction.Read(code[(i * Instruction.Size)..]));
        }

        // Where instruction `target` of `section` is in the program, appending its function if needed.
        int Place(ElfSection section, int target, ulong at, ElfSection from)
        {
            Function f = FunctionAt(section, target)
                ?? throw Fault(from, at, $"call target {target} of section '{section.Name}' is not inside a function");
            if (!placed.TryGetValue((section.Index, f.Start), out int dest))
            {
                dest = insns.Count;
                placed[(section.Index, f.Start)] = dest;
                Append(f);
                queue.Enqueue((f, dest));
            }
            return dest + (target - f.Start);
        }

        void Relocate(Function f, int dest)
        {
            string sec = f.Section.Name;
            program.FuncInfo.AddRange(RecordsOf(_btfExt?.Functions, sec, f.Start, f.Count, dest, r => r.Instruction, (r, i) => r with { Instruction = i }));
            program.LineInfo.AddRange(RecordsOf(_btfExt?.Lines, sec, f.Start, f.Count, dest, r => r.Instruction, (r, i) => r with { Instruction = i }));
            program.CoreRelocations.AddRange(RecordsOf(_btfExt?.CoreRelocations, sec, f.Start, f.Count, dest, r => r.Instruction, (r, i) => r with { Instruction = i }));
            Dictionary<ulong, ElfRelocation> byOffset = _codeRelocations[f.Section.Index];
            for (int j = 0; j < f.Count; j++)
            {
                int i = dest + j, si = f.Start + j;
                ulong at = (ulong)si * Instruction.Size;
                Instruction insn = insns[i];
                bool hasReloc = byOffset.TryGetValue(at, out ElfRelocation r);
                if (insn.IsLdImm64)
                {
                    if (j + 1 >= f.Count) throw Fault(f.Section, at, "lddw is the function's last instruction");
                    if (hasReloc) RelocateLoad(f.Section, at, i, r);
                    else if (insn.Src == BPF_PSEUDO_FUNC)
                        insns[i] = WithImm(insn, Place(f.Section, si + insn.Imm + 1, at, f.Section) - i - 1);
                    j++;
                }
                else if (insn.Opcode == CallOpcode && insn.Src == BPF_PSEUDO_CALL)
                {
                    int target;
                    ElfSection section = f.Section;
                    if (hasReloc)
                    {
                        if (r.Type != ElfRelocation.R_BPF_64_32) throw Fault(f.Section, at, $"call relocation type {r.Type} is not R_BPF_64_32");
                        ElfSymbol sym = Symbol(r.Symbol);
                        section = SectionOf(sym, f.Section, at);
                        if (!section.IsExecutable) throw Fault(f.Section, at, $"call to '{sym.Name}' in non-code section '{section.Name}'");
                        target = (int)(sym.Value / Instruction.Size) + insn.Imm + 1;
                    }
                    else target = si + insn.Imm + 1;
                    insns[i] = WithImm(insn, Place(section, target, at, f.Section) - i - 1);
                }
                else if (hasReloc)
                    throw Fault(f.Section, at, $"relocation against '{Symbol(r.Symbol).Name}' on an instruction that is neither lddw nor call");
            }
        }

        // An lddw naming a map, global data, or a function (a callback's address).
        void RelocateLoad(ElfSection from, ulong at, int i, ElfRelocation r)
        {
            // LLVM before 2017 wrote R_BPF_NONE here; libbpf never looked at the type of an lddw's relocation.
            if (r.Type is not (ElfRelocation.R_BPF_64_64 or ElfRelocation.R_BPF_NONE))
                throw Fault(from, at, $"lddw relocation type {r.Type} is not R_BPF_64_64");
            ElfSymbol sym = Symbol(r.Symbol);
            Instruction insn = insns[i];
            if (sym.SectionIndex == SHN_UNDEF && _kconfigMap is not null && _kconfig.Find(k => k.Name == sym.Name) is { Name: not null } kv)
            {
                // libbpf: a __kconfig extern reads from the .kconfig map
                references.Add(new MapReference(i, _kconfigMap.Name, true, (uint)(kv.Offset + insn.Imm)));
                insns[i] = new Instruction(insn.Opcode, insn.Dst, BPF_PSEUDO_MAP_VALUE, 0, 0);
                return;
            }
            ElfSection target = SectionOf(sym, from, at);
            if (target == _legacyMaps || target == _btfMaps)
            {
                string name = MapAt(target, sym.Type == STT_SECTION ? (ulong)insn.Imm : sym.Value)
                    ?? throw Fault(from, at, $"'{sym.Name}' is not a map in '{target.Name}'");
                references.Add(new MapReference(i, name, false, 0));
                insns[i] = new Instruction(insn.Opcode, insn.Dst, BPF_PSEUDO_MAP_FD, 0, 0);
            }
            else if (_dataMaps.TryGetValue(target.Index, out MapSpec? data))
            {
                long offset = (long)sym.Value + insn.Imm;
                if (offset < 0 || (ulong)offset >= target.Size) throw Fault(from, at, $"offset {offset} lies outside '{target.Name}'");
                references.Add(new MapReference(i, data.Name, true, (uint)offset));
                insns[i] = new Instruction(insn.Opcode, insn.Dst, BPF_PSEUDO_MAP_VALUE, 0, 0);
            }
            else if (target.IsExecutable)
            {
                long bytes = (long)sym.Value + insn.Imm;
                if (bytes < 0 || bytes % Instruction.Size != 0) throw Fault(from, at, $"function address {bytes} is not an instruction");
                int dest = Place(target, (int)(bytes / Instruction.Size), at, from);
                insns[i] = new Instruction(insn.Opcode, insn.Dst, BPF_PSEUDO_FUNC, 0, dest - i - 1);
            }
            else
                throw Fault(from, at, $"lddw of '{sym.Name}' in section '{target.Name}', which is neither maps, global data nor code");
        }
    }

    private Function? FunctionAt(ElfSection section, int insn)
    {
        if (!_functions.TryGetValue(section.Index, out Function[]? functions)) return null;
        foreach (Function f in functions)
            if (insn >= f.Start && insn < f.Start + f.Count) return f;
        return null;
    }

    // The map whose definition starts at `offset` of a maps section.
    private string? MapAt(ElfSection section, ulong offset)
    {
        foreach (ElfSymbol sym in SymbolsIn(section))
            if (sym.Type != STT_SECTION && sym.Value == offset && _spec.Maps.ContainsKey(sym.Name))
                return sym.Name;
        return null;
    }

    private static Instruction WithImm(Instruction insn, int imm) => new(insn.Opcode, insn.Dst, insn.Src, insn.Offset, imm);
}
