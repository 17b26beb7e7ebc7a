using BpfSharp.Isa;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Isa;

/// <summary>
/// The strict decoder's rejections (RFC 9669 section 3: unused fields are zero, registers r0-r10,
/// lddw is two slots; the kernel's check_* functions for the same faults). Every fault names the
/// instruction: the message starts with "insn N:" and InstructionIndex is N.
/// </summary>
public class InstructionDecoderTests
{
    private static Instruction I(byte code, byte dst = 0, byte src = 0, short off = 0, int imm = 0) => new(code, dst, src, off, imm);

    private static readonly Instruction Exit = Asm.Exit();
    private static readonly Instruction Nop = Asm.Mov64(R0, 0);

    /// <summary>program, faulty index, message after "insn N: ".</summary>
    public static TheoryData<Instruction[], int, string> Faults() => new()
    {
        // Unknown opcodes, one per class.
        { [Nop, I(0x00), Exit], 1, "unknown opcode 0x00" },            // LD | W | IMM
        { [Nop, I(0x38), Exit], 1, "unknown opcode 0x38" },            // LD | DW | ABS
        { [Nop, I(0x99, 1, 2), Exit], 1, "unknown opcode 0x99" },      // LDX | DW | MEMSX
        { [Nop, I(0x82, 1), Exit], 1, "unknown opcode 0x82" },         // ST | MEMSX
        { [Nop, I(0xd3, 1, 2), Exit], 1, "invalid atomic operand size" }, // STX | B | ATOMIC add (kernel: check_atomic_rmw)
        { [Nop, I(0xe4, 1), Exit], 1, "unknown opcode 0xe4" },         // ALU op 0xe0
        { [Nop, I(0x8f, 1), Exit], 1, "unknown opcode 0x8f" },         // ALU64 | NEG | X
        { [Nop, I(0xdf, 1, 0, 0, 16), Exit], 1, "unknown opcode 0xdf" }, // ALU64 | END | X
        { [Nop, I(0x0d), Exit], 1, "unknown opcode 0x0d" },            // JMP | JA | X
        { [Nop, I(0x86, 0, 0, 0, 1), Exit], 1, "unknown opcode 0x86" }, // JMP32 | CALL
        { [Nop, I(0x96), Exit], 1, "unknown opcode 0x96" },            // JMP32 | EXIT
        { [Nop, I(0xe6), Exit], 1, "unknown opcode 0xe6" },            // JMP32 | JCOND (may_goto is JMP only)
        { [Nop, I(0xed), Exit], 1, "unknown opcode 0xed" },            // JMP | JCOND | X

        // may_goto's reserved fields (kernel: check_cond_jmp_op names imm, whichever is set).
        { [Nop, I(0xe5, 0, 1), Exit], 1, "invalid may_goto imm 0 (src_reg=1 dst_reg=0: all three must be 0)" },
        { [Nop, I(0xe5, 1), Exit], 1, "invalid may_goto imm 0 (src_reg=0 dst_reg=1: all three must be 0)" },
        { [Nop, I(0xe5, 0, 0, 0, -1), Exit], 1, "invalid may_goto imm -1 (src_reg=0 dst_reg=0: all three must be 0)" },
        { [Nop, I(0xe5, 0, 0, 2), Exit], 1, "jump out of range from insn 1 to 4" },

        // ALU and ALU64 reserved fields.
        { [I(0x87, 1, 2)], 0, "BPF_NEG uses reserved fields: src_reg=2" },
        { [I(0x84, 1, 0, 1)], 0, "BPF_NEG uses reserved fields: off=1" },
        { [I(0x87, 1, 0, 0, 5)], 0, "BPF_NEG uses reserved fields: imm=5" },
        { [I(0xbf, 1, 2, 1)], 0, "BPF_MOV uses reserved fields: off=1" },
        { [I(0xbc, 1, 2, 32)], 0, "BPF_MOV uses reserved fields: off=32" },
        { [I(0xbf, 1, 2, 0, 3)], 0, "BPF_MOV uses reserved fields: imm=3" },
        { [I(0xb7, 1, 2, 0, 3)], 0, "BPF_MOV uses reserved fields: src_reg=2" },
        { [I(0xb4, 1, 0, 8, 3)], 0, "BPF_MOV uses reserved fields: off=8" },
        { [I(0x0f, 1, 2, 1)], 0, "BPF_ALU uses reserved fields: off=1" },
        { [I(0x3f, 1, 2, 2)], 0, "BPF_ALU uses reserved fields: off=2" },
        { [I(0x0f, 1, 2, 0, 7)], 0, "BPF_ALU uses reserved fields: imm=7" },
        { [I(0x04, 1, 2, 0, 7)], 0, "BPF_ALU uses reserved fields: src_reg=2" },
        { [I(0xd4, 1, 0, 0, 8)], 0, "BPF_END uses reserved fields: imm=8 (must be 16, 32 or 64)" },
        { [I(0xdc, 1, 3, 0, 16)], 0, "BPF_END uses reserved fields: src_reg=3" },
        { [I(0xd7, 1, 0, 1, 16)], 0, "BPF_END uses reserved fields: off=1" },

        // JMP and JMP32 reserved fields.
        { [I(0x05, 1), Exit], 0, "BPF_JA uses reserved fields: dst_reg=1" },
        { [I(0x05, 0, 1), Exit], 0, "BPF_JA uses reserved fields: src_reg=1" },
        { [I(0x05, 0, 0, 0, 1), Exit], 0, "BPF_JA uses reserved fields: imm=1" },
        { [I(0x06, 0, 0, 1, 0), Exit], 0, "BPF_JA uses reserved fields: off=1" },
        { [I(0x1d, 1, 2, 0, 9), Exit], 0, "BPF_JMP/JMP32 uses reserved fields: imm=9" },
        { [I(0x16, 1, 2), Exit], 0, "BPF_JMP/JMP32 uses reserved fields: src_reg=2" },
        { [I(0x85, 0, 3, 0, 1), Exit], 0, "BPF_CALL uses reserved fields: src_reg=3" },
        { [I(0x85, 1, 0, 0, 1), Exit], 0, "BPF_CALL uses reserved fields: dst_reg=1" },
        { [I(0x85, 0, 0, 1, 1), Exit], 0, "BPF_CALL uses reserved fields: off=1" },
        { [I(0x85, 0, 1, 1, 0), Exit], 0, "BPF_CALL uses reserved fields: off=1" },
        { [I(0x85, 1, 2, 0, 1), Exit], 0, "BPF_CALL uses reserved fields: dst_reg=1" },
        { [I(0x8d, 1, 2), Exit], 0, "BPF_CALLX uses reserved fields: src_reg=2" },
        { [I(0x8d, 1, 0, 0, 4), Exit], 0, "BPF_CALLX uses reserved fields: imm=4" },
        { [Nop, I(0x95, 1)], 1, "BPF_EXIT uses reserved fields: dst_reg=1" },
        { [Nop, I(0x95, 0, 1)], 1, "BPF_EXIT uses reserved fields: src_reg=1" },
        { [Nop, I(0x95, 0, 0, 1)], 1, "BPF_EXIT uses reserved fields: off=1" },
        { [Nop, I(0x95, 0, 0, 0, 1)], 1, "BPF_EXIT uses reserved fields: imm=1" },

        // Loads and stores.
        { [I(0x20, 1, 0, 0, 4), Exit], 0, "BPF_LD_[ABS|IND] uses reserved fields: dst_reg=1" },
        { [I(0x28, 0, 1, 0, 4), Exit], 0, "BPF_LD_[ABS|IND] uses reserved fields: src_reg=1" },
        { [I(0x30, 0, 0, 1, 4), Exit], 0, "BPF_LD_[ABS|IND] uses reserved fields: off=1" },
        { [I(0x40, 2, 1, 0, 4), Exit], 0, "BPF_LD_[ABS|IND] uses reserved fields: dst_reg=2" },
        { [I(0x50, 0, 1, 3, 4), Exit], 0, "BPF_LD_[ABS|IND] uses reserved fields: off=3" },
        { [I(0x61, 1, 2, 0, 1), Exit], 0, "BPF_LDX uses reserved fields: imm=1" },
        { [I(0x91, 1, 2, 0, 1), Exit], 0, "BPF_LDX uses reserved fields: imm=1" },
        { [I(0x62, 10, 1, -8, 1), Exit], 0, "BPF_ST uses reserved fields: src_reg=1" },
        { [I(0x7b, 10, 1, -8, 1), Exit], 0, "BPF_STX uses reserved fields: imm=1" },
        { [I(0xdb, 10, 1, -8, 0x02), Exit], 0, "BPF_ATOMIC uses invalid atomic opcode 02" },
        { [I(0xc3, 10, 1, -8, 0x120), Exit], 0, "BPF_ATOMIC uses invalid atomic opcode 120" },

        // lddw.
        { [Nop, I(LD_IMM64, 1, 0, 0, 5)], 1, "lddw without its second half: the 16-byte instruction is truncated" },
        { [I(LD_IMM64, 1, 0, 0, 5), I(0x00, 1), Exit], 0, "invalid bpf_ld_imm64 insn: second half {code=0x00 dst=1 src=0 off=0 imm=0} must have only imm set" },
        { [I(LD_IMM64, 1, 0, 0, 5), I(0x00, 0, 1), Exit], 0, "invalid bpf_ld_imm64 insn: second half {code=0x00 dst=0 src=1 off=0 imm=0} must have only imm set" },
        { [I(LD_IMM64, 1, 0, 0, 5), I(0x00, 0, 0, 1), Exit], 0, "invalid bpf_ld_imm64 insn: second half {code=0x00 dst=0 src=0 off=1 imm=0} must have only imm set" },
        { [I(LD_IMM64, 1, 0, 0, 5), I(0xb7), Exit], 0, "invalid bpf_ld_imm64 insn: second half {code=0xb7 dst=0 src=0 off=0 imm=0} must have only imm set" },
        { [I(LD_IMM64, 1, 7, 0, 5), I(0x00), Exit], 0, "unknown pseudo src_reg 7 in lddw" },
        { [I(LD_IMM64, 1, BPF_PSEUDO_MAP_FD, 0, 5), I(0x00, 0, 0, 0, 1), Exit], 0, "invalid bpf_ld_imm64 insn: second half imm=1 must be zero for src_reg 1" },
        { [I(LD_IMM64, 1, BPF_PSEUDO_MAP_IDX, 0, 5), I(0x00, 0, 0, 0, 1), Exit], 0, "invalid bpf_ld_imm64 insn: second half imm=1 must be zero for src_reg 5" },
        { [I(LD_IMM64, 1, BPF_PSEUDO_BTF_ID, 0, 5), I(0x00, 0, 0, 0, 1), Exit], 0, "invalid bpf_ld_imm64 insn: second half imm=1 must be zero for src_reg 3" },
        { [I(LD_IMM64, 1, BPF_PSEUDO_FUNC, 0, 0), I(0x00, 0, 0, 0, 1), Exit], 0, "invalid bpf_ld_imm64 insn: second half imm=1 must be zero for src_reg 4" },
        { [I(LD_IMM64, 1, 0, 1, 5), I(0x00), Exit], 0, "BPF_LD_IMM64 uses reserved fields: off=1" },

        // Registers beyond r10, in dst and src of every class that names them.
        { [I(0xb7, 11, 0, 0, 1), Exit], 0, "invalid register r11 in dst" },
        { [I(0x0f, 1, 15), Exit], 0, "invalid register r15 in src" },
        { [I(0x87, 12), Exit], 0, "invalid register r12 in dst" },
        { [I(0xdc, 11, 0, 0, 16), Exit], 0, "invalid register r11 in dst" },
        { [I(0x1d, 11, 1), Exit], 0, "invalid register r11 in dst" },
        { [I(0x2e, 1, 11), Exit], 0, "invalid register r11 in src" },
        { [I(0x8d, 11), Exit], 0, "invalid register r11 in dst" },
        { [I(LD_IMM64, 11, 0, 0, 0), I(0x00), Exit], 0, "invalid register r11 in dst" },
        { [I(0x40, 0, 11), Exit], 0, "invalid register r11 in src" },
        { [I(0x61, 11, 1), Exit], 0, "invalid register r11 in dst" },
        { [I(0x89, 1, 11), Exit], 0, "invalid register r11 in src" },
        { [I(0x72, 11, 0, 0, 1), Exit], 0, "invalid register r11 in dst" },
        { [I(0x7b, 1, 11), Exit], 0, "invalid register r11 in src" },
        { [I(0xdb, 11, 1), Exit], 0, "invalid register r11 in dst" },
        { [I(0xc3, 1, 11), Exit], 0, "invalid register r11 in src" },

        // Jump and call targets.
        { [Nop, Asm.Ja(1)], 1, "jump out of range from insn 1 to 3" },
        { [Asm.Ja(-2), Exit], 0, "jump out of range from insn 0 to -1" },
        { [Nop, Asm.Gotol(5), Exit], 1, "jump out of range from insn 1 to 7" },
        { [Nop, I(0x15, 1, 0, 1, 0), Exit], 1, "jump out of range from insn 1 to 3" },
        { [Asm.CallRel(5), Exit], 0, "call to subprogram out of range: insn 6" },
        { [Asm.Ja(1), I(LD_IMM64, 1), I(0x00), Exit], 0, "jump into the middle of ldimm64 insn 1" },
        { [Asm.Gotol(1), I(LD_IMM64, 1), I(0x00), Exit], 0, "jump into the middle of ldimm64 insn 1" },
        { [Asm.CallRel(1), I(LD_IMM64, 1), I(0x00), Exit], 0, "jump into the middle of ldimm64 insn 1" },
        { [I(LD_IMM64, 1), I(0x00), Nop, I(0x2d, 1, 2, -3), Exit], 3, "jump into the middle of ldimm64 insn 0" },
        // A callback address is pc-relative like a call (the kernel: "call to invalid destination").
        { [Nop, I(LD_IMM64, 1, BPF_PSEUDO_FUNC, 0, 10), I(0x00), Exit], 1, "subprogram address out of range: insn 12" },
        { [Nop, I(LD_IMM64, 1, BPF_PSEUDO_FUNC, 0, -3), I(0x00), Exit], 1, "subprogram address out of range: insn -1" },
        { [I(LD_IMM64, 1, BPF_PSEUDO_FUNC, 0, 0), I(0x00), Exit], 0, "jump into the middle of ldimm64 insn 0" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void Fault_names_the_instruction(Instruction[] program, int index, string fault)
    {
        var e = Assert.Throws<BpfFormatException>(() => InstructionDecoder.Validate(program));
        Assert.Equal($"insn {index}: {fault}", e.Message);
        Assert.Equal(index, e.InstructionIndex);
        Assert.Equal((long)index * Instruction.Size, e.Offset);

        // Decode reports the same fault from the bytes.
        var fromBytes = Assert.Throws<BpfFormatException>(() => InstructionDecoder.Decode(Instruction.ToBytes(program)));
        Assert.Equal(e.Message, fromBytes.Message);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(7, 0)]
    [InlineData(12, 1)]
    [InlineData(17, 2)]
    public void Truncated_stream_names_the_partial_instruction(int length, int index)
    {
        var bytes = new byte[length];
        var e = Assert.Throws<BpfFormatException>(() => InstructionDecoder.Decode(bytes));
        Assert.Equal($"insn {index}: truncated instruction: program length {length} is not a multiple of 8", e.Message);
        Assert.Equal(index, e.InstructionIndex);
        Assert.Equal(index * 8, e.Offset);
    }

    [Fact]
    public void Empty_program_is_rejected()
    {
        var e = Assert.Throws<BpfFormatException>(() => InstructionDecoder.Decode([]));
        Assert.Equal("empty program: no instructions", e.Message);
        Assert.Equal(0, e.InstructionIndex);
        Assert.Throws<BpfFormatException>(() => InstructionDecoder.Validate([]));
    }

    [Fact]
    public void Valid_program_decodes_to_its_slots()
    {
        Instruction[] program = Asm.Program(
            Asm.LdImm64(R1, 0x123456789),
            Asm.Jeq(R1, 0, "out"),
            Asm.CallRel("sub"),
            Asm.Label("out"),
            Asm.Exit(),
            Asm.Label("sub"),
            Asm.LdFunc(R2, "sub"),
            Asm.Movsx64Reg(R0, R1, 32),
            Asm.AtomicOp(BPF_W, BPF_CMPXCHG, R10, R1, -4),
            Asm.Exit());
        Assert.Equal(program, InstructionDecoder.Decode(Instruction.ToBytes(program)));
    }

    [Fact]
    public void Every_table_opcode_has_a_valid_encoding_and_no_other_opcode_does()
    {
        // Through the assembler's round trip set: the decoder accepts exactly the opcodes the table lists.
        for (int code = 0; code < 256; code++)
        {
            bool listed = OpcodeTable.Get((byte)code).Kind != OpKind.Invalid;
            Instruction insn = I((byte)code);
            string? fault = null;
            try
            {
                InstructionDecoder.Validate(insn.IsLdImm64 ? [insn, I(0), Exit] : [insn, Exit]);
            }
            catch (BpfFormatException e)
            {
                fault = e.Message;
            }
            if (!listed)
                Assert.Equal($"insn 0: unknown opcode 0x{code:x2}", fault);
            else
                Assert.False(fault?.Contains("unknown opcode") == true, fault);
        }
    }
}
