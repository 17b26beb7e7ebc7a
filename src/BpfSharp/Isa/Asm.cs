using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Isa;

/// <summary>
/// Instruction builders mirroring the kernel's BPF_* macros (<c>BPF_MOV64_IMM</c> is
/// <see cref="Mov64Imm"/>, <c>BPF_LD_MAP_FD</c> is <see cref="LdMapFd"/>, ...), plus labels:
/// <c>Asm.Program(Asm.Jgt(R1, 4, "out"), ..., Asm.Label("out"), Asm.Exit())</c>.
/// </summary>
public static partial class Asm
{
    /// <summary>Builds a program: expands lddw to two slots and resolves label targets of jumps and calls.</summary>
    /// <exception cref="ArgumentException">A label is defined twice or used but never defined.</exception>
    public static Instruction[] Program(params AsmItem[] items)
    {
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        int pc = 0;
        foreach (var item in items)
        {
            if (item.Label is not null && !labels.TryAdd(item.Label, pc))
                throw new ArgumentException($"label '{item.Label}' is defined twice", nameof(items));
            pc += item.Slots;
        }
        var program = new Instruction[pc];
        pc = 0;
        foreach (var item in items)
        {
            if (item.Slots == 0) continue;
            Instruction insn = item.First;
            if (item.Target is not null)
            {
                if (!labels.TryGetValue(item.Target, out int target))
                    throw new ArgumentException($"label '{item.Target}' is not defined", nameof(items));
                insn = WithDisplacement(insn, target - pc - 1);
            }
            program[pc++] = insn;
            if (item.Slots == 2) program[pc++] = item.Second;
        }
        return program;
    }

    /// <summary>Sets the pc-relative displacement of a jump or call: imm for gotol and pseudo calls, off otherwise.</summary>
    internal static Instruction WithDisplacement(Instruction insn, int displacement)
    {
        bool inImm = insn.Opcode == JA32 || insn.Opcode == CALL || (insn.IsLdImm64 && insn.Src == BPF_PSEUDO_FUNC);
        if (inImm)
            return new Instruction(insn.Opcode, insn.Dst, insn.Src, insn.Offset, displacement);
        if (displacement is < short.MinValue or > short.MaxValue)
            throw new ArgumentException($"jump displacement {displacement} does not fit in 16 bits; use gotol");
        return new Instruction(insn.Opcode, insn.Dst, insn.Src, (short)displacement, insn.Imm);
    }

    /// <summary>A label definition at the next instruction.</summary>
    public static AsmItem Label(string name) => AsmItem.LabelDef(name);

    /// <summary>BPF_RAW_INSN: any slot from its fields.</summary>
    public static Instruction Raw(byte code, byte dst, byte src, short off, int imm) => new(code, dst, src, off, imm);

    // ALU (kernel: BPF_ALU64_REG, BPF_ALU32_REG, BPF_ALU64_IMM, BPF_ALU32_IMM, *_OFF).

    /// <summary>BPF_ALU64_REG: dst = dst OP src.</summary>
    public static Instruction Alu64Reg(byte op, Reg dst, Reg src) => new((byte)(BPF_ALU64 | op | BPF_X), dst, src, 0, 0);
    /// <summary>BPF_ALU32_REG: wdst = wdst OP wsrc.</summary>
    public static Instruction Alu32Reg(byte op, Reg dst, Reg src) => new((byte)(BPF_ALU | op | BPF_X), dst, src, 0, 0);
    /// <summary>BPF_ALU64_IMM: dst = dst OP imm.</summary>
    public static Instruction Alu64Imm(byte op, Reg dst, int imm) => new((byte)(BPF_ALU64 | op | BPF_K), dst, Reg.R0, 0, imm);
    /// <summary>BPF_ALU32_IMM: wdst = wdst OP imm.</summary>
    public static Instruction Alu32Imm(byte op, Reg dst, int imm) => new((byte)(BPF_ALU | op | BPF_K), dst, Reg.R0, 0, imm);
    /// <summary>BPF_ALU64_REG_OFF: the register form with an offset (1 selects sdiv/smod).</summary>
    public static Instruction Alu64RegOff(byte op, Reg dst, Reg src, short off) => new((byte)(BPF_ALU64 | op | BPF_X), dst, src, off, 0);
    /// <summary>BPF_ALU32_REG_OFF.</summary>
    public static Instruction Alu32RegOff(byte op, Reg dst, Reg src, short off) => new((byte)(BPF_ALU | op | BPF_X), dst, src, off, 0);
    /// <summary>BPF_ALU64_IMM_OFF.</summary>
    public static Instruction Alu64ImmOff(byte op, Reg dst, int imm, short off) => new((byte)(BPF_ALU64 | op | BPF_K), dst, Reg.R0, off, imm);
    /// <summary>BPF_ALU32_IMM_OFF.</summary>
    public static Instruction Alu32ImmOff(byte op, Reg dst, int imm, short off) => new((byte)(BPF_ALU | op | BPF_K), dst, Reg.R0, off, imm);

