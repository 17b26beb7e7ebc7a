using BpfSharp.Uapi;
using BpfSharp.Isa;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Verifier;

// kernel: check_cond_jmp_op, is_branch_taken, reg_set_min_max, mark_ptr_or_null_regs, try_match_pkt_pointers.
public sealed partial class BpfVerifier
{
    private const int AtPktEnd = -1;
    private const int BeyondPktEnd = -2;

    private void CheckCondJmpOp(Instruction insn)
    {
        byte op = (byte)(insn.Opcode & 0xf0);
        if (op == BPF_JCOND)
        {
            CheckMayGoto(insn);
            return;
        }
        bool srcX = (insn.Opcode & BPF_X) != 0;
        bool jmp32 = (insn.Opcode & 0x07) == BPF_JMP32;
        RegState[] regs = Regs;
        RegState srcReg;
        if (srcX)
        {
            CheckRegArg(insn.Src, RegArg.Src);
            srcReg = regs[insn.Src];
            if (!(IsPktPointerAny(regs[insn.Dst].Type) && IsPktPointerAny(srcReg.Type)) && IsPointerValue(insn.Src))
                throw Fail(-Errno.EACCES, Inv($"R{insn.Src} pointer comparison prohibited"));
        }
        else
        {
            srcReg = RegState.KnownScalar((ulong)(long)insn.Imm);
        }
        CheckRegArg(insn.Dst, RegArg.Src);
        RegState dstReg = regs[insn.Dst];

        // a stack pointer compared is no scalar for backtracking to follow
        JmpHistoryFlags insnFlags = JmpHistoryFlags.None;
        if (srcX && srcReg.Type == RegType.PtrToStack)
            insnFlags |= JmpHistoryFlags.SrcRegStack;
        if (dstReg.Type == RegType.PtrToStack)
            insnFlags |= JmpHistoryFlags.DstRegStack;
        if (insnFlags != JmpHistoryFlags.None)
            PushInsnHistory(_cur, insnFlags, 0);

        int pred = IsBranchTaken(dstReg, srcReg, op, jmp32);
        if (pred >= 0)
        {
            // only one way is walked: the scalars that decided it must be what they are
            if (dstReg.Type == RegType.ScalarValue)
                MarkChainPrecision(insn.Dst);
            if (srcX && srcReg.Type == RegType.ScalarValue)
                MarkChainPrecision(insn.Src);
        }
        if (pred == 1)
        {
            // only the jump is followed; the fall-through is walked as a speculative path where it may matter
            if (!_caps.BypassSpecV1)
                PushSpeculativeBranch(insn, _insnIdx + 1);
            if (_log.Enabled) PrintInsnState();
            _insnIdx += insn.Offset;
            return;
        }
        if (pred == 0)
        {
            if (!_caps.BypassSpecV1)
                PushSpeculativeBranch(insn, _insnIdx + insn.Offset + 1);
            if (_log.Enabled) PrintInsnState();
            return;
        }

        // the scalars sharing an id with an operand are refined with it: recorded in the history before the other
        // branch is copied, so that both branches' backtracking sees them
        var linked = new LinkedRegs();
        if (srcX && srcReg.Type == RegType.ScalarValue && srcReg.Id != 0)
            CollectLinkedRegs(_cur, srcReg.Id, ref linked);
        if (dstReg.Type == RegType.ScalarValue && dstReg.Id != 0)
            CollectLinkedRegs(_cur, dstReg.Id, ref linked);
        if (linked.Count > 1)
            PushInsnHistory(_cur, JmpHistoryFlags.None, linked.Pack());

        VerifierState other = PushBranch(_insnIdx + insn.Offset + 1, _insnIdx);
        RegState[] otherRegs = other.Regs;
        ref RegState thisDst = ref regs[insn.Dst];
        ref RegState otherDst = ref otherRegs[insn.Dst];
        if (thisDst.Type == RegType.ScalarValue && srcReg.Type == RegType.ScalarValue)
        {
            string? bad;
            if (srcX)
            {
                bad = ScalarBounds.SetMinMax(ref otherDst.Bounds, ref otherRegs[insn.Src].Bounds,
                    ref thisDst.Bounds, ref regs[insn.Src].Bounds, op, jmp32);
            }
            else
            {
                ScalarBounds t2 = srcReg.Bounds, f2 = srcReg.Bounds;
                bad = ScalarBounds.SetMinMax(ref otherDst.Bounds, ref t2, ref thisDst.Bounds, ref f2, op, jmp32);
            }
            if (bad is not null)
                throw Fail(-Errno.EFAULT, "REG INVARIANTS VIOLATION (" + bad + ")");
            if (srcX && regs[insn.Src].Type == RegType.ScalarValue && regs[insn.Src].Id != 0)
            {
                SyncLinkedRegs(_cur, _cur.CurFrame, insn.Src, linked);
                SyncLinkedRegs(other, other.CurFrame, insn.Src, linked);
            }
            if (thisDst.Id != 0)
            {
                SyncLinkedRegs(_cur, _cur.CurFrame, insn.Dst, linked);
                SyncLinkedRegs(other, other.CurFrame, insn.Dst, linked);
            }
        }

        RegState d = regs[insn.Dst];
        RegState s = srcX ? regs[insn.Src] : srcReg;
        if (!jmp32 && srcX && s.IsPointer && d.IsPointer && s.Type.MayBeNull() != d.Type.MayBeNull()
            && s.Type.BaseType() != RegType.PtrToBtfId && d.Type.BaseType() != RegType.PtrToBtfId && op is BPF_JEQ or BPF_JNE)
        {
            // a maybe-null pointer compared with one that is not: equal means not null
            int maybeNull = s.Type.MayBeNull() ? insn.Src : insn.Dst;
            if (op == BPF_JEQ)
                MarkPtrNotNullRegs(other, otherRegs[maybeNull].Id);
            else
                MarkPtrNotNullRegs(_cur, regs[maybeNull].Id);
        }

        if (!jmp32 && !srcX && insn.Imm == 0 && op is BPF_JEQ or BPF_JNE && d.Type.MayBeNull())
        {
            // the null check: every copy of the pointer is NULL on one side and the object on the other
            MarkPtrOrNullRegs(_cur, insn.Dst, op == BPF_JNE);
            MarkPtrOrNullRegs(other, insn.Dst, op == BPF_JEQ);
        }
        else if (!TryMatchPktPointers(insn, op, d, s, _cur, other) && IsPointerValue(insn.Dst))
        {
            throw Fail(-Errno.EACCES, Inv($"R{insn.Dst} pointer comparison prohibited"));
        }
        if (_log.Enabled) PrintInsnState();
    }

