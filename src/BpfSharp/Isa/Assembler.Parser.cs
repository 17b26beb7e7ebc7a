using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Isa;

// One instruction's text to its encoding: the kernel printer's forms (Disassembler) and the
// LLVM forms of the same syntax (llvm/lib/Target/BPF, as llvm-objdump and llvm-mc print them).
public static partial class Assembler
{
    /// <summary>A parsed instruction, with the label its jump, call or function load still has to resolve.</summary>
    private struct Parsed
    {
        public Instruction First;
        public Instruction Second;
        public int Slots;
        public string? Label;
        /// <summary>True when the displacement goes in imm (gotol, pseudo call, subprog load), false for off.</summary>
        public bool LabelInImm;

        public static Parsed One(Instruction insn) => new() { First = insn, Slots = 1 };

        public static Parsed Wide(Instruction first, Instruction second) => new() { First = first, Second = second, Slots = 2 };
    }

    /// <param name="text">The instruction text without index, bytes, opcode column or comment.</param>
    /// <param name="preferLdImm64">The opcode column says lddw: read <c>r1 = 0x5</c> as a 64-bit load, not a move.</param>
    private static Parsed ParseInstruction(string text, bool preferLdImm64)
    {
        text = StripTargetAnnotation(text);
        if (text.StartsWith("call", StringComparison.Ordinal) && (text.Length == 4 || char.IsWhiteSpace(text[4])))
            return ParseCall(text[4..].Trim());
        var c = new Cursor(Tokenize(text));
        Parsed result;
        Token first = c.Peek();
        if (first.Kind == TokenKind.Punct && first.Text == "*")
        {
            c.Next();
            result = ParseStore(c);
        }
        else if (c.TryReg(out byte dst, out bool w))
            result = ParseRegisterStatement(c, dst, w, preferLdImm64);
        else if (first.Kind == TokenKind.Ident)
        {
            c.Next();
            result = first.Text switch
            {
                "exit" => Parsed.One(Insn(EXIT, 0, 0, 0, 0)),
                "goto" => ParseTarget(c, Insn(JA, 0, 0, 0, 0), inImm: false),
                "gotol" => ParseTarget(c, Insn(JA32, 0, 0, 0, 0), inImm: true),
                "may_goto" => ParseTarget(c, Insn(MAY_GOTO, 0, BPF_MAY_GOTO, 0, 0), inImm: false),
                "gotox" => Parsed.One(Insn(BPF_JMP | BPF_JA | BPF_X, c.RReg(), 0, 0, 0)),
                "callx" => Parsed.One(Insn(CALLX, c.RReg(), 0, 0, 0)),
                "if" => ParseConditionalJump(c),
                "lock" => ParseLock(c),
                "store_release" => ParseStoreRelease(c),
                _ => throw Unknown(),
            };
        }
        else
            throw Unknown();
        c.End();
        return result;
    }

    /// <summary>Drops llvm-objdump's symbolic target annotation: <c>goto +0x3 &lt;LBB0_2&gt;</c>.</summary>
    private static string StripTargetAnnotation(string text)
    {
        if (!text.EndsWith('>')) return text;
        int open = text.LastIndexOf('<');
        if (open <= 0 || !char.IsWhiteSpace(text[open - 1]) || text.AsSpan(open).ContainsAny(' ', '\t'))
            return text;
        return text[..open].TrimEnd();
    }

    // goto pc+3 | goto +0x3 | goto name
    private static Parsed ParseTarget(Cursor c, Instruction insn, bool inImm)
    {
        if (c.Peek().Kind == TokenKind.Ident && !(c.IsIdent("pc") && (c.IsPunct("+", 1) || c.IsPunct("-", 1))))
        {
            string label = c.AnyIdent();
            return new Parsed { First = insn, Slots = 1, Label = label, LabelInImm = inImm };
        }
        c.TryIdent("pc");
        if (!c.IsPunct("+") && !c.IsPunct("-"))
            throw new LineError("a jump target is pc+N, pc-N, +N, -N or a label");
        Int128 displacement = c.Number();
        return Parsed.One(inImm
            ? Insn(insn.Opcode, insn.Dst, insn.Src, insn.Offset, Imm32(displacement, "jump offset"))
            : Insn(insn.Opcode, insn.Dst, insn.Src, Off16(displacement, "jump offset"), insn.Imm));
    }