    /// <summary>BPF_MOV64_REG: dst = src.</summary>
    public static Instruction Mov64Reg(Reg dst, Reg src) => Alu64Reg(BPF_MOV, dst, src);
    /// <summary>BPF_MOV32_REG: wdst = wsrc (zero-extends).</summary>
    public static Instruction Mov32Reg(Reg dst, Reg src) => Alu32Reg(BPF_MOV, dst, src);
    /// <summary>BPF_MOV64_IMM: dst = (s64)imm.</summary>
    public static Instruction Mov64Imm(Reg dst, int imm) => Alu64Imm(BPF_MOV, dst, imm);
    /// <summary>BPF_MOV32_IMM: wdst = imm (zero-extends).</summary>
    public static Instruction Mov32Imm(Reg dst, int imm) => Alu32Imm(BPF_MOV, dst, imm);
    /// <summary>BPF_MOVSX64_REG: dst = (s64)(s8|s16|s32)src.</summary>
    public static Instruction Movsx64Reg(Reg dst, Reg src, short bits) => Alu64RegOff(BPF_MOV, dst, src, bits);
    /// <summary>BPF_MOVSX32_REG: wdst = (s32)(s8|s16)wsrc.</summary>
    public static Instruction Movsx32Reg(Reg dst, Reg src, short bits) => Alu32RegOff(BPF_MOV, dst, src, bits);
    /// <summary>dst = -dst (64-bit).</summary>
    public static Instruction Neg64(Reg dst) => Alu64Imm(BPF_NEG, dst, 0);
    /// <summary>wdst = -wdst (32-bit).</summary>
    public static Instruction Neg32(Reg dst) => Alu32Imm(BPF_NEG, dst, 0);
    /// <summary>BPF_ENDIAN: convert dst to little (BPF_TO_LE) or big (BPF_TO_BE) endian, 16/32/64 bits.</summary>
    public static Instruction Endian(byte type, Reg dst, int bits) => new((byte)(BPF_ALU | BPF_END | type), dst, Reg.R0, 0, bits);
    /// <summary>BPF_BSWAP: unconditional byte swap of 16/32/64 bits (ALU64 END).</summary>
    public static Instruction Bswap(Reg dst, int bits) => new((byte)(BPF_ALU64 | BPF_END | BPF_TO_LE), dst, Reg.R0, 0, bits);

    // Loads and stores.

