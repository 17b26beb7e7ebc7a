using System.Runtime.CompilerServices;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Isa;

/// <summary>
/// Strict decoding of BPF byte code: every slot is a known opcode with its unused fields zero
/// and its registers in r0-r10, every lddw has its second half, every jump lands on an
/// instruction. Faults raise <see cref="BpfFormatException"/> naming the instruction index.
/// </summary>
public static class InstructionDecoder
{
    /// <summary>Number of BPF registers (r0-r10).</summary>
    public const int RegisterCount = 11;

    /// <summary>Decodes and validates little-endian byte code.</summary>
    /// <exception cref="BpfFormatException">The stream is empty, truncated or holds an invalid instruction.</exception>
    public static Instruction[] Decode(ReadOnlySpan<byte> code)
    {
        if (code.Length % Instruction.Size != 0)
            throw new BpfFormatException(
                $"insn {code.Length / Instruction.Size}: truncated instruction: program length {code.Length} is not a multiple of 8",
                code.Length / Instruction.Size, code.Length - code.Length % Instruction.Size);
        var program = new Instruction[code.Length / Instruction.Size];
        for (int i = 0; i < program.Length; i++)
            program[i] = Instruction.Read(code.Slice(i * Instruction.Size, Instruction.Size));
        Validate(program);
        return program;
    }

    /// <summary>Validates a program held as instruction slots (as built by <see cref="Asm"/> or read from an ELF section).</summary>
    /// <exception cref="BpfFormatException">An instruction is invalid; the message starts with <c>insn N:</c>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Validate(ReadOnlySpan<Instruction> program)
    {
        if (program.Length == 0)
            throw new BpfFormatException("empty program: no instructions", 0, 0);
        for (int i = 0; i < program.Length; i++)
        {
            string? fault = CheckInstruction(program, i);
            if (fault is not null)
                throw BpfFormatException.AtInstruction(i, fault);
            if (program[i].IsLdImm64)
                i++;
        }
        var secondHalf = new bool[program.Length];
        for (int i = 0; i < program.Length; i++)
        {
            if (program[i].IsLdImm64)
                secondHalf[++i] = true;
        }
        for (int i = 0; i < program.Length; i++)
        {
            string? fault = CheckTarget(program, secondHalf, i);
            if (fault is not null)
                throw BpfFormatException.AtInstruction(i, fault);
            if (program[i].IsLdImm64)
                i++;
        }
    }

    /// <summary>The index an instruction at <paramref name="pc"/> jumps or calls to, or -1 when it has no static target.</summary>
    public static long TargetOf(in Instruction insn, int pc)
    {
        ref readonly OpcodeInfo info = ref OpcodeTable.Get(insn.Opcode);
        return info.Kind switch
        {
            OpKind.Ja when insn.Class == BPF_JMP32 => (long)pc + 1 + insn.Imm,
            OpKind.Ja or OpKind.CondJmp or OpKind.MayGoto => (long)pc + 1 + insn.Offset,
            OpKind.Call when insn.Src == BPF_PSEUDO_CALL => (long)pc + 1 + insn.Imm,
            _ => -1,
        };
    }

