using System.Runtime.CompilerServices;
using BpfSharp.Isa;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Elf.Btf;

/// <summary>
/// CO-RE (compile once, run everywhere) relocations, resolved as libbpf's relo_core.c resolves them: each relocated
/// instruction names a type and an access path in the object's BTF; the path is matched by name against the types
/// of a target BTF (the running kernel's, or one the caller passes) whose name is the same up to a <c>___flavor</c>
/// suffix, and the instruction gets the target's field offset, size, existence, signedness, bitfield shifts, type id,
/// type size or enum value. A relocation with no match is "poisoned" as libbpf does: the instruction becomes a call
/// of helper 0xbad2310, which the verifier rejects only if the program can reach it.
/// </summary>
public static class CoreRelocator
{
    /// <summary>The helper id libbpf writes into an instruction whose relocation found no target (0xbad2310).</summary>
    public const int PoisonHelper = 0xbad2310;

    /// <summary>enum bpf_core_relo_kind.</summary>
    public enum Kind : uint
    {
        /// <summary>BPF_CORE_FIELD_BYTE_OFFSET.</summary>
        FieldByteOffset = 0,
        /// <summary>BPF_CORE_FIELD_BYTE_SIZE.</summary>
        FieldByteSize = 1,
        /// <summary>BPF_CORE_FIELD_EXISTS.</summary>
        FieldExists = 2,
        /// <summary>BPF_CORE_FIELD_SIGNED.</summary>
        FieldSigned = 3,
        /// <summary>BPF_CORE_FIELD_LSHIFT_U64.</summary>
        FieldLshiftU64 = 4,
        /// <summary>BPF_CORE_FIELD_RSHIFT_U64.</summary>
        FieldRshiftU64 = 5,
        /// <summary>BPF_CORE_TYPE_ID_LOCAL.</summary>
        TypeIdLocal = 6,
        /// <summary>BPF_CORE_TYPE_ID_TARGET.</summary>
        TypeIdTarget = 7,
        /// <summary>BPF_CORE_TYPE_EXISTS.</summary>
        TypeExists = 8,
        /// <summary>BPF_CORE_TYPE_SIZE.</summary>
        TypeSize = 9,
        /// <summary>BPF_CORE_ENUMVAL_EXISTS.</summary>
        EnumvalExists = 10,
        /// <summary>BPF_CORE_ENUMVAL_VALUE.</summary>
        EnumvalValue = 11,
        /// <summary>BPF_CORE_TYPE_MATCHES.</summary>
        TypeMatches = 12,
    }

    // Target types by essential name, built once per target BTF.
    private static readonly ConditionalWeakTable<BtfBlob, Dictionary<string, List<uint>>> s_byName = new();

    /// <summary>Resolves every relocation of <paramref name="relocations"/> in <paramref name="insns"/>.</summary>
    /// <exception cref="BpfFormatException">A relocation is malformed (bad type id, access string or instruction).</exception>
    public static void Apply(Span<Instruction> insns, IEnumerable<BtfCoreRelocation> relocations, BtfBlob local, BtfBlob target)
    {
        foreach (BtfCoreRelocation r in relocations)
        {
            if ((uint)r.Instruction >= (uint)insns.Length)
                throw Fault(r, $"instruction {r.Instruction} is outside the program");
            ulong? value = Resolve(r, local, target, out int memSize);
            if (value is { } v && (memSize >= 0 || insns[r.Instruction].Class is not (BPF_LDX or BPF_ST or BPF_STX)))
                Patch(insns, r, v, Math.Max(memSize, 0));
            else Poison(insns, r.Instruction);
        }
    }

