using BpfSharp.Uapi;

namespace BpfSharp.Verifier;

// kernel: is_state_visited, explored_state, update_branch_counts, states_maybe_looping and the pruning statistics.
public sealed partial class BpfVerifier
{
    /// <summary>The most explored states one instruction may have for an unprivileged load (kernel: BPF_COMPLEXITY_LIMIT_STATES).</summary>
    private const int ComplexityLimitStates = 64;

    // kernel: explored_states, a hash table of lists keyed by instruction and callsite; each list newest last
    private List<ExploredState>?[] _explored = [];
    private StateEquivalence _equiv = null!;
    private int _jmpsProcessed;
    private int _prevJmpsProcessed;
    private int _prevInsnProcessed;
    private int _maxStatesPerInsn;
    private int _totalStates;
    private int _peakStates;
    private int _exploredStatesSize;
    private int _freeListSize;

    private void InitPruning()
    {
        _explored = new List<ExploredState>?[_insns.Length];
        _equiv = new StateEquivalence(LiveRegisters.Compute(_insns), AllowUninitStack, BpfCapable);
    }

    // kernel: explored_state: the bucket of (insn, callsite of the innermost frame); the table has one per instruction
    private List<ExploredState> ExploredList(int insnIdx)
    {
        uint bucket = unchecked((uint)(insnIdx ^ _cur.Current.Callsite)) % (uint)_insns.Length;
        return _explored[bucket] ??= [];
    }

