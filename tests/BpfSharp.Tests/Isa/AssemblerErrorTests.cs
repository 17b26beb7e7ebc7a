using BpfSharp.Isa;

namespace BpfSharp.Tests.Isa;

/// <summary>Faults in assembly text: a BpfFormatException naming the line and what is wrong.</summary>
public class AssemblerErrorTests
{
    public static TheoryData<string, int, string> Faults() => new()
    {
        // text, line, message
        { "r0 = 0\nr0 = 1\nr1 +== 2\nexit", 3, "line 3: unknown instruction 'r1 +== 2'" },
        { "r0 = 0 ; fine\nfrobnicate r1 ; what", 2, "line 2: unknown instruction 'frobnicate r1'" },
        { "r11 = 1", 1, "line 1: unknown instruction 'r11 = 1'" },
        { "r1 += w2", 1, "line 1: w and r registers mixed in one operation: 'r1 += w2'" },
        { "if w1 > r2 goto +1\nexit\nexit", 1, "line 1: w and r registers mixed in one operation: 'if w1 > r2 goto +1'" },
        { "r1 += 0x100000000", 1, "line 1: immediate 4294967296 does not fit in 32 bits: 'r1 += 0x100000000'" },
        { "*(u64 *)(r10 -32769) = r1", 1, "line 1: offset -32769 does not fit in 16 bits: '*(u64 *)(r10 -32769) = r1'" },
        { "goto pc+32768", 1, "line 1: jump offset 32768 does not fit in 16 bits: 'goto pc+32768'" },
        { "w1 = 0x123456789", 1, "line 1: a 64-bit immediate needs r1, not w1: 'w1 = 0x123456789'" },
        { "r1 = 0x10000000000000000 ll", 1, "line 1: immediate 18446744073709551616 does not fit in 64 bits: 'r1 = 0x10000000000000000 ll'" },
        { "*(u64 *)(w10 -8) = r1", 1, "line 1: w10 must be r10 here: '*(u64 *)(w10 -8) = r1'" },
        { "*(u64 *)(r10 -8) = w1", 1, "line 1: a u64 access needs an r register: '*(u64 *)(r10 -8) = w1'" },
        { "r1 = -r2", 1, "line 1: negation must name the same register on both sides: 'r1 = -r2'" },
        { "r1 = be16 r2", 1, "line 1: a byte swap must name the same register on both sides: 'r1 = be16 r2'" },
        { "r1 = atomic64_fetch_add((u64 *)(r2 +0), r3)", 1,
            "line 1: an atomic fetch returns into its source register: both sides must name it: 'r1 = atomic64_fetch_add((u64 *)(r2 +0), r3)'" },
        { "r0 = atomic64_fetch_add((u32 *)(r2 +0), r0)", 1,
            "line 1: atomic64_fetch_add takes a u64 operand: 'r0 = atomic64_fetch_add((u32 *)(r2 +0), r0)'" },
        { "r1 = atomic64_cmpxchg((u64 *)(r2 +0), r0, r3)", 1,
            "line 1: cmpxchg compares with and returns in r0: 'r1 = atomic64_cmpxchg((u64 *)(r2 +0), r0, r3)'" },
        { "call bpf_map_lookup_elem#2", 1, "line 1: helper bpf_map_lookup_elem has id 1, not 2: 'call bpf_map_lookup_elem#2'" },
        { "(bf) r1 = 5", 1, "line 1: the opcode column (bf) does not match the instruction, which encodes as (b7): '(bf) r1 = 5'" },
        { "goto 3\nexit", 1, "line 1: a jump target is pc+N, pc-N, +N, -N or a label: 'goto 3'" },
        { "r1 = 08x", 1, "line 1: invalid number '08x': 'r1 = 08x'" },
        { "r1 = map[fd:3][1]+0", 1, "line 1: a map value load names element [0]: 'r1 = map[fd:3][1]+0'" },
        { "a: r0 = 0\na: exit", 2, "line 2: label 'a' is already defined on line 1: 'a: exit'" },
        { "0: (b7) r0 = 0\n0: (b7) r0 = 1", 2, "line 2: index 0 already holds a different instruction, from line 1: '0: (b7) r0 = 1'" },
        { "0: (b7) r0 = 0\n2: (95) exit", 2, "line 2: no instruction for index 1: the indexes skip it" },
        // Label resolution.
        { "r0 = 0\ngoto nowhere\nexit", 2, "line 2: undefined label 'nowhere'" },
        // Decoder faults, mapped back to the line of the instruction.
        { "r0 = 0\nr1 = 1\ngoto pc+5", 3, "line 3: insn 2: jump out of range from insn 2 to 8" },
        { "r0 = 0\nmay_goto pc+3\nexit", 2, "line 2: insn 1: jump out of range from insn 1 to 5" },
        { "r0 = 0\nexit\nlock *(u8 *)(r1 +0) += r2", 3, "line 3: insn 2: invalid atomic operand size" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void Fault_names_the_line(string text, int line, string message)
    {
        var e = Assert.Throws<BpfFormatException>(() => Assembler.Assemble(text));
        Assert.Equal(message, e.Message);
        Assert.Equal(line, e.Line);
    }

    [Fact]
    public void Jump_beyond_16_bits_is_an_error()
    {
        string text = "goto far\n" + string.Concat(Enumerable.Repeat("r0 = 0\n", 40000)) + "far: exit";
        var e = Assert.Throws<BpfFormatException>(() => Assembler.Assemble(text));
        Assert.Equal("line 1: jump to 'far' is out of range: offset 40000 does not fit in 16 bits (gotol takes 32)", e.Message);
        Assert.Equal(1, e.Line);
        Assert.Equal(0, e.InstructionIndex);
    }

    [Fact]
    public void Empty_text_is_an_empty_program()
    {
        var e = Assert.Throws<BpfFormatException>(() => Assembler.Assemble("  ; only a comment\n"));
        Assert.Equal("empty program: no instructions", e.Message);
    }

    [Fact]
    public void Decoder_fault_keeps_the_instruction_index()
    {
        // Slot 3 (an lddw takes two) on line 3: ALU32 has no (s32) sign extension.
        var e = Assert.Throws<BpfFormatException>(() => Assembler.Assemble("r0 = 0\nr1 = 0x1 ll\nw1 = (s32)w2"));
        Assert.Equal("line 3: insn 3: BPF_MOV uses reserved fields: off=32", e.Message);
        Assert.Equal(3, e.Line);
        Assert.Equal(3, e.InstructionIndex);
    }
}