    // The relocated value, or null when nothing in the target matches and the kind has no "missing" answer. For a field
    // offset, memSize is the target field's size when a load or store must change width (0: unchanged), or -1 when the
    // width cannot change safely (libbpf's fail_memsz_adjust: only pointers and unsigned integers may).
    private static ulong? Resolve(BtfCoreRelocation r, BtfBlob local, BtfBlob target, out int memSize)
    {
        memSize = 0;
        var kind = (Kind)r.Kind;
        if (r.TypeId == 0 || r.TypeId >= (uint)local.TypeCount) throw Fault(r, $"type id {r.TypeId} is out of range");
        if (kind == Kind.TypeIdLocal) return r.TypeId;
        string access;
        try
        {
            access = local.StringAt(r.AccessStringOffset);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw Fault(r, $"access string offset {r.AccessStringOffset} is outside the strings");
        }
        int[] path = ParseAccess(r, access);
        uint root = local.SkipModifiers(r.TypeId);
        List<uint> candidates = Candidates(target, local.GetType(root));
        switch (kind)
        {
            case Kind.FieldByteOffset or Kind.FieldByteSize or Kind.FieldExists or Kind.FieldSigned
                or Kind.FieldLshiftU64 or Kind.FieldRshiftU64:
            {
                Field localField = LocalField(r, local, root, path);
                Field? found = null;
                foreach (uint c in candidates)
                {
                    if (MatchField(local, localField, target, c, path) is not { } f) continue;
                    if (found is { } prev && FieldValue(kind, prev, target) != FieldValue(kind, f, target))
                        throw Fault(r, $"candidates [{prev.Root}] and [{c}] of '{local.NameOf(root)}' give different results");
                    found = f;
                }
                if (kind == Kind.FieldExists) return found is null ? 0ul : 1ul;
                if (found is not { } field) return null;
                if (kind == Kind.FieldByteOffset && field.BitfieldSize == 0)
                    memSize = MemSize(local, localField.Type, target, field.Type);
                return FieldValue(kind, field, target);
            }
            case Kind.TypeIdTarget or Kind.TypeExists or Kind.TypeSize or Kind.TypeMatches:
            {
                uint? match = candidates.Cast<uint?>().FirstOrDefault(c => TypesCompatible(local, root, target, c!.Value, depth: 0));
                return kind switch
                {
                    Kind.TypeExists or Kind.TypeMatches => match is null ? 0ul : 1ul,
                    Kind.TypeIdTarget => match,
                    _ => match is { } m ? target.SizeOf(m) : null,
                };
            }
            case Kind.EnumvalExists or Kind.EnumvalValue:
            {
                BtfType e = local.GetType(root);
                if (e.Kind is not (BtfKind.Enum or BtfKind.Enum64) || path.Length != 1 || path[0] < 0 || path[0] >= e.Vlen)
                    throw Fault(r, $"enum value access '{access}' does not name an enumerator of [{root}]");
                string name = Essential(e.EnumValues[path[0]].Name);
                foreach (uint c in candidates)
                    foreach (BtfEnumValue v in target.GetType(c).EnumValues)
                        if (Essential(v.Name) == name)
                            return kind == Kind.EnumvalExists ? 1ul : (ulong)v.Value;
                return kind == Kind.EnumvalExists ? 0ul : null;
            }
            default:
                throw Fault(r, $"unknown relocation kind {r.Kind}");
        }
    }

    private static int MemSize(BtfBlob local, uint localType, BtfBlob target, uint targetType)
    {
        uint l = local.SkipModifiers(localType), t = target.SkipModifiers(targetType);
        uint ls = local.SizeOf(l) ?? 0, ts = target.SizeOf(t) ?? 0;
        if (ls == ts) return 0;
        BtfType lt = local.GetType(l), tt = target.GetType(t);
        bool bothPointers = lt.Kind == BtfKind.Ptr && tt.Kind == BtfKind.Ptr;
        bool bothUnsigned = lt.Kind == BtfKind.Int && tt.Kind == BtfKind.Int && (lt.IntEncoding & 1) == 0 && (tt.IntEncoding & 1) == 0;
        return bothPointers || bothUnsigned ? (int)ts : -1;
    }

    // A field reached by an access path: the root type it was reached from, its type, bit offset and bitfield size.
    private readonly record struct Field(uint Root, uint Type, long BitOffset, uint BitfieldSize);

