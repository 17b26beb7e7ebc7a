using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Isa;

// Named shortcuts over the macro mirrors: one ALU or jump operation each.
public static partial class Asm
{
    /// <summary>add64 with an immediate operand.</summary>
    public static Instruction Add64(Reg dst, int imm) => Alu64Imm(BPF_ADD, dst, imm);
    /// <summary>add64 with a register operand.</summary>
    public static Instruction Add64(Reg dst, Reg src) => Alu64Reg(BPF_ADD, dst, src);
    /// <summary>add32 with an immediate operand.</summary>
    public static Instruction Add32(Reg dst, int imm) => Alu32Imm(BPF_ADD, dst, imm);
    /// <summary>add32 with a register operand.</summary>
    public static Instruction Add32(Reg dst, Reg src) => Alu32Reg(BPF_ADD, dst, src);
    /// <summary>sub64 with an immediate operand.</summary>
    public static Instruction Sub64(Reg dst, int imm) => Alu64Imm(BPF_SUB, dst, imm);
    /// <summary>sub64 with a register operand.</summary>
    public static Instruction Sub64(Reg dst, Reg src) => Alu64Reg(BPF_SUB, dst, src);
    /// <summary>sub32 with an immediate operand.</summary>
    public static Instruction Sub32(Reg dst, int imm) => Alu32Imm(BPF_SUB, dst, imm);
    /// <summary>sub32 with a register operand.</summary>
    public static Instruction Sub32(Reg dst, Reg src) => Alu32Reg(BPF_SUB, dst, src);
    /// <summary>mul64 with an immediate operand.</summary>
    public static Instruction Mul64(Reg dst, int imm) => Alu64Imm(BPF_MUL, dst, imm);
    /// <summary>mul64 with a register operand.</summary>
    public static Instruction Mul64(Reg dst, Reg src) => Alu64Reg(BPF_MUL, dst, src);
    /// <summary>mul32 with an immediate operand.</summary>
    public static Instruction Mul32(Reg dst, int imm) => Alu32Imm(BPF_MUL, dst, imm);
    /// <summary>mul32 with a register operand.</summary>
    public static Instruction Mul32(Reg dst, Reg src) => Alu32Reg(BPF_MUL, dst, src);
    /// <summary>div64 with an immediate operand.</summary>
    public static Instruction Div64(Reg dst, int imm) => Alu64Imm(BPF_DIV, dst, imm);
    /// <summary>div64 with a register operand.</summary>
    public static Instruction Div64(Reg dst, Reg src) => Alu64Reg(BPF_DIV, dst, src);
    /// <summary>div32 with an immediate operand.</summary>
    public static Instruction Div32(Reg dst, int imm) => Alu32Imm(BPF_DIV, dst, imm);
    /// <summary>div32 with a register operand.</summary>
    public static Instruction Div32(Reg dst, Reg src) => Alu32Reg(BPF_DIV, dst, src);
    /// <summary>or64 with an immediate operand.</summary>
    public static Instruction Or64(Reg dst, int imm) => Alu64Imm(BPF_OR, dst, imm);
    /// <summary>or64 with a register operand.</summary>
    public static Instruction Or64(Reg dst, Reg src) => Alu64Reg(BPF_OR, dst, src);
    /// <summary>or32 with an immediate operand.</summary>
    public static Instruction Or32(Reg dst, int imm) => Alu32Imm(BPF_OR, dst, imm);
    /// <summary>or32 with a register operand.</summary>
    public static Instruction Or32(Reg dst, Reg src) => Alu32Reg(BPF_OR, dst, src);
    /// <summary>and64 with an immediate operand.</summary>
    public static Instruction And64(Reg dst, int imm) => Alu64Imm(BPF_AND, dst, imm);
    /// <summary>and64 with a register operand.</summary>
    public static Instruction And64(Reg dst, Reg src) => Alu64Reg(BPF_AND, dst, src);
    /// <summary>and32 with an immediate operand.</summary>
    public static Instruction And32(Reg dst, int imm) => Alu32Imm(BPF_AND, dst, imm);
    /// <summary>and32 with a register operand.</summary>
    public static Instruction And32(Reg dst, Reg src) => Alu32Reg(BPF_AND, dst, src);
    /// <summary>lsh64 with an immediate operand.</summary>
    public static Instruction Lsh64(Reg dst, int imm) => Alu64Imm(BPF_LSH, dst, imm);
    /// <summary>lsh64 with a register operand.</summary>
    public static Instruction Lsh64(Reg dst, Reg src) => Alu64Reg(BPF_LSH, dst, src);
    /// <summary>lsh32 with an immediate operand.</summary>
    public static Instruction Lsh32(Reg dst, int imm) => Alu32Imm(BPF_LSH, dst, imm);
    /// <summary>lsh32 with a register operand.</summary>
    public static Instruction Lsh32(Reg dst, Reg src) => Alu32Reg(BPF_LSH, dst, src);
    /// <summary>rsh64 with an immediate operand.</summary>
    public static Instruction Rsh64(Reg dst, int imm) => Alu64Imm(BPF_RSH, dst, imm);
    /// <summary>rsh64 with a register operand.</summary>
    public static Instruction Rsh64(Reg dst, Reg src) => Alu64Reg(BPF_RSH, dst, src);
    /// <summary>rsh32 with an immediate operand.</summary>
    public static Instruction Rsh32(Reg dst, int imm) => Alu32Imm(BPF_RSH, dst, imm);
    /// <summary>rsh32 with a register operand.</summary>
    public static Instruction Rsh32(Reg dst, Reg src) => Alu32Reg(BPF_RSH, dst, src);
    /// <summary>mod64 with an immediate operand.</summary>
    public static Instruction Mod64(Reg dst, int imm) => Alu64Imm(BPF_MOD, dst, imm);
    /// <summary>mod64 with a register operand.</summary>
    public static Instruction Mod64(Reg dst, Reg src) => Alu64Reg(BPF_MOD, dst, src);
    /// <summary>mod32 with an immediate operand.</summary>
    public static Instruction Mod32(Reg dst, int imm) => Alu32Imm(BPF_MOD, dst, imm);
    /// <summary>mod32 with a register operand.</summary>
    public static Instruction Mod32(Reg dst, Reg src) => Alu32Reg(BPF_MOD, dst, src);
    /// <summary>xor64 with an immediate operand.</summary>
    public static Instruction Xor64(Reg dst, int imm) => Alu64Imm(BPF_XOR, dst, imm);
    /// <summary>xor64 with a register operand.</summary>
    public static Instruction Xor64(Reg dst, Reg src) => Alu64Reg(BPF_XOR, dst, src);
    /// <summary>xor32 with an immediate operand.</summary>
    public static Instruction Xor32(Reg dst, int imm) => Alu32Imm(BPF_XOR, dst, imm);
    /// <summary>xor32 with a register operand.</summary>
    public static Instruction Xor32(Reg dst, Reg src) => Alu32Reg(BPF_XOR, dst, src);
    /// <summary>arsh64 with an immediate operand.</summary>
    public static Instruction Arsh64(Reg dst, int imm) => Alu64Imm(BPF_ARSH, dst, imm);
    /// <summary>arsh64 with a register operand.</summary>
    public static Instruction Arsh64(Reg dst, Reg src) => Alu64Reg(BPF_ARSH, dst, src);
    /// <summary>arsh32 with an immediate operand.</summary>
    public static Instruction Arsh32(Reg dst, int imm) => Alu32Imm(BPF_ARSH, dst, imm);
    /// <summary>arsh32 with a register operand.</summary>
    public static Instruction Arsh32(Reg dst, Reg src) => Alu32Reg(BPF_ARSH, dst, src);
    /// <summary>mov64 with an immediate operand.</summary>
    public static Instruction Mov64(Reg dst, int imm) => Alu64Imm(BPF_MOV, dst, imm);
    /// <summary>mov64 with a register operand.</summary>
    public static Instruction Mov64(Reg dst, Reg src) => Alu64Reg(BPF_MOV, dst, src);
    /// <summary>mov32 with an immediate operand.</summary>
    public static Instruction Mov32(Reg dst, int imm) => Alu32Imm(BPF_MOV, dst, imm);
    /// <summary>mov32 with a register operand.</summary>
    public static Instruction Mov32(Reg dst, Reg src) => Alu32Reg(BPF_MOV, dst, src);
    /// <summary>Signed division sdiv64 (off 1) by an immediate.</summary>
    public static Instruction SDiv64(Reg dst, int imm) => Alu64ImmOff(BPF_DIV, dst, imm, 1);
    /// <summary>Signed division sdiv64 (off 1) by a register.</summary>
    public static Instruction SDiv64(Reg dst, Reg src) => Alu64RegOff(BPF_DIV, dst, src, 1);
    /// <summary>Signed modulo smod64 (off 1) by an immediate.</summary>
    public static Instruction SMod64(Reg dst, int imm) => Alu64ImmOff(BPF_MOD, dst, imm, 1);
    /// <summary>Signed modulo smod64 (off 1) by a register.</summary>
    public static Instruction SMod64(Reg dst, Reg src) => Alu64RegOff(BPF_MOD, dst, src, 1);
    /// <summary>Signed division sdiv32 (off 1) by an immediate.</summary>
    public static Instruction SDiv32(Reg dst, int imm) => Alu32ImmOff(BPF_DIV, dst, imm, 1);
    /// <summary>Signed division sdiv32 (off 1) by a register.</summary>
    public static Instruction SDiv32(Reg dst, Reg src) => Alu32RegOff(BPF_DIV, dst, src, 1);
    /// <summary>Signed modulo smod32 (off 1) by an immediate.</summary>
    public static Instruction SMod32(Reg dst, int imm) => Alu32ImmOff(BPF_MOD, dst, imm, 1);
    /// <summary>Signed modulo smod32 (off 1) by a register.</summary>
    public static Instruction SMod32(Reg dst, Reg src) => Alu32RegOff(BPF_MOD, dst, src, 1);
    /// <summary>if (dst == imm) goto label.</summary>
    public static AsmItem Jeq(Reg dst, int imm, string label) => JmpImm(BPF_JEQ, dst, imm, label);
    /// <summary>if (dst == src) goto label.</summary>
    public static AsmItem Jeq(Reg dst, Reg src, string label) => JmpReg(BPF_JEQ, dst, src, label);
    /// <summary>if (wdst == imm) goto label.</summary>
    public static AsmItem Jeq32(Reg dst, int imm, string label) => Jmp32Imm(BPF_JEQ, dst, imm, label);
    /// <summary>if (wdst == wsrc) goto label.</summary>
    public static AsmItem Jeq32(Reg dst, Reg src, string label) => Jmp32Reg(BPF_JEQ, dst, src, label);
    /// <summary>if (dst &gt; imm) goto label.</summary>
    public static AsmItem Jgt(Reg dst, int imm, string label) => JmpImm(BPF_JGT, dst, imm, label);
    /// <summary>if (dst &gt; src) goto label.</summary>
    public static AsmItem Jgt(Reg dst, Reg src, string label) => JmpReg(BPF_JGT, dst, src, label);
    /// <summary>if (wdst &gt; imm) goto label.</summary>
    public static AsmItem Jgt32(Reg dst, int imm, string label) => Jmp32Imm(BPF_JGT, dst, imm, label);
    /// <summary>if (wdst &gt; wsrc) goto label.</summary>
    public static AsmItem Jgt32(Reg dst, Reg src, string label) => Jmp32Reg(BPF_JGT, dst, src, label);
    /// <summary>if (dst &gt;= imm) goto label.</summary>
    public static AsmItem Jge(Reg dst, int imm, string label) => JmpImm(BPF_JGE, dst, imm, label);
    /// <summary>if (dst &gt;= src) goto label.</summary>
    public static AsmItem Jge(Reg dst, Reg src, string label) => JmpReg(BPF_JGE, dst, src, label);
    /// <summary>if (wdst &gt;= imm) goto label.</summary>
    public static AsmItem Jge32(Reg dst, int imm, string label) => Jmp32Imm(BPF_JGE, dst, imm, label);
    /// <summary>if (wdst &gt;= wsrc) goto label.</summary>
    public static AsmItem Jge32(Reg dst, Reg src, string label) => Jmp32Reg(BPF_JGE, dst, src, label);
    /// <summary>if (dst &amp; imm) goto label.</summary>
    public static AsmItem Jset(Reg dst, int imm, string label) => JmpImm(BPF_JSET, dst, imm, label);
    /// <summary>if (dst &amp; src) goto label.</summary>
    public static AsmItem Jset(Reg dst, Reg src, string label) => JmpReg(BPF_JSET, dst, src, label);
    /// <summary>if (wdst &amp; imm) goto label.</summary>
    public static AsmItem Jset32(Reg dst, int imm, string label) => Jmp32Imm(BPF_JSET, dst, imm, label);
    /// <summary>if (wdst &amp; wsrc) goto label.</summary>
    public static AsmItem Jset32(Reg dst, Reg src, string label) => Jmp32Reg(BPF_JSET, dst, src, label);
    /// <summary>if (dst != imm) goto label.</summary>
    public static AsmItem Jne(Reg dst, int imm, string label) => JmpImm(BPF_JNE, dst, imm, label);
    /// <summary>if (dst != src) goto label.</summary>
    public static AsmItem Jne(Reg dst, Reg src, string label) => JmpReg(BPF_JNE, dst, src, label);
    /// <summary>if (wdst != imm) goto label.</summary>
    public static AsmItem Jne32(Reg dst, int imm, string label) => Jmp32Imm(BPF_JNE, dst, imm, label);
    /// <summary>if (wdst != wsrc) goto label.</summary>
    public static AsmItem Jne32(Reg dst, Reg src, string label) => Jmp32Reg(BPF_JNE, dst, src, label);
    /// <summary>if (dst s&gt; imm) goto label.</summary>
    public static AsmItem Jsgt(Reg dst, int imm, string label) => JmpImm(BPF_JSGT, dst, imm, label);
    /// <summary>if (dst s&gt; src) goto label.</summary>
    public static AsmItem Jsgt(Reg dst, Reg src, string label) => JmpReg(BPF_JSGT, dst, src, label);
    /// <summary>if (wdst s&gt; imm) goto label.</summary>
    public static AsmItem Jsgt32(Reg dst, int imm, string label) => Jmp32Imm(BPF_JSGT, dst, imm, label);
    /// <summary>if (wdst s&gt; wsrc) goto label.</summary>
    public static AsmItem Jsgt32(Reg dst, Reg src, string label) => Jmp32Reg(BPF_JSGT, dst, src, label);
    /// <summary>if (dst s&gt;= imm) goto label.</summary>
    public static AsmItem Jsge(Reg dst, int imm, string label) => JmpImm(BPF_JSGE, dst, imm, label);
    /// <summary>if (dst s&gt;= src) goto label.</summary>
    public static AsmItem Jsge(Reg dst, Reg src, string label) => JmpReg(BPF_JSGE, dst, src, label);
    /// <summary>if (wdst s&gt;= imm) goto label.</summary>
    public static AsmItem Jsge32(Reg dst, int imm, string label) => Jmp32Imm(BPF_JSGE, dst, imm, label);
    /// <summary>if (wdst s&gt;= wsrc) goto label.</summary>
    public static AsmItem Jsge32(Reg dst, Reg src, string label) => Jmp32Reg(BPF_JSGE, dst, src, label);
    /// <summary>if (dst &lt; imm) goto label.</summary>
    public static AsmItem Jlt(Reg dst, int imm, string label) => JmpImm(BPF_JLT, dst, imm, label);
    /// <summary>if (dst &lt; src) goto label.</summary>
    public static AsmItem Jlt(Reg dst, Reg src, string label) => JmpReg(BPF_JLT, dst, src, label);
    /// <summary>if (wdst &lt; imm) goto label.</summary>
    public static AsmItem Jlt32(Reg dst, int imm, string label) => Jmp32Imm(BPF_JLT, dst, imm, label);
    /// <summary>if (wdst &lt; wsrc) goto label.</summary>
    public static AsmItem Jlt32(Reg dst, Reg src, string label) => Jmp32Reg(BPF_JLT, dst, src, label);
    /// <summary>if (dst &lt;= imm) goto label.</summary>
    public static AsmItem Jle(Reg dst, int imm, string label) => JmpImm(BPF_JLE, dst, imm, label);
    /// <summary>if (dst &lt;= src) goto label.</summary>
    public static AsmItem Jle(Reg dst, Reg src, string label) => JmpReg(BPF_JLE, dst, src, label);
    /// <summary>if (wdst &lt;= imm) goto label.</summary>
    public static AsmItem Jle32(Reg dst, int imm, string label) => Jmp32Imm(BPF_JLE, dst, imm, label);
    /// <summary>if (wdst &lt;= wsrc) goto label.</summary>
    public static AsmItem Jle32(Reg dst, Reg src, string label) => Jmp32Reg(BPF_JLE, dst, src, label);
    /// <summary>if (dst s&lt; imm) goto label.</summary>
    public static AsmItem Jslt(Reg dst, int imm, string label) => JmpImm(BPF_JSLT, dst, imm, label);
    /// <summary>if (dst s&lt; src) goto label.</summary>
    public static AsmItem Jslt(Reg dst, Reg src, string label) => JmpReg(BPF_JSLT, dst, src, label);
    /// <summary>if (wdst s&lt; imm) goto label.</summary>
    public static AsmItem Jslt32(Reg dst, int imm, string label) => Jmp32Imm(BPF_JSLT, dst, imm, label);
    /// <summary>if (wdst s&lt; wsrc) goto label.</summary>
    public static AsmItem Jslt32(Reg dst, Reg src, string label) => Jmp32Reg(BPF_JSLT, dst, src, label);
    /// <summary>if (dst s&lt;= imm) goto label.</summary>
    public static AsmItem Jsle(Reg dst, int imm, string label) => JmpImm(BPF_JSLE, dst, imm, label);
    /// <summary>if (dst s&lt;= src) goto label.</summary>
    public static AsmItem Jsle(Reg dst, Reg src, string label) => JmpReg(BPF_JSLE, dst, src, label);
    /// <summary>if (wdst s&lt;= imm) goto label.</summary>
    public static AsmItem Jsle32(Reg dst, int imm, string label) => Jmp32Imm(BPF_JSLE, dst, imm, label);
    /// <summary>if (wdst s&lt;= wsrc) goto label.</summary>
    public static AsmItem Jsle32(Reg dst, Reg src, string label) => Jmp32Reg(BPF_JSLE, dst, src, label);
}
