using System.Text;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Isa;

// The instruction text, class by class, in the formats of kernel/bpf/disasm.c print_bpf_insn.
// Number formats follow the kernel's: ALU, store and packet immediates in decimal (%d), offsets
// with a sign (%+d), jump immediates as unsigned hex (0x%x), 64-bit immediates as 0x%llx.
public static partial class Disassembler
{
    private static void AppendText(StringBuilder sb, ReadOnlySpan<Instruction> program, int pc, DisassemblerOptions options)
    {
        Instruction insn = program[pc];
        switch (insn.Class)
        {
            case BPF_ALU:
            case BPF_ALU64:
                AppendAlu(sb, insn);
                break;
            case BPF_JMP:
            case BPF_JMP32:
                AppendJmp(sb, insn, options);
                break;
            case BPF_LD:
                AppendLd(sb, program, pc, options);
                break;
            case BPF_LDX:
                AppendLdx(sb, insn);
                break;
            case BPF_ST:
                if (OpcodeTable.Get(insn.Opcode).Kind != OpKind.St)
                    AppendInvalid(sb, insn);
                else
                    sb.Append(Inv, $"*({SizeType(Size(insn.Opcode))} *)(r{insn.Dst} {insn.Offset:+0;-0;+0}) = {insn.Imm}");
                break;
            default:
                AppendStx(sb, insn);
                break;
        }
    }

    private static void AppendInvalid(StringBuilder sb, in Instruction insn) =>
        sb.Append(Inv, $"invalid opcode 0x{insn.Opcode:x2}");

    private static void AppendAlu(StringBuilder sb, in Instruction insn)
    {
        ref readonly OpcodeInfo info = ref OpcodeTable.Get(insn.Opcode);
        char w = insn.Class == BPF_ALU ? 'w' : 'r';
        if (info.Kind == OpKind.End)
        {
            // The kernel prints byte swaps on the 64-bit register name whatever the class.
            string kind = info.Is64 ? "bswap" : info.SrcIsReg ? "be" : "le";
            sb.Append(Inv, $"r{insn.Dst} = {kind}{insn.Imm} r{insn.Dst}");
        }
        else if (info.Kind != OpKind.Alu)
            AppendInvalid(sb, insn);
        else if (info.Op == BPF_NEG)
            sb.Append(Inv, $"{w}{insn.Dst} = -{w}{insn.Dst}");
        else if (insn.Opcode == (BPF_ALU64 | BPF_MOV | BPF_X) && insn.Offset == BPF_ADDR_SPACE_CAST)
            sb.Append(Inv, $"r{insn.Dst} = addr_space_cast(r{insn.Src}, {(uint)insn.Imm >> 16}, {(ushort)insn.Imm})");
        else
        {
            string op = (insn.Offset == 1 ? SignedAluOperator(info.Op) : null) ?? AluOperator(info.Op)!;
            if (info.SrcIsReg)
            {
                string cast = info.Op == BPF_MOV ? MovsxCast(insn.Offset) ?? "" : "";
                sb.Append(Inv, $"{w}{insn.Dst} {op} {cast}{w}{insn.Src}");
            }
            else
                sb.Append(Inv, $"{w}{insn.Dst} {op} {insn.Imm}");
        }
    }

    private static void AppendJmp(StringBuilder sb, in Instruction insn, DisassemblerOptions options)
    {
        ref readonly OpcodeInfo info = ref OpcodeTable.Get(insn.Opcode);
        switch (info.Kind)
        {
            case OpKind.Call:
                AppendCall(sb, insn, options);
                return;
            case OpKind.CallX:
                sb.Append(Inv, $"callx r{insn.Dst}");
                return;
            case OpKind.Exit:
                sb.Append("exit");
                return;
            case OpKind.Ja when insn.Class == BPF_JMP32:
                sb.Append(Inv, $"gotol pc{insn.Imm:+0;-0;+0}");
                return;
            case OpKind.Ja:
                sb.Append(Inv, $"goto pc{insn.Offset:+0;-0;+0}");
                return;
            case OpKind.MayGoto:
                // kernel: a JCOND with another src_reg prints as a conditional jump whose operator has no name
                if (insn.Src == BPF_MAY_GOTO)
                    sb.Append(Inv, $"may_goto pc{insn.Offset:+0;-0;+0}");
                else
                    sb.Append(Inv, $"if r{insn.Dst} (null) 0x{(uint)insn.Imm:x} goto pc{insn.Offset:+0;-0;+0}");
                return;
            case OpKind.CondJmp:
            {
                char w = info.Is64 ? 'r' : 'w';
                string op = JmpOperator(info.Op)!;
                if (info.SrcIsReg)
                    sb.Append(Inv, $"if {w}{insn.Dst} {op} {w}{insn.Src} goto pc{insn.Offset:+0;-0;+0}");
                else
                    sb.Append(Inv, $"if {w}{insn.Dst} {op} 0x{(uint)insn.Imm:x} goto pc{insn.Offset:+0;-0;+0}");
                return;
            }
        }
        if (insn.Opcode == (BPF_JMP | BPF_JA | BPF_X))
            sb.Append(Inv, $"gotox r{insn.Dst}");
        else
            AppendInvalid(sb, insn);
    }

    // kernel: __func_get_name — the helper table for src_reg 0, then cb_call, then the defaults.
    private static void AppendCall(StringBuilder sb, in Instruction insn, DisassemblerOptions options)
    {
        string? name = insn.Src == 0 ? options.HelperName(insn.Imm) : null;
        name ??= options.CallName?.Invoke(insn);
        if (insn.Src == BPF_PSEUDO_CALL)
        {
            if (name is null)
                sb.Append(Inv, $"call pc{insn.Imm:+0;-0;+0}");
            else
                sb.Append(Inv, $"call pc{name}");
            return;
        }
        if (name is null && insn.Src == BPF_PSEUDO_KFUNC_CALL)
            name = insn.Offset == 0 ? "kernel-function" : string.Create(Inv, $"kernel-function[idx:{insn.Offset}]");
        sb.Append(Inv, $"call {name ?? "unknown"}#{insn.Imm}");
    }

