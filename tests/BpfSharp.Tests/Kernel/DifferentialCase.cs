using BpfSharp.Isa;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Kernel;

/// <summary>
/// One differential program: a body that leaves a 64-bit result in r0 (or jumps to label "out"
/// with it), and the result the RFC 9669 definition gives, worked out by hand.
/// </summary>
internal sealed record DifferentialCase(string Name, ulong Expected, AsmItem[] Body)
{
    /// <summary>The label a body may jump to to finish with the current r0.</summary>
    public const string Out = "out";

    /// <summary>
    /// The whole program. Prologue: r6 = ctx (LD_ABS needs it), r9 = the UDP checksum (0 at run
    /// time, unknown to the verifier; see <see cref="Opaque"/>). Epilogue: exit with r0, or, for the
    /// high half, with r0 &gt;&gt; 32 — BPF_PROG_TEST_RUN reports only 32 bits of r0.
    /// </summary>
    public Instruction[] Program(bool highHalf)
    {
        var items = new List<AsmItem>
        {
            Asm.Mov64Reg(R6, R1),
            Asm.LdAbs(BPF_H, 26),
            Asm.Mov64Reg(R9, R0),
        };
        items.AddRange(Body);
        items.Add(Asm.Label(Out));
        if (highHalf) items.Add(Asm.Rsh64(R0, 32));
        items.Add(Asm.Exit());
        return Asm.Program([.. items]);
    }

    /// <summary>reg |= r9: keeps the value, but hides it from the verifier so the JIT computes with it.</summary>
    public static Instruction Opaque(Reg reg) => Asm.Or64(reg, R9);

    /// <summary>reg = value, as mov64 when the sign-extended imm32 gives it, else lddw.</summary>
    public static AsmItem Set(Reg reg, ulong value) =>
        (long)value is >= int.MinValue and <= int.MaxValue ? Asm.Mov64Imm(reg, (int)(long)value) : Asm.LdImm64(reg, (long)value);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
