namespace BpfSharp.Verifier;

/// <summary>
/// What a jump-history entry records about its instruction beyond the jump itself (kernel: the INSN_F_* flags of
/// struct bpf_jmp_history_entry): a spill to or fill from a stack slot, with the slot and its frame, and which
/// operands of a conditional jump were stack pointers.
/// </summary>
[Flags]
internal enum JmpHistoryFlags
{
    /// <summary>No flag: a plain jump (or call, or exit) into the entry's instruction.</summary>
    None = 0,
    /// <summary>The frame number of the stack access (kernel: INSN_F_FRAMENO_MASK).</summary>
    FramenoMask = 0x7,
    /// <summary>The instruction spilled a register to, or filled one from, a stack slot (kernel: INSN_F_STACK_ACCESS).</summary>
    StackAccess = 1 << 9,
    /// <summary>The jump's destination register was a stack pointer (kernel: INSN_F_DST_REG_STACK).</summary>
    DstRegStack = 1 << 10,
    /// <summary>The jump's source register was a stack pointer (kernel: INSN_F_SRC_REG_STACK).</summary>
    SrcRegStack = 1 << 11,
}

/// <summary>
/// One step of a path that backtracking cannot infer from the instruction order (kernel: struct
/// bpf_jmp_history_entry): a jump, call or return into <see cref="Idx"/> from <see cref="PrevIdx"/>, a register
/// spill or fill with its stack slot, or the scalars linked by id that a conditional jump refined together.
/// </summary>
internal struct JmpHistoryEntry
{
    private const int SpiShift = 3;
    private const int SpiMask = 0x3f;

    /// <summary>The instruction the entry is about (kernel: idx).</summary>
    public int Idx;

    /// <summary>The instruction executed before it (kernel: prev_idx).</summary>
    public int PrevIdx;

    /// <summary>The stack access and jump operand flags, with the slot and frame of a stack access (kernel: flags).</summary>
    public JmpHistoryFlags Flags;

    /// <summary>The scalars a conditional jump refined together, packed (kernel: linked_regs); 0 if none.</summary>
    public ulong LinkedRegs;

    /// <summary>The flags of a spill or fill of slot <paramref name="spi"/> in frame <paramref name="frameno"/> (kernel: insn_stack_access_flags).</summary>
    public static JmpHistoryFlags StackAccessFlags(int frameno, int spi) =>
        JmpHistoryFlags.StackAccess | (JmpHistoryFlags)(spi << SpiShift) | (JmpHistoryFlags)frameno;

    /// <summary>The slot of a stack access (kernel: insn_stack_access_spi).</summary>
    public readonly int StackSpi => ((int)Flags >> SpiShift) & SpiMask;

    /// <summary>The frame of a stack access (kernel: insn_stack_access_frameno).</summary>
    public readonly int StackFrameno => (int)(Flags & JmpHistoryFlags.FramenoMask);

    /// <summary>True if the entry records a spill or fill.</summary>
    public readonly bool IsStackAccess => (Flags & JmpHistoryFlags.StackAccess) != 0;
}
