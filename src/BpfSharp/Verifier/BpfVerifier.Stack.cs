using BpfSharp.Uapi;
namespace BpfSharp.Verifier;

// kernel: check_stack_access_within_bounds, check_stack_read/write (fixed and variable offset),
// check_stack_range_initialized.
public sealed partial class BpfVerifier
{
    // kernel: allow_uninit_stack (CAP_PERFMON): reading never-written stack is allowed
    private bool AllowUninitStack => _caps.AllowPtrLeaks;

    private void CheckStackAccessWithinBounds(int regno, int off, int size, BpfAccessType t)
    {
        RegState reg = Regs[regno];
        FuncState state = FrameOf(reg);
        string extra = t == BpfAccessType.Read ? " read from" : " write to";
        long minOff, maxOff;
        if (reg.Bounds.VarOff.IsConst)
        {
            minOff = (long)reg.Bounds.VarOff.Value + off;
            maxOff = minOff + size;
        }
        else
        {
            if (reg.Bounds.SMax >= MaxVarOff || reg.Bounds.SMin <= -MaxVarOff)
                throw Fail(-Errno.EACCES, Inv($"invalid unbounded variable-offset{extra} stack R{regno}"));
            minOff = reg.Bounds.SMin + off;
            maxOff = reg.Bounds.SMax + off + size;
        }
        long minValid = t == BpfAccessType.Write || AllowUninitStack ? -FuncState.MaxStack : -state.AllocatedStack;
        int err = minOff < minValid || minOff > -1 ? -Errno.EACCES : maxOff > 0 ? -Errno.EINVAL : 0;
        if (err != 0)
        {
            if (reg.Bounds.VarOff.IsConst)
                throw Fail(err, Inv($"invalid{extra} stack R{regno} off={off} size={size}"));
            throw Fail(err, Inv($"invalid variable-offset{extra} stack R{regno} var_off={reg.Bounds.VarOff} off={off} size={size}"));
        }
        GrowStack(state, (int)-minOff);
    }

    // kernel: grow_stack_state, and the subprogram's stack depth it records
    private void GrowStack(FuncState state, int size)
    {
        state.GrowStack(size);
        ref int depth = ref _stackDepth[state.Subprogno];
        if (depth < state.AllocatedStack)
            depth = state.AllocatedStack;
    }

    private void CheckStackRead(int ptrRegno, int off, int size, int dstRegno)
    {
        RegState reg = Regs[ptrRegno];
        FuncState state = FrameOf(reg);
        if (reg.Bounds.VarOff.IsConst)
        {
            CheckStackReadFixedOff(state, off + (int)(long)reg.Bounds.VarOff.Value, size, dstRegno);
            return;
        }
        // kernel: check_stack_read_var_off: every byte in range must be initialized; the result is unknown
        long minOff = reg.Bounds.SMin + off, maxOff = reg.Bounds.SMax + off;
        CheckStackRangeInitialized(ptrRegno, off, size, false, BpfAccessType.Read, rawMode: false);
        if (dstRegno >= 0)
            MarkRegStackRead(state, (int)minOff, (int)maxOff + size, dstRegno);
    }

