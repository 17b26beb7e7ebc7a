using BpfSharp.Isa;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Tests.Isa;

/// <summary>Disassemble, assemble the text, get the same slots: for every valid opcode and every pseudo form.</summary>
public class RoundTripTests
{
    private static readonly int[] Imm32Edges = [0, 1, -1, 7, int.MinValue, int.MaxValue, 0x7fff, -0x8000];
    private static readonly short[] OffEdges = [0, 1, -1, 8, -8, short.MinValue, short.MaxValue];
    private static readonly byte[] Regs = [0, 1, 9, 10];

    /// <summary>Every opcode the shared table calls valid (RFC 9669 plus callx).</summary>
    public static TheoryData<byte> ValidOpcodes()
    {
        var data = new TheoryData<byte>();
        for (int code = 0; code < 256; code++)
        {
            if (OpcodeTable.Get((byte)code).Kind != OpKind.Invalid)
                data.Add((byte)code);
        }
        return data;
    }

    [Fact]
    public void The_table_has_the_expected_number_of_opcodes()
    {
        // RFC 9669 (appendix A): ALU 14 ops x K/X minus neg|X = 27; ALU64 the same minus END|X = 26;
        // JMP 11 conditions x K/X + ja + call + exit = 25, plus callx (BPF_CALL | BPF_X) and the kernel's may_goto
        // (BPF_JCOND) = 27; JMP32 22 + gotol = 23;
        // LD lddw + 3 abs + 3 ind = 7; LDX 4 + 3 sign-extending = 7; ST 4; STX 4 + atomic B/H/W/DW = 8 (the kernel's
        // load-acquire and store-release exist for every size, the read-modify-write atomics for W and DW).
        Assert.Equal(27 + 26 + 27 + 23 + 7 + 7 + 4 + 8, ValidOpcodes().Count);
    }

    [Theory]
    [MemberData(nameof(ValidOpcodes))]
    public void Every_form_of_the_opcode_reads_back(byte code)
    {
        List<Instruction[]> forms = Representatives(code);
        Assert.NotEmpty(forms);
        foreach (Instruction[] program in forms)
        {
            AssertValidInIsolation(program);
            string listing = string.Join('\n', Disassembler.Disassemble(program));
            Assert.Equal(program, Assembler.Assemble(listing, validate: false));

            // Without the index and opcode columns only the lddw of a 32-bit value is ambiguous (read as mov).
            string text = string.Join('\n', Disassembler.Disassemble(program, DisassemblerOptions.TextOnly));
            if (program[0].IsLdImm64 && program[0].Src == 0 && program[0].Imm64(program[1]) <= uint.MaxValue)
                Assert.Equal(BPF_ALU64 | BPF_MOV | BPF_K, Assembler.Assemble(text, validate: false)[0].Opcode);
            else
                Assert.Equal(program, Assembler.Assemble(text, validate: false));
        }
    }

    [Theory]
    [MemberData(nameof(DisassemblerTests.KernelTexts), MemberType = typeof(DisassemblerTests))]
    public void Every_kernel_text_reads_back(string hex, string text)
    {
        Instruction[] expected = IsaTestData.Slots(hex);
        if (text.Contains("invalid", StringComparison.Ordinal) || text.Contains("(null)", StringComparison.Ordinal) || (expected[0].Opcode == CALL && expected[0].Src > BPF_PSEUDO_KFUNC_CALL))
            return; // no instruction, or reserved fields the text does not carry
        Assert.Equal(expected, Assembler.Assemble(text, validate: false));
    }

    /// <summary>Instructions whose jumps and calls stay in place pass the decoder alone (with an exit after).</summary>
    private static void AssertValidInIsolation(Instruction[] program)
    {
        OpKind kind = OpcodeTable.Get(program[0].Opcode).Kind;
        bool pseudoCall = program[0].Opcode == CALL && program[0].Src == BPF_PSEUDO_CALL;
        bool pseudoFunc = program[0].IsLdImm64 && program[0].Src == BPF_PSEUDO_FUNC;
        if (kind is OpKind.Ja or OpKind.CondJmp or OpKind.MayGoto || pseudoCall || pseudoFunc)
            return;
        InstructionDecoder.Validate([.. program, Asm.Exit()]);
    }

