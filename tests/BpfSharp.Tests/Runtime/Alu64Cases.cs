using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Reg;
using static BpfSharp.Tests.Runtime.AluCase;

namespace BpfSharp.Tests.Runtime;

/// <summary>ALU64 cases: 64-bit arithmetic, immediates sign-extended to 64 bits (RFC 9669 4.1).</summary>
public static class Alu64Cases
{
    private const ulong Ones = 0xFFFF_FFFF_FFFF_FFFF;     // -1
    private const ulong Min64 = 0x8000_0000_0000_0000;    // INT64_MIN
    private const ulong Max64 = 0x7FFF_FFFF_FFFF_FFFF;

    public static readonly AluCase[] All =
    [
        // add
        X("add64 reg", Add64(R0, R1), 1, 2, 3),
        X("add64 reg wraps", Add64(R0, R1), Ones, 1, 0),
        X("add64 reg min+min", Add64(R0, R1), Min64, Min64, 0),
        K("add64 imm -1 sign-extends", Add64(R0, -1), 0, Ones),
        K("add64 imm carries into the upper half", Add64(R0, 1), 0x0000_0000_FFFF_FFFF, 0x0000_0001_0000_0000),
        K("add64 imm INT32_MIN", Add64(R0, int.MinValue), 0, 0xFFFF_FFFF_8000_0000),

        // sub
        X("sub64 reg underflows", Sub64(R0, R1), 0, 1, Ones),
        X("sub64 reg min-1", Sub64(R0, R1), Min64, 1, Max64),
        K("sub64 imm -1", Sub64(R0, -1), 5, 6),
        K("sub64 imm INT32_MAX", Sub64(R0, int.MaxValue), 0, 0xFFFF_FFFF_8000_0001),

        // mul
        X("mul64 reg", Mul64(R0, R1), 3, 4, 12),
        X("mul64 reg -1*-1", Mul64(R0, R1), Ones, Ones, 1),
        X("mul64 reg overflows", Mul64(R0, R1), 0x1_0000_0000, 0x1_0000_0000, 0),
        K("mul64 imm -2", Mul64(R0, -2), 3, 0xFFFF_FFFF_FFFF_FFFA),
        K("mul64 imm min*-1", Mul64(R0, -1), Min64, Min64),

        // div (unsigned; by zero gives 0)
        X("div64 reg", Div64(R0, R1), 10, 3, 3),
        X("div64 reg by zero", Div64(R0, R1), 10, 0, 0),
        X("div64 reg unsigned", Div64(R0, R1), Ones, 2, Max64),
        X("div64 reg min by -1 is unsigned", Div64(R0, R1), Min64, Ones, 0),
        K("div64 imm by zero", Div64(R0, 0), 7, 0),
        K("div64 imm -1 is 2^64-1", Div64(R0, -1), Ones, 1),
        K("div64 imm -1 below 2^64-1", Div64(R0, -1), Max64, 0),
        K("div64 imm 2", Div64(R0, 2), 0xFFFF_FFFF_FFFF_FFFE, Max64),

        // sdiv (signed, truncating; by zero gives 0; INT64_MIN / -1 = INT64_MIN)
        X("sdiv64 reg neg/pos", SDiv64(R0, R1), unchecked((ulong)-7L), 2, unchecked((ulong)-3L)),
        X("sdiv64 reg pos/neg", SDiv64(R0, R1), 7, unchecked((ulong)-2L), unchecked((ulong)-3L)),
        X("sdiv64 reg neg/neg", SDiv64(R0, R1), unchecked((ulong)-7L), unchecked((ulong)-2L), 3),
        X("sdiv64 reg min/-1", SDiv64(R0, R1), Min64, Ones, Min64),
        X("sdiv64 reg by zero", SDiv64(R0, R1), unchecked((ulong)-7L), 0, 0),
        K("sdiv64 imm min/-1", SDiv64(R0, -1), Min64, Min64),
        K("sdiv64 imm by zero", SDiv64(R0, 0), 5, 0),
        K("sdiv64 imm -3", SDiv64(R0, -3), 9, unchecked((ulong)-3L)),

        // mod (unsigned; by zero leaves dst)
        X("mod64 reg", Mod64(R0, R1), 10, 3, 1),
        X("mod64 reg by zero", Mod64(R0, R1), 0xFFFF_FFFF_FFFF_FFF7, 0, 0xFFFF_FFFF_FFFF_FFF7),
        X("mod64 reg unsigned", Mod64(R0, R1), Ones, 10, 5),
        K("mod64 imm -1 small dst", Mod64(R0, -1), 5, 5),
        K("mod64 imm -1 equal dst", Mod64(R0, -1), Ones, 0),
        K("mod64 imm by zero", Mod64(R0, 0), 0x1234_5678_0000_0005, 0x1234_5678_0000_0005),

        // smod (sign of the dividend; by zero leaves dst; INT64_MIN % -1 = 0)
        X("smod64 reg neg%pos", SMod64(R0, R1), unchecked((ulong)-7L), 2, Ones),
        X("smod64 reg pos%neg", SMod64(R0, R1), 7, unchecked((ulong)-2L), 1),
        X("smod64 reg neg%neg", SMod64(R0, R1), unchecked((ulong)-7L), unchecked((ulong)-2L), Ones),
        X("smod64 reg min%-1", SMod64(R0, R1), Min64, Ones, 0),
        X("smod64 reg by zero", SMod64(R0, R1), unchecked((ulong)-7L), 0, unchecked((ulong)-7L)),
        K("smod64 imm -3 pos", SMod64(R0, -3), 10, 1),
        K("smod64 imm -3 neg", SMod64(R0, -3), unchecked((ulong)-10L), Ones),
        K("smod64 imm by zero", SMod64(R0, 0), Min64, Min64),
        K("smod64 imm min%-1", SMod64(R0, -1), Min64, 0),

        // or, and, xor
        X("or64 reg", Or64(R0, R1), 0xF0F0, 0x0F0F, 0xFFFF),
        K("or64 imm -1 sign-extends", Or64(R0, -1), 0, Ones),
        K("or64 imm INT32_MIN", Or64(R0, int.MinValue), 0, 0xFFFF_FFFF_8000_0000),
        X("and64 reg", And64(R0, R1), 0xFF00_FF00_FF00_FF00, 0x0FF0_0FF0_0FF0_0FF0, 0x0F00_0F00_0F00_0F00),
        K("and64 imm -1 keeps all", And64(R0, -1), 0x1234_5678_9ABC_DEF0, 0x1234_5678_9ABC_DEF0),
        K("and64 imm INT32_MAX", And64(R0, int.MaxValue), Ones, 0x7FFF_FFFF),
        K("and64 imm INT32_MIN", And64(R0, int.MinValue), Ones, 0xFFFF_FFFF_8000_0000),
        X("xor64 reg", Xor64(R0, R1), Ones, 0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210),
        K("xor64 imm -1", Xor64(R0, -1), 0, Ones),
        K("xor64 imm 1", Xor64(R0, 1), 0x8000_0000_0000_0001, Min64),

        // lsh, rsh, arsh (amount masked with 63)
        X("lsh64 reg 63", Lsh64(R0, R1), 1, 63, Min64),
        X("lsh64 reg 64 masks to 0", Lsh64(R0, R1), 1, 64, 1),
        X("lsh64 reg 65 masks to 1", Lsh64(R0, R1), 1, 65, 2),
        X("lsh64 reg -1 masks to 63", Lsh64(R0, R1), 1, Ones, Min64),
        K("lsh64 imm 4", Lsh64(R0, 4), 0x0FFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFF0),
        K("lsh64 imm 64 masks to 0", Lsh64(R0, 64), 3, 3),
        K("lsh64 imm -1 masks to 63", Lsh64(R0, -1), 1, Min64),
        X("rsh64 reg 63", Rsh64(R0, R1), Min64, 63, 1),
        X("rsh64 reg 64 masks to 0", Rsh64(R0, R1), Min64, 64, Min64),
        X("rsh64 reg 65 masks to 1", Rsh64(R0, R1), Ones, 65, Max64),
        K("rsh64 imm 4 is logical", Rsh64(R0, 4), Ones, 0x0FFF_FFFF_FFFF_FFFF),
        K("rsh64 imm 64 masks to 0", Rsh64(R0, 64), 7, 7),
        X("arsh64 reg 63", Arsh64(R0, R1), Min64, 63, Ones),
        X("arsh64 reg 64 masks to 0", Arsh64(R0, R1), 0x8000_0000_0000_0001, 64, 0x8000_0000_0000_0001),
        X("arsh64 reg 65 masks to 1", Arsh64(R0, R1), Min64, 65, 0xC000_0000_0000_0000),
        K("arsh64 imm 4 negative", Arsh64(R0, 4), 0xF000_0000_0000_0000, 0xFF00_0000_0000_0000),
        K("arsh64 imm 4 positive", Arsh64(R0, 4), 0x7000_0000_0000_0000, 0x0700_0000_0000_0000),

        // neg
        K("neg64 1", Neg64(R0), 1, Ones),
        K("neg64 0", Neg64(R0), 0, 0),
        K("neg64 min", Neg64(R0), Min64, Min64),
        K("neg64 -1", Neg64(R0), Ones, 1),

        // mov, movsx
        X("mov64 reg", Mov64(R0, R1), 0, 0x1234_5678_9ABC_DEF0, 0x1234_5678_9ABC_DEF0),
        K("mov64 imm -1 sign-extends", Mov64(R0, -1), 5, Ones),
        K("mov64 imm INT32_MIN", Mov64(R0, int.MinValue), 0, 0xFFFF_FFFF_8000_0000),
        K("mov64 imm INT32_MAX", Mov64(R0, int.MaxValue), Ones, 0x7FFF_FFFF),
        X("movsx64 s8 negative", Movsx64Reg(R0, R1, 8), 0, 0x80, 0xFFFF_FFFF_FFFF_FF80),
        X("movsx64 s8 positive", Movsx64Reg(R0, R1, 8), Ones, 0x7F, 0x7F),
        X("movsx64 s8 ignores upper bits", Movsx64Reg(R0, R1, 8), 0, 0x1234_5678_0000_00FF, Ones),
        X("movsx64 s16 negative", Movsx64Reg(R0, R1, 16), 0, 0x8000, 0xFFFF_FFFF_FFFF_8000),
        X("movsx64 s16 positive", Movsx64Reg(R0, R1, 16), 0, 0xFFFF_7FFF, 0x7FFF),
        X("movsx64 s32 negative", Movsx64Reg(R0, R1, 32), 0, 0x8000_0000, 0xFFFF_FFFF_8000_0000),
        X("movsx64 s32 positive", Movsx64Reg(R0, R1, 32), 0, 0xFFFF_FFFF_7FFF_FFFF, 0x7FFF_FFFF),
    ];
}