    private static void AppendLd(StringBuilder sb, ReadOnlySpan<Instruction> program, int pc, DisassemblerOptions options)
    {
        Instruction insn = program[pc];
        switch (OpcodeTable.Get(insn.Opcode).Kind)
        {
            case OpKind.LdAbs:
                sb.Append(Inv, $"r0 = *({SizeType(Size(insn.Opcode))} *)skb[{insn.Imm}]");
                return;
            case OpKind.LdInd:
                sb.Append(Inv, $"r0 = *({SizeType(Size(insn.Opcode))} *)skb[r{insn.Src} + {insn.Imm}]");
                return;
            case OpKind.LdImm64:
                if (pc + 1 >= program.Length)
                {
                    sb.Append("invalid bpf_ld_imm64 insn");
                    return;
                }
                Instruction next = program[pc + 1];
                sb.Append(Inv, $"r{insn.Dst} = ");
                sb.Append(options.Imm64Text?.Invoke(insn, next) ?? Imm64Text(insn, next));
                return;
            default:
                AppendInvalid(sb, insn);
                return;
        }
    }

    /// <summary>The default text of an lddw value: hex for plain loads, the pseudo forms for the others.</summary>
    private static string Imm64Text(in Instruction insn, in Instruction next) => insn.Src switch
    {
        BPF_PSEUDO_MAP_FD => string.Create(Inv, $"map[fd:{(uint)insn.Imm}]"),
        BPF_PSEUDO_MAP_VALUE => string.Create(Inv, $"map[fd:{(uint)insn.Imm}][0]+{(uint)next.Imm}"),
        BPF_PSEUDO_MAP_IDX => string.Create(Inv, $"map[idx:{(uint)insn.Imm}]"),
        BPF_PSEUDO_MAP_IDX_VALUE => string.Create(Inv, $"map[idx:{(uint)insn.Imm}][0]+{(uint)next.Imm}"),
        BPF_PSEUDO_BTF_ID => string.Create(Inv, $"btf_id[{(uint)insn.Imm}]"),
        BPF_PSEUDO_FUNC => string.Create(Inv, $"subprog[{insn.Imm:+0;-0;+0}]"),
        _ => string.Create(Inv, $"0x{insn.Imm64(next):x}"),
    };

    private static void AppendLdx(StringBuilder sb, in Instruction insn)
    {
        OpKind kind = OpcodeTable.Get(insn.Opcode).Kind;
        if (kind is not (OpKind.Ldx or OpKind.LdxSx))
        {
            AppendInvalid(sb, insn);
            return;
        }
        byte size = Size(insn.Opcode);
        string type = kind == OpKind.Ldx ? SizeType(size) : SignedSizeType(size);
        sb.Append(Inv, $"r{insn.Dst} = *({type} *)(r{insn.Src} {insn.Offset:+0;-0;+0})");
    }

    private static void AppendStx(StringBuilder sb, in Instruction insn)
    {
        byte size = Size(insn.Opcode);
        string type = SizeType(size);
        OpKind kind = OpcodeTable.Get(insn.Opcode).Kind;
        if (kind == OpKind.Stx)
        {
            sb.Append(Inv, $"*({type} *)(r{insn.Dst} {insn.Offset:+0;-0;+0}) = r{insn.Src}");
            return;
        }
        if (Mode(insn.Opcode) != BPF_ATOMIC)
        {
            AppendInvalid(sb, insn);
            return;
        }
        // load-acquire and store-release exist for every size; the read-modify-write ops only for W and DW.
        if (insn.Imm == BPF_LOAD_ACQ)
        {
            sb.Append(Inv, $"r{insn.Dst} = load_acquire(({type} *)(r{insn.Src} {insn.Offset:+0;-0;+0}))");
            return;
        }
        if (insn.Imm == BPF_STORE_REL)
        {
            sb.Append(Inv, $"store_release(({type} *)(r{insn.Dst} {insn.Offset:+0;-0;+0}), r{insn.Src})");
            return;
        }
        if (kind != OpKind.Atomic)
        {
            AppendInvalid(sb, insn);
            return;
        }
        string bits = size == BPF_DW ? "64" : "";
        string? alu = AtomicOpName(insn.Imm & ~BPF_FETCH);
        if (alu is not null && (insn.Imm & BPF_FETCH) == 0)
            sb.Append(Inv, $"lock *({type} *)(r{insn.Dst} {insn.Offset:+0;-0;+0}) {AluOperator((byte)insn.Imm)} r{insn.Src}");
        else if (alu is not null)
            sb.Append(Inv, $"r{insn.Src} = atomic{bits}_fetch_{alu}(({type} *)(r{insn.Dst} {insn.Offset:+0;-0;+0}), r{insn.Src})");
        else if (insn.Imm == BPF_CMPXCHG)
            sb.Append(Inv, $"r0 = atomic{bits}_cmpxchg(({type} *)(r{insn.Dst} {insn.Offset:+0;-0;+0}), r0, r{insn.Src})");
        else if (insn.Imm == BPF_XCHG)
            sb.Append(Inv, $"r{insn.Src} = atomic{bits}_xchg(({type} *)(r{insn.Dst} {insn.Offset:+0;-0;+0}), r{insn.Src})");
        else
            sb.Append(Inv, $"invalid atomic op 0x{insn.Imm:x}");
    }
}
