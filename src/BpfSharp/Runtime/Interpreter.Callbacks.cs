using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BpfSharp.Runtime;

// Callbacks: a helper (bpf_loop, bpf_for_each_map_elem) runs one of the program's subprograms in the
// middle of the run. The callback gets its own register file and a new frame below the caller's frames
// on the same stack block; its exit from that frame returns r0 to the helper.
public sealed unsafe partial class Interpreter : ICallbackEngine
{
    private ulong Dispatch(ExecState* s, DecodedInsn* start, RunContext run)
    {
        if (_checked)
            return _budget > 0 ? Execute<CheckedBudgetMode>(s, start, run, _helpers) : Execute<CheckedMode>(s, start, run, _helpers);
        return _budget > 0 ? Execute<UncheckedBudgetMode>(s, start, run, _helpers) : Execute<UncheckedMode>(s, start, run, _helpers);
    }

    bool ICallbackEngine.IsCallback(ulong callback) =>
        SubprogramPointer.TryDecode(callback, out int index) && index < _subprograms.Length && _subprograms[index];

    [SkipLocalsInit]
    ulong ICallbackEngine.InvokeCallback(RunContext run, ulong callback, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        ExecState* outer = (ExecState*)run.EngineState;
        if (!((ICallbackEngine)this).IsCallback(callback))
            throw run.HelperFault($"callback 0x{callback:x} is not a subprogram of the running program");
        int depth = outer->Depth + 1;
        if (depth >= BpfStack.MaxFrames)
            throw EngineFaults.CallbackTooDeep(run.CallerPc, depth);

        ExecState state;
        ExecState* s = &state;
        NativeMemory.Clear(s->Regs, 16 * sizeof(ulong));
        s->Regs[1] = r1;
        s->Regs[2] = r2;
        s->Regs[3] = r3;
        s->Regs[4] = r4;
        s->Regs[5] = r5;
        s->Regs[10] = outer->StackTop - (ulong)depth * BpfStack.FrameSize;
        s->Frames = outer->Frames; // slots below outer->Depth are the caller's; the callback uses deeper ones
        s->Code = outer->Code;     // pinned by the run in progress
        s->StackTop = outer->StackTop;
        s->StackLow = s->Regs[10] - BpfStack.FrameSize;
        s->Depth = depth;
        s->BaseDepth = depth;
        s->ZeroedDepth = outer->ZeroedDepth;
        s->Budget = outer->Budget;
        s->Remaining = outer->Remaining;
        s->MayGotoBudget = MayGotoSemantics.InitialBudget; // a callback invocation is a function entry
        if (depth > s->ZeroedDepth)
        {
            NativeMemory.Clear((void*)s->StackLow, BpfStack.FrameSize);
            s->ZeroedDepth = depth;
        }

        int callerPc = run.CallerPc;
        run.Depth = depth;
        run.EngineState = (nint)s;
        try
        {
            return Dispatch(s, s->Code + (int)(uint)callback, run);
        }
        finally
        {
            outer->ZeroedDepth = s->ZeroedDepth;
            outer->Remaining = s->Remaining;
            run.Depth = outer->Depth;
            run.EngineState = (nint)outer;
            run.CallerPc = callerPc;
        }
    }
}
