using System.Runtime.CompilerServices;

namespace BpfSharp.Runtime;

// Faults raised by the dispatch loop, built out of line to keep the loop small.
public sealed unsafe partial class Interpreter
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static BpfRuntimeException BudgetExhausted(ExecState* s, DecodedInsn* i) =>
        new(FaultKind.BudgetExhausted, (int)(i - s->Code), $"instruction budget of {s->Budget} exhausted");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static BpfRuntimeException UnknownHelper(ExecState* s, DecodedInsn* i, long id) =>
        new(FaultKind.UnknownHelper, (int)(i - s->Code), $"call to unknown helper id {id}");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static BpfRuntimeException CallDepthExceeded(ExecState* s, DecodedInsn* i) =>
        new(FaultKind.CallDepthExceeded, (int)(i - s->Code),
            $"the call stack is too deep: a call would make {BpfStack.MaxFrames + 1} frames (at most {BpfStack.MaxFrames})");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static BpfRuntimeException FellOffEnd(ExecState* s, DecodedInsn* i) =>
        new(FaultKind.FellOffEnd, (int)(i - s->Code),
            $"execution fell off the end of the program ({i - s->Code} insns; the last one is not exit or a jump)");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static InvalidOperationException NoHandler(ExecState* s, DecodedInsn* i) =>
        new($"insn {i - s->Code}: the interpreter has no handler for {i->Op} (a pre-decoding bug)");
}
