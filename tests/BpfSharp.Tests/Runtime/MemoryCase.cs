using BpfSharp.Isa;

namespace BpfSharp.Tests.Runtime;

/// <summary>
/// A program run over caller memory (r1 = its address, r2 = its length): the memory before, r0 and
/// the memory after. <see cref="UnderTest"/> names the instruction the case exists for.
/// </summary>
public sealed record MemoryCase(string Name, Instruction UnderTest, AsmItem[] Body, string Before, ulong Expected, string? After = null)
{
    public Instruction[] Program() => Asm.Program(Body);

    /// <summary>A case whose first item is the instruction under test.</summary>
    public static MemoryCase Of(string name, string before, ulong expected, string? after, params AsmItem[] body) =>
        new(name, Asm.Program(body)[0], body, before, expected, after);

    /// <summary>A case testing the instruction at slot <paramref name="slot"/> of the assembled program.</summary>
    public static MemoryCase At(int slot, string name, string before, ulong expected, string? after, params AsmItem[] body) =>
        new(name, Asm.Program(body)[slot], body, before, expected, after);
}
