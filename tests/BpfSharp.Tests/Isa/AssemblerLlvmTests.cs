using BpfSharp.Isa;

namespace BpfSharp.Tests.Isa;

/// <summary>
/// LLVM's forms of the syntax. The listings in Data/ were made by make_llvm_listings.sh with
/// llvm-mc-19 and llvm-objdump-19 (Debian LLVM 19.1.7) from llvm_forms.s and objdump_prog.c; the
/// bytes in them are LLVM's encodings, the expectations here.
/// </summary>
public class AssemblerLlvmTests
{
    public static TheoryData<string> Listings() => ["llvm_forms.hex.lst", "llvm_forms.dec.lst", "objdump_prog.lst"];

    /// <summary>Each instruction line of the listings of llvm_forms.s, with and without hex immediates.</summary>
    public static TheoryData<string, string> ObjdumpLines()
    {
        var data = new TheoryData<string, string>();
        var seen = new HashSet<(string, string)>();
        foreach (string file in new[] { "llvm_forms.hex.lst", "llvm_forms.dec.lst" })
        {
            // The hex and decimal listings print many instructions identically; each pair is one case.
            foreach (var (hex, text) in IsaTestData.ObjdumpInstructions(file))
            {
                if (seen.Add((hex, text)))
                    data.Add(hex, text);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Listings))]
    public void Objdump_listing_assembles_to_its_bytes(string file)
    {
        // Headers, sections, symbols and relocation lines are skipped; the bytes column decides.
        string expected = string.Join(' ', IsaTestData.ObjdumpInstructions(file).Select(line => line.Hex));
        Instruction[] program = Assembler.Assemble(IsaTestData.ReadText(file), validate: false);
        Assert.Equal(expected, IsaTestData.Hex(program));
    }

    [Theory]
    [MemberData(nameof(ObjdumpLines))]
    public void Objdump_text_alone_encodes_as_llvm_did(string hex, string text)
    {
        Assert.Equal(IsaTestData.Slots(hex), Assembler.Assemble(text, validate: false));
    }

    [Fact]
    public void Llvm_mc_source_assembles_as_llvm_mc_did()
    {
        string expected = string.Join(' ', IsaTestData.ObjdumpInstructions("llvm_forms.hex.lst").Select(line => line.Hex));
        Instruction[] program = Assembler.Assemble(IsaTestData.ReadText("llvm_forms.s"), validate: false);
        Assert.Equal(expected, IsaTestData.Hex(program));
    }

    [Fact]
    public void Objdump_listing_without_bytes_reads_the_text()
    {
        // llvm-objdump --no-show-raw-insn: index, tab, text.
        string listing = """
            0000000000000000 <prog>:
                   0:	r1 = 0x0 ll
                   2:	if r1 > 0x5 goto +0x1 <prog+0x20>
                   3:	w0 = w1
                   4:	exit
            """;
        Assert.Equal(
            "18 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 25 01 01 00 05 00 00 00 bc 10 00 00 00 00 00 00 95 00 00 00 00 00 00 00",
            IsaTestData.Hex(Assembler.Assemble(listing)));
    }

    [Fact]
    public void Objdump_bytes_win_over_misprinted_text()
    {
        // llvm-objdump-19 without --mcpu prints atomic_fetch_add on a u32 as "lock ... += r1" (see objdump_prog.lst).
        Instruction[] program = Assembler.Assemble("       0:\tc3 17 00 00 01 00 00 00\tlock *(u32 *)(r7 + 0x0) += r1");
        Assert.Equal(Opcodes.BPF_ADD | Opcodes.BPF_FETCH, program[0].Imm);
    }
}
