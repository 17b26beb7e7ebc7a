using BpfSharp.Isa;
using BpfSharp.ProgramTypes;
using BpfSharp.Uapi;
using BpfSharp.Verifier;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Soundness: a random program our verifier accepts never faults when run in checked mode (every memory access
/// bounds-checked) on random packets. BPFSHARP_SOUNDNESS_PROGRAMS sets the number of programs (default 3000).
/// </summary>
public class VerifierSoundnessTests
{
    private static readonly long[] Edge = [0, 1, -1, 2, 7, 8, 63, 64, 255, 256, 0x7fffffff, -0x80000000, 4096, -8, -16];

    [Fact]
    public void Accepted_random_programs_never_fault_in_checked_mode() =>
        AcceptedProgramsNeverFault(20261122, new VerifierOptions());

    // BPF_F_TEST_STATE_FREQ saves a checkpoint at every prune point, so every join of the random branches is a
    // chance for an unsound prune to accept a program that faults.
    [Fact]
    public void Accepted_random_programs_never_fault_with_a_checkpoint_at_every_prune_point() =>
        AcceptedProgramsNeverFault(20261123, new VerifierOptions { TestStateFreq = true });

    // Precision tracking: the join of two paths is pruned when the old path's scalars that decided safety cover the
    // new path's; a scalar whose precision was not tracked back to its origin lets a wider value through. These
    // programs feed random packet bytes through spills, fills, copies and branches into stack offsets.
    [Fact]
    public void Accepted_random_programs_with_variable_stack_offsets_never_fault() =>
        AcceptedProgramsNeverFault(20261124, new VerifierOptions(), GenerateVariableOffsets);

    [Fact]
    public void Accepted_random_programs_with_variable_stack_offsets_never_fault_with_a_checkpoint_at_every_prune_point() =>
        AcceptedProgramsNeverFault(20261125, new VerifierOptions { TestStateFreq = true }, GenerateVariableOffsets);

    private static void AcceptedProgramsNeverFault(int seed, VerifierOptions options) =>
        AcceptedProgramsNeverFault(seed, options, Generate);

    private static void AcceptedProgramsNeverFault(int seed, VerifierOptions options, Func<Random, Instruction[]> generate)
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("BPFSHARP_SOUNDNESS_PROGRAMS"), out int n) ? n : 3000;
        var rng = new Random(seed);
        VerifierOps ops = ProgramTypeOps.For(BpfProgType.SocketFilter)!;
        using var system = new BpfSystem(new BpfSystemOptions { Verify = false, InstructionBudget = 1 << 16 });
        int accepted = 0;
        for (int i = 0; i < count; i++)
        {
            Instruction[] prog = generate(rng);
            VerifierResult r = BpfVerifier.Verify(prog, ops, options);
            if (!r.IsAccepted)
                continue;
            accepted++;
            using BpfProgram p = BpfProgram.Load(system, BpfProgType.SocketFilter, prog);
            for (int run = 0; run < 3; run++)
            {
                byte[] data = new byte[rng.Next(14, 128)];
                rng.NextBytes(data);
                // EtherType 0x88b5 (local experimental): random bytes that said IPv4 or IPv6 with a short header
                // would be refused by the skb test run (EINVAL), as the kernel refuses them, before any program ran.
                (data[12], data[13]) = (0x88, 0xb5);
                try
                {
                    p.TestRun(data);
                }
                catch (BpfException e)
                {
                    Assert.Fail($"accepted program faulted: {e.Message}\n{string.Join('\n', Disassembler.Disassemble(prog))}");
                }
            }
        }
        Assert.True(accepted > count / 20, $"only {accepted} of {count} random programs were accepted: the generator tests too little");
    }

    // Straight-line and forward-branching programs over R0-R5 (R6 keeps the context): constants, ALU, stack
    // spills and fills at fixed and computed offsets, context loads at any offset, then r0 and exit.
    private static Instruction[] Generate(Random rng)
    {
        var items = new List<Instruction> { Asm.Mov64(R6, R1) };
        for (Reg r = R0; r <= R5; r++)
            items.Add(Asm.Mov64Imm(r, (int)Edge[rng.Next(Edge.Length)]));
        int len = rng.Next(4, 24);
        for (int i = 0; i < len; i++)
        {
            Reg a = (Reg)rng.Next(0, 6), b = (Reg)rng.Next(0, 6);
            int imm = (int)Edge[rng.Next(Edge.Length)];
            short slot = (short)(-8 * rng.Next(1, 9));
            switch (rng.Next(12))
            {
                case 0: items.Add(Asm.Mov64Imm(a, imm)); break;
                case 1: items.Add(Asm.Alu64Imm(AluOp(rng), a, imm)); break;
                case 2: items.Add(Asm.Alu64Reg(AluOp(rng), a, b)); break;
                case 3: items.Add(Asm.Alu32Imm(AluOp(rng), a, imm)); break;
                case 4: items.Add(Asm.StxMem(Opcodes.BPF_DW, R10, a, slot)); break;
                case 5: items.Add(Asm.LdxMem(Opcodes.BPF_DW, a, R10, slot)); break;
                case 6: items.Add(Asm.StMem(Opcodes.BPF_W, R10, (short)(slot + 4 * rng.Next(2)), imm)); break;
                case 7: items.Add(Asm.LdxMem(Opcodes.BPF_W, a, R6, (short)(4 * rng.Next(0, 25)))); break;
                case 8:
                    items.Add(Asm.Mov64(a, R10));
                    items.Add(Asm.Alu64Imm(Opcodes.BPF_ADD, a, slot));
                    items.Add(Asm.LdxMem(Opcodes.BPF_DW, b, a, (short)(8 * rng.Next(-1, 2))));
                    break;
                case 9: items.Add(Asm.JmpImm(JmpOp(rng), a, imm, (short)rng.Next(0, 3))); break;
                case 10: items.Add(Asm.LdxMem(Opcodes.BPF_B, a, R6, (short)rng.Next(0, 60))); break;
                default: items.Add(Asm.Mov64(a, b)); break;
            }
        }
        items.Add(Asm.Mov64Imm(R0, 0));
        items.Add(Asm.Exit());
        // a forward jump past the end would be refused by the cfg pass, which is fine: it is then not run
        return [.. items];
    }

    private static readonly Reg[] Values = [R7, R8, R9, R0, R2, R3];

    // Forward-branching programs whose values come from packet bytes (BPF_LD_ABS into R0, copied to R7-R9, which
    // survive it) or constants, pass through diamonds (one constant on each side), ALU, 64- and 32-bit spills and
    // fills, copies (linked ids) and conditional jumps, and end up as offsets into the 64 initialized bytes below
    // fp-0 for 1-byte loads and stores: only programs whose every offset is proven within them may be accepted.
    // Operands favour the register (and slot) written last, so that values flow from one step to the next.
    private static Instruction[] GenerateVariableOffsets(Random rng)
    {
        var items = new List<Instruction> { Asm.Mov64(R6, R1) };
        for (int k = 1; k <= 8; k++)
            items.Add(Asm.StMem(Opcodes.BPF_DW, R10, (short)(-8 * k), 0));
        foreach (Reg r in Values)
            items.Add(Asm.Mov64Imm(r, rng.Next(0, 70)));
        Reg last = R7;
        short lastSlot = -72;
        int len = rng.Next(6, 30);
        for (int i = 0; i < len; i++)
        {
            Reg a = rng.Next(10) < 6 ? last : Values[rng.Next(Values.Length)];
            Reg b = Values[rng.Next(Values.Length)];
            short slot = rng.Next(10) < 6 ? lastSlot : (short)(-8 * rng.Next(9, 12)); // fp-72 .. fp-88, apart from the data
            switch (rng.Next(20))
            {
                case 0: items.Add(Asm.Mov64Imm(b, rng.Next(0, 2) == 0 ? Offset(rng) : (int)Edge[rng.Next(Edge.Length)])); last = b; break;
                case 1 or 2:
                    b = (Reg)((int)R7 + rng.Next(0, 3));
                    items.Add(Asm.LdAbs(rng.Next(3) switch { 0 => Opcodes.BPF_B, 1 => Opcodes.BPF_H, _ => Opcodes.BPF_W }, rng.Next(0, 10)));
                    items.Add(Asm.Mov64(b, R0));
                    last = b;
                    break;
                case 3 or 4:
                    // a diamond on a: b is one constant on one side, another on the other
                    items.Add(Asm.JmpImm(AnyJmpOp(rng), a, rng.Next(0, 256), 2));
                    items.Add(Asm.Mov64Imm(b, Offset(rng)));
                    items.Add(Asm.Ja(1));
                    items.Add(Asm.Mov64Imm(b, Offset(rng)));
                    last = b;
                    break;
                case 5: items.Add(Asm.Alu64Imm(rng.Next(2) == 0 ? Opcodes.BPF_AND : Opcodes.BPF_RSH, a, rng.Next(2) == 0 ? 0x3f : rng.Next(1, 8))); break;
                case 6: items.Add(Asm.Alu64Imm(AluOp(rng), a, rng.Next(-8, 64))); break;
                case 7: items.Add(Asm.Alu64Reg(AluOp(rng), b, a)); last = b; break;
                case 8: items.Add(Asm.Alu32Imm(AluOp(rng), a, rng.Next(0, 64))); break;
                case 9 or 10: items.Add(Asm.StxMem(Opcodes.BPF_DW, R10, a, slot)); lastSlot = slot; break;
                case 11 or 12: items.Add(Asm.LdxMem(Opcodes.BPF_DW, b, R10, slot)); last = b; break;
                case 13:
                    items.Add(Asm.StxMem(Opcodes.BPF_W, R10, a, slot));
                    items.Add(Asm.LdxMem(Opcodes.BPF_W, b, R10, slot));
                    last = b;
                    break;
                case 14: items.Add(Asm.JmpImm(AnyJmpOp(rng), a, rng.Next(0, 80), (short)rng.Next(0, 4))); break;
                case 15: items.Add(Asm.JmpReg(AnyJmpOp(rng), a, b, (short)rng.Next(0, 4))); break;
                case 16: items.Add(Asm.Jmp32Imm(AnyJmpOp(rng), a, rng.Next(0, 80), (short)rng.Next(0, 4))); break;
                case 17: items.Add(Asm.Mov64(b, a)); last = b; break;
                default:
                    // R1 = fp-64 + a: a load or a store of one byte there
                    items.Add(Asm.Mov64(R1, R10));
                    items.Add(Asm.Alu64Imm(Opcodes.BPF_ADD, R1, -64));
                    items.Add(Asm.Alu64Reg(Opcodes.BPF_ADD, R1, a));
                    items.Add(rng.Next(2) == 0 ? Asm.LdxMem(Opcodes.BPF_B, b, R1, 0) : Asm.StxMem(Opcodes.BPF_B, R1, b, 0));
                    break;
            }
        }
        items.Add(Asm.Mov64Imm(R0, 0));
        items.Add(Asm.Exit());
        return [.. items];
    }

    private static byte AluOp(Random rng) => rng.Next(6) switch
    {
        0 => Opcodes.BPF_ADD,
        1 => Opcodes.BPF_SUB,
        2 => Opcodes.BPF_AND,
        3 => Opcodes.BPF_OR,
        4 => Opcodes.BPF_XOR,
        _ => Opcodes.BPF_MUL,
    };

    private static byte JmpOp(Random rng) => rng.Next(4) switch
    {
        0 => Opcodes.BPF_JEQ,
        1 => Opcodes.BPF_JGT,
        2 => Opcodes.BPF_JSGT,
        _ => Opcodes.BPF_JNE,
    };

    private static readonly byte[] JmpOps =
    [
        Opcodes.BPF_JEQ, Opcodes.BPF_JNE, Opcodes.BPF_JGT, Opcodes.BPF_JGE, Opcodes.BPF_JLT, Opcodes.BPF_JLE,
        Opcodes.BPF_JSGT, Opcodes.BPF_JSGE, Opcodes.BPF_JSLT, Opcodes.BPF_JSLE, Opcodes.BPF_JSET,
    ];

    private static byte AnyJmpOp(Random rng) => JmpOps[rng.Next(JmpOps.Length)];

    // a stack offset: mostly within the 64 bytes, sometimes far outside the stack
    private static int Offset(Random rng) => rng.Next(4) == 0 ? rng.Next(600, 2000) : rng.Next(0, 64);
}
