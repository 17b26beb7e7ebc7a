using System.Numerics;
using System.Text;

namespace BpfSharp.Verifier;

/// <summary>
/// What precision backtracking still looks for (kernel: struct backtrack_state): per call frame, the registers and
/// the stack slots whose values a safety decision depended on, and the frame the walk is in.
/// </summary>
internal sealed class BacktrackState
{
    /// <summary>The argument registers R1-R5 (kernel: BPF_REGMASK_ARGS).</summary>
    public const uint ArgsMask = 0x3e;

    private readonly uint[] _regMasks = new uint[VerifierState.MaxCallFrames];
    private readonly ulong[] _stackMasks = new ulong[VerifierState.MaxCallFrames];

    /// <summary>The frame the walk is in (kernel: frame).</summary>
    public int Frame { get; set; }

    /// <summary>Nothing is looked for any more (kernel: bt_empty).</summary>
    public bool IsEmpty
    {
        get
        {
            for (int i = 0; i <= Frame; i++)
                if (_regMasks[i] != 0 || _stackMasks[i] != 0)
                    return false;
            return true;
        }
    }

    /// <summary>Clears every mask and the frame (kernel: bt_reset).</summary>
    public void Reset()
    {
        Array.Clear(_regMasks);
        Array.Clear(_stackMasks);
        Frame = 0;
    }

    /// <summary>Backtracking steps from a callee's first instruction into its caller (kernel: bt_subprog_exit).</summary>
    public bool SubprogExit()
    {
        if (Frame == 0)
            return false;
        Frame--;
        return true;
    }

    /// <summary>Backtracking steps from a caller back into the callee that returned to it (kernel: bt_subprog_enter).</summary>
    public bool SubprogEnter()
    {
        if (Frame == VerifierState.MaxCallFrames - 1)
            return false;
        Frame++;
        return true;
    }

    public void SetFrameReg(int frame, int reg) => _regMasks[frame] |= 1u << reg;

    public void ClearFrameReg(int frame, int reg) => _regMasks[frame] &= ~(1u << reg);

    public void SetReg(int reg) => SetFrameReg(Frame, reg);

    public void ClearReg(int reg) => ClearFrameReg(Frame, reg);

    public void SetFrameSlot(int frame, int spi) => _stackMasks[frame] |= 1UL << spi;

    public void ClearFrameSlot(int frame, int spi) => _stackMasks[frame] &= ~(1UL << spi);

    public uint FrameRegMask(int frame) => _regMasks[frame];

    public ulong FrameStackMask(int frame) => _stackMasks[frame];

    public uint RegMask => _regMasks[Frame];

    public ulong StackMask => _stackMasks[Frame];

    public bool IsRegSet(int reg) => (_regMasks[Frame] & (1u << reg)) != 0;

    public bool IsFrameRegSet(int frame, int reg) => (_regMasks[frame] & (1u << reg)) != 0;

    public bool IsFrameSlotSet(int frame, int spi) => (_stackMasks[frame] & (1UL << spi)) != 0;

    /// <summary>A register mask as the log writes it, <c>r0,r2,r4</c> for 0x15 (kernel: fmt_reg_mask).</summary>
    public static void AppendRegMask(StringBuilder sb, uint mask)
    {
        bool first = true;
        for (; mask != 0; mask &= mask - 1)
        {
            if (!first) sb.Append(',');
            sb.Append('r').Append(BitOperations.TrailingZeroCount(mask));
            first = false;
        }
    }

    /// <summary>A stack-slot mask as the log writes it, <c>-8,-24,-40</c> for 0x15 (kernel: fmt_stack_mask).</summary>
    public static void AppendStackMask(StringBuilder sb, ulong mask)
    {
        bool first = true;
        for (; mask != 0; mask &= mask - 1)
        {
            if (!first) sb.Append(',');
            sb.Append(-(BitOperations.TrailingZeroCount(mask) + 1) * StackSlot.Size);
            first = false;
        }
    }
}
