using BpfSharp.Uapi;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Isa;

// Calls, pseudo loads and atomics: the forms with names.
public static partial class Assembler
{
    // r1 = map[fd:3] | map[fd:3][0]+16 | map[idx:3] | map[idx:3][0]+16 | btf_id[42] | subprog[+5] | subprog[name]
    private static Parsed ParsePseudoLoad(Cursor c, string form, byte dst)
    {
        c.Punct("[");
        byte src;
        uint imm;
        uint next = 0;
        string? label = null;
        if (form == "map")
        {
            string kind = c.AnyIdent();
            c.Punct(":");
            imm = UImm32(c.Number());
            c.Punct("]");
            bool value = c.TryPunct("[");
            if (value)
            {
                if (UImm32(c.Number()) != 0) throw new LineError("a map value load names element [0]");
                c.Punct("]");
                c.Punct("+");
                next = UImm32(c.Number());
            }
            src = (kind, value) switch
            {
                ("fd", false) => BPF_PSEUDO_MAP_FD,
                ("fd", true) => BPF_PSEUDO_MAP_VALUE,
                ("idx", false) => BPF_PSEUDO_MAP_IDX,
                ("idx", true) => BPF_PSEUDO_MAP_IDX_VALUE,
                _ => throw Unknown(),
            };
        }
        else if (form == "btf_id")
        {
            src = BPF_PSEUDO_BTF_ID;
            imm = UImm32(c.Number());
            c.Punct("]");
        }
        else
        {
            src = BPF_PSEUDO_FUNC;
            if (c.Peek().Kind == TokenKind.Ident)
            {
                label = c.AnyIdent();
                imm = 0;
            }
            else
                imm = (uint)Imm32(c.Number(), "subprogram offset");
            c.Punct("]");
        }
        return new Parsed
        {
            First = Insn(LD_IMM64, dst, src, 0, (int)imm),
            Second = Insn(0, 0, 0, 0, (int)next),
            Slots = 2,
            Label = label,
            LabelInImm = true,
        };
    }

    private static uint UImm32(Int128 value)
    {
        if (value < 0 || value > uint.MaxValue)
            throw new LineError($"{value} is not an unsigned 32-bit number");
        return (uint)value;
    }

    // r1 = load_acquire((u64 *)(r2 +0))
    private static Parsed ParseLoadAcquire(Cursor c, byte dst, bool w)
    {
        c.Punct("(");
        (byte size, bool signed) = ParseCast(c);
        if (signed) throw Unknown();
        (byte src, short off) = ParseAddress(c);
        c.Punct(")");
        NarrowW(w, size);
        return Parsed.One(Insn((byte)(BPF_STX | size | BPF_ATOMIC), dst, src, off, BPF_LOAD_ACQ));
    }

    // r1 = addr_space_cast(r2, 0, 1)
    private static Parsed ParseAddrSpaceCast(Cursor c, byte dst)
    {
        c.Punct("(");
        byte src = c.RReg();
        c.Punct(",");
        uint to = UImm32(c.Number());
        c.Punct(",");
        uint from = UImm32(c.Number());
        c.Punct(")");
        if (to > 0xffff || from > 0xffff) throw new LineError("an address space is a 16-bit number");
        return Parsed.One(Insn(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, Disassembler.BPF_ADDR_SPACE_CAST, (int)((to << 16) | from)));
    }

    // Kernel: r0 = atomic64_fetch_add((u64 *)(r1 +0), r0) | r2 = atomic_xchg((u32 *)(r1 +0), r2)
    //         r0 = atomic64_cmpxchg((u64 *)(r1 +0), r0, r2)
    // LLVM:   w0 = atomic_fetch_add((u32 *)(r1 + 0x0), w0) | r0 = xchg_64(r1 + 0x0, r0)
    //         w0 = xchg32_32(r1 + 0x0, w0) | r0 = cmpxchg_64(r1 + 0x0, r0, r2) | w0 = cmpxchg32_32(...)
    private static Parsed ParseAtomicAssignment(Cursor c, string name, byte result, bool w)
    {
        int imm;
        byte size;
        byte dst;
        short off;
        c.Punct("(");
        if (name is "xchg_64" or "xchg32_32" or "cmpxchg_64" or "cmpxchg32_32")
        {
            size = name.EndsWith("_64", StringComparison.Ordinal) ? BPF_DW : BPF_W;
            imm = name.StartsWith("cmp", StringComparison.Ordinal) ? BPF_CMPXCHG : BPF_XCHG;
            (dst, off) = ParseBasePlusOffset(c);
        }
        else
        {
            string op = name.StartsWith("atomic64_", StringComparison.Ordinal) ? name[9..]
                : name.StartsWith("atomic_", StringComparison.Ordinal) ? name[7..]
                : throw Unknown();
            imm = op switch
            {
                "xchg" => BPF_XCHG,
                "cmpxchg" => BPF_CMPXCHG,
                _ when op.StartsWith("fetch_", StringComparison.Ordinal) =>
                    AluOpcode(op[6..] switch { "add" => "+=", "and" => "&=", "or" => "|=", "xor" => "^=", _ => throw Unknown() }) | BPF_FETCH,
                _ => throw Unknown(),
            };
            (size, bool signed) = ParseCast(c);
            if (signed) throw Unknown();
            if (name.StartsWith("atomic64_", StringComparison.Ordinal) && size != BPF_DW)
                throw new LineError($"{name} takes a u64 operand");
            (dst, off) = ParseAddress(c);
        }
        c.Punct(",");
        if (imm == BPF_CMPXCHG)
        {
            byte expected = c.Reg(out bool expectedW);
            SameWidth(w, expectedW);
            if (result != 0 || expected != 0) throw new LineError("cmpxchg compares with and returns in r0");
            c.Punct(",");
        }
        byte src = c.Reg(out bool srcW);
        c.Punct(")");
        SameWidth(w, srcW);
        NarrowW(w, size);
        if (imm != BPF_CMPXCHG && src != result)
            throw new LineError("an atomic fetch returns into its source register: both sides must name it");
        return Parsed.One(Insn((byte)(BPF_STX | size | BPF_ATOMIC), dst, src, off, imm));
    }