    /// <summary>
    /// At a prune point: true if an explored state that was fully verified covers the current one, so the path
    /// ends here; otherwise maybe saves the current state as a new checkpoint (kernel: is_state_visited). A path
    /// that comes back to a loop head in exactly the state it had there is an infinite loop (EINVAL).
    /// </summary>
    private bool IsStateVisited(int insnIdx)
    {
        VerifierState cur = _cur;
        bool forceCheckpoint = _cfg.IsForceCheckpoint(insnIdx);
        bool forceNewState = _opt.TestStateFreq || forceCheckpoint || cur.JmpHistoryCount > 40;
        // a checkpoint only after at least 2 jumps and 8 instructions since the last, unless forced
        bool addNewState = forceNewState
            || (_jmpsProcessed - _prevJmpsProcessed >= 2 && _insnProcessed - _prevInsnProcessed >= 8);

        List<ExploredState> list = ExploredList(insnIdx);
        int statesCnt = 0;
        for (int k = list.Count - 1; k >= 0; k--)
        {
            ExploredState sl = list[k];
            statesCnt++;
            if (sl.State.InsnIdx != insnIdx)
                continue;
            if (sl.State.Branches > 0)
            {
                // a may_goto: another iteration of the loop within the ranges of an earlier one needs no more
                // iterations (kernel: states_equal with RANGE_WITHIN); the same iteration count is no loop round
                if (IsMayGotoInsn(insnIdx) && sl.State.MayGotoDepth != cur.MayGotoDepth
                    && _equiv.StatesEqual(sl.State, cur, ExactLevel.RangeWithin, _idGen))
                    return Hit(sl, cur, insnIdx, loop: true);
                if (_cfg.CallsCallback(insnIdx))
                {
                    // a callback-calling helper is a loop: a state within the ranges of one the loop had at the call
                    // needs no more iterations (kernel: states_equal with RANGE_WITHIN)
                    if (_equiv.StatesEqual(sl.State, cur, ExactLevel.RangeWithin, _idGen))
                    {
                        sl.HitCount++;
                        PropagateLiveness(sl.State, cur);
                        return true;
                    }
                }
                // an ancestor of this path, still open: the path went round a loop back to it (another callback
                // iteration is not a loop of its own)
                else if (StatesMaybeLooping(sl.State, cur) && sl.State.CallbackUnrollDepth == cur.CallbackUnrollDepth
                    && sl.State.MayGotoDepth == cur.MayGotoDepth
                    && _equiv.StatesEqual(sl.State, cur, ExactLevel.Exact, _idGen))
                    throw InfiniteLoop(insnIdx, sl.State);
                // inside a loop, save states less often: iterations differ and rarely prune each other
                if (!forceNewState && _jmpsProcessed - _prevJmpsProcessed < 20 && _insnProcessed - _prevInsnProcessed < 100)
                    addNewState = false;
            }
            else if (IncompleteReadMarks(sl.State) is var loop
                && _equiv.StatesEqual(sl.State, cur, loop ? ExactLevel.RangeWithin : ExactLevel.NotExact, _idGen))
            {
                // a checkpoint of a loop whose walk is not finished lacks the marks of its unexplored paths: only a
                // state within its ranges is covered (kernel: incomplete_read_marks)
                return Hit(sl, cur, insnIdx, loop);
            }
            // a miss; states that keep missing are dropped (not counted while no new state is saved, so that a
            // loop does not evict the states of its first iterations)
            if (addNewState)
                sl.MissCount++;
            int n = forceCheckpoint && sl.State.Branches > 0 ? 64 : 3;
            if (sl.MissCount > sl.HitCount * n + n)
            {
                list.RemoveAt(k);
                _exploredStatesSize--;
                if (sl.State.Branches > 0)
                {
                    sl.InFreeList = true; // still the parent of open paths: freed when they end
                    _freeListSize++;
                }
            }
        }
        if (_maxStatesPerInsn < statesCnt)
            _maxStatesPerInsn = statesCnt;
        if (!BpfCapable && statesCnt > ComplexityLimitStates)
            return false;
        if (!addNewState)
            return false;

        _totalStates++;
        _exploredStatesSize++;
        UpdatePeakStates();
        _prevJmpsProcessed = _jmpsProcessed;
        _prevInsnProcessed = _insnProcessed;
        // precision inherited from the parent is forgotten at a checkpoint
        if (BpfCapable)
            MarkAllScalarsImprecise(cur);
        VerifierState saved = cur.Clone();
        saved.InsnIdx = insnIdx;
        var node = new ExploredState(saved);
        saved.ExploredNode = node;
        cur.Parent = saved;
        cur.DfsDepth = saved.DfsDepth + 1;
        MaybeEnterScc(saved);
        // the path now continues from the checkpoint: its reads are marked there, its writes screen anew
        for (int j = 0; j <= cur.CurFrame; j++)
        {
            FuncState frame = cur.Frame(j);
            frame.Parent = saved.Frame(j);
            for (int spi = 0; spi < frame.SlotCount; spi++)
                frame.Slot(spi).Live = StackSlotLiveness.None;
        }
        cur.FirstInsnIdx = insnIdx;
        cur.ClearJmpHistory();
        list.Add(node);
        return false;
    }

    // kernel: is_state_visited's hit: the path ends, covered by sl (without the SCC backedge bookkeeping of a loop hit)
    private bool Hit(ExploredState sl, VerifierState cur, int insnIdx, bool loop)
    {
        sl.HitCount++;
        PropagateLiveness(sl.State, cur);
        // what the covering state's continuations needed precise, this path's would have needed: the
        // jump into this instruction is recorded so that backtracking from here finds its way back
        if (_cfg.IsJmpPoint(insnIdx))
            PushInsnHistory(cur, JmpHistoryFlags.None, 0);
        PropagatePrecision(sl.State);
        if (loop)
            AddSccBackedge(sl.State, cur, insnIdx);
        return true;
    }

    /// <summary>
    /// Stack slot <paramref name="spi"/> of <paramref name="frame"/> is read: every checkpoint up the chain whose
    /// value the read sees, up to the first that overwrote the whole slot, needs the slot compared (kernel:
    /// mark_reg_read for a stack slot).
    /// </summary>
    private static void MarkStackRead(FuncState frame, int spi)
    {
        for (FuncState f = frame; f.Parent is { } parent; f = parent)
        {
            if (spi >= f.SlotCount || (f.Slot(spi).Live & StackSlotLiveness.Written) != 0)
                return;
            if (spi >= parent.SlotCount)
                return;
            ref StackSlotLiveness live = ref parent.Slot(spi).Live;
            if ((live & StackSlotLiveness.Read) != 0)
                return; // marked before, and everything above it too
            live |= StackSlotLiveness.Read;
        }
    }