    // kernel: check_stack_read_fixed_off
    private void CheckStackReadFixedOff(FuncState state, int off, int size, int dstRegno)
    {
        int slot = -off - 1, spi = slot / StackSlot.Size;
        ref StackSlot stack = ref state.Slot(spi);
        MarkStackSlotScratched(spi);
        MarkStackRead(state, spi);
        RegState[] regs = Regs;
        // a fill restores the spilled register: recorded for backtracking to follow the value into the slot
        bool fill = true;
        if (stack.IsSpill)
        {
            int spillSize = 1;
            for (int i = StackSlot.Size - 1; i > 0 && stack.SlotType[i - 1] == StackSlotType.Spill; i--)
                spillSize++;
            ref RegState spilled = ref stack.SpilledPtr;
            if (size != StackSlot.Size || spillSize != StackSlot.Size)
            {
                if (spilled.Type != RegType.ScalarValue)
                    throw Fail(-Errno.EACCES, "invalid size of register fill");
                if (dstRegno < 0)
                    return;
                if (size <= spillSize && StackNarrowAccessOk(off, size, spillSize))
                {
                    if (BpfCapable && size == 4 && spillSize == 4 && RegWidth(spilled) <= 32)
                        AssignScalarIdBeforeMov(ref spilled);
                    CopyRegisterState(ref regs[dstRegno], spilled);
                    if (RegWidth(spilled) > size * 8)
                        regs[dstRegno].Id = 0;
                }
                else
                {
                    int spillCnt = 0, zeroCnt = 0;
                    for (int i = 0; i < size; i++)
                    {
                        StackSlotType type = stack.SlotType[(slot - i) % StackSlot.Size];
                        if (type == StackSlotType.Spill) { spillCnt++; continue; }
                        if (type == StackSlotType.Misc) continue;
                        if (type == StackSlotType.Zero) { zeroCnt++; continue; }
                        if (type == StackSlotType.Invalid && AllowUninitStack) continue;
                        throw Fail(-Errno.EACCES, Inv($"invalid read from stack off {off}+{i} size {size}"));
                    }
                    if (spillCnt == size && spilled.Bounds.VarOff.EqualsConst(0))
                    {
                        MarkRegConstZero(ref regs[dstRegno]); // still a fill of the spilled zero
                    }
                    else
                    {
                        fill = false; // not the spilled register's value
                        if (zeroCnt == size)
                            MarkRegConstZero(ref regs[dstRegno]);
                        else
                            MarkRegUnknown(ref regs[dstRegno]);
                    }
                }
            }
            else if (dstRegno >= 0)
            {
                // the register is restored as it was spilled, id included (a fill links nothing new)
                CopyRegisterState(ref regs[dstRegno], spilled);
            }
            else if (IsPointerValue(spilled))
            {
                throw Fail(-Errno.EACCES, Inv($"leaking pointer from stack off {off}"));
            }
            if (fill)
                PushInsnHistory(_cur, JmpHistoryEntry.StackAccessFlags(state.Frameno, spi), 0);
            return;
        }
        for (int i = 0; i < size; i++)
        {
            StackSlotType type = stack.SlotType[(slot - i) % StackSlot.Size];
            if (type is StackSlotType.Misc or StackSlotType.Zero) continue;
            if (type == StackSlotType.Invalid && AllowUninitStack) continue;
            throw Fail(-Errno.EACCES, Inv($"invalid read from stack off {off}+{i} size {size}"));
        }
        if (dstRegno >= 0)
            MarkRegStackRead(state, off, off + size, dstRegno);
    }

    // kernel: bpf_stack_narrow_access_ok (little endian: the low bytes of the spill)
    private static bool StackNarrowAccessOk(int off, int size, int spillSize) =>
        (off % StackSlot.Size + StackSlot.Size) % StackSlot.Size == 0 && size <= spillSize;

    // kernel: mark_reg_stack_read: zeros read from the stack stay a known zero
    private void MarkRegStackRead(FuncState state, int minOff, int maxOff, int dstRegno)
    {
        MarkStackRangeRead(state, minOff, maxOff);
        int zeros = 0;
        for (int i = minOff; i < maxOff; i++)
        {
            int slot = -i - 1, spi = slot / StackSlot.Size;
            MarkStackSlotScratched(spi);
            if (state.Slot(spi).SlotType[slot % StackSlot.Size] != StackSlotType.Zero)
                break;
            zeros++;
        }
        if (zeros == maxOff - minOff)
            MarkRegConstZero(ref Regs[dstRegno]);
        else
            MarkRegUnknown(ref Regs[dstRegno]);
    }

    private void CheckStackWrite(int ptrRegno, int off, int size, int valueRegno)
    {
        RegState reg = Regs[ptrRegno];
        FuncState state = FrameOf(reg);
        if (reg.Bounds.VarOff.IsConst)
            CheckStackWriteFixedOff(state, off + (int)(long)reg.Bounds.VarOff.Value, size, valueRegno);
        else
            CheckStackWriteVarOff(state, ptrRegno, off, size, valueRegno);
    }

