using BpfSharp.Isa;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Runtime;

/// <summary>
/// One ALU case: r0 = <see cref="Dst"/>, r1 = <see cref="Src"/>, run <see cref="Op"/> (dst r0, src r1
/// or an immediate), return r0. Expected values are worked out by hand from RFC 9669 section 4.1.
/// </summary>
public sealed record AluCase(string Title, Instruction Op, ulong Dst, ulong Src, ulong Expected)
{
    /// <summary>r1 for immediate forms: a value the result would show if the immediate were ignored.</summary>
    public const ulong Poison = 0x5555_5555_5555_5555;

    public string Name => $"{Title} dst=0x{Dst:x} src=0x{Src:x}";

    public Instruction[] Program() => Asm.Program(
        Asm.LdImm64(R0, (long)Dst),
        Asm.LdImm64(R1, (long)Src),
        Op,
        Asm.Exit());

    /// <summary>Immediate form: r1 holds <see cref="Poison"/>.</summary>
    public static AluCase K(string title, Instruction op, ulong dst, ulong expected) => new(title, op, dst, Poison, expected);

    /// <summary>Register form.</summary>
    public static AluCase X(string title, Instruction op, ulong dst, ulong src, ulong expected) => new(title, op, dst, src, expected);
}
