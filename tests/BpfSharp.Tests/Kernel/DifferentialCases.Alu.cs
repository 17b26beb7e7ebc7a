using BpfSharp.Isa;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Kernel;

// ALU64 and ALU32 with edge values, and the byte swaps (RFC 9669 sections 4.1-4.2).
internal static partial class DifferentialCases
{
    private static IEnumerable<DifferentialCase> Alu() =>
    [
        Imm("add64 wraps past INT64_MAX", 0x7FFFFFFFFFFFFFFF, Asm.Add64(R0, 1), 0x8000000000000000),
        Imm("add64 imm is sign-extended", 0x100000000, Asm.Add64(R0, -1), 0xFFFFFFFF),
        Imm("add32 wraps and zero-extends", 0xFFFFFFFFFFFFFFFF, Asm.Add32(R0, 2), 0x1),
        Reg2("sub64 borrows below zero", 0, 1, Asm.Sub64(R0, R1), 0xFFFFFFFFFFFFFFFF),
        Reg2("sub32 ignores the upper half", 0x100000000, 1, Asm.Sub32(R0, R1), 0xFFFFFFFF),
        Imm("mul64 by a negative imm", 3, Asm.Mul64(R0, -1), 0xFFFFFFFFFFFFFFFD),
        Reg2("mul64 keeps the low 64 bits", 0x100000001, 0x100000001, Asm.Mul64(R0, R1), 0x200000001),
        Reg2("mul32 keeps the low 32 bits", 0x0000000500010000, 0x10001, Asm.Mul32(R0, R1), 0x10000),

        Reg2("div64 is unsigned", 0xFFFFFFFFFFFFFFFF, 2, Asm.Div64(R0, R1), 0x7FFFFFFFFFFFFFFF),
        Imm("div64 imm is sign-extended", 0x200000000, Asm.Div64(R0, -1), 0),
        Imm("mod64 imm is sign-extended", 0x200000005, Asm.Mod64(R0, -1), 0x200000005),
        Reg2("div64 by a zero register gives 0", 77, 0, Asm.Div64(R0, R1), 0),
        Reg2("mod64 by a zero register keeps dst", 0x123456789ABCDEF0, 0, Asm.Mod64(R0, R1), 0x123456789ABCDEF0),
        Reg2("div32 by a register with a zero low half gives 0", 0xFFFFFFFFFFFFFFFF, 0x100000000, Asm.Div32(R0, R1), 0),
        Reg2("mod32 by zero keeps wdst and zeroes the upper half", 0x123456789ABCDEF0, 0x100000000, Asm.Mod32(R0, R1), 0x9ABCDEF0),
        Reg2("div32 uses the low halves", 0xFFFFFFFF00000064, 0xFFFFFFFF00000007, Asm.Div32(R0, R1), 14),
        Reg2("mod32 uses the low halves", 0xFFFFFFFF00000064, 0xFFFFFFFF00000007, Asm.Mod32(R0, R1), 2),
        Imm("div32 imm is unsigned 32-bit", 0x1FFFFFFFF, Asm.Div32(R0, -1), 1),
        Imm("div32 imm -2 divides by 0xfffffffe", 0xFFFFFFFF, Asm.Div32(R0, -2), 1),
        Imm("mod32 imm -1 divides by 0xffffffff", 0x100000005, Asm.Mod32(R0, -1), 5),

        Reg2("sdiv64 truncates toward zero", 0xFFFFFFFFFFFFFFF9, 2, Asm.SDiv64(R0, R1), 0xFFFFFFFFFFFFFFFD),
        Reg2("smod64 takes the dividend's sign", 0xFFFFFFFFFFFFFFF9, 2, Asm.SMod64(R0, R1), 0xFFFFFFFFFFFFFFFF),
        Reg2("smod64 by a negative divisor", 7, 0xFFFFFFFFFFFFFFFE, Asm.SMod64(R0, R1), 1),
        Reg2("sdiv64 INT64_MIN by -1", 0x8000000000000000, 0xFFFFFFFFFFFFFFFF, Asm.SDiv64(R0, R1), 0x8000000000000000),
        Reg2("smod64 INT64_MIN by -1", 0x8000000000000000, 0xFFFFFFFFFFFFFFFF, Asm.SMod64(R0, R1), 0),
        Reg2("sdiv64 by a zero register gives 0", 0xFFFFFFFFFFFFFFFB, 0, Asm.SDiv64(R0, R1), 0),
        Reg2("smod64 by a zero register keeps dst", 0xFFFFFFFFFFFFFFFB, 0, Asm.SMod64(R0, R1), 0xFFFFFFFFFFFFFFFB),
        Imm("sdiv64 by a negative imm", 0xFFFFFFFFFFFFFF9C, Asm.SDiv64(R0, -3), 33),
        Imm("smod64 by a negative imm", 0xFFFFFFFFFFFFFF9C, Asm.SMod64(R0, -3), 0xFFFFFFFFFFFFFFFF),
        Reg2("sdiv32 truncates toward zero", 0x1FFFFFFF9, 2, Asm.SDiv32(R0, R1), 0xFFFFFFFD),
        Reg2("smod32 takes the dividend's sign", 0x1FFFFFFF9, 2, Asm.SMod32(R0, R1), 0xFFFFFFFF),
        Reg2("sdiv32 INT32_MIN by -1", 0x80000000, 0xFFFFFFFF, Asm.SDiv32(R0, R1), 0x80000000),
        Reg2("smod32 INT32_MIN by -1", 0x80000000, 0xFFFFFFFF, Asm.SMod32(R0, R1), 0),
        Reg2("sdiv32 by a zero low half gives 0", 0xAAAAAAAAFFFFFFF0, 0xFFFFFFFF00000000, Asm.SDiv32(R0, R1), 0),
        Reg2("smod32 by a zero low half keeps wdst", 0xAAAAAAAAFFFFFFF0, 0xFFFFFFFF00000000, Asm.SMod32(R0, R1), 0xFFFFFFF0),
        Imm("sdiv32 by a negative imm", 100, Asm.SDiv32(R0, -3), 0xFFFFFFDF),
        Imm("sdiv64 INT64_MIN by imm -1", 0x8000000000000000, Asm.SDiv64(R0, -1), 0x8000000000000000),
        Imm("smod64 INT64_MIN by imm -1", 0x8000000000000000, Asm.SMod64(R0, -1), 0),
        Imm("sdiv32 INT32_MIN by imm -1", 0x80000000, Asm.SDiv32(R0, -1), 0x80000000),
        Imm("smod32 INT32_MIN by imm -1", 0xFFFFFFFF80000000, Asm.SMod32(R0, -1), 0),

        Reg2("movsx64 s8", 0, 0x100000080, Asm.Movsx64Reg(R0, R1, 8), 0xFFFFFFFFFFFFFF80),
        Reg2("movsx64 s8 of a positive byte", 0, 0xFFFFFFFFFFFFFF7F, Asm.Movsx64Reg(R0, R1, 8), 0x7F),
        Reg2("movsx64 s16", 0, 0x7FFF8001, Asm.Movsx64Reg(R0, R1, 16), 0xFFFFFFFFFFFF8001),
        Reg2("movsx64 s32", 0, 0x180000000, Asm.Movsx64Reg(R0, R1, 32), 0xFFFFFFFF80000000),
        Reg2("movsx32 s8 zero-extends the result", 0, 0xFFFFFFFF000000FF, Asm.Movsx32Reg(R0, R1, 8), 0xFFFFFFFF),
        Reg2("movsx32 s16", 0, 0x12348000, Asm.Movsx32Reg(R0, R1, 16), 0xFFFF8000),
        Imm("mov32 imm zero-extends", 0xDEADBEEFDEADBEEF, Asm.Mov32(R0, -1), 0xFFFFFFFF),
        Imm("mov64 imm sign-extends", 0, Asm.Mov64(R0, -1), 0xFFFFFFFFFFFFFFFF),
        Reg2("mov32 reg truncates", 0, 0xFFFFFFFFFFFFFFFF, Asm.Mov32(R0, R1), 0xFFFFFFFF),

        Reg2("lsh64 by register 65 shifts by 1", 3, 65, Asm.Lsh64(R0, R1), 6),
        Reg2("rsh64 by register 64 shifts by 0", 0x8000000000000000, 64, Asm.Rsh64(R0, R1), 0x8000000000000000),
        Reg2("lsh32 by register 33 shifts by 1", 0xFFFFFFFF80000001, 33, Asm.Lsh32(R0, R1), 2),
        Reg2("rsh32 by register 36 shifts by 4", 0x1F0000000, 36, Asm.Rsh32(R0, R1), 0x0F000000),
        Imm("rsh32 by 0 still zero-extends", 0xFFFFFFFFFFFFFFFF, Asm.Rsh32(R0, 0), 0xFFFFFFFF),
        Imm("rsh64 is logical", 0xFFFFFFFFFFFFFFFF, Asm.Rsh64(R0, 60), 0xF),
        Imm("arsh64 of INT64_MIN by 63", 0x8000000000000000, Asm.Arsh64(R0, 63), 0xFFFFFFFFFFFFFFFF),
        Reg2("arsh64 by register 68 shifts by 4", 0xFFFFFFFFFFFFFF00, 68, Asm.Arsh64(R0, R1), 0xFFFFFFFFFFFFFFF0),
        Imm("arsh32 of a negative low half", 0x80000000, Asm.Arsh32(R0, 4), 0xF8000000),
        Reg2("arsh32 by register 33 shifts by 1", 0x180000000, 33, Asm.Arsh32(R0, R1), 0xC0000000),
        Imm("arsh32 ignores the upper half", 0xFFFFFFFF7FFFFFFF, Asm.Arsh32(R0, 31), 0),

        Imm("neg64", 5, Asm.Neg64(R0), 0xFFFFFFFFFFFFFFFB),
        Imm("neg64 of INT64_MIN", 0x8000000000000000, Asm.Neg64(R0), 0x8000000000000000),
        Imm("neg32 zero-extends", 0x1234567800000001, Asm.Neg32(R0), 0xFFFFFFFF),
        Imm("and64 imm is sign-extended", 0x123456789ABCDEFF, Asm.And64(R0, -16), 0x123456789ABCDEF0),
        Imm("and64 by a positive imm clears the upper half", 0xF0F0F0F0F0F0F0F0, Asm.And64(R0, 0x0FFFFFFF), 0x00F0F0F0),
        Imm("or64 imm INT32_MIN is sign-extended", 1, Asm.Or64(R0, int.MinValue), 0xFFFFFFFF80000001),
        Reg2("or32 uses the low halves", 0xFFFFFFFF00000000, 0xFFFFFFFF00000001, Asm.Or32(R0, R1), 1),
        Imm("xor32 imm zero-extends", 0xFFFFFFFFFFFFFFFF, Asm.Xor32(R0, 0x0F0F0F0F), 0xF0F0F0F0),
        Reg2("xor64", 0xFFFF0000FFFF0000, 0x0F0F0F0F0F0F0F0F, Asm.Xor64(R0, R1), 0xF0F00F0FF0F00F0F),
    ];