    // kernel: is_branch_taken: 1 always, 0 never, -1 both possible
    private static int IsBranchTaken(in RegState r1, in RegState r2, byte op, bool jmp32)
    {
        if (IsPktPointerAny(r1.Type) && IsPktPointerAny(r2.Type) && !jmp32)
            return IsPktPtrBranchTaken(r1, r2, op);
        if (r1.IsPointer || r2.IsPointer)
        {
            RegState a = r1, b = r2;
            if (!IsRegConst(b, jmp32))
            {
                op = ScalarBounds.FlipCondition(op);
                (a, b) = (b, a);
            }
            if (!IsRegConst(b, jmp32) || !RegNotNull(a))
                return -1;
            ulong val = jmp32 ? (uint)b.Bounds.VarOff.Value : b.Bounds.VarOff.Value;
            if (val != 0)
                return -1;
            return op switch { BPF_JEQ => 0, BPF_JNE => 1, _ => -1 };
        }
        return ScalarBounds.IsBranchTaken(r1.Bounds, r2.Bounds, op, jmp32);
    }

    // kernel: reg_is_pkt_pointer_any: packet data, metadata or end
    private static bool IsPktPointerAny(RegType t) =>
        t is RegType.PtrToPacket or RegType.PtrToPacketMeta or RegType.PtrToPacketEnd;