    // if r1 > 0x5 goto pc+3 | if w1 s< w2 goto +0x1 <LBB0_2>
    private static Parsed ParseConditionalJump(Cursor c)
    {
        byte dst = c.Reg(out bool w);
        Token opToken = c.Next();
        byte op = opToken.Kind == TokenKind.Punct ? JmpOpcode(opToken.Text) : (byte)0xff;
        if (op == 0xff) throw Unknown();
        byte cls = w ? BPF_JMP32 : BPF_JMP;
        Instruction insn;
        if (c.TryReg(out byte src, out bool srcW))
        {
            SameWidth(w, srcW);
            insn = Insn((byte)(cls | op | BPF_X), dst, src, 0, 0);
        }
        else
            insn = Insn((byte)(cls | op | BPF_K), dst, 0, 0, Imm32(c.Number(), "immediate"));
        c.Ident("goto");
        return ParseTarget(c, insn, inImm: false);
    }

    private static byte JmpOpcode(string text)
    {
        for (int op = 0; op < 0x100; op += 0x10)
        {
            if (Disassembler.JmpOperator((byte)op) == text) return (byte)op;
        }
        return 0xff;
    }

    private static byte AluOpcode(string text)
    {
        for (int op = 0; op < 0x100; op += 0x10)
        {
            if (Disassembler.AluOperator((byte)op) == text) return (byte)op;
        }
        return 0xff;
    }

    // *(u64 *)(r10 -8) = r1 | *(u32 *)(r1 + 0x4) = w2 | *(u64 *)(r10 -8) = 0
    private static Parsed ParseStore(Cursor c)
    {
        (byte size, bool signed) = ParseCast(c);
        if (signed) throw Unknown();
        (byte dst, short off) = ParseAddress(c);
        c.Punct("=");
        if (c.TryReg(out byte src, out bool w))
        {
            NarrowW(w, size);
            return Parsed.One(Insn((byte)(BPF_STX | size | BPF_MEM), dst, src, off, 0));
        }
        return Parsed.One(Insn((byte)(BPF_ST | size | BPF_MEM), dst, 0, off, Imm32(c.Number(), "immediate")));
    }

    // lock *(u64 *)(r0 +0) += r1
    private static Parsed ParseLock(Cursor c)
    {
        c.Punct("*");
        (byte size, bool signed) = ParseCast(c);
        if (signed) throw Unknown();
        (byte dst, short off) = ParseAddress(c);
        Token opToken = c.Next();
        byte op = opToken.Kind == TokenKind.Punct ? AluOpcode(opToken.Text) : (byte)0xff;
        if (Disassembler.AtomicOpName(op) is null) throw Unknown();
        byte src = c.Reg(out bool w);
        NarrowW(w, size);
        return Parsed.One(Insn((byte)(BPF_STX | size | BPF_ATOMIC), dst, src, off, op));
    }

    // store_release((u64 *)(r1 +0), r2)
    private static Parsed ParseStoreRelease(Cursor c)
    {
        c.Punct("(");
        (byte size, bool signed) = ParseCast(c);
        if (signed) throw Unknown();
        (byte dst, short off) = ParseAddress(c);
        c.Punct(",");
        byte src = c.Reg(out bool w);
        NarrowW(w, size);
        c.Punct(")");
        return Parsed.One(Insn((byte)(BPF_STX | size | BPF_ATOMIC), dst, src, off, BPF_STORE_REL));
    }

    // r1 += r2 | w1 s/= 3 | r1 = ...
    private static Parsed ParseRegisterStatement(Cursor c, byte dst, bool w, bool preferLdImm64)
    {
        if (c.TryPunct("="))
            return ParseAssignment(c, dst, w, preferLdImm64);
        Token opToken = c.Next();
        if (opToken.Kind != TokenKind.Punct) throw Unknown();
        short off = 0;
        byte op = AluOpcode(opToken.Text);
        if (opToken.Text == "s/=") (op, off) = (BPF_DIV, 1);
        else if (opToken.Text == "s%=") (op, off) = (BPF_MOD, 1);
        if (op == 0xff || op == BPF_MOV) throw Unknown();
        byte cls = w ? BPF_ALU : BPF_ALU64;
        if (c.TryReg(out byte src, out bool srcW))
        {
            SameWidth(w, srcW);
            return Parsed.One(Insn((byte)(cls | op | BPF_X), dst, src, off, 0));
        }
        return Parsed.One(Insn((byte)(cls | op | BPF_K), dst, 0, off, Imm32(c.Number(), "immediate")));
    }

