using System.Diagnostics;
using BpfSharp.Isa;
using BpfSharp.ProgramTypes;
using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.Bench;

/// <summary>
/// The verifier on a 4096-instruction straight-line program (ALU, stack spills and fills, context loads):
/// the issue's goal is well under 10 ms per verification, log off.
/// </summary>
internal static class VerifierBench
{
    public static void Run(string[] args)
    {
        int repeats = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 200;
        Instruction[] prog = StraightLine(4096);
        VerifierOps ops = ProgramTypeOps.For(BpfProgType.SocketFilter)!;
        var options = new VerifierOptions();
        VerifierResult first = BpfVerifier.Verify(prog, ops, options);
        if (!first.IsAccepted)
            throw new InvalidOperationException("the benchmark program is refused: " + first.Log);
        for (int i = 0; i < 20; i++) BpfVerifier.Verify(prog, ops, options); // warm-up
        List<double> times = Times(prog, ops, options, repeats);
        Console.WriteLine($"verifier: {prog.Length} straight-line insns, {first.InsnProcessed} processed: " +
            $"median {times[times.Count / 2]:F3} ms, p90 {times[times.Count * 9 / 10]:F3} ms, min {times[0]:F3} ms ({repeats} runs)");
        bool kernel = KernelBpf.IsAvailable();
        Large(StraightLineHeavy(100_000), ops, Math.Max(repeats / 20, 5), kernel);
        foreach ((string name, Instruction[] insns) in PruningWorkloads())
            Pruning(name, insns, ops, Math.Max(repeats / 10, 5), kernel);
    }

    // Programs whose cost is decided by state pruning, with the kernel's statistics line beside ours.
    private static IEnumerable<(string, Instruction[])> PruningWorkloads()
    {
        yield return ("diamond chain, 40 diamonds (dead register)", Assembler.Assemble(DiamondChain(40, "r3 = 1", "r3 = 2", "")));
        yield return ("diamond chain, 40 diamonds (stack slot)",
            Assembler.Assemble(DiamondChain(40, "*(u64 *)(r10 -8) = 1", "*(u64 *)(r10 -8) = 2", "r0 = *(u64 *)(r10 -8)\n")));
        yield return ("diamond chain, 40 diamonds (live sum: needs precision tracking)",
            Assembler.Assemble(DiamondChain(40, "r3 = 1", "r3 = 2", "", "r0 += r3\n")));
        yield return ("counted loop, 1000 iterations", Assembler.Assemble(
            "r0 = 0\nr1 = 0\nr0 += r1\nr1 += 1\nif r1 < 0x3e8 goto pc-3\nexit\n"));
        yield return ("loop on an unknown counter (hits the 1M limit)", Assembler.Assemble(
            "r0 = *(u32 *)(r1 +0)\nr0 += 1\nif r0 != 0x0 goto pc-2\nexit\n"));
    }

