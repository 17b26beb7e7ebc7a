using System.Numerics;
using BpfSharp.Isa;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Verifier;

// kernel: push_jmp_history, get_prev_insn_idx, backtrack_insn, bt_sync_linked_regs, __mark_chain_precision,
// mark_all_scalars_precise, mark_all_scalars_imprecise, propagate_precision.
//
// Precision tracking: every scalar starts imprecise (for privileged loads), and an explored state compares an
// imprecise scalar as a wildcard. When a scalar's value decides safety (a pointer offset, a helper's size argument,
// a jump whose outcome is known, the program's return value, ...), the walk goes back along the path, instruction
// by instruction and checkpoint by checkpoint, to every register and spilled slot the value came from, and marks
// them precise in the checkpoints the path continues from: those are then compared by range when pruning.
public sealed partial class BpfVerifier
{
    private readonly BacktrackState _bt = new();

    // kernel: env->cur_hist_ent, the entry the current instruction pushed, -1 if none
    private int _curHistEnt = -1;

    // kernel: env->prev_insn_idx, the instruction executed before the current one (_prevInsnIdx moves on to the
    // current one while it is processed)
    private int _envPrevInsnIdx = -1;

    private enum BacktrackResult { Ok, NotSupported }

    // get_prev_insn_idx's answer at the start of a state's segment (kernel: -ENOENT)
    private const int NoPrevInsn = int.MinValue;

    /// <summary>
    /// Records the current instruction in <paramref name="state"/>'s jump history, or adds
    /// <paramref name="flags"/> and <paramref name="linkedRegs"/> to the entry it already recorded
    /// (kernel: push_jmp_history / push_insn_history).
    /// </summary>
    private void PushInsnHistory(VerifierState state, JmpHistoryFlags flags, ulong linkedRegs)
    {
        if (_curHistEnt >= 0)
        {
            ref JmpHistoryEntry e = ref state.JmpHistoryAt(_curHistEnt);
            e.Flags |= flags;
            e.LinkedRegs = linkedRegs;
            return;
        }
        _curHistEnt = state.PushJmpHistory(new JmpHistoryEntry
        {
            Idx = _insnIdx,
            PrevIdx = _envPrevInsnIdx,
            Flags = flags,
            LinkedRegs = linkedRegs,
        });
    }

    /// <summary>
    /// The instruction executed before <paramref name="insnIdx"/> in <paramref name="st"/>'s segment of the path,
    /// consuming the history entry that says so; <see cref="NoPrevInsn"/> at the start of the segment (kernel: get_prev_insn_idx).
    /// </summary>
    private static int GetPrevInsnIdx(VerifierState st, int insnIdx, ref int histEnd)
    {
        if (insnIdx == st.FirstInsnIdx)
        {
            if (histEnd == 0)
                return NoPrevInsn;
            if (histEnd == 1 && st.JmpHistoryAt(0).Idx == insnIdx)
                return NoPrevInsn;
        }
        if (histEnd > 0 && st.JmpHistoryAt(histEnd - 1).Idx == insnIdx)
            return st.JmpHistoryAt(--histEnd).PrevIdx;
        return insnIdx - 1;
    }

    /// <summary>
    /// The value of scalar <paramref name="regno"/> in the current frame decides safety: mark it, and everything it
    /// was computed from, precise in the checkpoints up the path (kernel: mark_chain_precision).
    /// </summary>
    private void MarkChainPrecision(int regno)
    {
        if (!BpfCapable)
            return;
        _bt.Frame = _cur.CurFrame;
        if (regno >= 0)
        {
            if (_cur.Regs[regno].Type != RegType.ScalarValue)
                throw Fail(-Errno.EFAULT, "verifier bug: backtracking misuse");
            _bt.SetReg(regno);
        }
        MarkChainPrecisionCore();
    }

    /// <summary>
    /// The registers and slots set in <see cref="_bt"/> beforehand decide safety (kernel: mark_chain_precision_batch).
    /// </summary>
    private void MarkChainPrecisionBatch()
    {
        if (!BpfCapable)
        {
            _bt.Reset();
            return;
        }
        _bt.Frame = _cur.CurFrame;
        MarkChainPrecisionCore();
    }