    // kernel: check_stack_write_fixed_off
    private void CheckStackWriteFixedOff(FuncState state, int off, int size, int valueRegno)
    {
        int slot = -off - 1, spi = slot / StackSlot.Size;
        ref StackSlot stack = ref state.Slot(spi);
        if (!_caps.BypassSpecV4)
        {
            // kernel: Spectre v4 - a store over a spilled pointer or other non-data bytes (or of a pointer) gets a
            // barrier after it, which also ends a speculative path there (the kernel looks at the slot's first
            // size bytes, whatever the offset)
            bool sanitize = valueRegno >= 0 && Regs[valueRegno].Type != RegType.ScalarValue;
            for (int i = 0; i < size && !sanitize; i++)
                sanitize = stack.SlotType[i] is not (StackSlotType.Misc or StackSlotType.Zero);
            if (sanitize)
                NospecResult[_insnIdx] = true;
        }
        if (size == StackSlot.Size)
            stack.Live |= StackSlotLiveness.Written; // the whole slot is overwritten: earlier contents are dead
        if (!_caps.AllowPtrLeaks && stack.IsSpill && !stack.IsSpilledScalar && size != StackSlot.Size)
            throw Fail(-Errno.EACCES, "attempt to corrupt spilled pointer on stack");
        DestroyIfDynptrStackSlot(state, spi);
        MarkStackSlotScratched(spi);
        Isa.Instruction insn = _insns[_insnIdx];
        bool isSt = valueRegno < 0 && IsStMem(insn); // an atomic's or a helper's write has no value register either
        if (valueRegno >= 0)
        {
            ref RegState reg = ref Regs[valueRegno];
            if (off % StackSlot.Size == 0 && reg.Type == RegType.ScalarValue && BpfCapable)
            {
                bool fits = RegWidth(reg) <= 8 * size;
                if (fits) AssignScalarIdBeforeMov(ref reg);
                stack.SaveRegister(reg, size);
                if (!fits) stack.SpilledPtr.Id = 0;
                PushInsnHistory(_cur, JmpHistoryEntry.StackAccessFlags(state.Frameno, spi), 0);
                return;
            }
            if (reg.Type.IsPointer() && reg.Type != RegType.ConstPtrToDynptr) // kernel: is_spillable_regtype
            {
                if (size != StackSlot.Size)
                    throw Fail(-Errno.EACCES, "invalid size of register spill");
                if (state != _cur.Current && reg.Type == RegType.PtrToStack)
                    throw Fail(-Errno.EINVAL, "cannot spill pointers to stack into stack frame of the caller");
                stack.SaveRegister(reg, size);
                PushInsnHistory(_cur, JmpHistoryEntry.StackAccessFlags(state.Frameno, spi), 0);
                return;
            }
        }
        else if (isSt && off % StackSlot.Size == 0 && BpfCapable)
        {
            stack.SaveRegister(RegState.KnownScalar((ulong)(long)insn.Imm), size);
            PushInsnHistory(_cur, JmpHistoryEntry.StackAccessFlags(state.Frameno, spi), 0);
            return;
        }
        // a plain write of data destroys any spilled register
        stack.SpilledPtr.Type = RegType.NotInit;
        if (stack.IsSpill)
            for (int i = 0; i < StackSlot.Size; i++)
                if (stack.SlotType[i] != StackSlotType.Invalid)
                    stack.SlotType[i] = StackSlotType.Misc;
        bool zero = valueRegno >= 0 ? Regs[valueRegno].IsNull : isSt && insn.Imm == 0;
        // the slot is known zero because the register is: that must stay so in states pruned against this one
        if (zero && valueRegno >= 0)
            MarkChainPrecision(valueRegno);
        StackSlotType kind = zero ? StackSlotType.Zero : StackSlotType.Misc;
        for (int i = 0; i < size; i++)
            stack.SlotType[(slot - i) % StackSlot.Size] = kind;
    }

    // kernel: check_stack_write_var_off: every byte the write may touch becomes data (zero if it writes zero)
    private void CheckStackWriteVarOff(FuncState state, int ptrRegno, int off, int size, int valueRegno)
    {
        RegState ptr = Regs[ptrRegno];
        int minOff = (int)(ptr.Bounds.SMin + off), maxOff = (int)(ptr.Bounds.SMax + off + size);
        bool writingZero = valueRegno >= 0 ? Regs[valueRegno].IsNull : IsStMem(_insns[_insnIdx]) && _insns[_insnIdx].Imm == 0;
        bool zeroUsed = false; // a slot stayed zero because the value written is
        for (int i = minOff; i < maxOff; i++)
            DestroyIfDynptrStackSlot(state, StackSlot.Spi(i)); // a write that may touch a dynptr destroys it
        for (int i = minOff; i < maxOff; i++)
        {
            int slot = -i - 1, spi = slot / StackSlot.Size;
            ref StackSlot stack = ref state.Slot(spi);
            MarkStackSlotScratched(spi);
            if (!_caps.AllowPtrLeaks && stack.IsSpill && !stack.IsSpilledScalar)
                throw Fail(-Errno.EACCES, Inv($"spilled ptr in range of var-offset stack write; insn {_insnIdx}, ptr off: {i}"));
            stack.SpilledPtr.Type = RegType.NotInit;
            ref StackSlotType b = ref stack.SlotType[slot % StackSlot.Size];
            if (writingZero && b == StackSlotType.Zero)
            {
                zeroUsed = true;
                continue;
            }
            if (b == StackSlotType.Invalid && !AllowUninitStack)
                throw Fail(-Errno.EACCES, Inv($"uninit stack in range of var-offset write prohibited for !root; insn {_insnIdx}, off: {i}"));
            b = StackSlotType.Misc;
        }
        if (zeroUsed && valueRegno >= 0)
            MarkChainPrecision(valueRegno);
    }

