namespace BpfSharp.Verifier;

/// <summary>
/// The state of one call frame (kernel: struct bpf_func_state): registers R0-R10 and the stack slots
/// allocated so far. Frame 0 is the main program; a BPF-to-BPF call pushes the next frame.
/// </summary>
public sealed class FuncState
{
    /// <summary>Registers per frame, R0-R10 (kernel: MAX_BPF_REG).</summary>
    public const int RegisterCount = 11;

    /// <summary>The frame pointer register (kernel: BPF_REG_FP).</summary>
    public const int FramePointer = 10;

    /// <summary>The largest stack of one frame in bytes (kernel: MAX_BPF_STACK).</summary>
    public const int MaxStack = 512;

    private StackSlot[] _stack;

    /// <summary>
    /// A fresh frame (kernel: init_func_state): every register NOT_INIT except R10, the frame pointer
    /// (PTR_TO_STACK of this frame, offset 0); no stack allocated.
    /// </summary>
    public FuncState(int frameno, int callsite = -1, int subprogno = 0)
    {
        Frameno = frameno;
        Callsite = callsite;
        Subprogno = subprogno;
        Regs = new RegState[RegisterCount];
        for (int i = 0; i < RegisterCount; i++)
            Regs[i].MarkNotInit();
        Regs[FramePointer] = RegState.StackPointer(frameno);
        _stack = [];
    }

    private FuncState(FuncState other)
    {
        Frameno = other.Frameno;
        Callsite = other.Callsite;
        Subprogno = other.Subprogno;
        InCallbackFn = other.InCallbackFn;
        InAsyncCallbackFn = other.InAsyncCallbackFn;
        CallbackRetRange = other.CallbackRetRange;
        CallbackDepth = other.CallbackDepth;
        Regs = (RegState[])other.Regs.Clone();
        _stack = (StackSlot[])other._stack.Clone();
        AllocatedStack = other.AllocatedStack;
        Parent = other.Parent;
    }

    /// <summary>
    /// This frame in the checkpoint the path continues from, null for a frame entered since (kernel: the parent
    /// links of the frame's registers and slots); stack reads are marked up this chain.
    /// </summary>
    internal FuncState? Parent { get; set; }

    /// <summary>The registers R0-R10 (kernel: regs); index with the register number.</summary>
    public RegState[] Regs { get; }

    /// <summary>This frame's number, 0 for the main program (kernel: frameno).</summary>
    public int Frameno { get; }

    /// <summary>The instruction index of the call that created this frame, -1 for frame 0 (kernel: callsite).</summary>
    public int Callsite { get; }

    /// <summary>The subprogram this frame runs (kernel: subprogno).</summary>
    public int Subprogno { get; }

    /// <summary>The frame runs a callback passed to a helper (kernel: in_callback_fn); the log adds " cb".</summary>
    public bool InCallbackFn { get; set; }

    /// <summary>The frame runs an async callback (kernel: in_async_callback_fn); the log adds " async_cb".</summary>
    public bool InAsyncCallbackFn { get; set; }

    /// <summary>The values R0 may hold when a callback frame returns (kernel: callback_ret_range).</summary>
    public RetvalRange CallbackRetRange { get; set; }

    /// <summary>
    /// The callback iterations this frame has entered from the helper call it is at, since it last got past it
    /// (kernel: callback_depth): bpf_loop simulates at most as many as its iteration count allows.
    /// </summary>
    public int CallbackDepth { get; set; }

    /// <summary>The stack bytes tracked so far, a multiple of 8 (kernel: allocated_stack).</summary>
    public int AllocatedStack { get; private set; }

    /// <summary>The number of tracked slots: <c>AllocatedStack / 8</c>.</summary>
    public int SlotCount => AllocatedStack / StackSlot.Size;

    /// <summary>Slot <paramref name="spi"/>, the bytes fp-8*(spi+1) .. fp-8*spi-1 (kernel: stack[spi]).</summary>
    public ref StackSlot Slot(int spi) => ref _stack[spi];

    /// <summary>
    /// Makes at least <paramref name="size"/> bytes below the frame pointer tracked, rounded up to 8; new slots
    /// are all invalid (kernel: grow_stack_state). Never shrinks.
    /// </summary>
    public void GrowStack(int size)
    {
        if (size < 0 || size > MaxStack)
            throw new ArgumentOutOfRangeException(nameof(size), size, "stack size must be within [0, 512]");
        int bytes = (size + StackSlot.Size - 1) / StackSlot.Size * StackSlot.Size;
        if (bytes <= AllocatedStack)
            return;
        int oldSlots = SlotCount;
        Array.Resize(ref _stack, bytes / StackSlot.Size);
        for (int i = oldSlots; i < _stack.Length; i++)
            _stack[i] = StackSlot.Invalid;
        AllocatedStack = bytes;
    }

    /// <summary>A deep copy (kernel: copy_func_state).</summary>
    public FuncState Clone() => new(this);
}