    private static bool IsRegConst(in RegState reg, bool jmp32) =>
        reg.Type == RegType.ScalarValue && (jmp32 ? reg.Bounds.VarOff.SubregIsConst : reg.Bounds.VarOff.IsConst);

    // kernel: reg_not_null
    private static bool RegNotNull(in RegState reg)
    {
        if (reg.Type.MayBeNull())
            return false;
        RegType type = reg.Type.BaseType();
        return type is RegType.PtrToSocket or RegType.PtrToTcpSock or RegType.PtrToMapValue
            or RegType.PtrToMapKey or RegType.PtrToSockCommon
            || type == RegType.PtrToBtfId && IsTrustedReg(reg)
            || type == RegType.PtrToMem && !reg.Type.Has(RegType.PtrUntrusted)
            || type == RegType.ConstPtrToMap;
    }

    // kernel: is_pkt_ptr_branch_taken
    private static int IsPktPtrBranchTaken(in RegState dst, in RegState src, byte op)
    {
        RegState pkt;
        if (src.Type == RegType.PtrToPacketEnd)
        {
            pkt = dst;
        }
        else if (dst.Type == RegType.PtrToPacketEnd)
        {
            pkt = src;
            op = ScalarBounds.FlipCondition(op);
        }
        else
        {
            return -1;
        }
        if (pkt.Range >= 0)
            return -1;
        switch (op)
        {
            case BPF_JLE or BPF_JGT:
                if (pkt.Range == BeyondPktEnd) return op == BPF_JGT ? 1 : 0;
                break;
            case BPF_JLT or BPF_JGE:
                if (pkt.Range is BeyondPktEnd or AtPktEnd) return op == BPF_JGE ? 1 : 0;
                break;
        }
        return -1;
    }

    // kernel: collect_linked_regs: every live scalar register and every spilled scalar with the id (add-const copies
    // too), the innermost frame first; past LinkedRegs.Max the rest lose their id
    private void CollectLinkedRegs(VerifierState state, uint id, ref LinkedRegs linked)
    {
        id &= ~RegState.AddConstFlag;
        for (int f = state.CurFrame; f >= 0; f--)
        {
            FuncState frame = state.Frame(f);
            int insnIdx = f == state.CurFrame ? _insnIdx : state.Frame(f + 1).Callsite;
            for (int i = 0; i < FuncState.FramePointer; i++)
                if (_equiv.IsRegLive(insnIdx, i))
                    CollectLinkedReg(ref linked, ref frame.Regs[i], id, f, i, isReg: true);
            for (int spi = 0; spi < frame.SlotCount; spi++)
            {
                ref StackSlot slot = ref frame.Slot(spi);
                if (slot.IsSpill)
                    CollectLinkedReg(ref linked, ref slot.SpilledPtr, id, f, spi, isReg: false);
            }
        }
    }

    private static void CollectLinkedReg(ref LinkedRegs linked, ref RegState reg, uint id, int frameno, int regnoOrSpi, bool isReg)
    {
        if (reg.Type != RegType.ScalarValue || (reg.Id & ~RegState.AddConstFlag) != id)
            return;
        if (!linked.TryPush(new LinkedRegs.Entry(frameno, regnoOrSpi, isReg)))
        {
            reg.Id = 0; // kernel: clear_scalar_id
            reg.Off = 0;
        }
    }

