namespace BpfSharp.Verifier;

/// <summary>
/// The state of one path through the program (kernel: struct bpf_verifier_state): the stack of call frames,
/// the acquired references, and where the path is.
/// </summary>
public sealed class VerifierState
{
    /// <summary>The deepest call chain (kernel: MAX_CALL_FRAMES).</summary>
    public const int MaxCallFrames = 8;

    private readonly FuncState?[] _frames = new FuncState?[MaxCallFrames];

    /// <summary>
    /// The state at the program's first instruction (kernel: the start of do_check_common): frame 0 with R10
    /// the frame pointer and R1 the context pointer.
    /// </summary>
    public VerifierState()
    {
        var frame = new FuncState(0);
        frame.Regs[1] = RegState.Pointer(RegType.PtrToCtx);
        _frames[0] = frame;
    }

    /// <summary>
    /// The state at the first instruction of subprogram <paramref name="subprogno"/> verified on its own (kernel: the
    /// start of do_check_common): frame 0 of that subprogram with every register but R10 NOT_INIT; the caller sets the
    /// argument registers.
    /// </summary>
    internal VerifierState(int subprogno) => _frames[0] = new FuncState(0, -1, subprogno);

    private VerifierState(VerifierState other)
    {
        for (int i = 0; i <= other.CurFrame; i++)
            _frames[i] = other._frames[i]!.Clone();
        CurFrame = other.CurFrame;
        InsnIdx = other.InsnIdx;
        FirstInsnIdx = other.FirstInsnIdx;
        LastInsnIdx = other.LastInsnIdx;
        Speculative = other.Speculative;
        Branches = other.Branches;
        Parent = other.Parent;
        if (other._historyCount > 0)
        {
            _history = new JmpHistoryEntry[other._historyCount];
            Array.Copy(other._history, _history, other._historyCount);
            _historyCount = other._historyCount;
        }
        References = new List<VerifierStateReference>(other.References);
        ActiveLockId = other.ActiveLockId;
        ActiveLockMap = other.ActiveLockMap;
        CallbackUnrollDepth = other.CallbackUnrollDepth;
        MayGotoDepth = other.MayGotoDepth;
        DfsDepth = other.DfsDepth;
    }

    /// <summary>The innermost frame's number (kernel: curframe).</summary>
    public int CurFrame { get; private set; }

    /// <summary>Frame <paramref name="frameno"/>, 0 to <see cref="CurFrame"/> (kernel: frame[frameno]).</summary>
    public FuncState Frame(int frameno) =>
        (uint)frameno <= (uint)CurFrame ? _frames[frameno]! : throw new ArgumentOutOfRangeException(nameof(frameno));

    /// <summary>The innermost frame (kernel: cur_func).</summary>
    public FuncState Current => _frames[CurFrame]!;

    /// <summary>The innermost frame's registers (kernel: cur_regs).</summary>
    public RegState[] Regs => Current.Regs;

    /// <summary>The instruction this state is at (kernel: insn_idx).</summary>
    public int InsnIdx { get; set; }

    /// <summary>The first instruction of the straight-line run this state covers (kernel: first_insn_idx).</summary>
    public int FirstInsnIdx { get; set; }

    /// <summary>The last instruction of that run (kernel: last_insn_idx).</summary>
    public int LastInsnIdx { get; set; }

    /// <summary>The path is a speculative one (Spectre v1 sanitation) (kernel: speculative).</summary>
    public bool Speculative { get; set; }

    /// <summary>
    /// The paths still being explored from this state (kernel: branches): 1 for the path itself plus one per
    /// pending branch that descends from it. A checkpoint whose count reached 0 was fully verified.
    /// </summary>
    public uint Branches { get; set; } = 1;

    /// <summary>The checkpoint this path continues from, null before the first (kernel: parent).</summary>
    public VerifierState? Parent { get; set; }

    /// <summary>The explored-state entry holding this state when it is a checkpoint (kernel: container_of the list node).</summary>
    internal ExploredState? ExploredNode { get; set; }

    private JmpHistoryEntry[] _history = [];
    private int _historyCount;

    /// <summary>
    /// The entries of the jump history since the last checkpoint (kernel: insn_hist_end - insn_hist_start): jumps,
    /// calls and returns, register spills and fills, linked scalars; more than 40 force a new checkpoint at the
    /// next prune point.
    /// </summary>
    public int JmpHistoryCount => _historyCount;

    /// <summary>Entry <paramref name="i"/> of the jump history, oldest first.</summary>
    internal ref JmpHistoryEntry JmpHistoryAt(int i) => ref _history[i];

    /// <summary>Appends <paramref name="entry"/> to the jump history; returns its index (kernel: push_jmp_history).</summary>
    internal int PushJmpHistory(in JmpHistoryEntry entry)
    {
        if (_historyCount == _history.Length)
            Array.Resize(ref _history, Math.Max(8, _history.Length * 2));
        _history[_historyCount] = entry;
        return _historyCount++;
    }

    /// <summary>Starts an empty history: the state became a checkpoint's child (kernel: insn_hist_start = insn_hist_end).</summary>
    internal void ClearJmpHistory() => _historyCount = 0;

    /// <summary>
    /// The id of the map value register whose bpf_spin_lock is held (kernel: the id of a REF_TYPE_LOCK entry in refs;
    /// 0 for a value addressed directly).
    /// </summary>
    public uint ActiveLockId { get; set; }

    /// <summary>The map whose value holds the held lock, null when no lock is held (kernel: active_locks, one at a time).</summary>
    public Maps.MapAttributes? ActiveLockMap { get; set; }

    /// <summary>
    /// How many callback bodies this path has entered (kernel: callback_unroll_depth): states that differ in it are not
    /// an infinite loop, only another iteration of a callback.
    /// </summary>
    public int CallbackUnrollDepth { get; set; }

    /// <summary>
    /// How many may_goto fall-throughs (loop iterations) this path has taken (kernel: may_goto_depth): at a may_goto,
    /// states that differ in it are iterations of a loop, not an infinite loop.
    /// </summary>
    public int MayGotoDepth { get; set; }

    /// <summary>
    /// How many checkpoints lie above this state on its path (kernel: dfs_depth): a checkpoint still open (branches &gt; 0)
    /// with a smaller depth is one this path came through.
    /// </summary>
    public int DfsDepth { get; set; }

    /// <summary>The references acquired and not yet released, in acquisition order (kernel: refs).</summary>
    public List<VerifierStateReference> References { get; private set; } = [];

    /// <summary>
    /// Enters a call: pushes <paramref name="frame"/> as the new innermost frame; its number must be
    /// <see cref="CurFrame"/> + 1. The caller checks the depth first (kernel: "the call stack of %d frames is too deep").
    /// </summary>
    public void PushFrame(FuncState frame)
    {
        if (CurFrame + 1 >= MaxCallFrames)
            throw new InvalidOperationException("the call stack is full");
        if (frame.Frameno != CurFrame + 1)
            throw new ArgumentException($"frame {frame.Frameno} pushed on frame {CurFrame}", nameof(frame));
        _frames[++CurFrame] = frame;
    }

    /// <summary>Leaves a call: drops the innermost frame (kernel: prepare_func_exit's free_func_state).</summary>
    public void PopFrame()
    {
        if (CurFrame == 0)
            throw new InvalidOperationException("no frame to return from");
        _frames[CurFrame--] = null;
    }

    /// <summary>A deep copy of every frame and reference (kernel: copy_verifier_state).</summary>
    public VerifierState Clone() => new(this);
}