    private static Parsed ParseAssignment(Cursor c, byte dst, bool w, bool preferLdImm64)
    {
        byte cls = w ? BPF_ALU : BPF_ALU64;
        // r1 = -r1
        if (c.IsPunct("-") && c.IsRegAhead(1))
        {
            c.Next();
            byte reg = c.Reg(out bool regW);
            SameWidth(w, regW);
            if (reg != dst) throw new LineError("negation must name the same register on both sides");
            return Parsed.One(Insn((byte)(cls | BPF_NEG | BPF_K), dst, 0, 0, 0));
        }
        if (c.IsNumberAhead())
            return ParseImmediate(c, dst, w, preferLdImm64);
        // r1 = r2
        if (c.TryReg(out byte src, out bool srcW))
        {
            SameWidth(w, srcW);
            return Parsed.One(Insn((byte)(cls | BPF_MOV | BPF_X), dst, src, 0, 0));
        }
        // r1 = (s8)r2
        if (c.TryPunct("("))
        {
            short bits = c.AnyIdent() switch { "s8" => 8, "s16" => 16, "s32" => 32, _ => throw Unknown() };
            c.Punct(")");
            byte from = c.Reg(out bool fromW);
            SameWidth(w, fromW);
            return Parsed.One(Insn((byte)(cls | BPF_MOV | BPF_X), dst, from, bits, 0));
        }
        // r0 = *(u32 *)(r1 +8) | r0 = *(u8 *)skb[12] | r0 = *(u16 *)skb[r1 + 12]
        if (c.TryPunct("*"))
        {
            (byte size, bool signed) = ParseCast(c);
            if (c.TryIdent("skb"))
                return ParsePacketLoad(c, dst, w, size, signed);
            (byte src2, short off) = ParseAddress(c);
            if (w && (signed || size == BPF_DW)) throw new LineError($"w{dst} must be r{dst} here");
            return Parsed.One(Insn((byte)(BPF_LDX | size | (signed ? BPF_MEMSX : BPF_MEM)), dst, src2, off, 0));
        }
        string name = c.AnyIdent();
        if (TryByteSwap(name, out byte endCode, out int bits2))
        {
            if (w) throw new LineError($"w{dst} must be r{dst} here");
            if (c.RReg() != dst) throw new LineError("a byte swap must name the same register on both sides");
            return Parsed.One(Insn(endCode, dst, 0, 0, bits2));
        }
        return name switch
        {
            "map" or "btf_id" or "subprog" => ParsePseudoLoad(c, name, NoW(dst, w)),
            "load_acquire" => ParseLoadAcquire(c, dst, w),
            "addr_space_cast" => ParseAddrSpaceCast(c, NoW(dst, w)),
            _ => ParseAtomicAssignment(c, name, dst, w),
        };
    }

    // r1 = 5 | w1 = -1 | r1 = 0x123456789 | r1 = 0x5 ll
    private static Parsed ParseImmediate(Cursor c, byte dst, bool w, bool preferLdImm64)
    {
        Int128 value = c.Number();
        bool ll = c.TryIdent("ll");
        if (!ll && !preferLdImm64 && value >= int.MinValue && value <= uint.MaxValue)
            return Parsed.One(Insn((byte)((w ? BPF_ALU : BPF_ALU64) | BPF_MOV | BPF_K), dst, 0, 0, Imm32(value, "immediate")));
        if (w) throw new LineError($"a 64-bit immediate needs r{dst}, not w{dst}");
        if (value < long.MinValue || value > ulong.MaxValue)
            throw new LineError($"immediate {value} does not fit in 64 bits");
        ulong imm = (ulong)(value & ulong.MaxValue);
        return Parsed.Wide(Insn(LD_IMM64, dst, 0, 0, (int)imm), Insn(0, 0, 0, 0, (int)(imm >> 32)));
    }

