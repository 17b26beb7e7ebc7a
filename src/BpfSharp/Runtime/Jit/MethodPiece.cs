namespace BpfSharp.Runtime.Jit;

/// <summary>
/// A range of a subprogram compiled as a method of its own, for a subprogram too large for one method (see
/// <see cref="IlCost"/>): slots <see cref="Start"/> up to <see cref="End"/> (exclusive), entered at one of
/// <see cref="Entries"/> (the slots control reaches from outside the range).
/// </summary>
/// <remarks>
/// A piece's method is <c>int piece(object[] targets, RunContext run, JitState* state, ulong* file, int entry)</c>:
/// it loads the registers from the register file, runs from <c>entry</c>, and on leaving its range stores them back
/// and returns the slot to continue at, or -1 with r0 in the file when the subprogram returns. The subprogram's own
/// method keeps its signature and runs the pieces in turn (<see cref="MethodCompiler.EmitDispatcher"/>).
/// </remarks>
internal sealed record MethodPiece(int Start, int End, int[] Entries)
{
    /// <summary>True if slot <paramref name="pc"/> is in this piece.</summary>
    public bool Contains(int pc) => pc >= Start && pc < End;
}
