using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;
using static BpfSharp.Tests.Runtime.MemoryCase;

namespace BpfSharp.Tests.Runtime;

/// <summary>LDX, LDX MEMSX, ST and STX of every size (RFC 9669 5.1, 5.2), on little-endian memory.</summary>
public static class LoadStoreCases
{
    private const string Bytes8 = "11 22 33 44 55 66 77 88";
    private const string Zero16 = "00000000 00000000 00000000 00000000";

    public static readonly MemoryCase[] All =
    [
        // ldx: zero-extending loads
        Of("ldxb", Bytes8, 0x11, null, LdxMem(BPF_B, R0, R1, 0), Exit()),
        Of("ldxh", Bytes8, 0x2211, null, LdxMem(BPF_H, R0, R1, 0), Exit()),
        Of("ldxw", Bytes8, 0x4433_2211, null, LdxMem(BPF_W, R0, R1, 0), Exit()),
        Of("ldxdw", Bytes8, 0x8877_6655_4433_2211, null, LdxMem(BPF_DW, R0, R1, 0), Exit()),
        Of("ldxb with offset", Bytes8, 0x88, null, LdxMem(BPF_B, R0, R1, 7), Exit()),
        Of("ldxw unaligned", Bytes8, 0x5544_3322, null, LdxMem(BPF_W, R0, R1, 1), Exit()),
        At(2, "ldxh negative offset", Bytes8, 0x8877, null, Mov64(R2, R1), Add64(R2, 8), LdxMem(BPF_H, R0, R2, -2), Exit()),
        At(2, "ldxb zero-extends over a full register", "FF", 0xFF, null, LdImm64(R0, -1), LdxMem(BPF_B, R0, R1, 0), Exit()),
        At(2, "ldxh zero-extends", "FF FF", 0xFFFF, null, LdImm64(R0, -1), LdxMem(BPF_H, R0, R1, 0), Exit()),
        At(2, "ldxw zero-extends", "FF FF FF FF", 0xFFFF_FFFF, null, LdImm64(R0, -1), LdxMem(BPF_W, R0, R1, 0), Exit()),
        Of("ldxdw dst is the address register", Bytes8, 0x8877_6655_4433_2211, null, LdxMem(BPF_DW, R1, R1, 0), Mov64(R0, R1), Exit()),

        // ldxs*: sign-extending loads
        Of("ldxsb negative", "80", 0xFFFF_FFFF_FFFF_FF80, null, LdxMemSx(BPF_B, R0, R1, 0), Exit()),
        Of("ldxsb positive", "7F", 0x7F, null, LdxMemSx(BPF_B, R0, R1, 0), Exit()),
        Of("ldxsb -1", "FF", 0xFFFF_FFFF_FFFF_FFFF, null, LdxMemSx(BPF_B, R0, R1, 0), Exit()),
        Of("ldxsh negative", "00 80", 0xFFFF_FFFF_FFFF_8000, null, LdxMemSx(BPF_H, R0, R1, 0), Exit()),
        Of("ldxsh positive", "FF 7F", 0x7FFF, null, LdxMemSx(BPF_H, R0, R1, 0), Exit()),
        Of("ldxsw negative", "00 00 00 80", 0xFFFF_FFFF_8000_0000, null, LdxMemSx(BPF_W, R0, R1, 0), Exit()),
        Of("ldxsw positive", "FF FF FF 7F", 0x7FFF_FFFF, null, LdxMemSx(BPF_W, R0, R1, 0), Exit()),
        Of("ldxsw with offset", "00 00 00 00 FE FF FF FF", 0xFFFF_FFFF_FFFF_FFFE, null, LdxMemSx(BPF_W, R0, R1, 4), Exit()),

        // st: store an immediate (sign-extended to 64 bits, truncated to the size)
        Of("stb truncates", "00 00 00 00 00 00 00 00", 0, "FF 00 00 00 00 00 00 00", StMem(BPF_B, R1, 0, 0x1FF), Mov64(R0, 0), Exit()),
        Of("sth truncates", "00 00 00 00 00 00 00 00", 0, "45 23 00 00 00 00 00 00", StMem(BPF_H, R1, 0, 0x12345), Mov64(R0, 0), Exit()),
        Of("stw -1", "00 00 00 00 00 00 00 00", 0, "FF FF FF FF 00 00 00 00", StMem(BPF_W, R1, 0, -1), Mov64(R0, 0), Exit()),
        Of("stdw -2 sign-extends", "00 00 00 00 00 00 00 00", 0, "FE FF FF FF FF FF FF FF", StMem(BPF_DW, R1, 0, -2), Mov64(R0, 0), Exit()),
        Of("stdw INT32_MAX", "11 11 11 11 11 11 11 11", 0, "FF FF FF 7F 00 00 00 00", StMem(BPF_DW, R1, 0, int.MaxValue), Mov64(R0, 0), Exit()),
        Of("stb with offset", "00 00 00 00", 0, "00 00 00 2A", StMem(BPF_B, R1, 3, 42), Mov64(R0, 0), Exit()),

        // stx: store a register, truncated to the size
        At(2, "stxb", Zero16, 0, "88 000000 00000000 00000000 00000000", LdImm64(R2, 0x1122_3344_5566_7788), StxMem(BPF_B, R1, R2, 0), Mov64(R0, 0), Exit()),
        At(2, "stxh", Zero16, 0, "8877 0000 00000000 00000000 00000000", LdImm64(R2, 0x1122_3344_5566_7788), StxMem(BPF_H, R1, R2, 0), Mov64(R0, 0), Exit()),
        At(2, "stxw", Zero16, 0, "88776655 00000000 00000000 00000000", LdImm64(R2, 0x1122_3344_5566_7788), StxMem(BPF_W, R1, R2, 0), Mov64(R0, 0), Exit()),
        At(2, "stxdw", Zero16, 0, "88776655 44332211 00000000 00000000", LdImm64(R2, 0x1122_3344_5566_7788), StxMem(BPF_DW, R1, R2, 0), Mov64(R0, 0), Exit()),
        At(2, "stxdw unaligned with offset", Zero16, 0, "00000000 00000088 77665544 33221100", LdImm64(R2, 0x1122_3344_5566_7788), StxMem(BPF_DW, R1, R2, 7), Mov64(R0, 0), Exit()),

        // the stack: r10 is the top of a zeroed 512-byte frame
        Of("stack round trip", "", 0x1122_3344_5566_7788,  null,
            LdImm64(R2, 0x1122_3344_5566_7788), StxMem(BPF_DW, R10, R2, -8), LdxMem(BPF_DW, R0, R10, -8), Exit()),
        Of("stack starts zeroed at the bottom of the frame", "", 0, null, LdxMem(BPF_DW, R0, R10, -512), Exit()),
        At(1, "stack starts zeroed at the top of the frame", "", 0, null, Mov64(R0, 1), LdxMem(BPF_DW, R0, R10, -8), Exit()),
    ];
}
