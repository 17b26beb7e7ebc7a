using System.Runtime.CompilerServices;
using BpfSharp.Isa;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Runtime;

/// <summary>
/// Turns a validated program into <see cref="DecodedInsn"/> slots, reading every opcode's
/// properties from <see cref="OpcodeTable"/>. The result has one slot per instruction slot
/// (so indices match) plus a final <see cref="ExecOp.FellOffEnd"/> sentinel.
/// </summary>
internal static class PreDecoder
{
    /// <summary>Decodes <paramref name="program"/>; static helper calls resolve against <paramref name="helpers"/>.</summary>
    /// <exception cref="BpfFormatException">The program is invalid or uses kfunc calls.</exception>
    public static DecodedInsn[] Decode(ReadOnlySpan<Instruction> program, BpfHelper?[] helpers) =>
        Decode(program, helpers, out _);

    /// <summary>
    /// Decodes <paramref name="program"/>, and marks in <paramref name="subprograms"/> the slots where a
    /// subprogram starts (slot 0, pseudo-call targets, BPF_PSEUDO_FUNC targets). A <c>lddw BPF_PSEUDO_FUNC</c>
    /// loads the <see cref="SubprogramPointer"/> of its target.
    /// </summary>
    /// <exception cref="BpfFormatException">The program is invalid or uses kfunc calls.</exception>
    /// <remarks>The loads <paramref name="probeLoads"/> marks become probe loads (<see cref="ProbeLoad"/>).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static DecodedInsn[] Decode(ReadOnlySpan<Instruction> program, BpfHelper?[] helpers, out bool[] subprograms,
        IReadOnlyList<bool>? probeLoads = null)
    {
        InstructionDecoder.Validate(program);
        subprograms = new bool[program.Length];
        if (program.Length > 0) subprograms[0] = true;
        var code = new DecodedInsn[program.Length + 1];
        for (int pc = 0; pc < program.Length; pc++)
        {
            ref readonly Instruction insn = ref program[pc];
            ref DecodedInsn d = ref code[pc];
            d.Dst = insn.Dst;
            d.Src = insn.Src;
            d.Off = insn.Offset;
            d.Imm = insn.Imm;
            d.Op = Select(insn, pc, helpers);
            if (probeLoads is not null && pc < probeLoads.Count && probeLoads[pc])
                d.Op = ProbeLoad.Of(d.Op);
            if (insn.IsLdImm64)
            {
                d.Imm = (long)insn.Imm64(program[pc + 1]);
                if (insn.Src == BPF_PSEUDO_FUNC)
                {
                    // kernel: the verifier/JIT replace the pc-relative imm with the subprogram's address
                    int target = pc + 1 + insn.Imm; // validated in range
                    subprograms[target] = true;
                    d.Imm = (long)SubprogramPointer.Encode(target);
                }
                code[++pc].Op = ExecOp.Unreachable;
            }
            else if (insn.Opcode == JA32 || (insn.Opcode == CALL && insn.Src == BPF_PSEUDO_CALL))
            {
                d.Off = insn.Imm; // gotol and pseudo calls keep their displacement in imm
                if (insn.Opcode == CALL)
                    subprograms[pc + 1 + insn.Imm] = true;
            }
        }
        code[program.Length].Op = ExecOp.FellOffEnd;
        return code;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ExecOp Select(in Instruction insn, int pc, BpfHelper?[] helpers)
    {
        ref readonly OpcodeInfo info = ref OpcodeTable.Get(insn.Opcode);
        switch (info.Kind)
        {
            case OpKind.Alu:
            {
                ExecOp block = info.Is64
                    ? (info.SrcIsReg ? ExecOp.Alu64X : ExecOp.Alu64K)
                    : (info.SrcIsReg ? ExecOp.Alu32X : ExecOp.Alu32K);
                return block + AluSlotOf(info.Op, insn.Offset);
            }
            case OpKind.End:
                return EndOp(info, insn.Imm);
            case OpKind.Ja:
                return ExecOp.Ja;
            case OpKind.MayGoto:
                return ExecOp.MayGoto;
            case OpKind.CondJmp:
            {
                ExecOp block = info.Is64
                    ? (info.SrcIsReg ? ExecOp.Jmp64X : ExecOp.Jmp64K)
                    : (info.SrcIsReg ? ExecOp.Jmp32X : ExecOp.Jmp32K);
                return block + JmpSlotOf(info.Op);
            }
            case OpKind.Call:
                return insn.Src switch
                {
                    BPF_PSEUDO_CALL => ExecOp.CallLocal,
                    BPF_PSEUDO_KFUNC_CALL => throw BpfFormatException.AtInstruction(pc,
                        $"kfunc calls are not supported by the interpreter (btf_id {insn.Imm})"),
                    _ => insn.Imm >= 0 && insn.Imm < helpers.Length && helpers[insn.Imm] is not null
                        ? ExecOp.Call
                        : ExecOp.CallUnknown,
                };
            case OpKind.CallX:
                return ExecOp.CallX;
            case OpKind.Exit:
                return ExecOp.Exit;
            case OpKind.LdImm64:
                return ExecOp.LdImm64;
            case OpKind.LdAbs:
                return BySize(info.AccessSize, ExecOp.LdAbsB, ExecOp.LdAbsH, ExecOp.LdAbsW, ExecOp.Unreachable);
            case OpKind.LdInd:
                return BySize(info.AccessSize, ExecOp.LdIndB, ExecOp.LdIndH, ExecOp.LdIndW, ExecOp.Unreachable);
            case OpKind.Ldx:
                return BySize(info.AccessSize, ExecOp.LdxB, ExecOp.LdxH, ExecOp.LdxW, ExecOp.LdxDW);
            case OpKind.LdxSx:
                return BySize(info.AccessSize, ExecOp.LdxSxB, ExecOp.LdxSxH, ExecOp.LdxSxW, ExecOp.Unreachable);
            case OpKind.St:
                return BySize(info.AccessSize, ExecOp.StB, ExecOp.StH, ExecOp.StW, ExecOp.StDW);
            case OpKind.Stx:
                return BySize(info.AccessSize, ExecOp.StxB, ExecOp.StxH, ExecOp.StxW, ExecOp.StxDW);
            case OpKind.Atomic when insn.Imm == BPF_LOAD_ACQ:
                return BySize(info.AccessSize, ExecOp.LdAcqB, ExecOp.LdAcqH, ExecOp.LdAcqW, ExecOp.LdAcqDW);
            case OpKind.Atomic when insn.Imm == BPF_STORE_REL:
                return BySize(info.AccessSize, ExecOp.StRelB, ExecOp.StRelH, ExecOp.StRelW, ExecOp.StRelDW);
            case OpKind.Atomic:
                return (info.Is64 ? ExecOp.Atomic64 : ExecOp.Atomic32) + AtomicSlotOf(insn.Imm);
            default:
                throw BpfFormatException.AtInstruction(pc, $"unknown opcode 0x{insn.Opcode:x2}");
        }
    }

    private static byte AluSlotOf(byte op, short offset) => op switch
    {
        BPF_ADD => AluSlot.Add,
        BPF_SUB => AluSlot.Sub,
        BPF_MUL => AluSlot.Mul,
        BPF_DIV => offset == 1 ? AluSlot.SDiv : AluSlot.Div,
        BPF_OR => AluSlot.Or,
        BPF_AND => AluSlot.And,
        BPF_LSH => AluSlot.Lsh,
        BPF_RSH => AluSlot.Rsh,
        BPF_NEG => AluSlot.Neg,
        BPF_MOD => offset == 1 ? AluSlot.SMod : AluSlot.Mod,
        BPF_XOR => AluSlot.Xor,
        BPF_MOV => offset switch { 8 => AluSlot.MovSx8, 16 => AluSlot.MovSx16, 32 => AluSlot.MovSx32, _ => AluSlot.Mov },
        BPF_ARSH => AluSlot.Arsh,
        _ => throw new InvalidOperationException($"ALU op 0x{op:x2} not in the opcode table"),
    };

    private static byte JmpSlotOf(byte op) => op switch
    {
        BPF_JEQ => JmpSlot.Jeq,
        BPF_JGT => JmpSlot.Jgt,
        BPF_JGE => JmpSlot.Jge,
        BPF_JSET => JmpSlot.Jset,
        BPF_JNE => JmpSlot.Jne,
        BPF_JSGT => JmpSlot.Jsgt,
        BPF_JSGE => JmpSlot.Jsge,
        BPF_JLT => JmpSlot.Jlt,
        BPF_JLE => JmpSlot.Jle,
        BPF_JSLT => JmpSlot.Jslt,
        BPF_JSLE => JmpSlot.Jsle,
        _ => throw new InvalidOperationException($"jump op 0x{op:x2} not in the opcode table"),
    };

    private static byte AtomicSlotOf(int imm) => imm switch
    {
        BPF_ADD => AtomicSlot.Add,
        BPF_OR => AtomicSlot.Or,
        BPF_AND => AtomicSlot.And,
        BPF_XOR => AtomicSlot.Xor,
        BPF_ADD | BPF_FETCH => AtomicSlot.FetchAdd,
        BPF_OR | BPF_FETCH => AtomicSlot.FetchOr,
        BPF_AND | BPF_FETCH => AtomicSlot.FetchAnd,
        BPF_XOR | BPF_FETCH => AtomicSlot.FetchXor,
        BPF_XCHG => AtomicSlot.Xchg,
        BPF_CMPXCHG => AtomicSlot.CmpXchg,
        _ => throw new InvalidOperationException($"atomic op 0x{imm:x2} not in the opcode table"),
    };

    // ALU64 END is bswap; ALU END converts to little (SrcIsReg clear: BPF_TO_LE) or big endian.
    private static ExecOp EndOp(in OpcodeInfo info, int bits)
    {
        bool swap = info.Is64 || (info.SrcIsReg == BitConverter.IsLittleEndian);
        if (swap)
            return bits switch { 16 => ExecOp.Swap16, 32 => ExecOp.Swap32, _ => ExecOp.Swap64 };
        return bits switch { 16 => ExecOp.Trunc16, 32 => ExecOp.Trunc32, _ => ExecOp.Nop };
    }

    private static ExecOp BySize(byte size, ExecOp b, ExecOp h, ExecOp w, ExecOp dw) => size switch
    {
        1 => b,
        2 => h,
        4 => w,
        _ => dw,
    };
}