    // kernel: __mark_chain_precision
    private void MarkChainPrecisionCore()
    {
        BacktrackState bt = _bt;
        VerifierState st = _cur;
        int firstIdx = st.FirstInsnIdx, lastIdx = _insnIdx, subseqIdx = -1;
        bool skipFirst = true;
        if (bt.IsEmpty)
            return;
        for (;;)
        {
            int histEnd = st.JmpHistoryCount;
            if (_log.Level2On)
                _log.Write(Inv($"mark_precise: frame{bt.Frame}: last_idx {lastIdx} first_idx {firstIdx} subseq_idx {subseqIdx} \n"));
            if (lastIdx < 0)
            {
                // the entry of a global function: its arguments R1-R5 are as precise as they come
                FuncState f0 = st.Frame(0);
                if (st.CurFrame == 0 && f0.Subprogno > 0 && f0.Callsite == -1 && bt.StackMask == 0
                    && (bt.RegMask & ~BacktrackState.ArgsMask) == 0)
                {
                    for (uint mask = bt.RegMask; mask != 0; mask &= mask - 1)
                    {
                        int i = BitOperations.TrailingZeroCount(mask);
                        bt.ClearReg(i);
                        ref RegState reg = ref f0.Regs[i];
                        if (reg.Type == RegType.ScalarValue)
                            reg.Precise = true;
                    }
                    return;
                }
                throw BacktrackBug(Inv($"backtracking func entry subprog {f0.Subprogno} reg_mask {bt.RegMask:x} stack_mask {bt.StackMask:x}"));
            }
            for (int i = lastIdx; ;)
            {
                if (skipFirst)
                {
                    skipFirst = false;
                }
                else
                {
                    bool hasHist = histEnd > 0 && st.JmpHistoryAt(histEnd - 1).Idx == i;
                    JmpHistoryEntry hist = hasHist ? st.JmpHistoryAt(histEnd - 1) : default;
                    if (BacktrackInsn(i, subseqIdx, hasHist, hist) == BacktrackResult.NotSupported)
                    {
                        MarkAllScalarsPrecise(_cur);
                        bt.Reset();
                        return;
                    }
                }
                if (bt.IsEmpty)
                    return; // every value needed was assigned within this segment
                subseqIdx = i;
                i = GetPrevInsnIdx(st, i, ref histEnd);
                if (i == NoPrevInsn)
                    break;
                if (i < 0 || i >= _insns.Length)
                    throw BacktrackBug(Inv($"backtracking idx {i}"));
            }
            if (st.Parent is not { } parent)
                break;
            st = parent;
            for (int fr = bt.Frame; fr >= 0; fr--)
            {
                if (fr > st.CurFrame)
                    throw BacktrackBug(Inv($"backtracking frame {fr} of a state in frame {st.CurFrame}"));
                FuncState func = st.Frame(fr);
                for (uint mask = bt.FrameRegMask(fr); mask != 0; mask &= mask - 1)
                {
                    int i = BitOperations.TrailingZeroCount(mask);
                    ref RegState reg = ref func.Regs[i];
                    if (reg.Type != RegType.ScalarValue || reg.Precise)
                        bt.ClearFrameReg(fr, i);
                    else
                    {
                        reg.Precise = true;
                        _precisionChanged = true;
                    }
                }
                for (ulong mask = bt.FrameStackMask(fr); mask != 0; mask &= mask - 1)
                {
                    int i = BitOperations.TrailingZeroCount(mask);
                    if (i >= func.SlotCount)
                        throw BacktrackBug(Inv($"backtracking (stack slot {i}, total slots {func.SlotCount})"));
                    ref StackSlot slot = ref func.Slot(i);
                    if (!slot.IsSpilledScalar || slot.SpilledPtr.Precise)
                        bt.ClearFrameSlot(fr, i);
                    else
                    {
                        slot.SpilledPtr.Precise = true;
                        _precisionChanged = true;
                    }
                }
                if (_log.Level2On)
                {
                    var sb = _log.Builder;
                    sb.Append(Inv($"mark_precise: frame{fr}: parent state regs="));
                    BacktrackState.AppendRegMask(sb, bt.FrameRegMask(fr));
                    sb.Append(" stack=");
                    BacktrackState.AppendStackMask(sb, bt.FrameStackMask(fr));
                    sb.Append(": ");
                    StatePrinter.AppendVerifierState(sb, st, fr, printAll: true);
                }
            }
            if (bt.IsEmpty)
                return;
            subseqIdx = firstIdx;
            lastIdx = st.LastInsnIdx;
            firstIdx = st.FirstInsnIdx;
        }
        // something needed was not found (a stack access through another register than R10, say)
        if (!bt.IsEmpty)
        {
            MarkAllScalarsPrecise(_cur);
            bt.Reset();
        }
    }

