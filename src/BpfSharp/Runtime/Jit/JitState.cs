using System.Runtime.InteropServices;

namespace BpfSharp.Runtime.Jit;

/// <summary>
/// The per-run state JIT-compiled code shares across its methods (the main program, subprograms,
/// callbacks), kept on the stack of <see cref="JitProgram.Run"/> and passed as a pointer.
/// Registers are not here: they are IL locals of each method.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct JitState
{
    /// <summary>Top of the stack block (r10 of frame 0).</summary>
    public ulong StackTop;
    /// <summary>Index of the current frame (0 = main program).</summary>
    public int Depth;
    /// <summary>Frames 0..ZeroedDepth have been zeroed in this run; deeper ones are zeroed when first entered.</summary>
    public int ZeroedDepth;
    /// <summary>Instructions the run may still execute (budgeted runs; methods keep it in a local between calls).</summary>
    public long Remaining;
}
