using System.Diagnostics;
using BpfSharp.Isa;
using BpfSharp.ProgramTypes;
using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.Bench;

/// <summary>
/// The verifier on a 4096-instruction straight-line program (ALU, stack spills and fills, context loads):
/// the goal is well under 10 ms per verification, log off.
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
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            BpfVerifier.Verify(prog, ops, options);
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine($"verifier: {prog.Length} straight-line insns, {first.InsnProcessed} processed: " +
            $"median {times[times.Count / 2]:F3} ms, p90 {times[times.Count * 9 / 10]:F3} ms, min {times[0]:F3} ms ({repeats} runs)");
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
