using BpfSharp.Isa;
using static BpfSharp.Isa.Reg;
using static BpfSharp.Tests.Kernel.DifferentialCase;

namespace BpfSharp.Tests.Kernel;

/// <summary>
/// The differential table: each case's expected r0 is worked out by hand from RFC 9669; the live
/// kernel and our interpreter must both give it. Cases are split by area into partial files.
/// </summary>
internal static partial class DifferentialCases
{
    /// <summary>Every case, by name.</summary>
    public static readonly IReadOnlyDictionary<string, DifferentialCase> ByName = Build();

    /// <summary>The case names, for [MemberData].</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (string name in ByName.Keys) data.Add(name);
        return data;
    }

    private static Dictionary<string, DifferentialCase> Build()
    {
        var cases = new Dictionary<string, DifferentialCase>(StringComparer.Ordinal);
        foreach (var c in (IEnumerable<DifferentialCase>)[.. Alu(), .. ByteSwaps(), .. Jumps(), .. Atomics(), .. StackLoads(), .. PacketLoads()])
            cases.Add(c.Name, c);
        return cases;
    }

    /// <summary>r0 = a, r1 = b (both hidden from the verifier), then <paramref name="op"/>.</summary>
    private static DifferentialCase Reg2(string name, ulong a, ulong b, Instruction op, ulong expected) =>
        new(name, expected, [Set(R0, a), Set(R1, b), Opaque(R0), Opaque(R1), op]);

    /// <summary>r0 = a (hidden from the verifier), then <paramref name="op"/>.</summary>
    private static DifferentialCase Imm(string name, ulong a, Instruction op, ulong expected) =>
        new(name, expected, [Set(R0, a), Opaque(R0), op]);
}
