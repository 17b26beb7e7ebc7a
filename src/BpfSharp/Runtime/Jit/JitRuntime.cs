using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BpfSharp.Runtime.Jit;

/// <summary>
/// What JIT-compiled code calls besides helpers and the shared semantics (<see cref="AluSemantics"/>,
/// <see cref="AtomicSemantics"/>, <see cref="AccessCheck"/>, <see cref="PacketLoad"/>): entering and leaving
/// a bpf-to-bpf frame, the legacy packet loads, callx. Every engine-visible effect matches the interpreter's.
/// </summary>
internal static unsafe class JitRuntime
{
    /// <summary>
    /// A bpf-to-bpf call at <paramref name="pc"/>: one frame deeper (fault past <see cref="BpfStack.MaxFrames"/>),
    /// the frame zeroed the first time the run reaches it; returns the callee's r10.
    /// </summary>
    public static ulong EnterFrame(JitState* state, RunContext run, int pc)
    {
        int depth = state->Depth;
        if (depth == BpfStack.MaxFrames - 1)
            throw EngineFaults.CallDepthExceeded(pc);
        state->Depth = run.Depth = ++depth;
        ulong r10 = state->StackTop - (ulong)depth * BpfStack.FrameSize;
        if (depth > state->ZeroedDepth)
        {
            NativeMemory.Clear((void*)(r10 - BpfStack.FrameSize), BpfStack.FrameSize);
            state->ZeroedDepth = depth;
        }
        return r10;
    }

    /// <summary>Returning from a bpf-to-bpf call: one frame up.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LeaveFrame(JitState* state, RunContext run) => state->Depth = run.Depth = state->Depth - 1;

    /// <summary>LD_ABS/LD_IND: the big-endian packet bytes, or (outside the packet) 0 with the program asked to end with r0 = 0.</summary>
    public static ulong LoadPacket(RunContext run, int offset, int size)
    {
        if (PacketLoad.TryLoad(run, offset, size, out ulong value))
            return value;
        run.RequestExit(0);
        return 0;
    }

    /// <summary>callx: the helper whose id is in the register, called through its delegate (fault if none).</summary>
    public static ulong CallX(BpfHelper?[] helpers, RunContext run, ulong id, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5, int pc)
    {
        BpfHelper? helper = id < (ulong)helpers.Length ? helpers[(int)id] : null;
        if (helper is null)
            throw EngineFaults.UnknownHelper(pc, (long)id);
        run.CallerPc = pc;
        return helper(run, r1, r2, r3, r4, r5);
    }
}
