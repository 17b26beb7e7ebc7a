namespace BpfSharp.Runtime.Jit;

// Callbacks (bpf_loop, bpf_for_each_map_elem): the subprogram's method runs on a new frame below the caller's, on
// the same stack block and JitState; its exit returns r0 to the helper. As in the interpreter.
public sealed unsafe partial class JitProgram : ICallbackEngine
{
    bool ICallbackEngine.IsCallback(ulong callback) =>
        SubprogramPointer.TryDecode(callback, out int index) && index < _subprograms.Length && _entries[index] is not null;

    ulong ICallbackEngine.InvokeCallback(RunContext run, ulong callback, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        JitState* state = (JitState*)run.EngineState;
        if (!((ICallbackEngine)this).IsCallback(callback))
            throw run.HelperFault($"callback 0x{callback:x} is not a subprogram of the running program");
        int outerDepth = state->Depth;
        int depth = outerDepth + 1;
        if (depth >= BpfStack.MaxFrames)
            throw EngineFaults.CallbackTooDeep(run.CallerPc, depth);
        ulong r10 = state->StackTop - (ulong)depth * BpfStack.FrameSize;
        if (depth > state->ZeroedDepth)
        {
            System.Runtime.InteropServices.NativeMemory.Clear((void*)(r10 - BpfStack.FrameSize), BpfStack.FrameSize);
            state->ZeroedDepth = depth;
        }
        int callerPc = run.CallerPc;
        state->Depth = run.Depth = depth;
        try
        {
            return _entries[(int)(uint)callback]!(run, state, r1, r2, r3, r4, r5, r10);
        }
        finally
        {
            state->Depth = run.Depth = outerDepth;
            run.CallerPc = callerPc;
        }
    }
}