    private const ulong SwapInput = 0x0123456789ABCDEF;

    private static IEnumerable<DifferentialCase> ByteSwaps() =>
    [
        Imm("le16 truncates", SwapInput, Asm.Endian(BPF_TO_LE, R0, 16), 0xCDEF),
        Imm("le32 truncates", SwapInput, Asm.Endian(BPF_TO_LE, R0, 32), 0x89ABCDEF),
        Imm("le64 is a no-op", SwapInput, Asm.Endian(BPF_TO_LE, R0, 64), 0x0123456789ABCDEF),
        Imm("be16 swaps and truncates", SwapInput, Asm.Endian(BPF_TO_BE, R0, 16), 0xEFCD),
        Imm("be32 swaps and truncates", SwapInput, Asm.Endian(BPF_TO_BE, R0, 32), 0xEFCDAB89),
        Imm("be64 swaps", SwapInput, Asm.Endian(BPF_TO_BE, R0, 64), 0xEFCDAB8967452301),
        Imm("bswap16", SwapInput, Asm.Bswap(R0, 16), 0xEFCD),
        Imm("bswap32", SwapInput, Asm.Bswap(R0, 32), 0xEFCDAB89),
        Imm("bswap64", SwapInput, Asm.Bswap(R0, 64), 0xEFCDAB8967452301),
    ];
}
