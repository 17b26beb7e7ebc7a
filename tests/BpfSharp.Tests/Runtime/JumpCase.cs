using BpfSharp.Isa;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Runtime;

/// <summary>
/// One conditional jump: r1 = <see cref="Dst"/>, r2 = <see cref="Src"/>, then the jump (dst r1,
/// src r2 or an immediate) to label "taken". Returns 1 if taken, 0 if not. Expected outcomes
/// come from RFC 9669 4.3: imm sign-extended for JMP, low 32 bits only for JMP32.
/// </summary>
public sealed record JumpCase(string Title, AsmItem Jump, Instruction Insn, ulong Dst, ulong Src, bool Taken)
{
    public string Name => $"{Title} dst=0x{Dst:x} src=0x{Src:x} -> {(Taken ? "taken" : "not taken")}";

    public Instruction[] Program() => Asm.Program(
        Asm.LdImm64(R1, (long)Dst),
        Asm.LdImm64(R2, (long)Src),
        Asm.Mov64(R0, 0),
        Jump,
        Asm.Exit(),
        Asm.Label("taken"),
        Asm.Mov64(R0, 1),
        Asm.Exit());

    /// <summary>The jump instruction as assembled (for opcode coverage).</summary>
    public static Instruction Assembled(AsmItem jump) =>
        Asm.Program(jump, Asm.Label("taken"), Asm.Exit())[0];

    public static JumpCase K(string title, AsmItem jump, ulong dst, bool taken) =>
        new(title, jump, Assembled(jump), dst, AluCase.Poison, taken);

    public static JumpCase X(string title, AsmItem jump, ulong dst, ulong src, bool taken) =>
        new(title, jump, Assembled(jump), dst, src, taken);
}