    private VerifierException BacktrackBug(string message)
    {
        _bt.Reset();
        return Fail(-Errno.EFAULT, "verifier bug: " + message);
    }

    /// <summary>
    /// Moves what <see cref="_bt"/> looks for from after instruction <paramref name="idx"/> to before it;
    /// <paramref name="subseqIdx"/> is the instruction the path executed next (kernel: backtrack_insn).
    /// </summary>
    private BacktrackResult BacktrackInsn(int idx, int subseqIdx, bool hasHist, in JmpHistoryEntry hist)
    {
        BacktrackState bt = _bt;
        Instruction insn = _insns[idx];
        byte cls = (byte)(insn.Opcode & 0x07), op = (byte)(insn.Opcode & 0xf0), mode = (byte)(insn.Opcode & 0xe0);
        int dreg = insn.Dst, sreg = insn.Src;
        bool srcX = (insn.Opcode & BPF_X) != 0;
        if (insn.Opcode == 0)
            return BacktrackResult.Ok; // the second half of a 64-bit immediate load
        if (_log.Level2On)
        {
            var sb = _log.Builder;
            sb.Append(Inv($"mark_precise: frame{bt.Frame}: regs="));
            BacktrackState.AppendRegMask(sb, bt.RegMask);
            sb.Append(" stack=");
            BacktrackState.AppendStackMask(sb, bt.StackMask);
            sb.Append(Inv($" before {idx}: "));
            _disasmIdx = idx;
            Disassembler.AppendTo(sb, _insns, idx, _disasmOptions ??= DisasmOptions());
            sb.Append('\n');
        }
        // registers that gained a range at this instruction together with a needed one are needed too
        BtSyncLinkedRegs(hasHist, hist);

        if (cls is BPF_ALU or BPF_ALU64)
        {
            if (!bt.IsRegSet(dreg))
                return BacktrackResult.Ok;
            if (op is BPF_END or BPF_NEG)
                return BacktrackResult.Ok; // dreg still needed before this instruction
            if (op == BPF_MOV)
            {
                // dreg = sreg (or a sign extension): sreg is needed instead; dreg = K: found
                bt.ClearReg(dreg);
                if (srcX && sreg != FuncState.FramePointer)
                    bt.SetReg(sreg);
            }
            else if (srcX && sreg != FuncState.FramePointer)
            {
                bt.SetReg(sreg); // dreg op= sreg: both are needed
            }
        }
        else if (cls == BPF_LDX || IsAtomicFetch(insn))
        {
            int loadReg = cls == BPF_LDX ? dreg : insn.Imm == BPF_CMPXCHG ? 0 : sreg;
            if (!bt.IsRegSet(loadReg))
                return BacktrackResult.Ok;
            bt.ClearReg(loadReg);
            // only a fill from the stack keeps a scalar's value; other loads are where it came from
            if (!hasHist || !hist.IsStackAccess)
                return BacktrackResult.Ok;
            bt.SetFrameSlot(hist.StackFrameno, hist.StackSpi);
        }
        else if (cls is BPF_STX or BPF_ST)
        {
            if (bt.IsRegSet(dreg))
                return BacktrackResult.NotSupported; // a scalar used as a memory address: pointer subtraction
            if (!hasHist || !hist.IsStackAccess)
                return BacktrackResult.Ok;
            int spi = hist.StackSpi, fr = hist.StackFrameno;
            if (!bt.IsFrameSlotSet(fr, spi))
                return BacktrackResult.Ok;
            bt.ClearFrameSlot(fr, spi);
            if (cls == BPF_STX)
                bt.SetReg(sreg);
        }
        else if (cls is BPF_JMP or BPF_JMP32)
        {
            if (insn.Opcode == (BPF_JMP | BPF_CALL) && sreg == BPF_PSEUDO_CALL)
            {
                int subprog = _cfg.FindSubprog(idx + insn.Imm + 1);
                if (subprog < 0)
                    throw BacktrackBug(Inv($"backtracking call to insn {idx + insn.Imm + 1}"));
                if (SubprogIsGlobal(subprog))
                {
                    // a global function is verified on its own: R1-R5 die at the call, R0 is its result
                    if ((bt.RegMask & BacktrackState.ArgsMask) != 0)
                        throw BacktrackBug(Inv($"backtracking call unexpected regs {bt.RegMask:x}"));
                    bt.ClearReg(0);
                    return BacktrackResult.Ok;
                }
                // the callee's first instruction reached back: only its arguments R1-R5 can still be needed,
                // and they are the caller's R1-R5
                if ((bt.RegMask & ~BacktrackState.ArgsMask) != 0)
                    throw BacktrackBug(Inv($"backtracking call unexpected regs {bt.RegMask:x}"));
                if (bt.StackMask != 0)
                    throw BacktrackBug(Inv($"backtracking call unexpected stack slots {bt.StackMask:x}"));
                for (int i = 1; i <= 5; i++)
                {
                    if (!bt.IsRegSet(i))
                        continue;
                    bt.ClearReg(i);
                    bt.SetFrameReg(bt.Frame - 1, i);
                }
                if (!bt.SubprogExit())
                    throw BacktrackBug("backtracking subprog exit from frame 0");
                return BacktrackResult.Ok;
            }
            if (IsSyncCallbackCallingInsn(insn) && idx != subseqIdx - 1)
            {
                // the callback's first instruction reached back to the helper that called it: its R1-R5 are the
                // helper's doing, not the caller's registers
                if ((bt.RegMask & ~BacktrackState.ArgsMask) != 0)
                    throw BacktrackBug(Inv($"callback unexpected regs {bt.RegMask:x}"));
                if (bt.StackMask != 0)
                    throw BacktrackBug(Inv($"backtracking callback unexpected stack slots {bt.StackMask:x}"));
                for (int i = 1; i <= 5; i++)
                    bt.ClearReg(i);
                if (!bt.SubprogExit())
                    throw BacktrackBug("backtracking subprog exit from frame 0");
                return BacktrackResult.Ok;
            }
            if (op == BPF_CALL)
            {
                if (sreg == BPF_PSEUDO_KFUNC_CALL && insn.Imm == 0)
                    return BacktrackResult.NotSupported;
                // a helper sets R0 and clobbers R1-R5, which must have been found after the call
                bt.ClearReg(0);
                if ((bt.RegMask & BacktrackState.ArgsMask) != 0)
                    throw BacktrackBug(Inv($"backtracking call unexpected regs {bt.RegMask:x}"));
                // a tail call taken in a subprogram returned to the caller (see TailCallFromSubprog): back into
                // the subprogram's frame, as from its exit
                if (sreg == 0 && insn.Imm == HelperIds.TailCall && subseqIdx != idx + 1 && !bt.SubprogEnter())
                    throw BacktrackBug(Inv($"backtracking subprog enter from frame {bt.Frame}"));
            }
            else if (op == BPF_EXIT)
            {
                // back into the function that returned: a subprogram's R0 is the caller's, a callback's is not
                bool fromSubprogCall = subseqIdx - 1 >= 0 && IsPseudoCall(_insns[subseqIdx - 1]);
                bool r0Precise = fromSubprogCall && bt.IsRegSet(0);
                if (fromSubprogCall && (bt.RegMask & BacktrackState.ArgsMask) != 0)
                    throw BacktrackBug(Inv($"backtracking exit unexpected regs {bt.RegMask:x}"));
                bt.ClearReg(0);
                if (!bt.SubprogEnter())
                    throw BacktrackBug(Inv($"backtracking subprog enter from frame {bt.Frame}"));
                if (r0Precise)
                    bt.SetReg(0);
                return BacktrackResult.Ok; // R6-R9 and the caller's slots stay in the caller's masks
            }
            else if (srcX)
            {
                if (!bt.IsRegSet(dreg) && !bt.IsRegSet(sreg))
                    return BacktrackResult.Ok;
                // dreg <cond> sreg: either being needed makes both needed (a stack pointer is no scalar)
                if (!hasHist || (hist.Flags & JmpHistoryFlags.SrcRegStack) == 0)
                    bt.SetReg(sreg);
                if (!hasHist || (hist.Flags & JmpHistoryFlags.DstRegStack) == 0)
                    bt.SetReg(dreg);
            }
        }
        else if (cls == BPF_LD)
        {
            if (mode == BPF_IMM)
            {
                bt.ClearReg(dreg); // a 64-bit immediate: found
                return BacktrackResult.Ok;
            }
            if (mode is BPF_IND or BPF_ABS)
            {
                if (bt.IsRegSet(dreg))
                    return BacktrackResult.NotSupported;
                if (subseqIdx != idx + 1 && !bt.SubprogEnter())
                    throw BacktrackBug(Inv($"backtracking subprog enter from frame {bt.Frame}"));
                return BacktrackResult.Ok;
            }
        }
        BtSyncLinkedRegs(hasHist, hist);
        return BacktrackResult.Ok;
    }

