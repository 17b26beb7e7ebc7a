namespace BpfSharp.Verifier;

/// <summary>
/// One 8-byte slot of a frame's stack (kernel: struct bpf_stack_state): the kind of each byte and, when
/// a register was spilled there, the register's state.
/// </summary>
public struct StackSlot
{
    /// <summary>The bytes in a slot (kernel: BPF_REG_SIZE).</summary>
    public const int Size = 8;

    /// <summary>The state of the register spilled here, when <see cref="IsSpill"/> (kernel: spilled_ptr).</summary>
    public RegState SpilledPtr;

    /// <summary>The kind of each byte (kernel: slot_type); see <see cref="StackSlotTypes"/> for the byte order.</summary>
    public StackSlotTypes SlotType;

    /// <summary>
    /// Liveness for pruning (kernel: spilled_ptr.live): in a checkpoint, whether a later path read the slot before
    /// overwriting it; in a path, whether it overwrote the whole slot since its last checkpoint.
    /// </summary>
    internal StackSlotLiveness Live;

    /// <summary>A never-written slot: all bytes invalid, no spilled register (kernel: a freshly grown slot).</summary>
    public static StackSlot Invalid
    {
        get
        {
            StackSlot s = default;
            s.SpilledPtr.MarkNotInit();
            return s;
        }
    }

    /// <summary>
    /// The slot index of stack offset <paramref name="off"/> (negative, relative to the frame pointer)
    /// (kernel: __get_spi, <c>(-off - 1) / BPF_REG_SIZE</c>).
    /// </summary>
    public static int Spi(int off) => (-off - 1) / Size;

    /// <summary>
    /// The index into <see cref="SlotType"/> of the byte at stack offset <paramref name="off"/>
    /// (kernel: <c>slot % BPF_REG_SIZE</c> with <c>slot = -off - 1</c>).
    /// </summary>
    public static int ByteIndex(int off) => (-off - 1) % Size;

    /// <summary>True if the whole slot holds a spilled register (kernel: is_spilled_reg: the last byte is a spill).</summary>
    public readonly bool IsSpill => SlotType[Size - 1] == StackSlotType.Spill;

    /// <summary>True if a spilled scalar is here (kernel: is_spilled_scalar_reg).</summary>
    public readonly bool IsSpilledScalar => IsSpill && SpilledPtr.Type == RegType.ScalarValue;

    /// <summary>True if any byte was written (the log prints only such slots).</summary>
    public readonly bool IsValid
    {
        get
        {
            for (int i = 0; i < Size; i++)
                if (SlotType[i] != StackSlotType.Invalid)
                    return true;
            return false;
        }
    }

    /// <summary>
    /// Spills <paramref name="reg"/> into the top <paramref name="size"/> bytes' kinds
    /// (kernel: save_register_state): the lowest <paramref name="size"/> bytes (indices 8-size..7) become
    /// spill; above a narrower spill, invalid and zero bytes keep their kind and the rest become misc
    /// (kernel: mark_stack_slot_misc).
    /// </summary>
    public void SaveRegister(in RegState reg, int size)
    {
        SpilledPtr = reg;
        for (int i = Size; i > Size - size; i--)
            SlotType[i - 1] = StackSlotType.Spill;
        for (int i = 0; i < Size - size; i++)
            if (SlotType[i] is not (StackSlotType.Invalid or StackSlotType.Zero))
                SlotType[i] = StackSlotType.Misc;
    }
}
