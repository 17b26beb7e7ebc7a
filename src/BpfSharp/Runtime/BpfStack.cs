using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace BpfSharp.Runtime;

/// <summary>
/// The program stack layout every engine uses: up to <see cref="MaxFrames"/> call frames of
/// <see cref="FrameSize"/> bytes (kernel: MAX_BPF_STACK, MAX_CALL_FRAMES). Frame 0 (the main
/// program) is at the top of the block; each bpf-to-bpf call moves r10 down by one frame.
/// </summary>
public static class BpfStack
{
    /// <summary>Bytes of stack per frame (kernel: MAX_BPF_STACK).</summary>
    public const int FrameSize = 512;
    /// <summary>Frames on the call stack at most, the main program included (kernel: MAX_CALL_FRAMES).</summary>
    public const int MaxFrames = 8;
    /// <summary>Bytes of the whole stack block.</summary>
    public const int Size = FrameSize * MaxFrames;

    /// <summary>Zeroes the frame whose lowest byte is at <paramref name="frame"/> (inline vector stores: every run zeroes frame 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void ClearFrame(byte* frame)
    {
        for (int i = 0; i < FrameSize; i += 64)
        {
            Vector256<byte>.Zero.Store(frame + i);
            Vector256<byte>.Zero.Store(frame + i + 32);
        }
    }
}
