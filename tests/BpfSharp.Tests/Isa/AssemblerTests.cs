using BpfSharp.Isa;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Isa;

/// <summary>The kernel's syntax read back: labels, comments, columns, calls and pseudo loads.
/// Expected programs are built with the Asm builders (the kernel's BPF_* macros).</summary>
public class AssemblerTests
{
    [Fact]
    public void Labels_resolve_to_pc_relative_offsets()
    {
        Instruction[] program = Assembler.Assemble("""
            start:
                r0 = 0
                if r1 > 5 goto out      ; BPF_JGT | BPF_K
                if w1 s< w2 goto start
                goto out
            out: exit
            """);
        Instruction[] expected = Asm.Program(
            Asm.Label("start"),
            Asm.Mov64(R0, 0),
            Asm.Jgt(R1, 5, "out"),
            Asm.Jmp32Reg(BPF_JSLT, R1, R2, "start"),
            Asm.Ja("out"),
            Asm.Label("out"),
            Asm.Exit());
        Assert.Equal(expected, program);
    }

    [Fact]
    public void Gotol_and_pseudo_calls_take_labels_in_imm()
    {
        Instruction[] program = Assembler.Assemble("""
            call sub
            r1 = subprog[sub]
            gotol done
            sub:
            r0 = 1
            exit
            done: exit
            """);
        Instruction[] expected = Asm.Program(
            Asm.CallRel("sub"),
            Asm.LdFunc(R1, "sub"),
            Asm.Gotol("done"),
            Asm.Label("sub"),
            Asm.Mov64(R0, 1),
            Asm.Exit(),
            Asm.Label("done"),
            Asm.Exit());
        Assert.Equal(expected, program);
    }

    [Theory]
    [InlineData("r0 = 1 ; comment")]
    [InlineData("r0 = 1 // comment")]
    [InlineData("r0 = 1 # comment")]
    [InlineData("# comment line\nr0 = 1")]
    [InlineData("; bpftool source line: int x = 1;\n   0: (b7) r0 = 1")]
    [InlineData("r0 = 0x1")]
    [InlineData("r0 = +1")]
    [InlineData("0: (b7) r0 = 1                        ; R0_w=1")]
    [InlineData("\t  r0   =   1  ")]
    [InlineData("r0 = 1\r\n\r\n")]
    public void Comments_columns_and_spacing_do_not_matter(string text)
    {
        Assert.Equal([Asm.Mov64(R0, 1)], Assembler.Assemble(text));
    }

    [Fact]
    public void Hash_inside_a_call_name_is_not_a_comment()
    {
        Assert.Equal([Asm.Call(1)], Assembler.Assemble("call bpf_map_lookup_elem#1 # lookup"));
    }

    [Theory]
    [InlineData("call bpf_map_lookup_elem#1", CALL, 0, 0, 1)]
    [InlineData("call bpf_map_lookup_elem", CALL, 0, 0, 1)]
    [InlineData("call 1", CALL, 0, 0, 1)]
    [InlineData("call 0x1", CALL, 0, 0, 1)]
    [InlineData("call -0x1", CALL, 0, 0, -1)]
    [InlineData("call unknown#100000", CALL, 0, 0, 100000)]
    [InlineData("call pc+2", CALL, BPF_PSEUDO_CALL, 0, 2)]
    [InlineData("call pc-1", CALL, BPF_PSEUDO_CALL, 0, -1)]
    [InlineData("call pc+2#bpf_prog_3d0a_sub", CALL, BPF_PSEUDO_CALL, 0, 2)]
    [InlineData("call kernel-function#42", CALL, BPF_PSEUDO_KFUNC_CALL, 0, 42)]
    [InlineData("call kernel-function[idx:3]#42", CALL, BPF_PSEUDO_KFUNC_CALL, 3, 42)]
    [InlineData("call bpf_obj_new_impl#12345", CALL, BPF_PSEUDO_KFUNC_CALL, 0, 12345)]
    [InlineData("callx r5", CALLX, 0, 0, 0)]
    public void Call_forms(string text, byte code, byte src, short off, int imm)
    {
        Instruction insn = Assembler.Assemble(text, validate: false)[0];
        Assert.Equal((code, src, off, imm), (insn.Opcode, insn.Src, insn.Offset, insn.Imm));
        Assert.Equal(text == "callx r5" ? 5 : 0, insn.Dst);
    }

