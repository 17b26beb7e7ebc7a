using System.Text;
using BpfSharp.Isa;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Isa;

public class DisassemblerTests
{
    private static readonly DisassemblerOptions WithOpcode = new() { ShowIndex = false };

    /// <summary>Data/disasm_kernel.txt: texts printed by the live kernel's verifier log, texts from
    /// disasm.c's format strings, and BpfSharp's documented forms.</summary>
    public static TheoryData<string, string> KernelTexts()
    {
        var data = new TheoryData<string, string>();
        foreach (var (hex, text) in IsaTestData.BytesAndText("disasm_kernel.txt"))
            data.Add(hex, text);
        return data;
    }

    [Theory]
    [MemberData(nameof(KernelTexts))]
    public void Prints_the_kernels_text(string hex, string expected)
    {
        Instruction[] program = IsaTestData.Slots(hex);
        Assert.Equal(expected, Disassembler.Format(program, 0, WithOpcode));
    }

    [Fact]
    public void Verifier_log_line_has_index_and_opcode()
    {
        // kernel: do_check prints "%d: " and then print_bpf_insn's "(%02x) ...".
        Instruction[] program = [Asm.Mov64(R0, 1), Asm.Mov64(R0, R2)];
        Assert.Equal("1: (bf) r0 = r2", Disassembler.Format(program, 1));
        Assert.Equal("r0 = r2", Disassembler.Format(program, 1, DisassemblerOptions.TextOnly));
        Assert.Equal("1: r0 = r2", Disassembler.Format(program, 1, new DisassemblerOptions { ShowOpcode = false }));
    }

    [Fact]
    public void Disassemble_skips_the_second_slot_of_lddw()
    {
        Instruction[] program = Asm.Program(
            Asm.LdImm64(R1, 0x123456789),
            Asm.Mov64(R0, 0),
            Asm.Exit());
        Assert.Equal(
            ["0: (18) r1 = 0x123456789", "2: (b7) r0 = 0", "3: (95) exit"],
            Disassembler.Disassemble(program));
    }

    [Fact]
    public void Truncated_lddw_prints_without_throwing()
    {
        Instruction[] program = [Asm.Mov64(R0, 0), new Instruction(Opcodes.LD_IMM64, 1, 0, 0, 5)];
        Assert.Equal(["0: (b7) r0 = 0", "1: (18) invalid bpf_ld_imm64 insn"], Disassembler.Disassemble(program));
    }

    [Fact]
    public void Helper_names_come_from_the_resolver()
    {
        var options = new DisassemblerOptions { ShowIndex = false, HelperName = id => id == 1 ? "lookup" : null };
        Assert.Equal("(85) call lookup#1", Disassembler.Format([Asm.Call(1)], 0, options));
        Assert.Equal("(85) call unknown#2", Disassembler.Format([Asm.Call(2)], 0, options));
    }

    [Fact]
    public void Call_names_come_from_the_callback_as_the_kernel_cb_call()
    {
        // The verifier names kfuncs through cb_call; bpftool appends "#symbol" to pseudo calls.
        var options = new DisassemblerOptions
        {
            ShowIndex = false,
            CallName = insn => insn.Src == Opcodes.BPF_PSEUDO_KFUNC_CALL ? "bpf_obj_new_impl" : insn.Src == 1 ? "+3#sub" : null,
        };
        Assert.Equal("(85) call bpf_obj_new_impl#42", Disassembler.Format([Asm.CallKfunc(42)], 0, options));
        Assert.Equal("(85) call pc+3#sub", Disassembler.Format([Asm.CallRel(3)], 0, options));
        Assert.Equal("(85) call bpf_map_lookup_elem#1", Disassembler.Format([Asm.Call(1)], 0, options));
    }

    [Fact]
    public void Imm64_text_comes_from_the_callback_as_the_kernel_cb_imm()
    {
        var options = new DisassemblerOptions
        {
            ShowIndex = false,
            Imm64Text = (insn, next) => insn.Src == Opcodes.BPF_PSEUDO_MAP_FD ? $"map[id:{insn.Imm}]" : null,
        };
        Instruction[] program = Asm.Program(Asm.LdMapFd(R1, 7), Asm.LdImm64(R2, 16));
        Assert.Equal("(18) r1 = map[id:7]", Disassembler.Format(program, 0, options));
        Assert.Equal("(18) r2 = 0x10", Disassembler.Format(program, 2, options));
    }

    [Fact]
    public void AppendTo_appends_to_the_builder()
    {
        var sb = new StringBuilder("log: ");
        Disassembler.AppendTo(sb, [Asm.Exit()], 0);
        Assert.Equal("log: 0: (95) exit", sb.ToString());
    }

    [Fact]
    public void Never_throws_on_any_slot()
    {
        // Every opcode with assorted register, offset and immediate fields, alone and before a second slot.
        var random = new Random(9669);
        var sb = new StringBuilder();
        for (int code = 0; code < 256; code++)
        {
            for (int n = 0; n < 64; n++)
            {
                var insn = new Instruction((byte)code, (byte)random.Next(16), (byte)random.Next(16),
                    (short)random.Next(short.MinValue, short.MaxValue + 1), n < 8 ? n * 0x10 + (n & 1) : random.Next(int.MinValue, int.MaxValue));
                Instruction[] program = [insn, Instruction.FromRaw((ulong)random.NextInt64())];
                sb.Clear();
                Disassembler.AppendTo(sb, program, 0);
                Disassembler.AppendTo(sb, program.AsSpan(0, 1), 0);
                Assert.NotEqual(0, sb.Length);
            }
        }
    }

    [Fact]
    public void Pc_outside_the_program_is_an_argument_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Disassembler.Format([Asm.Exit()], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Disassembler.Format([Asm.Exit()], -1));
    }
}