    // kernel: is_bpf_st_mem: a store of an immediate (BPF_ST | BPF_MEM)
    private static bool IsStMem(Isa.Instruction insn) =>
        (insn.Opcode & 0x07) == Isa.Opcodes.BPF_ST && (insn.Opcode & 0xe0) == Isa.Opcodes.BPF_MEM;

    // kernel: check_stack_range_initialized, for helper memory arguments and variable-offset reads
    private void CheckStackRangeInitialized(int regno, int off, int accessSize, bool zeroSizeAllowed, BpfAccessType type,
        bool rawMode)
    {
        RegState reg = Regs[regno];
        FuncState state = FrameOf(reg);
        if (accessSize == 0 && !zeroSizeAllowed)
            throw Fail(-Errno.EACCES, "invalid zero-sized read"); // a map key of a keyless map (ringbuf)
        CheckStackAccessWithinBounds(regno, off, accessSize, type);
        long minOff, maxOff;
        if (reg.Bounds.VarOff.IsConst)
        {
            minOff = maxOff = (long)reg.Bounds.VarOff.Value + off;
        }
        else
        {
            if (!_caps.BypassSpecV1)
                throw Fail(-Errno.EACCES, Inv($"R{regno} variable offset stack access prohibited for !root, var_off={reg.Bounds.VarOff}"));
            rawMode = false;
            minOff = reg.Bounds.SMin + off;
            maxOff = reg.Bounds.SMax + off;
        }
        if (rawMode)
        {
            // the helper writes these bytes one by one afterwards: none may be part of a dynptr
            for (long i = minOff; i < maxOff + accessSize; i++)
            {
                int stackOff = (int)(-i - 1);
                if (state.AllocatedStack <= stackOff)
                    continue; // raw mode may write past the allocated stack
                if (state.Slot(StackSlot.Spi((int)i)).SlotType[stackOff % StackSlot.Size] == StackSlotType.Dynptr)
                    throw Fail(-Errno.EACCES, Inv($"potential write to dynptr at off={i} disallowed"));
            }
            return;
        }
        MarkStackRangeRead(state, minOff, maxOff + accessSize);
        bool clobber = type == BpfAccessType.Write;
        for (long i = minOff; i < maxOff + accessSize; i++)
        {
            int slot = (int)(-i - 1), spi = slot / StackSlot.Size;
            ref StackSlot stack = ref state.Slot(spi);
            ref StackSlotType b = ref stack.SlotType[slot % StackSlot.Size];
            if (b == StackSlotType.Misc)
                continue;
            if (b == StackSlotType.Zero || (b == StackSlotType.Invalid && AllowUninitStack))
            {
                if (clobber) b = StackSlotType.Misc;
                continue;
            }
            if (stack.IsSpill && (stack.SpilledPtr.Type == RegType.ScalarValue || _caps.AllowPtrLeaks))
            {
                if (clobber)
                {
                    MarkRegUnknown(ref stack.SpilledPtr);
                    for (int j = 0; j < StackSlot.Size; j++)
                        if (stack.SlotType[j] != StackSlotType.Invalid)
                            stack.SlotType[j] = StackSlotType.Misc;
                }
                continue;
            }
            if (reg.Bounds.VarOff.IsConst)
                throw Fail(-Errno.EACCES, Inv($"invalid read from stack R{regno} off {minOff}+{i - minOff} size {accessSize}"));
            throw Fail(-Errno.EACCES, Inv($"invalid read from stack R{regno} var_off {reg.Bounds.VarOff}+{i - minOff} size {accessSize}"));
        }
    }
}