    private static List<Instruction[]> Representatives(byte code)
    {
        ref readonly OpcodeInfo info = ref OpcodeTable.Get(code);
        var forms = new List<Instruction[]>();
        void Add(byte dst, byte src, short off, int imm) => forms.Add([new Instruction(code, dst, src, off, imm)]);
        switch (info.Kind)
        {
            case OpKind.Alu when info.Op == BPF_NEG:
                foreach (byte r in Regs) Add(r, 0, 0, 0);
                break;
            case OpKind.Alu when info.SrcIsReg:
                foreach (byte d in Regs)
                foreach (byte s in Regs)
                    Add(d, s, 0, 0);
                if (info.Op is BPF_DIV or BPF_MOD) Add(1, 2, 1, 0);
                if (info.Op == BPF_MOV)
                {
                    Add(1, 2, 8, 0);
                    Add(1, 2, 16, 0);
                    if (info.Is64) Add(1, 2, 32, 0);
                }
                break;
            case OpKind.Alu:
                foreach (int imm in Imm32Edges)
                {
                    Add(3, 0, 0, imm);
                    if (info.Op is BPF_DIV or BPF_MOD) Add(10, 0, 1, imm);
                }
                break;
            case OpKind.End:
                foreach (int bits in new[] { 16, 32, 64 }) Add(5, 0, 0, bits);
                break;
            case OpKind.Ja when code == JA32:
                foreach (int imm in Imm32Edges) Add(0, 0, 0, imm);
                break;
            case OpKind.Ja:
            case OpKind.MayGoto:
                foreach (short off in OffEdges) Add(0, 0, off, 0);
                break;
            case OpKind.CondJmp:
                foreach (short off in OffEdges)
                {
                    if (info.SrcIsReg) Add(1, 10, off, 0);
                    else Add(10, 0, off, Imm32Edges[forms.Count % Imm32Edges.Length]);
                }
                if (!info.SrcIsReg)
                    foreach (int imm in Imm32Edges) Add(2, 0, 3, imm);
                break;
            case OpKind.Call:
                foreach (int id in new[] { 0, 1, 211, 212, int.MaxValue, -1 }) Add(0, 0, 0, id);
                foreach (int imm in new[] { 1, -1, 0, int.MaxValue, int.MinValue }) Add(0, BPF_PSEUDO_CALL, 0, imm);
                foreach (short off in new short[] { 0, 2, short.MaxValue, -1 }) Add(0, BPF_PSEUDO_KFUNC_CALL, off, 42);
                Add(0, BPF_PSEUDO_KFUNC_CALL, 0, int.MinValue);
                break;
            case OpKind.CallX:
                foreach (byte r in Regs) Add(r, 0, 0, 0);
                break;
            case OpKind.Exit:
                Add(0, 0, 0, 0);
                break;
            case OpKind.LdImm64:
                foreach (long value in new[] { 0L, 5, -1, 0x123456789, long.MinValue, long.MaxValue, 0xffffffffL, int.MinValue, 0x80000000L })
                    forms.Add(Wide(1, 0, (int)value, (int)(value >> 32)));
                foreach (byte src in new[] { BPF_PSEUDO_MAP_FD, BPF_PSEUDO_MAP_IDX, BPF_PSEUDO_BTF_ID })
                {
                    forms.Add(Wide(2, src, 3, 0));
                    forms.Add(Wide(10, src, -1, 0));
                }
                foreach (byte src in new[] { BPF_PSEUDO_MAP_VALUE, BPF_PSEUDO_MAP_IDX_VALUE })
                {
                    forms.Add(Wide(3, src, 0, 0));
                    forms.Add(Wide(3, src, 4, 16));
                    forms.Add(Wide(3, src, -1, -1));
                }
                foreach (int imm in new[] { 0, 5, -5, int.MaxValue, int.MinValue })
                    forms.Add(Wide(4, BPF_PSEUDO_FUNC, imm, 0));
                break;
            case OpKind.LdAbs:
                foreach (int imm in Imm32Edges) Add(0, 0, 0, imm);
                break;
            case OpKind.LdInd:
                foreach (byte r in Regs)
                foreach (int imm in new[] { 0, 12, -4, int.MaxValue, int.MinValue })
                    Add(0, r, 0, imm);
                break;
            case OpKind.Ldx:
            case OpKind.LdxSx:
            case OpKind.Stx:
                foreach (short off in OffEdges) Add(1, 10, off, 0);
                foreach (byte d in Regs) Add(d, 2, -8, 0);
                break;
            case OpKind.St:
                foreach (short off in OffEdges) Add(10, 0, off, Imm32Edges[forms.Count % Imm32Edges.Length]);
                foreach (int imm in Imm32Edges) Add(1, 0, 4, imm);
                break;
            case OpKind.Atomic:
                foreach (int op in new[] { BPF_ADD, BPF_OR, BPF_AND, BPF_XOR, BPF_ADD | BPF_FETCH, BPF_OR | BPF_FETCH,
                             BPF_AND | BPF_FETCH, BPF_XOR | BPF_FETCH, BPF_XCHG, BPF_CMPXCHG, BPF_LOAD_ACQ, BPF_STORE_REL })
                {
                    if (info.AccessSize < 4 && OpcodeTable.IsAtomicRmw(op)) continue; // 8- and 16-bit: acquire/release only
                    foreach (short off in new short[] { 0, -8, short.MaxValue, short.MinValue }) Add(10, 1, off, op);
                    Add(1, 0, 4, op);
                    Add(0, 10, 4, op);
                }
                break;
        }
        return forms;

        Instruction[] Wide(byte dst, byte src, int imm, int next) =>
            [new Instruction(code, dst, src, 0, imm), new Instruction(0, (byte)0, (byte)0, 0, next)];
    }
}