    [Fact]
    public void Pseudo_loads_read_back()
    {
        Instruction[] program = Assembler.Assemble("""
            r1 = map[fd:3]
            r2 = map[fd:4][0]+16
            r3 = map[idx:0]
            r4 = map[idx:1][0]+8
            r5 = btf_id[77]
            r6 = subprog[+1]
            exit
            exit
            """);
        Instruction[] expected = Asm.Program(
            Asm.LdMapFd(R1, 3),
            Asm.LdMapValue(R2, 4, 16),
            Asm.LdMapIdx(R3, 0),
            Asm.LdMapIdxValue(R4, 1, 8),
            Asm.LdBtfId(R5, 77),
            Asm.LdFunc(R6, "sub"),
            Asm.Label("sub"),
            Asm.Exit(),
            Asm.Exit());
        Assert.Equal(expected, program);
    }

    [Theory]
    [InlineData("r1 = 5", 0xb7)]
    [InlineData("r1 = -1", 0xb7)]
    [InlineData("r1 = 0xffffffff", 0xb7)] // as llvm-mc: the 32-bit pattern of -1
    [InlineData("r1 = 0x100000000", 0x18)]
    [InlineData("r1 = -2147483649", 0x18)]
    [InlineData("r1 = 5 ll", 0x18)]
    [InlineData("(18) r1 = 0x5", 0x18)]
    [InlineData("w1 = 0xffffffff", 0xb4)]
    public void Immediate_moves_and_lddw(string text, byte code)
    {
        Assert.Equal(code, Assembler.Assemble(text)[0].Opcode);
    }

    [Fact]
    public void Opcode_column_disambiguates_lddw_and_the_value_is_kept()
    {
        Instruction[] program = Assembler.Assemble("(18) r1 = 0x5");
        Assert.Equal(Asm.Program(Asm.LdImm64(R1, 5)), program);
    }

    [Fact]
    public void Bpftool_dump_with_padded_indexes_reads_back()
    {
        // bpftool prog dump xlated: "% 4d: " then print_bpf_insn, a prototype line per function.
        Instruction[] program = Assembler.Assemble("""
            int prog(struct __sk_buff * skb):
            ; return 0;
               0: (b7) r0 = 0
               1: (95) exit
            """);
        Assert.Equal([Asm.Mov64(R0, 0), Asm.Exit()], program);
    }

    [Fact]
    public void Indexed_lines_are_placed_by_index()
    {
        // The order of a verifier log: the fall-through path first, the branch target later, repeats.
        Instruction[] program = Assembler.Assemble("""
            0: (15) if r1 == 0x0 goto pc+2
            1: (b7) r0 = 1
            2: (05) goto pc+1
            4: (95) exit
            3: (b7) r0 = 2
            4: (95) exit
            """);
        Instruction[] expected = Asm.Program(
            Asm.Jeq(R1, 0, "two"), Asm.Mov64(R0, 1), Asm.Ja("out"), Asm.Label("two"), Asm.Mov64(R0, 2), Asm.Label("out"), Asm.Exit());
        Assert.Equal(expected, program);
    }

    [Fact]
    public void Verifier_log_of_the_live_kernel_reads_back()
    {
        // Data/verifier_log_level2.txt is the log Linux 6.18 printed for the program in verifier_log_level2.hex.
        string hex = string.Join(' ', File.ReadLines(IsaTestData.PathOf("verifier_log_level2.hex")).Where(l => !l.StartsWith('#')));
        Assert.Equal(IsaTestData.Slots(hex), Assembler.FromVerifierLog(IsaTestData.ReadText("verifier_log_level2.txt")));
    }

    [Fact]
    public void Disassembly_reads_back_as_the_same_program()
    {
        Instruction[] program = Asm.Program(
            Asm.Mov64(R6, R1),
            Asm.StMem(BPF_W, R10, -4, 0),
            Asm.Mov64(R2, R10),
            Asm.Add64(R2, -4),
            Asm.LdMapFd(R1, 5),
            Asm.Call(1),
            Asm.Jeq(R0, 0, "out"),
            Asm.AtomicOp(BPF_DW, BPF_ADD | BPF_FETCH, R0, R1, 0),
            Asm.Label("out"),
            Asm.Mov64(R0, 0),
            Asm.Exit());
        Assert.Equal(program, Assembler.Assemble(string.Join('\n', Disassembler.Disassemble(program))));
    }

    [Fact]
    public void Gotol_reaches_beyond_16_bits()
    {
        string text = "gotol far\n" + string.Concat(Enumerable.Repeat("r0 = 0\n", 40000)) + "far: exit";
        Instruction[] program = Assembler.Assemble(text);
        Assert.Equal(40000, program[0].Imm);
    }

    [Fact]
    public void Validation_can_be_skipped_for_deliberately_bad_programs()
    {
        Instruction[] program = Assembler.Assemble("goto pc+5", validate: false);
        Assert.Equal([Asm.Ja(5)], program);
        Assert.Empty(Assembler.Assemble("; nothing", validate: false));
    }
}