    private static string DiamondChain(int diamonds, string then, string otherwise, string tail, string join = "")
    {
        var sb = new System.Text.StringBuilder("r6 = r1\nr0 = 0\n");
        for (int i = 0; i < diamonds; i++)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"r2 = *(u32 *)(r6 +{4 * (i % 16)})\n");
            sb.Append("if r2 > 0x5 goto pc+2\n").Append(then).Append("\ngoto pc+1\n").Append(otherwise).Append('\n').Append(join);
        }
        return sb.Append(tail).Append("exit\n").ToString();
    }

    private static void Pruning(string name, Instruction[] prog, VerifierOps ops, int repeats, bool kernel)
    {
        var options = new VerifierOptions();
        VerifierResult r = BpfVerifier.Verify(prog, ops, options);
        List<double> times = Times(prog, ops, options, repeats);
        Console.WriteLine($"verifier: {name}: {(r.IsAccepted ? "accepted" : "rejected")}, median {times[times.Count / 2]:F3} ms");
        Console.WriteLine($"  ours:   processed {r.InsnProcessed} insns, max_states_per_insn {r.MaxStatesPerInsn} total_states {r.TotalStates} peak_states {r.PeakStates}");
        if (kernel)
            Console.WriteLine($"  kernel: {KernelBpf.VerifierStats(prog)}");
    }

    // Issue 7's goal: a 100,000-instruction straight-line-heavy program verified in under 1 s.
    private static void Large(Instruction[] prog, VerifierOps ops, int repeats, bool kernel)
    {
        var options = new VerifierOptions();
        VerifierResult r = BpfVerifier.Verify(prog, ops, options);
        if (!r.IsAccepted)
            throw new InvalidOperationException("the large benchmark program is refused: " + r.Log);
        List<double> times = Times(prog, ops, options, repeats);
        Console.WriteLine($"verifier: {prog.Length} insns, straight line with a branch on packet data every 32: " +
            $"median {times[times.Count / 2]:F1} ms, min {times[0]:F1} ms ({repeats} runs)");
        Console.WriteLine($"  ours:   processed {r.InsnProcessed} insns, max_states_per_insn {r.MaxStatesPerInsn} total_states {r.TotalStates} peak_states {r.PeakStates}");
        if (kernel)
            Console.WriteLine($"  kernel: {KernelBpf.VerifierStats(prog)}");
    }

    // The straight-line mix of StraightLine with, every 32 instructions, a conditional increment on a context load:
    // a fork per block, joined again at once.
    private static Instruction[] StraightLineHeavy(int length)
    {
        Instruction[] block = StraightLine(32)[3..^2];
        var items = new List<Instruction> { Asm.Mov64(Reg.R6, Reg.R1), Asm.Mov64Imm(Reg.R0, 0), Asm.Mov64Imm(Reg.R2, 1) };
        while (items.Count + block.Length + 3 < length - 2)
        {
            items.AddRange(block);
            items.Add(Asm.LdxMem(Opcodes.BPF_W, Reg.R5, Reg.R6, 0));
            items.Add(Asm.JmpImm(Opcodes.BPF_JGT, Reg.R5, 5, 1));
            items.Add(Asm.Alu64Imm(Opcodes.BPF_ADD, Reg.R0, 1));
        }
        while (items.Count < length - 2)
            items.Add(Asm.Alu64Imm(Opcodes.BPF_ADD, Reg.R0, 3));
        items.Add(Asm.Mov64Imm(Reg.R0, 0));
        items.Add(Asm.Exit());
        return [.. items];
    }

    // Milliseconds of `repeats` verifications of prog, sorted.
    private static List<double> Times(Instruction[] prog, VerifierOps ops, VerifierOptions options, int repeats)
    {
        var times = new List<double>(repeats);
        for (int i = 0; i < repeats; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            BpfVerifier.Verify(prog, ops, options);
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        times.Sort();
        return times;
    }

    private static Instruction[] StraightLine(int length)
    {
        var items = new List<Instruction> { Asm.Mov64(Reg.R6, Reg.R1), Asm.Mov64Imm(Reg.R0, 0), Asm.Mov64Imm(Reg.R2, 1) };
        int i = 0;
        while (items.Count < length - 2)
        {
            short slot = (short)(-8 * (1 + i % 16));
            switch (i++ % 6)
            {
                case 0: items.Add(Asm.Alu64Imm(Opcodes.BPF_ADD, Reg.R0, 3)); break;
                case 1: items.Add(Asm.StxMem(Opcodes.BPF_DW, Reg.R10, Reg.R0, slot)); break;
                case 2: items.Add(Asm.LdxMem(Opcodes.BPF_DW, Reg.R3, Reg.R10, slot)); break;
                case 3: items.Add(Asm.Alu64Reg(Opcodes.BPF_XOR, Reg.R0, Reg.R3)); break;
                case 4: items.Add(Asm.LdxMem(Opcodes.BPF_W, Reg.R4, Reg.R6, 0)); break;
                default: items.Add(Asm.Alu64Reg(Opcodes.BPF_AND, Reg.R4, Reg.R2)); break;
            }
        }
        items.Add(Asm.Mov64Imm(Reg.R0, 0));
        items.Add(Asm.Exit());
        return [.. items];
    }
}
