namespace BpfSharp.Runtime;

/// <summary>
/// A helper function as programs call it (<c>call imm</c>, <c>callx</c>): arguments in r1-r5,
/// result in r0. The run's state (regions, checked mode, caller-defined <see cref="RunContext.State"/>)
/// comes through <paramref name="run"/>; a helper may end the program with
/// <see cref="RunContext.RequestExit"/>. Engines call it directly: no boxing, no allocation.
/// </summary>
public delegate ulong BpfHelper(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5);
