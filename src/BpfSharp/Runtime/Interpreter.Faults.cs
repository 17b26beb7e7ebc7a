using System.Runtime.CompilerServices;

namespace BpfSharp.Runtime;

// Faults raised by the dispatch loop (worded in EngineFaults, shared with the JIT), out of line to keep the loop small.
public sealed unsafe partial class Interpreter
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static BpfRuntimeException BudgetExhausted(ExecState* s, DecodedInsn* i) =>
        EngineFaults.BudgetExhausted((int)(i - s->Code), s->Budget);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static BpfRuntimeException UnknownHelper(ExecState* s, DecodedInsn* i, long id) =>
        EngineFaults.UnknownHelper((int)(i - s->Code), id);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static BpfRuntimeException CallDepthExceeded(ExecState* s, DecodedInsn* i) =>
        EngineFaults.CallDepthExceeded((int)(i - s->Code));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static BpfRuntimeException FellOffEnd(ExecState* s, DecodedInsn* i) =>
        EngineFaults.FellOffEnd((int)(i - s->Code));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static InvalidOperationException NoHandler(ExecState* s, DecodedInsn* i) =>
        new($"insn {i - s->Code}: the interpreter has no handler for {i->Op} (a pre-decoding bug)");
}