    // kernel: sync_linked_regs: the range learned on register knownRegno of frame knownFrame applies to every
    // member of the linked set with its id, shifted by the constant an add-const copy carries
    private static void SyncLinkedRegs(VerifierState state, int knownFrame, int knownRegno, in LinkedRegs linked)
    {
        RegState known = state.Frame(knownFrame).Regs[knownRegno];
        for (int i = 0; i < linked.Count; i++)
        {
            LinkedRegs.Entry e = linked[i];
            FuncState frame = state.Frame(e.Frameno);
            if (e.IsReg && e.Frameno == knownFrame && e.RegnoOrSpi == knownRegno)
                continue;
            ref RegState reg = ref e.IsReg ? ref frame.Regs[e.RegnoOrSpi] : ref frame.Slot(e.RegnoOrSpi).SpilledPtr;
            if (reg.Type != RegType.ScalarValue || (reg.Id & ~RegState.AddConstFlag) != (known.Id & ~RegState.AddConstFlag))
                continue;
            SyncLinkedReg(ref reg, known);
        }
    }

    // kernel: the body of sync_linked_regs' loop for one member reg of known's id (6.18.44, with the stable fixes
    // for BPF_ADD_CONST32): reg becomes known, shifted by the difference of their add-const deltas
    private static void SyncLinkedReg(ref RegState reg, in RegState known)
    {
        if (((reg.Id ^ known.Id) & RegState.AddConstFlag) == RegState.AddConstFlag)
            return; // one linked by a 32-bit, the other by a 64-bit operation: the delta does not carry over
        if (((reg.Id | known.Id) & RegState.AddConstFlag) == 0 || reg.Off == known.Off)
        {
            reg = known;
            return;
        }
        // reg = known + (reg.off - known.off), keeping reg's own id (with its add-const flag) and offset
        uint savedId = reg.Id;
        int savedOff = reg.Off;
        var delta = ScalarBounds.Const((long)reg.Off - known.Off);
        reg = known;
        reg.Id = savedId;
        reg.Off = savedOff;
        reg.Bounds.AddUnsynced(delta);
        if (((savedId | known.Id) & RegState.AddConst32) != 0)
            reg.Bounds.ZeroExtend32To64();
        reg.Bounds.Sync();
    }

    // kernel: mark_ptr_or_null_regs / mark_ptr_or_null_reg
    private void MarkPtrOrNullRegs(VerifierState state, int regno, bool isNull)
    {
        RegState r = state.Regs[regno];
        uint id = r.Id, refObjId = r.RefObjId;
        if (refObjId != 0 && refObjId == id && isNull)
            state.References.RemoveAll(x => x.Id == id); // NULL: nothing was acquired
        ForEachReg(state, (ref RegState reg) =>
        {
            if (!reg.Type.MayBeNull() || reg.Id != id)
                return;
            if (reg.Bounds.SMin != 0 || reg.Bounds.SMax != 0 || !reg.Bounds.VarOff.EqualsConst(0) || reg.Off != 0)
                return;
            if (isNull)
            {
                reg.Type = RegType.ScalarValue;
                reg.Id = 0;
                reg.RefObjId = 0;
                reg.MapPtr = null;
                return;
            }
            MarkPtrNotNullReg(ref reg);
        });
    }

    private void MarkPtrNotNullRegs(VerifierState state, uint id)
    {
        if (id == 0)
            return;
        ForEachReg(state, (ref RegState reg) =>
        {
            if (reg.Type.MayBeNull() && reg.Id == id)
                MarkPtrNotNullReg(ref reg);
        });
    }

    // kernel: mark_ptr_not_null_reg: the object the pointer points to, by the map it came from
    private void MarkPtrNotNullReg(ref RegState reg)
    {
        if (reg.Type.BaseType() == RegType.PtrToMapValue && reg.MapPtr is { } map)
        {
            if (InnerMapOf(map) is { } inner)
            {
                reg.Type = RegType.ConstPtrToMap;
                reg.MapPtr = inner;
            }
            else if (map.Type == Uapi.BpfMapType.Xskmap)
            {
                reg.Type = RegType.PtrToXdpSock;
            }
            else if (map.Type is Uapi.BpfMapType.Sockmap or Uapi.BpfMapType.Sockhash)
            {
                reg.Type = RegType.PtrToSocket;
            }
            else
            {
                reg.Type = RegType.PtrToMapValue;
            }
        }
        else
        {
            reg.Type = (RegType)((uint)reg.Type & ~(uint)RegType.PtrMaybeNull);
        }
        if (reg.Type != RegType.PtrToMapValue || reg.MapPtr?.SpinLockOffset < 0)
            reg.Id = 0;
    }