    // kernel: bt_sync_linked_regs: if any member of the entry's linked set is needed, every member is
    private void BtSyncLinkedRegs(bool hasHist, in JmpHistoryEntry hist)
    {
        if (!hasHist || hist.LinkedRegs == 0)
            return;
        LinkedRegs linked = LinkedRegs.Unpack(hist.LinkedRegs);
        bool somePrecise = false;
        for (int i = 0; i < linked.Count && !somePrecise; i++)
        {
            LinkedRegs.Entry e = linked[i];
            somePrecise = e.IsReg ? _bt.IsFrameRegSet(e.Frameno, e.RegnoOrSpi) : _bt.IsFrameSlotSet(e.Frameno, e.RegnoOrSpi);
        }
        if (!somePrecise)
            return;
        for (int i = 0; i < linked.Count; i++)
        {
            LinkedRegs.Entry e = linked[i];
            if (e.IsReg)
                _bt.SetFrameReg(e.Frameno, e.RegnoOrSpi);
            else
                _bt.SetFrameSlot(e.Frameno, e.RegnoOrSpi);
        }
    }

    private static bool IsPseudoCall(in Instruction insn) =>
        insn.Opcode == (BPF_JMP | BPF_CALL) && insn.Src == BPF_PSEUDO_CALL;

