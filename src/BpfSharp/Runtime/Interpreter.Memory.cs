using System.Runtime.CompilerServices;
using BpfSharp.Memory;

namespace BpfSharp.Runtime;

// Checked-mode access checks and the atomic operations of the dispatch loop.
public sealed unsafe partial class Interpreter
{
    // The access must lie in the active stack (tested inline) or in a region of the run.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Check(ExecState* s, RunContext run, ulong address, ulong size, AccessKind kind, DecodedInsn* i)
    {
        AccessCheck.Check(run, s->StackLow, s->StackTop, address, size, kind, (int)(i - s->Code));
    }

    private static void CheckAtomic(ExecState* s, RunContext run, ulong address, ulong size, DecodedInsn* i) =>
        AccessCheck.CheckAtomic(run, s->StackLow, s->StackTop, address, size, (int)(i - s->Code));

    private static void CheckAligned(ExecState* s, RunContext run, ulong address, ulong size, AccessKind kind, DecodedInsn* i) =>
        AccessCheck.CheckAligned(run, s->StackLow, s->StackTop, address, size, kind, (int)(i - s->Code));

    // FETCH forms and xchg put the old value in src, cmpxchg in r0; the 32-bit forms zero-extend it.
    private static void Atomic(DecodedInsn* i, ulong a, ulong* r)
    {
        ref ulong src = ref r[i->Src];
        switch (i->Op)
        {
            case ExecOp.Add32: AtomicSemantics.FetchAdd32(a, src); break;
            case ExecOp.Or32: AtomicSemantics.FetchOr32(a, src); break;
            case ExecOp.And32: AtomicSemantics.FetchAnd32(a, src); break;
            case ExecOp.Xor32: AtomicSemantics.FetchXor32(a, src); break;
            case ExecOp.FetchAdd32: src = AtomicSemantics.FetchAdd32(a, src); break;
            case ExecOp.FetchOr32: src = AtomicSemantics.FetchOr32(a, src); break;
            case ExecOp.FetchAnd32: src = AtomicSemantics.FetchAnd32(a, src); break;
            case ExecOp.FetchXor32: src = AtomicSemantics.FetchXor32(a, src); break;
            case ExecOp.Xchg32: src = AtomicSemantics.Exchange32(a, src); break;
            case ExecOp.CmpXchg32: r[0] = AtomicSemantics.CompareExchange32(a, src, r[0]); break;
            case ExecOp.Add64: AtomicSemantics.FetchAdd64(a, src); break;
            case ExecOp.Or64: AtomicSemantics.FetchOr64(a, src); break;
            case ExecOp.And64: AtomicSemantics.FetchAnd64(a, src); break;
            case ExecOp.Xor64: AtomicSemantics.FetchXor64(a, src); break;
            case ExecOp.FetchAdd64: src = AtomicSemantics.FetchAdd64(a, src); break;
            case ExecOp.FetchOr64: src = AtomicSemantics.FetchOr64(a, src); break;
            case ExecOp.FetchAnd64: src = AtomicSemantics.FetchAnd64(a, src); break;
            case ExecOp.FetchXor64: src = AtomicSemantics.FetchXor64(a, src); break;
            case ExecOp.Xchg64: src = AtomicSemantics.Exchange64(a, src); break;
            case ExecOp.CmpXchg64: r[0] = AtomicSemantics.CompareExchange64(a, src, r[0]); break;
        }
    }
}