    // kernel: try_match_pkt_pointers: comparing a packet pointer with the end proves a range on one side
    private bool TryMatchPktPointers(Instruction insn, byte op, in RegState dst, in RegState src,
        VerifierState thisBranch, VerifierState otherBranch)
    {
        if ((insn.Opcode & BPF_X) == 0 || (insn.Opcode & 0x07) == BPF_JMP32)
            return false;
        bool dstPkt = (dst.Type == RegType.PtrToPacket && src.Type == RegType.PtrToPacketEnd)
            || (dst.Type == RegType.PtrToPacketMeta && IsInitPktPointer(src, RegType.PtrToPacket));
        bool srcPkt = (dst.Type == RegType.PtrToPacketEnd && src.Type == RegType.PtrToPacket)
            || (IsInitPktPointer(dst, RegType.PtrToPacket) && src.Type == RegType.PtrToPacketMeta);
        if (!dstPkt && !srcPkt)
            return false;
        switch (op)
        {
            case BPF_JGT:
                if (dstPkt) { FindGoodPktPointers(thisBranch, dst, false); MarkPktEnd(otherBranch, insn.Dst, true); }
                else { FindGoodPktPointers(otherBranch, src, true); MarkPktEnd(thisBranch, insn.Src, false); }
                return true;
            case BPF_JLT:
                if (dstPkt) { FindGoodPktPointers(otherBranch, dst, true); MarkPktEnd(thisBranch, insn.Dst, false); }
                else { FindGoodPktPointers(thisBranch, src, false); MarkPktEnd(otherBranch, insn.Src, true); }
                return true;
            case BPF_JGE:
                if (dstPkt) { FindGoodPktPointers(thisBranch, dst, true); MarkPktEnd(otherBranch, insn.Dst, false); }
                else { FindGoodPktPointers(otherBranch, src, false); MarkPktEnd(thisBranch, insn.Src, true); }
                return true;
            case BPF_JLE:
                if (dstPkt) { FindGoodPktPointers(otherBranch, dst, false); MarkPktEnd(thisBranch, insn.Dst, true); }
                else { FindGoodPktPointers(thisBranch, src, true); MarkPktEnd(otherBranch, insn.Src, false); }
                return true;
            default:
                return false;
        }
    }

    private static bool IsInitPktPointer(in RegState reg, RegType which) =>
        reg.Type == which && reg.Id == 0 && reg.Off == 0 && reg.Bounds.VarOff.EqualsConst(0);

    // kernel: find_good_pkt_pointers
    private static void FindGoodPktPointers(VerifierState state, RegState dst, bool rangeRightOpen)
    {
        if (dst.Off < 0 || (dst.Off == 0 && rangeRightOpen))
            return;
        if (dst.Bounds.UMax > MaxPacketOff || dst.Bounds.UMax + (ulong)dst.Off > MaxPacketOff)
            return;
        int newRange = dst.Off + (rangeRightOpen ? 1 : 0);
        RegType type = dst.Type;
        uint id = dst.Id;
        ForEachReg(state, (ref RegState reg) =>
        {
            if (reg.Type == type && reg.Id == id && reg.Range < newRange)
                reg.Range = Math.Max(reg.Range, newRange);
        });
    }

    // kernel: mark_pkt_end
    private static void MarkPktEnd(VerifierState state, int regno, bool rangeOpen)
    {
        ref RegState reg = ref state.Regs[regno];
        if (reg.Type != RegType.PtrToPacket)
            return;
        reg.Range = rangeOpen ? BeyondPktEnd : AtPktEnd;
    }
}
