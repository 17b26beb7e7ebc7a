namespace BpfSharp.Runtime.Jit;

/// <summary>
/// The size of some IL in the four measures RyuJIT compares with its limits before it compiles a method: past
/// any of them (IL bytes, IL instructions, basic blocks, local and argument references) it silently compiles the
/// method with MinOpts, i.e. every eBPF register in memory. <see cref="Within"/> keeps a method well inside.
/// </summary>
internal record struct IlCost(int Bytes, int Operations, int Blocks, int LocalReferences)
{
    /// <summary>
    /// RyuJIT's limits (its DEFAULT_MIN_OPTS_* defaults): a method above any of them is compiled with MinOpts. A
    /// 3,500-instruction eBPF ALU program passes the last one (measured with <c>DOTNET_JitDisasmSummary=1</c>).
    /// </summary>
    public static readonly IlCost MinOptsThreshold = new(60_000, 20_000, 2_000, 8_000);

    /// <summary>
    /// What the instructions of one method may cost: half of <see cref="MinOptsThreshold"/>, which leaves room for a
    /// piece's own entry and exit code, and keeps RyuJIT's cost per instruction down (it grows with the size of a
    /// branchy method).
    /// </summary>
    public static readonly IlCost Budget = new(30_000, 10_000, 1_000, 4_000);

    public static IlCost operator -(IlCost a, IlCost b) =>
        new(a.Bytes - b.Bytes, a.Operations - b.Operations, a.Blocks - b.Blocks, a.LocalReferences - b.LocalReferences);

    public static IlCost operator +(IlCost a, IlCost b) =>
        new(a.Bytes + b.Bytes, a.Operations + b.Operations, a.Blocks + b.Blocks, a.LocalReferences + b.LocalReferences);

    /// <summary>True if no measure exceeds <paramref name="limit"/>'s.</summary>
    public readonly bool Within(IlCost limit) =>
        Bytes <= limit.Bytes && Operations <= limit.Operations && Blocks <= limit.Blocks && LocalReferences <= limit.LocalReferences;
}