    /// <summary>Every slot holding a byte of <c>fp+minOff .. fp+maxOff-1</c> is read (see <see cref="MarkStackRead"/>).</summary>
    private static void MarkStackRangeRead(FuncState frame, long minOff, long maxOff)
    {
        if (minOff >= maxOff)
            return;
        int hi = StackSlot.Spi((int)minOff), lo = StackSlot.Spi((int)(maxOff - 1));
        for (int spi = Math.Max(lo, 0); spi <= hi && spi < frame.SlotCount; spi++)
            MarkStackRead(frame, spi);
    }

    /// <summary>
    /// The path was pruned: what the covering state's continuations read, this path's continuation would have
    /// read too, so it is marked up this path's chain (kernel: propagate_liveness).
    /// </summary>
    private static void PropagateLiveness(VerifierState old, VerifierState cur)
    {
        for (int f = 0; f <= cur.CurFrame; f++)
        {
            FuncState o = old.Frame(f), c = cur.Frame(f);
            int n = Math.Min(o.SlotCount, c.SlotCount);
            for (int spi = 0; spi < n; spi++)
                if ((o.Slot(spi).Live & StackSlotLiveness.Read) != 0)
                    MarkStackRead(c, spi);
        }
    }

    // kernel: update_peak_states
    private void UpdatePeakStates()
    {
        int states = _exploredStatesSize + _freeListSize + _numBackedges;
        if (states > _peakStates)
            _peakStates = states;
    }

    /// <summary>
    /// A path ended (exit or pruned): one open path less for its checkpoint, and for that checkpoint's parent
    /// when it has none left, and so on up (kernel: update_branch_counts).
    /// </summary>
    private void UpdateBranchCounts(VerifierState? st, ref int freeListSize)
    {
        ExploredState? sl = null;
        while (st is not null)
        {
            uint br = --st.Branches;
            if (br != 0)
                break;
            MaybeExitScc(st);
            VerifierState? parent = st.Parent;
            if (sl is { InFreeList: true })
            {
                sl.InFreeList = false; // kernel: maybe_free_verifier_state
                freeListSize--;
            }
            sl = parent?.ExploredNode;
            st = parent;
        }
    }

    // kernel: states_maybe_looping: the innermost frames' registers are identical (ids included, precision not)
    private static bool StatesMaybeLooping(VerifierState old, VerifierState cur)
    {
        if (old.CurFrame != cur.CurFrame)
            return false;
        RegState[] o = old.Current.Regs, c = cur.Current.Regs;
        for (int i = 0; i < FuncState.RegisterCount; i++)
        {
            ref RegState a = ref o[i], b = ref c[i];
            if (a.Type != b.Type || a.Off != b.Off || a.Range != b.Range || !ReferenceEquals(a.MapPtr, b.MapPtr)
                || a.MemSize != b.MemSize || a.Bounds != b.Bounds || a.Id != b.Id || a.RefObjId != b.RefObjId)
                return false;
        }
        return true;
    }

    private VerifierException InfiniteLoop(int insnIdx, VerifierState old)
    {
        _log.Write(Inv($"infinite loop detected at insn {insnIdx}\n"));
        _log.Write("cur state:");
        StatePrinter.AppendVerifierState(_log.Builder, _cur, _cur.CurFrame, printAll: true);
        _log.Write("old state:");
        StatePrinter.AppendVerifierState(_log.Builder, old, _cur.CurFrame, printAll: true);
        return new VerifierException(-Errno.EINVAL);
    }
}