    private static Parsed ParsePacketLoad(Cursor c, byte dst, bool w, byte size, bool signed)
    {
        if (signed || w || dst != 0) throw new LineError("a packet load writes r0: r0 = *(u32 *)skb[...]");
        c.Punct("[");
        Instruction insn;
        if (c.TryReg(out byte src, out bool srcW))
        {
            if (srcW) throw new LineError($"w{src} must be r{src} here");
            int imm = 0;
            if (c.TryPunct("+")) imm = Imm32(c.Number(), "offset");
            else if (c.IsPunct("-")) imm = Imm32(c.Number(), "offset");
            insn = Insn((byte)(BPF_LD | size | BPF_IND), 0, src, 0, imm);
        }
        else
            insn = Insn((byte)(BPF_LD | size | BPF_ABS), 0, 0, 0, Imm32(c.Number(), "offset"));
        c.Punct("]");
        return Parsed.One(insn);
    }

    private static bool TryByteSwap(string name, out byte code, out int bits)
    {
        code = 0;
        bits = 0;
        string prefix = name.StartsWith("bswap", StringComparison.Ordinal) ? "bswap"
            : name.StartsWith("be", StringComparison.Ordinal) ? "be"
            : name.StartsWith("le", StringComparison.Ordinal) ? "le" : "";
        if (prefix.Length == 0) return false;
        bits = name[prefix.Length..] switch { "16" => 16, "32" => 32, "64" => 64, _ => 0 };
        if (bits == 0) return false;
        code = prefix switch
        {
            "bswap" => BPF_ALU64 | BPF_END | BPF_TO_LE,
            "be" => BPF_ALU | BPF_END | BPF_TO_BE,
            _ => BPF_ALU | BPF_END | BPF_TO_LE,
        };
        return true;
    }

    // (u32 *) -> size and whether the type is signed
    private static (byte Size, bool Signed) ParseCast(Cursor c)
    {
        c.Punct("(");
        (byte size, bool signed) = c.AnyIdent() switch
        {
            "u8" => (BPF_B, false),
            "u16" => (BPF_H, false),
            "u32" => (BPF_W, false),
            "u64" => (BPF_DW, false),
            "s8" => (BPF_B, true),
            "s16" => (BPF_H, true),
            "s32" => (BPF_W, true),
            _ => throw Unknown(),
        };
        c.Punct("*");
        c.Punct(")");
        return (size, signed);
    }

    // (r10 -8) | (r1 + 0x8) | (r1)
    private static (byte Reg, short Off) ParseAddress(Cursor c)
    {
        c.Punct("(");
        (byte reg, short off) = ParseBasePlusOffset(c);
        c.Punct(")");
        return (reg, off);
    }

    private static (byte Reg, short Off) ParseBasePlusOffset(Cursor c)
    {
        byte reg = c.RReg();
        short off = 0;
        if (c.IsPunct("+") || c.IsPunct("-"))
            off = Off16(c.Number(), "offset");
        return (reg, off);
    }

    private static int Imm32(Int128 value, string what)
    {
        if (value < int.MinValue || value > uint.MaxValue)
            throw new LineError($"{what} {value} does not fit in 32 bits");
        return value >= 0 ? (int)(uint)value : (int)value;
    }

    private static short Off16(Int128 value, string what)
    {
        if (value < short.MinValue || value > short.MaxValue)
            throw new LineError($"{what} {value} does not fit in 16 bits");
        return (short)value;
    }

    private static void SameWidth(bool w, bool otherW)
    {
        if (w != otherW) throw new LineError("w and r registers mixed in one operation");
    }

    /// <summary>w registers name 32-bit values: only u8, u16 and u32 accesses take them (LLVM's alu32 forms).</summary>
    private static void NarrowW(bool w, byte size)
    {
        if (w && size == BPF_DW) throw new LineError("a u64 access needs an r register");
    }

    private static byte NoW(byte reg, bool w) => w ? throw new LineError($"w{reg} must be r{reg} here") : reg;
}
