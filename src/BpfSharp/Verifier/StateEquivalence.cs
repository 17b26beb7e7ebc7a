using BpfSharp.Uapi;
namespace BpfSharp.Verifier;

/// <summary>How strictly two states are compared (kernel: enum exact_level).</summary>
internal enum ExactLevel
{
    /// <summary>The old state covers the new one: the pruning test (kernel: NOT_EXACT).</summary>
    NotExact,
    /// <summary>Identical up to an id renaming: the infinite-loop test (kernel: EXACT).</summary>
    Exact,
    /// <summary>Coverage without wildcards for unused registers or slots (kernel: RANGE_WITHIN).</summary>
    RangeWithin,
}

/// <summary>
/// The test that lets the walk stop a path (kernel: states_equal, func_states_equal, regsafe, stacksafe, refsafe,
/// check_ids): an explored state whose every continuation was verified safe <em>covers</em> the current state when
/// every concrete machine state the current one describes is also described by the old one, so the old walk already
/// proved every continuation of the current one. The comparison must be sound above all: a verified program runs
/// unchecked, so a wrong "covers" is a security hole.
/// <para>
/// Registers are compared only where live (kernel 6.18: the static live_regs_before of compute_live_registers).
/// An imprecise scalar of the old state is a wildcard (for privileged loads: precision tracking marks every scalar a
/// safety decision depended on precise in the checkpoints, see BpfVerifier.Precision.cs); a precise one must contain
/// the current one by range and tnum, with consistent ids. Stack slots are
/// compared only where a continuation of the old state read them (path-sensitive read marks up the checkpoint chain,
/// as the kernel did before 6.18's static stack liveness).
/// </para>
/// </summary>
internal sealed class StateEquivalence
{
    // kernel: BPF_ID_MAP_SIZE = (MAX_BPF_REG + MAX_BPF_STACK / BPF_REG_SIZE) * MAX_CALL_FRAMES
    private const int IdMapSize = (FuncState.RegisterCount + FuncState.MaxStack / StackSlot.Size) * VerifierState.MaxCallFrames;

    private readonly uint[] _old = new uint[IdMapSize];
    private readonly uint[] _cur = new uint[IdMapSize];
    private int _count;
    private uint _tmpIdGen;
    private readonly ushort[] _liveRegs;
    private readonly bool _allowUninitStack;
    private readonly bool _bpfCapable;

    /// <param name="liveRegs">The live-register mask before each instruction (bit n for Rn).</param>
    /// <param name="allowUninitStack">Reading never-written stack is allowed (kernel: allow_uninit_stack).</param>
    /// <param name="bpfCapable">Precision is tracked (kernel: bpf_capable): imprecise scalars are wildcards.</param>
    public StateEquivalence(ushort[] liveRegs, bool allowUninitStack, bool bpfCapable)
    {
        _liveRegs = liveRegs;
        _allowUninitStack = allowUninitStack;
        _bpfCapable = bpfCapable;
    }

    /// <summary>True if register <paramref name="regno"/> is live before instruction <paramref name="insnIdx"/>.</summary>
    public bool IsRegLive(int insnIdx, int regno) => (_liveRegs[insnIdx] & (1 << regno)) != 0;

    /// <summary>
    /// Scalars match only when identical (kernel: env->explore_alu_limits): set once an unprivileged load did pointer
    /// arithmetic with a register, whose run-time masking depends on the exact scalar.
    /// </summary>
    public bool ExploreAluLimits { get; set; }

    /// <summary>
    /// True if <paramref name="old"/> covers <paramref name="cur"/> at <paramref name="exact"/> (kernel: states_equal).
    /// <paramref name="idGen"/> is the verifier's last id: temporary ids for unlinked scalars start above it.
    /// </summary>
    public bool StatesEqual(VerifierState old, VerifierState cur, ExactLevel exact, uint idGen)
    {
        if (old.CurFrame != cur.CurFrame)
            return false;
        ResetIdMap(idGen);
        // a state of a speculative path never prunes a real one
        if (old.Speculative && !cur.Speculative)
            return false;
        if (!RefSafe(old, cur))
            return false;
        for (int i = 0; i <= old.CurFrame; i++)
        {
            // the instruction each frame is at: the innermost at the state's own, the others at the call they made
            int insnIdx = i == old.CurFrame ? old.InsnIdx : old.Frame(i + 1).Callsite;
            if (old.Frame(i).Callsite != cur.Frame(i).Callsite)
                return false;
            if (!FuncStatesEqual(old.Frame(i), cur.Frame(i), insnIdx, exact))
                return false;
        }
        return true;
    }