    // Kernel: call bpf_map_lookup_elem#1 | call unknown#1000 | call pc+5 | call kernel-function#42
    //         call kernel-function[idx:2]#42 | call bpf_obj_new_impl#12345 (a kfunc named by the verifier)
    // LLVM:   call 0x1 | call 1
    // Names:  call bpf_map_lookup_elem (helper) | call name (bpf-to-bpf call to a label)
    private static Parsed ParseCall(string target)
    {
        if (target.StartsWith("pc", StringComparison.Ordinal) && target.Length > 2 && target[2] is '+' or '-')
        {
            // bpftool appends #symbol to pc-relative calls of JITed programs.
            int hash = target.IndexOf('#');
            string displacement = hash < 0 ? target[2..] : target[2..hash];
            return Parsed.One(Insn(CALL, 0, BPF_PSEUDO_CALL, 0, Imm32(ParseSignedLiteral(displacement), "call offset")));
        }
        int sharp = target.LastIndexOf('#');
        if (sharp > 0)
        {
            string name = target[..sharp];
            int id = Imm32(ParseSignedLiteral(target[(sharp + 1)..]), "call id");
            return NamedCall(name, id);
        }
        if (target.Length > 0 && (char.IsAsciiDigit(target[0]) || target[0] is '+' or '-'))
            return Parsed.One(Insn(CALL, 0, 0, 0, Imm32(ParseSignedLiteral(target), "helper id")));
        if (target.Length == 0 || !IsIdentStart(target[0]) || target.AsSpan(1).ContainsAnyExcept(s_identChars))
            throw Unknown();
        if (HelperNames.TryGetId(target, out int helper))
            return Parsed.One(Insn(CALL, 0, 0, 0, helper));
        return new Parsed { First = Insn(CALL, 0, BPF_PSEUDO_CALL, 0, 0), Slots = 1, Label = target, LabelInImm = true };
    }

    private static readonly System.Buffers.SearchValues<char> s_identChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.$");

    private static Parsed NamedCall(string name, int id)
    {
        if (name == "unknown")
            return Parsed.One(Insn(CALL, 0, 0, 0, id));
        if (HelperNames.TryGetId(name, out int helper))
        {
            if (helper != id) throw new LineError($"helper {name} has id {helper}, not {id}");
            return Parsed.One(Insn(CALL, 0, 0, 0, id));
        }
        short btfFdIndex = 0;
        if (name.StartsWith("kernel-function[idx:", StringComparison.Ordinal) && name.EndsWith(']'))
            btfFdIndex = Off16(ParseSignedLiteral(name[20..^1]), "kfunc BTF fd index");
        else if (name.Length == 0 || name.AsSpan().ContainsAny(" \t()"))
            throw Unknown();
        // The verifier names kfuncs by their BTF name; anything else with #id is a kfunc.
        return Parsed.One(Insn(CALL, 0, BPF_PSEUDO_KFUNC_CALL, btfFdIndex, id));
    }

    /// <summary>Reads [+|-](decimal | 0xhex) making up the whole of <paramref name="text"/>.</summary>
    private static Int128 ParseSignedLiteral(string text)
    {
        text = text.Trim();
        bool negative = text.StartsWith('-');
        string digits = text.Length > 0 && text[0] is '+' or '-' ? text[1..].TrimStart() : text;
        if (digits.Length == 0 || !char.IsAsciiDigit(digits[0]) || !TryParseNumber(digits, out UInt128 value) || value > (UInt128)Int128.MaxValue)
            throw new LineError($"invalid number '{text}'");
        Int128 signed = (Int128)value;
        return negative ? -signed : signed;
    }
}