    private static string? CheckTarget(ReadOnlySpan<Instruction> program, bool[] secondHalf, int pc)
    {
        ref readonly Instruction insn = ref program[pc];
        OpKind kind = OpcodeTable.Get(insn.Opcode).Kind;
        bool pseudoCall = insn.Opcode == CALL && insn.Src == BPF_PSEUDO_CALL;
        // A callback address (lddw src_reg BPF_PSEUDO_FUNC) is pc-relative too; the kernel checks it with the calls.
        bool pseudoFunc = insn.IsLdImm64 && insn.Src == BPF_PSEUDO_FUNC;
        if (kind is not (OpKind.Ja or OpKind.CondJmp or OpKind.MayGoto) && !pseudoCall && !pseudoFunc)
            return null;
        long target = pseudoFunc ? (long)pc + 1 + insn.Imm : TargetOf(insn, pc);
        if (target < 0 || target >= program.Length)
            return pseudoCall ? $"call to subprogram out of range: insn {target}"
                : pseudoFunc ? $"subprogram address out of range: insn {target}"
                : $"jump out of range from insn {pc} to {target}";
        if (secondHalf[target])
            return $"jump into the middle of ldimm64 insn {target - 1}";
        return null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? CheckInstruction(ReadOnlySpan<Instruction> program, int pc)
    {
        Instruction insn = program[pc];
        ref readonly OpcodeInfo info = ref OpcodeTable.Get(insn.Opcode);
        byte code = insn.Opcode;
        switch (info.Kind)
        {
            case OpKind.Invalid:
                return $"unknown opcode 0x{code:x2}";
            case OpKind.Alu:
                if (info.Op == BPF_NEG)
                    return Reserved(insn, "BPF_NEG", src: true, off: true, imm: true) ?? Dst(insn);
                if (info.Op == BPF_MOV)
                {
                    if (info.SrcIsReg)
                    {
                        bool okOff = insn.Offset is 0 or 8 or 16 || (insn.Offset == 32 && info.Is64);
                        if (!okOff) return $"BPF_MOV uses reserved fields: off={insn.Offset}";
                        return Reserved(insn, "BPF_MOV", imm: true) ?? Dst(insn) ?? Src(insn);
                    }
                    return Reserved(insn, "BPF_MOV", src: true, off: true) ?? Dst(insn);
                }
                if (insn.Offset != 0 && !(insn.Offset == 1 && info.Op is BPF_DIV or BPF_MOD))
                    return $"BPF_ALU uses reserved fields: off={insn.Offset}";
                return info.SrcIsReg
                    ? Reserved(insn, "BPF_ALU", imm: true) ?? Dst(insn) ?? Src(insn)
                    : Reserved(insn, "BPF_ALU", src: true) ?? Dst(insn);
            case OpKind.End:
                if (insn.Imm is not (16 or 32 or 64))
                    return $"BPF_END uses reserved fields: imm={insn.Imm} (must be 16, 32 or 64)";
                return Reserved(insn, "BPF_END", src: true, off: true) ?? Dst(insn);
            case OpKind.Ja:
                return insn.Class == BPF_JMP32
                    ? Reserved(insn, "BPF_JA", dst: true, src: true, off: true)
                    : Reserved(insn, "BPF_JA", dst: true, src: true, imm: true);
            case OpKind.CondJmp:
                return info.SrcIsReg
                    ? Reserved(insn, "BPF_JMP/JMP32", imm: true) ?? Dst(insn) ?? Src(insn)
                    : Reserved(insn, "BPF_JMP/JMP32", src: true) ?? Dst(insn);
            case OpKind.MayGoto:
                // kernel: check_cond_jmp_op names only imm, whichever field is set
                return insn.Src != BPF_MAY_GOTO || insn.Dst != 0 || insn.Imm != 0
                    ? $"invalid may_goto imm {insn.Imm} (src_reg={insn.Src} dst_reg={insn.Dst}: all three must be 0)"
                    : null;
            case OpKind.Call:
                if (insn.Src > BPF_PSEUDO_KFUNC_CALL)
                    return $"BPF_CALL uses reserved fields: src_reg={insn.Src}";
                return insn.Src == BPF_PSEUDO_KFUNC_CALL
                    ? Reserved(insn, "BPF_CALL", dst: true)
                    : Reserved(insn, "BPF_CALL", dst: true, off: true);
            case OpKind.CallX:
                return Reserved(insn, "BPF_CALLX", src: true, off: true, imm: true) ?? Dst(insn);
            case OpKind.Exit:
                return Reserved(insn, "BPF_EXIT", dst: true, src: true, off: true, imm: true);
            case OpKind.LdImm64:
            {
                if (pc + 1 >= program.Length)
                    return "lddw without its second half: the 16-byte instruction is truncated";
                Instruction next = program[pc + 1];
                if (next.Opcode != 0 || next.Dst != 0 || next.Src != 0 || next.Offset != 0)
                    return $"invalid bpf_ld_imm64 insn: second half {next} must have only imm set";
                if (insn.Src > BPF_PSEUDO_MAP_IDX_VALUE)
                    return $"unknown pseudo src_reg {insn.Src} in lddw";
                if (insn.Src is BPF_PSEUDO_MAP_FD or BPF_PSEUDO_MAP_IDX or BPF_PSEUDO_BTF_ID or BPF_PSEUDO_FUNC && next.Imm != 0)
                    return $"invalid bpf_ld_imm64 insn: second half imm={next.Imm} must be zero for src_reg {insn.Src}";
                return Reserved(insn, "BPF_LD_IMM64", off: true) ?? Dst(insn);
            }
            case OpKind.LdAbs:
                return Reserved(insn, "BPF_LD_[ABS|IND]", dst: true, src: true, off: true);
            case OpKind.LdInd:
                return Reserved(insn, "BPF_LD_[ABS|IND]", dst: true, off: true) ?? Src(insn);
            case OpKind.Ldx:
            case OpKind.LdxSx:
                return Reserved(insn, "BPF_LDX", imm: true) ?? Dst(insn) ?? Src(insn);
            case OpKind.St:
                return Reserved(insn, "BPF_ST", src: true) ?? Dst(insn);
            case OpKind.Stx:
                return Reserved(insn, "BPF_STX", imm: true) ?? Dst(insn) ?? Src(insn);
            case OpKind.Atomic:
                if (!OpcodeTable.IsAtomicOp(insn.Imm))
                    return $"BPF_ATOMIC uses invalid atomic opcode {insn.Imm:x2}";
                if (OpcodeTable.IsAtomicRmw(insn.Imm) && info.AccessSize < 4)
                    return "invalid atomic operand size";
                return Dst(insn) ?? Src(insn);
            default:
                return $"unknown opcode 0x{code:x2}";
        }
    }

    private static string? Dst(in Instruction insn) =>
        insn.Dst < RegisterCount ? null : $"invalid register r{insn.Dst} in dst";

    private static string? Src(in Instruction insn) =>
        insn.Src < RegisterCount ? null : $"invalid register r{insn.Src} in src";

    private static string? Reserved(in Instruction insn, string what,
        bool dst = false, bool src = false, bool off = false, bool imm = false)
    {
        if (dst && insn.Dst != 0) return $"{what} uses reserved fields: dst_reg={insn.Dst}";
        if (src && insn.Src != 0) return $"{what} uses reserved fields: src_reg={insn.Src}";
        if (off && insn.Offset != 0) return $"{what} uses reserved fields: off={insn.Offset}";
        if (imm && insn.Imm != 0) return $"{what} uses reserved fields: imm={insn.Imm}";
        return null;
    }
}