    /// <summary>Starts a run of <see cref="RegsExactNow"/> with a fresh id mapping (kernel: reset_idmap_scratch).</summary>
    public void BeginExactComparison(uint idGen) => ResetIdMap(idGen);

    /// <summary>
    /// True if the registers are identical up to the id mapping of the run <see cref="BeginExactComparison"/> started
    /// (kernel: regs_exact, as widen_imprecise_scalars uses it).
    /// </summary>
    public bool RegsExactNow(in RegState old, in RegState cur) => RegsExact(old, cur);

    private void ResetIdMap(uint idGen)
    {
        _count = 0;
        _tmpIdGen = idGen;
    }

    // kernel: func_states_equal
    private bool FuncStatesEqual(FuncState old, FuncState cur, int insnIdx, ExactLevel exact)
    {
        // a frame that entered more callback iterations at its call than the current one covers nothing of it
        if (old.CallbackDepth > cur.CallbackDepth)
            return false;
        ushort live = _liveRegs[insnIdx];
        for (int i = 0; i < FuncState.RegisterCount; i++)
        {
            // R10 is always the frame pointer of its frame: compared like any live register
            if (i != FuncState.FramePointer && (live & (1 << i)) == 0)
                continue;
            if (!RegSafe(old.Regs[i], cur.Regs[i], exact))
                return false;
        }
        return StackSafe(old, cur, exact);
    }

    // kernel: range_within: every bound of cur lies within old's
    private static bool RangeWithin(in ScalarBounds old, in ScalarBounds cur) =>
        old.UMin <= cur.UMin && old.UMax >= cur.UMax && old.SMin <= cur.SMin && old.SMax >= cur.SMax
        && old.U32Min <= cur.U32Min && old.U32Max >= cur.U32Max && old.S32Min <= cur.S32Min && old.S32Max >= cur.S32Max;

    // kernel: tnum_in(old->var_off, cur->var_off) && range_within(old, cur)
    private static bool ValueWithin(in RegState old, in RegState cur) =>
        RangeWithin(old.Bounds, cur.Bounds) && Tnum.In(old.Bounds.VarOff, cur.Bounds.VarOff);

    // kernel: the memcmp up to var_off: type, fixed offset, and the type's union (range, map, memory size, dynptr)
    private static bool SameHead(in RegState old, in RegState cur) =>
        old.Type == cur.Type && old.Off == cur.Off && old.Range == cur.Range
        && ReferenceEquals(old.MapPtr, cur.MapPtr) && old.MemSize == cur.MemSize
        && ReferenceEquals(old.Btf, cur.Btf) && old.BtfId == cur.BtfId
        && old.DynptrId == cur.DynptrId;

    // kernel: regs_exact: identical up to the ids, which must map consistently
    private bool RegsExact(in RegState old, in RegState cur) =>
        SameHead(old, cur) && old.Bounds == cur.Bounds && CheckIds(old.Id, cur.Id) && CheckIds(old.RefObjId, cur.RefObjId);

