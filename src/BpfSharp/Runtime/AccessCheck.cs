using System.Runtime.CompilerServices;
using BpfSharp.Memory;

namespace BpfSharp.Runtime;

/// <summary>
/// Checked mode's test of one program memory access, shared by both engines: the active stack frames
/// (from the current frame's bottom up to the top of the stack block) are tested inline, anything else goes to
/// the run's regions (<see cref="RunContext.CheckProgramAccess"/>), which throws on a fault.
/// </summary>
internal static class AccessCheck
{
    /// <summary>Returns if the run may <paramref name="kind"/> the <paramref name="size"/> bytes at <paramref name="address"/>; throws otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check(RunContext run, ulong stackLow, ulong stackTop, ulong address, ulong size, AccessKind kind, int pc)
    {
        if (!Bounds.Contains(stackLow, stackTop - stackLow, address, size))
            run.CheckProgramAccess(address, size, kind, pc);
    }

    /// <summary><see cref="Check"/> for an atomic read-modify-write, which must also be aligned to its size.</summary>
    public static void CheckAtomic(RunContext run, ulong stackLow, ulong stackTop, ulong address, ulong size, int pc) =>
        CheckAligned(run, stackLow, stackTop, address, size, AccessKind.Atomic, pc);

    /// <summary>
    /// <see cref="Check"/> for an access that must also be aligned to its size: atomics, and load-acquire
    /// (<see cref="AccessKind.Load"/>) and store-release (<see cref="AccessKind.Store"/>).
    /// </summary>
    public static void CheckAligned(RunContext run, ulong stackLow, ulong stackTop, ulong address, ulong size, AccessKind kind, int pc)
    {
        Check(run, stackLow, stackTop, address, size, kind, pc);
        if ((address & (size - 1)) != 0)
            throw run.MisalignedAtomic(address, size, pc);
    }
}
