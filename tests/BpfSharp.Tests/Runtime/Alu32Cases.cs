using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Reg;
using static BpfSharp.Tests.Runtime.AluCase;

namespace BpfSharp.Tests.Runtime;

/// <summary>
/// ALU (32-bit) cases: operate on the low 32 bits, immediates taken as 32-bit values, the result
/// zero-extended (RFC 9669 4.1). Many operands have the upper half set to show it is ignored and cleared.
/// </summary>
public static class Alu32Cases
{
    public static readonly AluCase[] All =
    [
        // add
        X("add32 reg wraps at 32 bits", Add32(R0, R1), 0x0000_0000_FFFF_FFFF, 1, 0),
        X("add32 reg ignores upper halves", Add32(R0, R1), 0xFFFF_FFFF_0000_0001, 0xFFFF_FFFF_0000_0002, 3),
        K("add32 imm -1", Add32(R0, -1), 0x1234_5678_0000_0005, 4),
        K("add32 imm INT32_MIN zero-extends", Add32(R0, int.MinValue), 0, 0x8000_0000),

        // sub
        X("sub32 reg underflows to 32 bits", Sub32(R0, R1), 0, 1, 0xFFFF_FFFF),
        X("sub32 reg ignores upper halves", Sub32(R0, R1), 0xAAAA_AAAA_0000_0010, 0xBBBB_BBBB_0000_0001, 0xF),
        K("sub32 imm 1 clears upper half", Sub32(R0, 1), 0xFFFF_FFFF_0000_0000, 0xFFFF_FFFF),

        // mul
        X("mul32 reg overflows", Mul32(R0, R1), 0x1_0000, 0x1_0000, 0),
        X("mul32 reg ignores upper halves", Mul32(R0, R1), 0xFFFF_FFFF_0000_0003, 0x0000_0005_0000_0004, 0xC),
        K("mul32 imm -1", Mul32(R0, -1), 5, 0xFFFF_FFFB),
        K("mul32 imm 2 overflows", Mul32(R0, 2), 0x8000_0000, 0),

        // div (unsigned 32-bit; by zero gives 0)
        X("div32 reg", Div32(R0, R1), 0xFFFF_FFFF_0000_0010, 4, 4),
        X("div32 reg by zero in the low half", Div32(R0, R1), 0xFFFF_FFFF_0000_0010, 0x0000_0001_0000_0000, 0),
        X("div32 reg ignores divisor upper half", Div32(R0, R1), 0x10, 0x1_0000_0002, 8),
        K("div32 imm -1 is 2^32-1", Div32(R0, -1), 0xFFFF_FFFF, 1),
        K("div32 imm -1 below 2^32-1", Div32(R0, -1), 0xFFFF_FFFE, 0),
        K("div32 imm by zero", Div32(R0, 0), 0x1234_5678_0000_0005, 0),

        // sdiv (signed 32-bit; by zero gives 0; INT32_MIN / -1 = INT32_MIN)
        X("sdiv32 reg neg/pos", SDiv32(R0, R1), 0x1234_5678_FFFF_FFF9, 2, 0xFFFF_FFFD),
        X("sdiv32 reg min/-1", SDiv32(R0, R1), 0x8000_0000, 0xFFFF_FFFF, 0x8000_0000),
        X("sdiv32 reg by zero in the low half", SDiv32(R0, R1), 5, 0xFFFF_FFFF_0000_0000, 0),
        X("sdiv32 reg divisor negative in 32 bits", SDiv32(R0, R1), 8, 0x0000_0000_FFFF_FFFE, 0xFFFF_FFFC),
        K("sdiv32 imm -2", SDiv32(R0, -2), 7, 0xFFFF_FFFD),
        K("sdiv32 imm min/-1", SDiv32(R0, -1), 0x8000_0000, 0x8000_0000),
        K("sdiv32 imm by zero", SDiv32(R0, 0), 0xFFFF_FFFF_FFFF_FFFF, 0),

        // mod (unsigned 32-bit; by zero leaves the low half, zero-extended)
        X("mod32 reg", Mod32(R0, R1), 0x1234_5678_0000_0011, 5, 2),
        X("mod32 reg by zero zero-extends dst", Mod32(R0, R1), 0x1234_5678_0000_0005, 0xFFFF_FFFF_0000_0000, 5),
        K("mod32 imm by zero zero-extends dst", Mod32(R0, 0), 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF),
        K("mod32 imm -1 equal dst", Mod32(R0, -1), 0xFFFF_FFFF, 0),
        K("mod32 imm -1 small dst", Mod32(R0, -1), 0xA, 0xA),

        // smod (signed 32-bit, sign of the dividend; by zero leaves the low half; INT32_MIN % -1 = 0)
        X("smod32 reg neg%pos", SMod32(R0, R1), 0x1234_5678_FFFF_FFF9, 2, 0xFFFF_FFFF),
        X("smod32 reg min%-1", SMod32(R0, R1), 0x8000_0000, 0xFFFF_FFFF, 0),
        X("smod32 reg by zero zero-extends dst", SMod32(R0, R1), 0xFFFF_FFFF_8000_0000, 0x1_0000_0000, 0x8000_0000),
        K("smod32 imm -3 pos", SMod32(R0, -3), 0xA, 1),
        K("smod32 imm -3 neg", SMod32(R0, -3), 0xFFFF_FFF6, 0xFFFF_FFFF),
        K("smod32 imm by zero zero-extends dst", SMod32(R0, 0), 0xFFFF_FFFF_FFFF_FFF9, 0xFFFF_FFF9),

        // or, and, xor
        X("or32 reg", Or32(R0, R1), 0xFFFF_FFFF_0000_0001, 0xFFFF_FFFF_0000_0002, 3),
        K("or32 imm -1 zero-extends", Or32(R0, -1), 0x1234_5678_0000_0000, 0xFFFF_FFFF),
        X("and32 reg", And32(R0, R1), 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF),
        K("and32 imm -1", And32(R0, -1), 0x1234_5678_9ABC_DEF0, 0x9ABC_DEF0),
        X("xor32 reg", Xor32(R0, R1), 0xFFFF_FFFF_0000_FFFF, 0x0000_0000_FFFF_0000, 0xFFFF_FFFF),
        K("xor32 imm -1", Xor32(R0, -1), 0xFFFF_FFFF_0000_0000, 0xFFFF_FFFF),

        // lsh, rsh, arsh (amount masked with 31)
        X("lsh32 reg 31", Lsh32(R0, R1), 1, 31, 0x8000_0000),
        X("lsh32 reg 32 masks to 0", Lsh32(R0, R1), 0xFFFF_FFFF_0000_0001, 32, 1),
        X("lsh32 reg 33 masks to 1", Lsh32(R0, R1), 1, 33, 2),
        K("lsh32 imm 4 drops bits past 32", Lsh32(R0, 4), 0xF000_0001, 0x10),
        K("lsh32 imm 32 masks to 0", Lsh32(R0, 32), 0x1234_5678_0000_0005, 5),
        K("lsh32 imm 8", Lsh32(R0, 8), 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FF00),
        X("rsh32 reg 31", Rsh32(R0, R1), 0xFFFF_FFFF_8000_0000, 31, 1),
        X("rsh32 reg 32 masks to 0", Rsh32(R0, R1), 0xFFFF_FFFF_8000_0000, 32, 0x8000_0000),
        X("rsh32 reg 33 masks to 1", Rsh32(R0, R1), 0x8000_0000, 33, 0x4000_0000),
        K("rsh32 imm 4 is logical", Rsh32(R0, 4), 0xFFFF_FFFF_FFFF_FFFF, 0x0FFF_FFFF),
        K("rsh32 imm 36 masks to 4", Rsh32(R0, 36), 0xF0, 0xF),
        X("arsh32 reg 4 negative", Arsh32(R0, R1), 0xF000_0000, 4, 0xFF00_0000),
        X("arsh32 reg 31", Arsh32(R0, R1), 0x8000_0000, 31, 0xFFFF_FFFF),
        X("arsh32 reg 32 masks to 0", Arsh32(R0, R1), 0xFFFF_FFFF_8000_0000, 32, 0x8000_0000),
        X("arsh32 reg 33 masks to 1", Arsh32(R0, R1), 0x8000_0000, 33, 0xC000_0000),
        K("arsh32 imm 4 positive", Arsh32(R0, 4), 0x7000_0000, 0x0700_0000),
        K("arsh32 imm 1 sign is bit 31", Arsh32(R0, 1), 0xFFFF_FFFF_7FFF_FFFF, 0x3FFF_FFFF),

        // neg
        K("neg32 1", Neg32(R0), 1, 0xFFFF_FFFF),
        K("neg32 upper half only", Neg32(R0), 0xFFFF_FFFF_0000_0000, 0),
        K("neg32 min", Neg32(R0), 0x8000_0000, 0x8000_0000),
        K("neg32 10", Neg32(R0), 0x1234_5678_0000_000A, 0xFFFF_FFF6),

        // mov, movsx
        X("mov32 reg zero-extends", Mov32(R0, R1), 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_8000_0000, 0x8000_0000),
        K("mov32 imm -1 zero-extends", Mov32(R0, -1), 0x1234_5678_0000_0000, 0xFFFF_FFFF),
        K("mov32 imm INT32_MIN", Mov32(R0, int.MinValue), 0xFFFF_FFFF_FFFF_FFFF, 0x8000_0000),
        X("movsx32 s8 negative", Movsx32Reg(R0, R1, 8), 0xFFFF_FFFF_FFFF_FFFF, 0x80, 0xFFFF_FF80),
        X("movsx32 s8 positive", Movsx32Reg(R0, R1, 8), 0, 0xFFFF_FFFF_FFFF_FF7F, 0x7F),
        X("movsx32 s16 negative", Movsx32Reg(R0, R1, 16), 0, 0x8000, 0xFFFF_8000),
        X("movsx32 s16 positive", Movsx32Reg(R0, R1, 16), 0, 0x1234_7FFF, 0x7FFF),
    ];
}