    /// <summary>True if a register that was <paramref name="old"/> on a safe path makes <paramref name="cur"/> safe too (kernel: regsafe).</summary>
    private bool RegSafe(in RegState old, in RegState cur, ExactLevel exact)
    {
        if (exact == ExactLevel.Exact)
            return RegsExact(old, cur) && old.Frameno == cur.Frameno;
        // the explored walk never read this register before writing it
        if (old.Type == RegType.NotInit && (exact == ExactLevel.NotExact || cur.Type == RegType.NotInit))
            return true;
        // types must match exactly, flags included: a pointer never stands in for a scalar, nor a checked
        // pointer for a maybe-null one (the null check would have reached other registers by id)
        if (old.Type != cur.Type)
            return false;
        switch (old.Type.BaseType())
        {
            case RegType.ScalarValue:
                // kernel: explore_alu_limits (set by unprivileged pointer arithmetic with a register): scalars must
                // be identical, as the run-time masking of that arithmetic may differ between them
                if (ExploreAluLimits)
                    return old.Off == cur.Off && old.Bounds == cur.Bounds && CheckScalarIds(old.Id, cur.Id);
                // no continuation of the old state depended on its value
                if (!old.Precise && exact == ExactLevel.NotExact && _bpfCapable)
                    return true;
                // an unlinked old scalar accepts any linking (it only adds constraints); a linked one needs the
                // same linking, and an add-const link the same constant
                if ((old.Id & RegState.AddConstFlag) != 0 && (cur.Id & RegState.AddConstFlag) == 0)
                    return false;
                if (old.Id != 0 && (old.Id & RegState.AddConstFlag) == 0 && (cur.Id & RegState.AddConstFlag) != 0)
                    return false;
                if ((old.Id & RegState.AddConstFlag) != 0 && (cur.Id & RegState.AddConstFlag) != (old.Id & RegState.AddConstFlag))
                    return false; // a 32-bit add-const link is not a 64-bit one
                if ((old.Id & RegState.AddConstFlag) != 0 && old.Off != cur.Off)
                    return false;
                if (!CheckScalarIds(old.Id, cur.Id))
                    return false;
                // cur's value set within old's
                return ValueWithin(old, cur);
            case RegType.PtrToMapKey or RegType.PtrToMapValue or RegType.PtrToMem or RegType.PtrToBuf or RegType.PtrToTpBuffer:
                return SameHead(old, cur) && ValueWithin(old, cur)
                    && CheckIds(old.Id, cur.Id) && CheckIds(old.RefObjId, cur.RefObjId);
            case RegType.PtrToPacketMeta or RegType.PtrToPacket:
                // at least the old proven range (the negative pkt_end markers included), the same fixed offset
                if (old.Range > cur.Range || old.Off != cur.Off)
                    return false;
                if (!CheckIds(old.Id, cur.Id))
                    return false;
                return ValueWithin(old, cur);
            case RegType.PtrToStack:
                // fp-8 of one frame is not fp-8 of another
                return RegsExact(old, cur) && old.Frameno == cur.Frameno;
            case RegType.PtrToArena:
                return true;
            default:
                return RegsExact(old, cur);
        }
    }

    // kernel: is_stack_all_misc
    private bool IsStackAllMisc(in StackSlot slot)
    {
        for (int i = 0; i < StackSlot.Size; i++)
        {
            StackSlotType t = slot.SlotType[i];
            if (t == StackSlotType.Misc || (t == StackSlotType.Invalid && _allowUninitStack))
                continue;
            return false;
        }
        return true;
    }

    // kernel: is_spilled_scalar_reg64
    private static bool IsSpilledScalarReg64(in StackSlot slot) =>
        slot.SlotType[0] == StackSlotType.Spill && slot.SpilledPtr.Type == RegType.ScalarValue;

    private static readonly RegState UnboundReg = RegState.UnknownScalar();

    // kernel: scalar_reg_for_stack: a 64-bit scalar spill, or an unbound scalar for an all-misc slot
    private bool ScalarRegForStack(in StackSlot slot, out RegState reg)
    {
        if (IsSpilledScalarReg64(slot))
        {
            reg = slot.SpilledPtr;
            return true;
        }
        reg = UnboundReg;
        return IsStackAllMisc(slot);
    }

