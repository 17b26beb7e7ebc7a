using BpfSharp.Isa;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;
using static BpfSharp.Tests.Kernel.DifferentialCase;

namespace BpfSharp.Tests.Kernel;

// JMP and JMP32 conditions (RFC 9669 section 4.3). Each case evaluates all eleven conditions on one
// operand pair and returns a mask: bit i set when condition i is taken, in the order of Conditions.
internal static partial class DifferentialCases
{
    /// <summary>Bit 0 jeq, 1 jgt, 2 jge, 3 jset, 4 jne, 5 jsgt, 6 jsge, 7 jlt, 8 jle, 9 jslt, 10 jsle.</summary>
    private static ReadOnlySpan<byte> Conditions =>
        [BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET, BPF_JNE, BPF_JSGT, BPF_JSGE, BPF_JLT, BPF_JLE, BPF_JSLT, BPF_JSLE];

    private static IEnumerable<DifferentialCase> Jumps() =>
    [
        JmpReg("jmp -1 vs 1", false, 0xFFFFFFFFFFFFFFFF, 1, 0x61E),
        JmpReg("jmp equal", false, 5, 5, 0x54D),
        JmpReg("jmp INT64_MIN vs INT64_MAX", false, 0x8000000000000000, 0x7FFFFFFFFFFFFFFF, 0x616),
        JmpReg("jmp 2 vs 0x100000002", false, 2, 0x100000002, 0x798),
        JmpReg("jmp32 2 vs 0x100000002 sees equal", true, 2, 0x100000002, 0x54D),
        JmpReg("jmp 0x180000000 vs 0xffffffff00000001", false, 0x180000000, 0xFFFFFFFF00000001, 0x1F8),
        JmpReg("jmp32 0x180000000 vs 0xffffffff00000001 is INT32_MIN vs 1", true, 0x180000000, 0xFFFFFFFF00000001, 0x616),
        JmpReg("jmp bits only in the upper halves", false, 0x100000000, 0x100000000, 0x54D),
        JmpReg("jmp32 bits only in the upper halves", true, 0x100000000, 0x100000000, 0x545),
        JmpReg("jmp 1 vs 0xffffffff", false, 1, 0xFFFFFFFF, 0x798),
        JmpReg("jmp32 1 vs 0xffffffff is 1 vs -1", true, 1, 0xFFFFFFFF, 0x1F8),
        JmpImm("jmp imm -1 is sign-extended", false, 0xFFFFFFFF, -1, 0x1F8),
        JmpImm("jmp32 imm -1", true, 0x5FFFFFFFF, -1, 0x54D),
        JmpImm("jmp imm 3 vs a large positive", false, 0x7FFFFFFFFFFFFFFE, 3, 0x7E),
        JmpImm("jmp32 imm 3 vs a low half of -2", true, 0x7FFFFFFFFFFFFFFE, 3, 0x61E),
        // r9 is 0 at run time; the jne only keeps the skipped mov reachable for the kernel's check_cfg.
        new("ja skips one", 1, [Asm.Mov64(R0, 1), Asm.Jne(R9, 0, "skipped"), Asm.Ja(1), Asm.Label("skipped"), Asm.Mov64(R0, 2)]),
        new("gotol skips one", 1, [Asm.Mov64(R0, 1), Asm.Jne(R9, 0, "skipped"), Asm.Gotol(1), Asm.Label("skipped"), Asm.Mov64(R0, 2)]),
    ];

    private static DifferentialCase JmpReg(string name, bool jmp32, ulong a, ulong b, ulong mask)
    {
        var body = new List<AsmItem> { Set(R1, a), Set(R2, b), Opaque(R1), Opaque(R2), Asm.Mov64(R0, 0) };
        for (int i = 0; i < Conditions.Length; i++)
        {
            // Taken: skip the ja and set the bit; not taken: the ja skips the or.
            body.Add(jmp32 ? Asm.Jmp32Reg(Conditions[i], R1, R2, 1) : Asm.JmpReg(Conditions[i], R1, R2, 1));
            body.Add(Asm.Ja(1));
            body.Add(Asm.Or64(R0, 1 << i));
        }
        return new(name, mask, [.. body]);
    }

    private static DifferentialCase JmpImm(string name, bool jmp32, ulong a, int imm, ulong mask)
    {
        var body = new List<AsmItem> { Set(R1, a), Opaque(R1), Asm.Mov64(R0, 0) };
        for (int i = 0; i < Conditions.Length; i++)
        {
            body.Add(jmp32 ? Asm.Jmp32Imm(Conditions[i], R1, imm, 1) : Asm.JmpImm(Conditions[i], R1, imm, 1));
            body.Add(Asm.Ja(1));
            body.Add(Asm.Or64(R0, 1 << i));
        }
        return new(name, mask, [.. body]);
    }
}