    private static int[] ParseAccess(BtfCoreRelocation r, string access)
    {
        string[] parts = access.Split(':');
        var path = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out path[i]))
                throw Fault(r, $"access string '{access}' is not a list of indices");
        return path;
    }

    // libbpf's bpf_core_parse_spec: the first index steps over the root pointer, the others through members and elements.
    private static Field LocalField(BtfCoreRelocation r, BtfBlob btf, uint root, int[] path)
    {
        uint type = root;
        long bits = (long)path[0] * (btf.SizeOf(root) ?? 0) * 8;
        uint bitfield = 0;
        for (int i = 1; i < path.Length; i++)
        {
            BtfType t = btf.GetType(btf.SkipModifiers(type));
            if (t.Kind is BtfKind.Struct or BtfKind.Union)
            {
                if (path[i] >= t.Vlen) throw Fault(r, $"member {path[i]} of [{t.Id}] does not exist");
                BtfMember m = t.Members[path[i]];
                bits += m.BitOffset;
                bitfield = m.BitfieldSize;
                type = m.Type;
            }
            else if (t.Kind == BtfKind.Array)
            {
                uint elem = btf.SkipModifiers(t.Array.Type);
                bits += (long)path[i] * (btf.SizeOf(elem) ?? 0) * 8;
                bitfield = 0;
                type = elem;
            }
            else throw Fault(r, $"access step {i} goes into [{t.Id}], which is {t.Kind}");
        }
        return new Field(root, type, bits, bitfield);
    }

    // libbpf's bpf_core_spec_match: the local path's named members found by name in the candidate (through anonymous
    // members), array indices kept; the field types must be compatible.
    private static Field? MatchField(BtfBlob local, Field localField, BtfBlob target, uint candidate, int[] path)
    {
        uint ltype = localField.Root, ttype = candidate;
        long bits = (long)path[0] * (target.SizeOf(candidate) ?? 0) * 8;
        uint bitfield = 0;
        for (int i = 1; i < path.Length; i++)
        {
            BtfType lt = local.GetType(local.SkipModifiers(ltype));
            BtfType tt = target.GetType(target.SkipModifiers(ttype));
            if (lt.Kind is BtfKind.Struct or BtfKind.Union)
            {
                BtfMember lm = lt.Members[path[i]];
                ltype = lm.Type;
                if (lm.Name.Length == 0)
                    continue; // an anonymous member: the next named member is searched for through the target's anonymous members
                if (tt.Kind is not (BtfKind.Struct or BtfKind.Union)) return null;
                if (FindMember(target, tt.Id, lm.Name, 0) is not { } found) return null;
                bits += found.BitOffset;
                bitfield = found.BitfieldSize;
                ttype = found.Type;
            }
            else
            {
                if (tt.Kind != BtfKind.Array) return null;
                BtfArray ta = tt.Array;
                if (ta.Nelems != 0 && path[i] >= ta.Nelems) return null;
                uint elem = target.SkipModifiers(ta.Type);
                bits += (long)path[i] * (target.SizeOf(elem) ?? 0) * 8;
                bitfield = 0;
                ltype = local.SkipModifiers(lt.Array.Type);
                ttype = elem;
            }
        }
        if (!TypesCompatible(local, local.SkipModifiers(localField.Type), target, target.SkipModifiers(ttype), depth: 0))
            return null;
        return new Field(candidate, ttype, bits, bitfield);
    }

    // A member named `name` of a struct or union, looked for in anonymous members too; its offset is from `type`'s start.
    private static BtfMember? FindMember(BtfBlob btf, uint type, string name, int depth)
    {
        if (depth > 32) return null;
        foreach (BtfMember m in btf.GetType(type).Members)
        {
            if (m.Name == name) return m;
            if (m.Name.Length != 0) continue;
            uint inner = btf.SkipModifiers(m.Type);
            if (btf.GetType(inner).Kind is not (BtfKind.Struct or BtfKind.Union)) continue;
            if (FindMember(btf, inner, name, depth + 1) is { } found)
                return found with { BitOffset = found.BitOffset + m.BitOffset };
        }
        return null;
    }

    // libbpf's bpf_core_fields_are_compat / bpf_core_types_are_compat, loosely: the same class of type (integers and
    // enums together, pointers, structs/unions by kind and name, arrays by element, functions by arity).
    private static bool TypesCompatible(BtfBlob local, uint l, BtfBlob target, uint t, int depth)
    {
        if (depth > 16) return false;
        BtfType lt = local.GetType(local.SkipModifiers(l)), tt = target.GetType(target.SkipModifiers(t));
        static bool Scalar(BtfKind k) => k is BtfKind.Int or BtfKind.Enum or BtfKind.Enum64;
        if (Scalar(lt.Kind) && Scalar(tt.Kind)) return true;
        if (lt.Kind != tt.Kind)
            return lt.Kind is BtfKind.Fwd && tt.Kind is BtfKind.Struct or BtfKind.Union
                || tt.Kind is BtfKind.Fwd && lt.Kind is BtfKind.Struct or BtfKind.Union;
        return lt.Kind switch
        {
            BtfKind.Ptr or BtfKind.Float => true,
            BtfKind.Struct or BtfKind.Union or BtfKind.Fwd => Essential(lt.Name) == Essential(tt.Name),
            BtfKind.Array => TypesCompatible(local, lt.Array.Type, target, tt.Array.Type, depth + 1),
            BtfKind.FuncProto => lt.Vlen == tt.Vlen,
            _ => true,
        };
    }

    // libbpf's bpf_core_calc_field_relo for a matched field.
    private static ulong FieldValue(Kind kind, Field f, BtfBlob btf)
    {
        uint mt = btf.SkipModifiers(f.Type);
        BtfType t = btf.GetType(mt);
        long bitOff = f.BitOffset;
        long byteSize, byteOff, bitSize;
        if (f.BitfieldSize == 0)
        {
            byteSize = btf.SizeOf(mt) ?? 0;
            byteOff = bitOff / 8;
            bitSize = byteSize * 8;
        }
        else
        {
            byteSize = btf.SizeOf(mt) ?? 1;
            bitSize = f.BitfieldSize;
            byteOff = bitOff / 8 / byteSize * byteSize;
            while (bitOff + bitSize - byteOff * 8 > byteSize * 8 && byteSize < 8)
            {
                byteSize *= 2;
                byteOff = bitOff / 8 / byteSize * byteSize;
            }
        }
        return kind switch
        {
            Kind.FieldByteOffset => (ulong)byteOff,
            Kind.FieldByteSize => (ulong)byteSize,
            Kind.FieldSigned => t.Kind is BtfKind.Enum or BtfKind.Enum64 ? (t.KindFlag ? 1ul : 0ul)
                : t.Kind == BtfKind.Int && (t.IntEncoding & 1) != 0 ? 1ul : 0ul,
            Kind.FieldLshiftU64 => (ulong)(64 - (bitOff + bitSize - byteOff * 8)), // little endian
            Kind.FieldRshiftU64 => (ulong)(64 - bitSize),
            _ => 1,
        };
    }

    // Types of the target with the local type's kind and essential name (libbpf's candidate list).
    private static List<uint> Candidates(BtfBlob target, BtfType local)
    {
        Dictionary<string, List<uint>> index = s_byName.GetValue(target, static btf =>
        {
            var byName = new Dictionary<string, List<uint>>(StringComparer.Ordinal);
            for (uint id = 1; id < (uint)btf.TypeCount; id++)
            {
                string name = btf.NameOf(id);
                if (name.Length == 0) continue;
                string key = Essential(name);
                if (!byName.TryGetValue(key, out List<uint>? ids)) byName[key] = ids = [];
                ids.Add(id);
            }
            return byName;
        });
        var result = new List<uint>();
        if (!index.TryGetValue(Essential(local.Name), out List<uint>? same)) return result;
        foreach (uint id in same)
        {
            BtfKind k = target.GetType(id).Kind;
            bool enumLike = local.Kind is BtfKind.Enum or BtfKind.Enum64 && k is BtfKind.Enum or BtfKind.Enum64;
            if (k == local.Kind || enumLike) result.Add(id);
        }
        return result;
    }

    // libbpf's bpf_core_essential_name_len: a name up to its "___" flavor suffix.
    private static string Essential(string name)
    {
        int at = name.IndexOf("___", StringComparison.Ordinal);
        return at > 0 ? name[..at] : name;
    }

    // libbpf's bpf_core_patch_insn: the immediate of an ALU op or lddw, the offset of a load or store.
    private static void Patch(Span<Instruction> insns, BtfCoreRelocation r, ulong value, int memSize)
    {
        Instruction insn = insns[r.Instruction];
        bool memory = insn.Class is BPF_LDX or BPF_ST or BPF_STX;
        if (memSize > 0 && memory)
        {
            byte size = memSize switch { 1 => BPF_B, 2 => BPF_H, 4 => BPF_W, 8 => BPF_DW, _ => byte.MaxValue };
            if (size == byte.MaxValue)
            {
                Poison(insns, r.Instruction);
                return;
            }
            insn = new Instruction((byte)((insn.Opcode & ~0x18) | size), insn.Dst, insn.Src, insn.Offset, insn.Imm);
        }
        switch (insn.Class)
        {
            case BPF_ALU or BPF_ALU64 when (insn.Opcode & BPF_X) == 0:
                insns[r.Instruction] = new Instruction(insn.Opcode, insn.Dst, insn.Src, insn.Offset, (int)value);
                break;
            case BPF_LDX or BPF_ST or BPF_STX:
                if (value > (ulong)short.MaxValue) throw Fault(r, $"offset {value} does not fit an instruction's 16-bit offset");
                insns[r.Instruction] = new Instruction(insn.Opcode, insn.Dst, insn.Src, (short)value, insn.Imm);
                break;
            case BPF_LD when insn.IsLdImm64 && r.Instruction + 1 < insns.Length:
                Instruction next = insns[r.Instruction + 1];
                insns[r.Instruction] = new Instruction(insn.Opcode, insn.Dst, insn.Src, insn.Offset, (int)(uint)value);
                insns[r.Instruction + 1] = new Instruction(next.Opcode, next.Dst, next.Src, next.Offset, (int)(uint)(value >> 32));
                break;
            default:
                throw Fault(r, $"instruction {r.Instruction} (opcode 0x{insn.Opcode:x2}) cannot be relocated");
        }
    }

    // Both halves of an lddw, as libbpf does, so the verifier names the bad relocation rather than an unknown opcode.
    private static void Poison(Span<Instruction> insns, int index)
    {
        if (insns[index].IsLdImm64 && index + 1 < insns.Length)
            insns[index + 1] = new Instruction(BPF_JMP | BPF_CALL, (byte)0, (byte)0, 0, PoisonHelper);
        insns[index] = new Instruction(BPF_JMP | BPF_CALL, (byte)0, (byte)0, 0, PoisonHelper);
    }

    private static BpfFormatException Fault(BtfCoreRelocation r, string message) =>
        new($"CO-RE relocation of instruction {r.Instruction}: {message}", r.Instruction, section: ".BTF.ext");
}