    // kernel: stacksafe: byte by byte over the old state's slots; slots only the current state has were never used
    private bool StackSafe(FuncState old, FuncState cur, ExactLevel exact)
    {
        for (int i = 0; i < old.AllocatedStack; i++)
        {
            int spi = i / StackSlot.Size, b = i % StackSlot.Size;
            ref StackSlot os = ref old.Slot(spi);
            StackSlotType ot = os.SlotType[b];
            if (exact != ExactLevel.NotExact && (i >= cur.AllocatedStack || ot != cur.Slot(spi).SlotType[b]))
                return false;
            // no continuation of the (fully explored) old state read this slot before overwriting it
            if (exact == ExactLevel.NotExact && (os.Live & StackSlotLiveness.Read) == 0)
            {
                i += StackSlot.Size - 1;
                continue;
            }
            if (ot == StackSlotType.Invalid)
                continue;
            if (_allowUninitStack && ot == StackSlotType.Misc)
                continue;
            if (i >= cur.AllocatedStack)
                return false;
            ref StackSlot cs = ref cur.Slot(spi);
            // a 64-bit scalar spill against an all-misc slot (or the reverse) compares as scalars
            if (ScalarRegForStack(os, out RegState oldReg) && ScalarRegForStack(cs, out RegState curReg))
            {
                if (!RegSafe(oldReg, curReg, exact))
                    return false;
                i += StackSlot.Size - 1;
                continue;
            }
            StackSlotType ct = cs.SlotType[b];
            // safe with unknown bytes means safe with zero bytes; not the reverse
            if (ot == StackSlotType.Misc && ct == StackSlotType.Zero)
                continue;
            if (ot != ct)
                return false;
            if (b != StackSlot.Size - 1)
                continue;
            switch (os.SlotType[StackSlot.Size - 1])
            {
                case StackSlotType.Spill:
                    if (!RegSafe(os.SpilledPtr, cs.SpilledPtr, exact))
                        return false;
                    break;
                case StackSlotType.Dynptr:
                    // the same kind of dynptr, the same slot of it, the same reference
                    if (os.SpilledPtr.DynptrType != cs.SpilledPtr.DynptrType
                        || os.SpilledPtr.DynptrFirstSlot != cs.SpilledPtr.DynptrFirstSlot
                        || !CheckIds(os.SpilledPtr.RefObjId, cs.SpilledPtr.RefObjId))
                        return false;
                    break;
                case StackSlotType.Misc or StackSlotType.Zero or StackSlotType.Invalid:
                    continue;
                default:
                    return false;
            }
        }
        return true;
    }

    // kernel: refsafe: the same references, in the same order, up to the id renaming, and the same lock held.
    private bool RefSafe(VerifierState old, VerifierState cur)
    {
        if (!ReferenceEquals(old.ActiveLockMap, cur.ActiveLockMap) || !CheckIds(old.ActiveLockId, cur.ActiveLockId))
            return false;
        List<VerifierStateReference> o = old.References, c = cur.References;
        if (o.Count != c.Count)
            return false;
        for (int i = 0; i < o.Count; i++)
            if (!CheckIds(o[i].Id, c[i].Id))
                return false;
        return true;
    }

    // kernel: check_ids: old ids map to current ids one to one, consistently across the whole state
    private bool CheckIds(uint oldId, uint curId)
    {
        if ((oldId != 0) != (curId != 0))
            return false;
        if (oldId == 0)
            return true;
        for (int i = 0; i < _count; i++)
        {
            if (_old[i] == oldId)
                return _cur[i] == curId;
            if (_cur[i] == curId)
                return false;
        }
        if (_count == IdMapSize)
            return false; // cannot happen: more ids than registers and slots
        _old[_count] = oldId;
        _cur[_count] = curId;
        _count++;
        return true;
    }

    // kernel: check_scalar_ids: an unlinked old scalar (id 0) matches anything; a linked one maps to cur's id (an
    // unlinked cur scalar gets a fresh temporary id, so two old registers linked together cannot both map to
    // unlinked current ones), the add-const flag included and then without it
    private bool CheckScalarIds(uint oldId, uint curId)
    {
        if (oldId == 0)
            return true;
        curId = curId != 0 ? curId : ++_tmpIdGen;
        if (!CheckIds(oldId, curId))
            return false;
        if ((oldId & RegState.AddConstFlag) != 0 && !CheckIds(oldId & ~RegState.AddConstFlag, curId & ~RegState.AddConstFlag))
            return false;
        return true;
    }
}
