using BpfSharp.Isa;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Bench;

/// <summary>
/// The compute-loop workload: an xorshift/multiply mix over a counter, no memory traffic,
/// so the measured cost is the engine's dispatch and ALU work per instruction.
/// </summary>
internal static class ComputeLoop
{
    /// <summary>Instructions executed per loop iteration (the body below plus the back-edge test).</summary>
    public const int InstructionsPerIteration = 10;

    /// <summary>Instructions executed outside the loop (setup and exit).</summary>
    public const int FixedInstructions = 3 + 1;

    public static Instruction[] Build(int iterations) => Asm.Program(
        Asm.Mov64Imm(R0, 1),
        Asm.Mov64Imm(R1, iterations),
        Asm.Mov64Imm(R2, 0x2545F491),
        Asm.Label("loop"),
        Asm.Mov64Reg(R3, R0),          // 1
        Asm.Lsh64(R3, 13),             // 2
        Asm.Xor64(R0, R3),             // 3
        Asm.Mov64Reg(R3, R0),          // 4
        Asm.Rsh64(R3, 7),              // 5
        Asm.Xor64(R0, R3),             // 6
        Asm.Mul64(R0, R2),             // 7
        Asm.Add64(R0, R1),             // 8
        Asm.Sub64(R1, 1),              // 9
        Asm.Jne(R1, 0, "loop"),        // 10
        Asm.Exit());

    public static long Executed(int iterations) => FixedInstructions + (long)iterations * InstructionsPerIteration;
}
