using BpfSharp.Isa;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Tests.Runtime;

/// <summary>
/// Every instruction form the decoder accepts (every opcode of <see cref="OpcodeTable"/>, with its
/// offset, imm or src variants) has at least one semantics case in the tables of this folder.
/// </summary>
public class OpcodeCoverageTests
{
    // The variant an instruction form is told apart by, besides its opcode.
    private static (byte Opcode, int Variant) Key(in Instruction insn) => OpcodeTable.Get(insn.Opcode).Kind switch
    {
        OpKind.Alu => (insn.Opcode, insn.Offset),
        OpKind.End or OpKind.Atomic => (insn.Opcode, insn.Imm),
        OpKind.Call or OpKind.LdImm64 => (insn.Opcode, insn.Src),
        _ => (insn.Opcode, 0),
    };

    private static IEnumerable<int> Candidates(OpKind kind) => kind switch
    {
        OpKind.Alu => [0, 1, 8, 16, 32],
        OpKind.End => [16, 32, 64],
        OpKind.Atomic => Enumerable.Range(0, 256),
        OpKind.Call => [0, 1, 2],
        OpKind.LdImm64 => Enumerable.Range(0, 7),
        _ => [0],
    };

    // A one-instruction program (plus exit) of the given form, to ask the decoder whether it is valid.
    private static Instruction[] Candidate(byte opcode, int variant)
    {
        ref readonly OpcodeInfo info = ref OpcodeTable.Get(opcode);
        byte src = info.SrcIsReg ? (byte)2 : (byte)0;
        Instruction insn = info.Kind switch
        {
            OpKind.Alu => Asm.Raw(opcode, 1, src, (short)variant, 0),
            OpKind.End => Asm.Raw(opcode, 1, 0, 0, variant),
            OpKind.Ja => Asm.Raw(opcode, 0, 0, 0, 0),
            OpKind.CondJmp => Asm.Raw(opcode, 1, src, 0, 0),
            OpKind.Call => Asm.Raw(opcode, 0, (byte)variant, 0, 0),
            OpKind.CallX => Asm.Raw(opcode, 1, 0, 0, 0),
            OpKind.Exit => Asm.Raw(opcode, 0, 0, 0, 0),
            OpKind.LdImm64 => Asm.Raw(opcode, 1, (byte)variant, 0, 0),
            OpKind.LdAbs => Asm.Raw(opcode, 0, 0, 0, 0),
            OpKind.LdInd => Asm.Raw(opcode, 0, 2, 0, 0),
            OpKind.St => Asm.Raw(opcode, 1, 0, 0, 0),
            OpKind.Atomic => Asm.Raw(opcode, 1, 2, 0, variant),
            _ => Asm.Raw(opcode, 1, 2, 0, 0),
        };
        return info.Kind == OpKind.LdImm64 ? [insn, default, Asm.Exit()] : [insn, Asm.Exit()];
    }

    public static IEnumerable<(byte Opcode, int Variant)> ValidForms()
    {
        for (int code = 0; code < 256; code++)
        {
            OpKind kind = OpcodeTable.Get((byte)code).Kind;
            if (kind == OpKind.Invalid) continue;
            foreach (int variant in Candidates(kind))
            {
                bool valid;
                try { InstructionDecoder.Validate(Candidate((byte)code, variant)); valid = true; }
                catch (BpfFormatException) { valid = false; }
                if (valid) yield return ((byte)code, variant);
            }
        }
    }

    private static IEnumerable<Instruction> UnderTest()
    {
        foreach (var c in Alu64Cases.All.Concat(Alu32Cases.All).Concat(EndianCases.All)) yield return c.Op;
        foreach (var c in JumpCases.All) yield return c.Insn;
        foreach (var c in LoadStoreCases.All.Concat(WideLoadCases.All).Concat(AtomicCases.All)) yield return c.UnderTest;
        foreach (var c in PacketLoadTests.All) yield return c.UnderTest;
        // Calls and exit: every slot of the call programs is executed by their cases.
        foreach (var c in HelperCallTests.All) foreach (var insn in c.Program) yield return insn;
        foreach (var c in LocalCallTests.All) foreach (var insn in c.Program) yield return insn;
        // kfunc calls: rejected at construction (LocalCallTests.Kfunc_calls_are_rejected_at_construction).
        yield return Asm.CallKfunc(1234);
    }

    [Fact]
    public void Every_valid_instruction_form_has_a_semantics_case()
    {
        var covered = new HashSet<(byte, int)>(UnderTest().Select(i => Key(i)));
        var missing = ValidForms().Where(f => !covered.Contains(f))
            .Select(f => $"0x{f.Opcode:x2}/{f.Variant}").ToList();
        Assert.True(missing.Count == 0, "no case for: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_form_list_is_not_empty_and_includes_the_newest_forms()
    {
        var forms = ValidForms().ToHashSet();
        Assert.Contains(((byte)(BPF_ALU64 | BPF_MOV | BPF_X), 32), forms);       // movsx64 s32
        Assert.Contains(((byte)(BPF_STX | BPF_DW | BPF_ATOMIC), BPF_CMPXCHG), forms);
        Assert.Contains((JA32, 0), forms);                                          // gotol
        Assert.Contains((CALLX, 0), forms);
        Assert.True(forms.Count > 150, $"only {forms.Count} forms");
    }
}