    /// <summary>BPF_LD_IMM64: dst = imm64 (two slots).</summary>
    public static AsmItem LdImm64(Reg dst, long imm) => LdImm64Raw(dst, 0, imm);
    /// <summary>BPF_LD_IMM64_RAW: lddw with a pseudo kind in src.</summary>
    public static AsmItem LdImm64Raw(Reg dst, byte src, long imm) =>
        AsmItem.Wide(new Instruction(LD_IMM64, (byte)dst, src, 0, (int)imm), new Instruction(0, (byte)0, (byte)0, 0, (int)((ulong)imm >> 32)));
    /// <summary>BPF_LD_MAP_FD: dst = the map whose fd is <paramref name="fd"/>.</summary>
    public static AsmItem LdMapFd(Reg dst, int fd) => LdImm64Raw(dst, BPF_PSEUDO_MAP_FD, (uint)fd);
    /// <summary>BPF_LD_MAP_VALUE: dst = address of <paramref name="offset"/> in the value of the array map <paramref name="fd"/>.</summary>
    public static AsmItem LdMapValue(Reg dst, int fd, int offset) => LdImm64Raw(dst, BPF_PSEUDO_MAP_VALUE, (uint)fd | ((long)offset << 32));
    /// <summary>dst = the map at index <paramref name="idx"/> of the load's fd_array.</summary>
    public static AsmItem LdMapIdx(Reg dst, int idx) => LdImm64Raw(dst, BPF_PSEUDO_MAP_IDX, (uint)idx);
    /// <summary>dst = address of <paramref name="offset"/> in the value of map <paramref name="idx"/> of fd_array.</summary>
    public static AsmItem LdMapIdxValue(Reg dst, int idx, int offset) => LdImm64Raw(dst, BPF_PSEUDO_MAP_IDX_VALUE, (uint)idx | ((long)offset << 32));
    /// <summary>dst = address of the kernel variable with BTF id <paramref name="btfId"/>.</summary>
    public static AsmItem LdBtfId(Reg dst, int btfId) => LdImm64Raw(dst, BPF_PSEUDO_BTF_ID, (uint)btfId);
    /// <summary>dst = the subprogram at label <paramref name="label"/> (a callback for bpf_loop and friends).</summary>
    public static AsmItem LdFunc(Reg dst, string label) =>
        new(new Instruction(LD_IMM64, (byte)dst, BPF_PSEUDO_FUNC, 0, 0), new Instruction(0, (byte)0, (byte)0, 0, 0), 2, null, label);
    /// <summary>BPF_LD_ABS: r0 = ntoh(*(size *)(skb->data + imm)).</summary>
    public static Instruction LdAbs(byte size, int imm) => new((byte)(BPF_LD | size | BPF_ABS), Reg.R0, Reg.R0, 0, imm);
    /// <summary>BPF_LD_IND: r0 = ntoh(*(size *)(skb->data + src + imm)).</summary>
    public static Instruction LdInd(byte size, Reg src, int imm) => new((byte)(BPF_LD | size | BPF_IND), Reg.R0, src, 0, imm);
    /// <summary>BPF_LDX_MEM: dst = *(size *)(src + off).</summary>
    public static Instruction LdxMem(byte size, Reg dst, Reg src, short off) => new((byte)(BPF_LDX | size | BPF_MEM), dst, src, off, 0);
    /// <summary>BPF_LDX_MEMSX: dst = *(signed size *)(src + off), sign-extended.</summary>
    public static Instruction LdxMemSx(byte size, Reg dst, Reg src, short off) => new((byte)(BPF_LDX | size | BPF_MEMSX), dst, src, off, 0);
    /// <summary>BPF_STX_MEM: *(size *)(dst + off) = src.</summary>
    public static Instruction StxMem(byte size, Reg dst, Reg src, short off) => new((byte)(BPF_STX | size | BPF_MEM), dst, src, off, 0);
    /// <summary>BPF_ST_MEM: *(size *)(dst + off) = imm.</summary>
    public static Instruction StMem(byte size, Reg dst, short off, int imm) => new((byte)(BPF_ST | size | BPF_MEM), dst, Reg.R0, off, imm);
    /// <summary>BPF_ATOMIC_OP: atomic <paramref name="op"/> (BPF_ADD, BPF_ADD | BPF_FETCH, BPF_XCHG, BPF_CMPXCHG, ...) on *(size *)(dst + off) with src.</summary>
    public static Instruction AtomicOp(byte size, int op, Reg dst, Reg src, short off) => new((byte)(BPF_STX | size | BPF_ATOMIC), dst, src, off, op);

    // Jumps, calls, exit.

