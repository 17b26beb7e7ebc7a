using System.Runtime.CompilerServices;

namespace BpfSharp.Runtime;

/// <summary>
/// The faults both engines raise themselves (the interpreter's dispatch loop, the JIT's code), built out
/// of line so the hot code stays small, and worded once so that the engines give the same message.
/// </summary>
internal static class EngineFaults
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static BpfRuntimeException BudgetExhausted(int pc, long budget) =>
        new(FaultKind.BudgetExhausted, pc, $"instruction budget of {budget} exhausted");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static BpfRuntimeException UnknownHelper(int pc, long id) =>
        new(FaultKind.UnknownHelper, pc, $"call to unknown helper id {id}");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static BpfRuntimeException CallDepthExceeded(int pc) =>
        new(FaultKind.CallDepthExceeded, pc,
            $"the call stack is too deep: a call would make {BpfStack.MaxFrames + 1} frames (at most {BpfStack.MaxFrames})");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static BpfRuntimeException FellOffEnd(int pc) =>
        new(FaultKind.FellOffEnd, pc, $"execution fell off the end of the program ({pc} insns; the last one is not exit or a jump)");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static BpfRuntimeException CallbackTooDeep(int pc, int depth) =>
        new(FaultKind.CallDepthExceeded, pc, $"helper call: the callback would make {depth + 1} frames (at most {BpfStack.MaxFrames})");
}