    // kernel: is_atomic_fetch_insn
    private static bool IsAtomicFetch(in Instruction insn) =>
        (insn.Opcode & 0x07) == BPF_STX && (insn.Opcode & 0xe0) == BPF_ATOMIC && (insn.Imm & BPF_FETCH) != 0;

    // kernel: is_sync_callback_calling_insn: a helper that calls its callback before it returns
    private static bool IsSyncCallbackCallingInsn(in Instruction insn) =>
        insn.Opcode == (BPF_JMP | BPF_CALL) && insn.Src == 0
        && insn.Imm is FuncForEachMapElem or FuncFindVma or FuncLoop or HelperIds.UserRingbufDrain;

    // the helpers that call a callback synchronously (kernel: is_sync_callback_calling_function)
    private const int FuncForEachMapElem = 164, FuncFindVma = 180, FuncLoop = 181;


    /// <summary>
    /// Backtracking could not follow a value (or it fell back): every scalar of every checkpoint up the path is
    /// made precise (kernel: mark_all_scalars_precise). The state itself is skipped: its marks do not matter.
    /// </summary>
    private void MarkAllScalarsPrecise(VerifierState start)
    {
        if (_log.Level2On)
            _log.Write(Inv($"mark_precise: frame{start.CurFrame}: falling back to forcing all scalars precise\n"));
        for (VerifierState? st = start.Parent; st is not null; st = st.Parent)
        {
            for (int i = 0; i <= st.CurFrame; i++)
            {
                FuncState func = st.Frame(i);
                for (int j = 0; j < FuncState.FramePointer; j++)
                {
                    ref RegState reg = ref func.Regs[j];
                    if (reg.Type != RegType.ScalarValue || reg.Precise)
                        continue;
                    reg.Precise = true;
                    if (_log.Level2On)
                        _log.Write(Inv($"force_precise: frame{i}: forcing r{j} to be precise\n"));
                }
                for (int j = 0; j < func.SlotCount; j++)
                {
                    ref StackSlot slot = ref func.Slot(j);
                    if (!slot.IsSpill)
                        continue;
                    ref RegState reg = ref slot.SpilledPtr;
                    if (reg.Type != RegType.ScalarValue || reg.Precise)
                        continue;
                    reg.Precise = true;
                    if (_log.Level2On)
                        _log.Write(Inv($"force_precise: frame{i}: forcing fp{-(j + 1) * StackSlot.Size} to be precise\n"));
                }
            }
        }
    }

