using System.Runtime.InteropServices;

namespace BpfSharp.Runtime;

/// <summary>Registers a bpf-to-bpf call saves: where to return, the caller's r1-r5 (restored: a call leaves them as they were) and r6-r10.</summary>
internal unsafe struct Frame
{
    public DecodedInsn* ReturnIp;
    public ulong R1, R2, R3, R4, R5, R6, R7, R8, R9, R10;
    /// <summary>The caller's may_goto loop budget (each function invocation has its own).</summary>
    public ulong MayGotoBudget;
}

/// <summary>
/// The per-run machine state the dispatch loop works on, kept on the caller's stack and reached
/// through one pointer (so the loop keeps few values live across helper calls).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ExecState
{
    /// <summary>r0-r10 (16 slots).</summary>
    public fixed ulong Regs[16];
    /// <summary>Saved caller state, one per active bpf-to-bpf call.</summary>
    public Frame* Frames;
    /// <summary>First slot of the pre-decoded program (for instruction indices in faults).</summary>
    public DecodedInsn* Code;
    /// <summary>Top of the stack block (r10 of frame 0).</summary>
    public ulong StackTop;
    /// <summary>Lowest address of the active frames' stack.</summary>
    public ulong StackLow;
    /// <summary>Index of the current frame (0 = main program).</summary>
    public int Depth;
    /// <summary>The frame whose exit ends this execution: 0 for a run, the callback's frame for a callback.</summary>
    public int BaseDepth;
    /// <summary>Frames 0..ZeroedDepth have been zeroed in this run; deeper ones are zeroed when first entered.</summary>
    public int ZeroedDepth;
    /// <summary>The instruction budget of the run (0: unlimited), for messages.</summary>
    public long Budget;
    /// <summary>Instructions the run may still execute; the loop keeps it in a local and stores it across helper calls.</summary>
    public long Remaining;
    /// <summary>The may_goto loop budget of the running function invocation (<see cref="MayGotoSemantics"/>).</summary>
    public ulong MayGotoBudget;
}
