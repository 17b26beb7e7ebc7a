using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Reg;
using static BpfSharp.Tests.Runtime.JumpCase;

namespace BpfSharp.Tests.Runtime;

/// <summary>Every condition of JMP and JMP32, immediate and register, taken and not taken.</summary>
public static class JumpCases
{
    private const ulong Ones = 0xFFFF_FFFF_FFFF_FFFF;
    private const ulong Min64 = 0x8000_0000_0000_0000;
    private const ulong Max64 = 0x7FFF_FFFF_FFFF_FFFF;
    private const string T = "taken";

    public static readonly JumpCase[] All =
    [
        // jeq
        K("jeq imm", Jeq(R1, 5, T), 5, true),
        K("jeq imm", Jeq(R1, 5, T), 6, false),
        K("jeq imm -1 sign-extends", Jeq(R1, -1, T), Ones, true),
        K("jeq imm -1 sign-extends", Jeq(R1, -1, T), 0xFFFF_FFFF, false),
        X("jeq reg", Jeq(R1, R2, T), 0x1_0000_0000, 0x1_0000_0000, true),
        X("jeq reg", Jeq(R1, R2, T), 0x1_0000_0000, 0, false),
        K("jeq32 imm ignores upper half", Jeq32(R1, 5, T), 0xFFFF_FFFF_0000_0005, true),
        K("jeq32 imm -1", Jeq32(R1, -1, T), 0xFFFF_FFFF, true),
        K("jeq32 imm", Jeq32(R1, 5, T), 6, false),
        X("jeq32 reg ignores upper halves", Jeq32(R1, R2, T), 0x1_0000_0007, 0x2_0000_0007, true),
        X("jeq32 reg", Jeq32(R1, R2, T), 7, 8, false),

        // jne
        K("jne imm", Jne(R1, 5, T), 5, false),
        K("jne imm upper half differs", Jne(R1, 5, T), 0x1_0000_0005, true),
        X("jne reg", Jne(R1, R2, T), 1, 2, true),
        X("jne reg", Jne(R1, R2, T), Ones, Ones, false),
        K("jne32 imm ignores upper half", Jne32(R1, 5, T), 0x1_0000_0005, false),
        K("jne32 imm", Jne32(R1, 5, T), 4, true),
        X("jne32 reg ignores upper halves", Jne32(R1, R2, T), 0x1_0000_0000, 0, false),
        X("jne32 reg", Jne32(R1, R2, T), 0x1_0000_0001, 0, true),

        // jgt (unsigned)
        K("jgt imm unsigned", Jgt(R1, 1, T), Ones, true),
        K("jgt imm -1 is the largest", Jgt(R1, -1, T), 1, false),
        K("jgt imm equal", Jgt(R1, 5, T), 5, false),
        X("jgt reg unsigned", Jgt(R1, R2, T), Min64, Max64, true),
        X("jgt reg", Jgt(R1, R2, T), 2, 3, false),
        K("jgt32 imm ignores upper half", Jgt32(R1, 0, T), 0x1_0000_0000, false),
        K("jgt32 imm unsigned", Jgt32(R1, 1, T), 0x8000_0000, true),
        X("jgt32 reg", Jgt32(R1, R2, T), 0x0000_0000_FFFF_FFFF, 0xFFFF_FFFF_0000_0000, true),
        X("jgt32 reg", Jgt32(R1, R2, T), 0xFFFF_FFFF_0000_0001, 2, false),

        // jge
        K("jge imm equal", Jge(R1, 5, T), 5, true),
        K("jge imm", Jge(R1, 5, T), 4, false),
        X("jge reg unsigned", Jge(R1, R2, T), 0, Ones, false),
        X("jge reg", Jge(R1, R2, T), Ones, 0, true),
        K("jge32 imm ignores upper half", Jge32(R1, 1, T), 0xFFFF_FFFF_0000_0000, false),
        K("jge32 imm -1", Jge32(R1, -1, T), 0xFFFF_FFFF, true),
        X("jge32 reg equal low halves", Jge32(R1, R2, T), 0x1_0000_0009, 0x2_0000_0009, true),
        X("jge32 reg", Jge32(R1, R2, T), 8, 9, false),

        // jlt
        K("jlt imm -1 is the largest", Jlt(R1, -1, T), 1, true),
        K("jlt imm", Jlt(R1, 0, T), Ones, false),
        X("jlt reg", Jlt(R1, R2, T), 4, 5, true),
        X("jlt reg unsigned", Jlt(R1, R2, T), Min64, 1, false),
        K("jlt32 imm ignores upper half", Jlt32(R1, 1, T), 0x1_0000_0000, true),
        K("jlt32 imm", Jlt32(R1, 1, T), 1, false),
        X("jlt32 reg", Jlt32(R1, R2, T), 0xFFFF_FFFF, 0x1_0000_0000, false),
        X("jlt32 reg", Jlt32(R1, R2, T), 0x7_0000_0001, 2, true),

        // jle
        K("jle imm equal", Jle(R1, 5, T), 5, true),
        K("jle imm", Jle(R1, 5, T), 6, false),
        X("jle reg unsigned", Jle(R1, R2, T), Min64, 1, false),
        X("jle reg", Jle(R1, R2, T), 1, Min64, true),
        K("jle32 imm ignores upper half", Jle32(R1, 5, T), 0xFFFF_FFFF_0000_0005, true),
        K("jle32 imm", Jle32(R1, 5, T), 6, false),
        X("jle32 reg", Jle32(R1, R2, T), 0x8000_0000, 0x7FFF_FFFF, false),
        X("jle32 reg", Jle32(R1, R2, T), 0x1_0000_0000, 0, true),

        // jset
        K("jset imm", Jset(R1, 2, T), 6, true),
        K("jset imm", Jset(R1, 2, T), 5, false),
        K("jset imm INT32_MIN sign-extends", Jset(R1, int.MinValue, T), 0x1_0000_0000, true),
        X("jset reg upper half", Jset(R1, R2, T), 0x1_0000_0000, 0x1_0000_0000, true),
        X("jset reg", Jset(R1, R2, T), 0x1_0000_0000, 0xFFFF_FFFF, false),
        K("jset32 imm ignores upper half", Jset32(R1, -1, T), 0x1_0000_0000, false),
        K("jset32 imm", Jset32(R1, 1, T), 3, true),
        X("jset32 reg", Jset32(R1, R2, T), 0xFFFF_FFFF_0000_0001, 1, true),
        X("jset32 reg ignores upper halves", Jset32(R1, R2, T), 0xFFFF_FFFF_0000_0000, 0xFFFF_FFFF_0000_0000, false),

        // jsgt (signed)
        K("jsgt imm -1 < 0", Jsgt(R1, 0, T), Ones, false),
        K("jsgt imm 1 > -1", Jsgt(R1, -1, T), 1, true),
        X("jsgt reg max > min", Jsgt(R1, R2, T), Max64, Min64, true),
        X("jsgt reg", Jsgt(R1, R2, T), Min64, Max64, false),
        K("jsgt32 imm -1 in 32 bits", Jsgt32(R1, 0, T), 0x0000_0000_FFFF_FFFF, false),
        K("jsgt32 imm ignores upper half", Jsgt32(R1, 0, T), 0xFFFF_FFFF_0000_0001, true),
        X("jsgt32 reg INT32_MIN < INT32_MAX", Jsgt32(R1, R2, T), 0x8000_0000, 0x7FFF_FFFF, false),
        X("jsgt32 reg", Jsgt32(R1, R2, T), 0x7FFF_FFFF, 0x8000_0000, true),

        // jsge
        K("jsge imm equal", Jsge(R1, -1, T), Ones, true),
        K("jsge imm", Jsge(R1, -1, T), Min64, false),
        X("jsge reg", Jsge(R1, R2, T), 0, Ones, true),
        X("jsge reg", Jsge(R1, R2, T), Ones, 0, false),
        K("jsge32 imm INT32_MIN equal", Jsge32(R1, int.MinValue, T), 0x8000_0000, true),
        K("jsge32 imm", Jsge32(R1, 0, T), 0x7FFF_FFFF, true),
        K("jsge32 imm negative in 32 bits", Jsge32(R1, 0, T), 0x0000_0000_8000_0000, false),
        X("jsge32 reg -2 < -1", Jsge32(R1, R2, T), 0x1_FFFF_FFFE, 0xFFFF_FFFF, false),
        X("jsge32 reg", Jsge32(R1, R2, T), 0xFFFF_FFFF, 0x1_FFFF_FFFE, true),

        // jslt
        K("jslt imm -2 < -1", Jslt(R1, -1, T), 0xFFFF_FFFF_FFFF_FFFE, true),
        K("jslt imm 2^32-1 is positive in 64 bits", Jslt(R1, -1, T), 0xFFFF_FFFF, false),
        X("jslt reg min < 0", Jslt(R1, R2, T), Min64, 0, true),
        X("jslt reg", Jslt(R1, R2, T), 0, Min64, false),
        K("jslt32 imm -1 in 32 bits", Jslt32(R1, 0, T), 0x0000_0000_FFFF_FFFF, true),
        K("jslt32 imm", Jslt32(R1, 0, T), 0xFFFF_FFFF_0000_0000, false),
        X("jslt32 reg equal", Jslt32(R1, R2, T), 0x8000_0000, 0x8000_0000, false),
        X("jslt32 reg", Jslt32(R1, R2, T), 0x8000_0000, 0, true),

        // jsle
        K("jsle imm equal", Jsle(R1, -1, T), Ones, true),
        K("jsle imm", Jsle(R1, -1, T), 0, false),
        X("jsle reg", Jsle(R1, R2, T), Max64, Min64, false),
        X("jsle reg", Jsle(R1, R2, T), Min64, Max64, true),
        K("jsle32 imm INT32_MIN", Jsle32(R1, int.MinValue, T), 0xFFFF_FFFF_8000_0000, true),
        K("jsle32 imm", Jsle32(R1, 0, T), 1, false),
        X("jsle32 reg zero low halves", Jsle32(R1, R2, T), 0x1_0000_0000, 0, true),
        X("jsle32 reg", Jsle32(R1, R2, T), 1, 0x1_0000_0000, false),

        // unconditional
        K("ja", Ja(T), 0, true),
        K("gotol", Gotol(T), 0, true),
    ];
}