    /// <summary>
    /// A checkpoint is taken: the precision its scalars inherited is forgotten, to be marked again only where a
    /// continuation needs it (kernel: mark_all_scalars_imprecise).
    /// </summary>
    private static void MarkAllScalarsImprecise(VerifierState st)
    {
        for (int i = 0; i <= st.CurFrame; i++)
        {
            FuncState func = st.Frame(i);
            for (int j = 0; j < FuncState.FramePointer; j++)
            {
                ref RegState reg = ref func.Regs[j];
                if (reg.Type == RegType.ScalarValue)
                    reg.Precise = false;
            }
            for (int j = 0; j < func.SlotCount; j++)
            {
                ref StackSlot slot = ref func.Slot(j);
                if (slot.IsSpill && slot.SpilledPtr.Type == RegType.ScalarValue)
                    slot.SpilledPtr.Precise = false;
            }
        }
    }

    /// <summary>
    /// The path was pruned by <paramref name="old"/>: what the covering state's continuations needed precise, the
    /// pruned path's would have needed too, so it is marked up this path's chain (kernel: propagate_precision).
    /// Only registers live at the state's instruction and slots its continuations read count: the kernel has
    /// cleaned the others out of the explored state.
    /// </summary>
    private void PropagatePrecision(VerifierState old)
    {
        _bt.Reset();
        for (int fr = old.CurFrame; fr >= 0; fr--)
        {
            FuncState state = old.Frame(fr);
            int insnIdx = fr == old.CurFrame ? old.InsnIdx : old.Frame(fr + 1).Callsite;
            bool first = true;
            for (int i = 0; i < FuncState.FramePointer; i++)
            {
                ref RegState reg = ref state.Regs[i];
                if (reg.Type != RegType.ScalarValue || !reg.Precise || !_equiv.IsRegLive(insnIdx, i))
                    continue;
                if (_log.Level2On)
                    _log.Write(first ? Inv($"frame {fr}: propagating r{i}") : Inv($",r{i}"));
                _bt.SetFrameReg(fr, i);
                first = false;
            }
            for (int i = 0; i < state.SlotCount; i++)
            {
                ref StackSlot slot = ref state.Slot(i);
                if (!slot.IsSpill || slot.SpilledPtr.Type != RegType.ScalarValue || !slot.SpilledPtr.Precise
                    || (slot.Live & StackSlotLiveness.Read) == 0)
                    continue;
                if (_log.Level2On)
                    _log.Write(first ? Inv($"frame {fr}: propagating fp{(-i - 1) * StackSlot.Size}") : Inv($",fp{(-i - 1) * StackSlot.Size}"));
                _bt.SetFrameSlot(fr, i);
                first = false;
            }
            if (!first && _log.Level != 0)
                _log.Write("\n");
        }
        MarkChainPrecisionBatch();
    }
}