    /// <summary>BPF_JMP_REG: if (dst OP src) goto pc + off.</summary>
    public static Instruction JmpReg(byte op, Reg dst, Reg src, short off) => new((byte)(BPF_JMP | op | BPF_X), dst, src, off, 0);
    /// <summary>BPF_JMP_IMM: if (dst OP imm) goto pc + off.</summary>
    public static Instruction JmpImm(byte op, Reg dst, int imm, short off) => new((byte)(BPF_JMP | op | BPF_K), dst, Reg.R0, off, imm);
    /// <summary>BPF_JMP32_REG: if (wdst OP wsrc) goto pc + off.</summary>
    public static Instruction Jmp32Reg(byte op, Reg dst, Reg src, short off) => new((byte)(BPF_JMP32 | op | BPF_X), dst, src, off, 0);
    /// <summary>BPF_JMP32_IMM: if (wdst OP imm) goto pc + off.</summary>
    public static Instruction Jmp32Imm(byte op, Reg dst, int imm, short off) => new((byte)(BPF_JMP32 | op | BPF_K), dst, Reg.R0, off, imm);
    /// <summary>BPF_JMP_REG with a label target.</summary>
    public static AsmItem JmpReg(byte op, Reg dst, Reg src, string label) => AsmItem.Jump(JmpReg(op, dst, src, 0), label);
    /// <summary>BPF_JMP_IMM with a label target.</summary>
    public static AsmItem JmpImm(byte op, Reg dst, int imm, string label) => AsmItem.Jump(JmpImm(op, dst, imm, 0), label);
    /// <summary>BPF_JMP32_REG with a label target.</summary>
    public static AsmItem Jmp32Reg(byte op, Reg dst, Reg src, string label) => AsmItem.Jump(Jmp32Reg(op, dst, src, 0), label);
    /// <summary>BPF_JMP32_IMM with a label target.</summary>
    public static AsmItem Jmp32Imm(byte op, Reg dst, int imm, string label) => AsmItem.Jump(Jmp32Imm(op, dst, imm, 0), label);
    /// <summary>BPF_JMP_A: goto pc + off.</summary>
    public static Instruction Ja(short off) => new(JA, (byte)0, (byte)0, off, 0);
    /// <summary>Label form of <see cref="Ja(short)"/>.</summary>
    public static AsmItem Ja(string label) => AsmItem.Jump(Ja(0), label);
    /// <summary>BPF_JMP32_A (gotol): goto pc + imm, a 32-bit displacement.</summary>
    public static Instruction Gotol(int imm) => new(JA32, (byte)0, (byte)0, 0, imm);
    /// <summary>Label form of <see cref="Gotol(int)"/>.</summary>
    public static AsmItem Gotol(string label) => AsmItem.Jump(Gotol(0), label);
    /// <summary>may_goto: goto pc + off once the running function's loop budget is spent, else count it down and fall through.</summary>
    public static Instruction MayGoto(short off) => new(MAY_GOTO, (byte)0, BPF_MAY_GOTO, off, 0);
    /// <summary>Label form of <see cref="MayGoto(short)"/>.</summary>
    public static AsmItem MayGoto(string label) => AsmItem.Jump(MayGoto(0), label);
    /// <summary>BPF_EMIT_CALL: call the helper with kernel id <paramref name="helperId"/>.</summary>
    public static Instruction Call(int helperId) => new(CALL, (byte)0, (byte)0, 0, helperId);
    /// <summary>BPF_CALL_REL: bpf-to-bpf call to pc + imm + 1.</summary>
    public static Instruction CallRel(int imm) => new(CALL, (byte)0, BPF_PSEUDO_CALL, 0, imm);
    /// <summary>Label form of <see cref="CallRel(int)"/>.</summary>
    public static AsmItem CallRel(string label) => AsmItem.Jump(CallRel(0), label);
    /// <summary>BPF_CALL_KFUNC: call the kernel function with BTF id <paramref name="btfId"/>.</summary>
    public static Instruction CallKfunc(int btfId, short btfFdIndex = 0) => new(CALL, (byte)0, BPF_PSEUDO_KFUNC_CALL, btfFdIndex, btfId);
    /// <summary>callx: call the helper whose id is in <paramref name="target"/>.</summary>
    public static Instruction Callx(Reg target) => new(CALLX, target, Reg.R0, 0, 0);
    /// <summary>BPF_EXIT_INSN: return r0.</summary>
    public static Instruction Exit() => new(EXIT, (byte)0, (byte)0, 0, 0);
}
