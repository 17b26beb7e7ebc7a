using BpfSharp.Uapi;

namespace BpfSharp.Verifier;

// kernel: the dynptr half of check_func_arg: process_dynptr_func, dynptr_get_spi, is_dynptr_reg_valid_uninit/init,
// is_dynptr_type_expected, mark/unmark_stack_slots_dynptr, invalidate_dynptr, destroy_if_dynptr_stack_slot,
// mark_dynptr_read, dynptr_id / dynptr_ref_obj_id. A struct bpf_dynptr on the stack takes two whole slots marked
// STACK_DYNPTR; the first (higher) slot's register state carries its type, id and reference.
public sealed partial class BpfVerifier
{
    /// <summary>The stack slots a struct bpf_dynptr takes (kernel: BPF_DYNPTR_NR_SLOTS).</summary>
    private const int DynptrNrSlots = 2;

    /// <summary>The size of a struct bpf_dynptr (kernel: BPF_DYNPTR_SIZE).</summary>
    private const int DynptrSize = 16;

    // kernel: arg_to_dynptr_type
    private static BpfDynptrType ArgToDynptrType(HelperArgType arg) =>
        arg.Has(BpfTypeFlag.DYNPTR_TYPE_LOCAL) ? BpfDynptrType.Local
        : arg.Has(BpfTypeFlag.DYNPTR_TYPE_RINGBUF) ? BpfDynptrType.Ringbuf
        : BpfDynptrType.Invalid;

    // kernel: dynptr_type_refcounted: the dynptr holds a reference that must be released
    private static bool DynptrTypeRefcounted(BpfDynptrType type) => type is BpfDynptrType.Ringbuf or BpfDynptrType.File;

    // kernel: is_spi_bounds_valid: slots spi - nrSlots + 1 .. spi are all allocated
    private static bool IsSpiBoundsValid(FuncState state, int spi, int nrSlots) =>
        spi - nrSlots + 1 >= 0 && spi < state.SlotCount;

    // kernel: dynptr_get_spi (stack_slot_obj_get_spi): the first slot of the dynptr the stack pointer points to, or
    // -EINVAL (logged) for a variable or misaligned offset or one too high for two slots, or -ERANGE past the
    // allocated stack
    private int DynptrGetSpi(in RegState reg)
    {
        if (!reg.Bounds.VarOff.IsConst)
        {
            _log.Write("dynptr has to be at a constant offset\n");
            return -Errno.EINVAL;
        }
        int off = reg.Off + (int)(long)reg.Bounds.VarOff.Value;
        int spi = (-off - 1) / StackSlot.Size;
        if (off % StackSlot.Size != 0 || spi + 1 < DynptrNrSlots)
        {
            _log.Write(Inv($"cannot pass in dynptr at an offset={off}\n"));
            return -Errno.EINVAL;
        }
        return IsSpiBoundsValid(FrameOf(reg), spi, DynptrNrSlots) ? spi : -Errno.ERANGE;
    }

    // kernel: process_dynptr_func. MEM_UNINIT: the helper builds a new dynptr in 16 bytes of stack that hold none
    // (an unreferenced one there is destroyed); otherwise it takes an initialized one of the expected type.
    private void ProcessDynptrFunc(int regno, HelperArgType argType)
    {
        RegState reg = Regs[regno];
        if (reg.Type is not (RegType.PtrToStack or RegType.ConstPtrToDynptr))
            throw Fail(-Errno.EINVAL, Inv($"arg#{regno - 1} expected pointer to stack or const struct bpf_dynptr"));
        if (argType.Has(BpfTypeFlag.MEM_UNINIT) && argType.Has(BpfTypeFlag.MEM_RDONLY))
            throw Fail(-Errno.EFAULT, "verifier internal error: misconfigured dynptr helper type flags");
        if (argType.Has(BpfTypeFlag.MEM_UNINIT))
        {
            if (!IsDynptrRegValidUninit(reg))
                throw Fail(-Errno.EINVAL, "Dynptr has to be an uninitialized dynptr");
            for (int i = 0; i < DynptrSize; i += StackSlot.Size)
                CheckMemAccess(regno, i, StackSlot.Size, BpfAccessType.Write, -1, false, false);
            MarkStackSlotsDynptr(Regs[regno], argType);
            return;
        }
        if (reg.Type == RegType.ConstPtrToDynptr && !argType.Has(BpfTypeFlag.MEM_RDONLY))
            throw Fail(-Errno.EINVAL, "cannot pass pointer to const bpf_dynptr, the helper mutates it");
        if (!IsDynptrRegValidInit(reg))
            throw Fail(-Errno.EINVAL, Inv($"Expected an initialized dynptr as arg #{regno - 1}"));
        if (!IsDynptrTypeExpected(reg, argType))
            throw Fail(-Errno.EINVAL, Inv($"Expected a dynptr of type {ArgToDynptrType(argType).LogName()} as arg #{regno - 1}"));
        MarkDynptrRead(reg);
    }

    // kernel: is_dynptr_reg_valid_uninit: a stack pointer at a usable offset (slots not allocated yet are fine:
    // the writes that follow allocate them); dynptrs already there are destroyed, or refused if referenced, later
    private bool IsDynptrRegValidUninit(in RegState reg)
    {
        if (reg.Type == RegType.ConstPtrToDynptr)
            return false;
        int spi = DynptrGetSpi(reg);
        return spi >= 0 || spi == -Errno.ERANGE;
    }

    // kernel: is_dynptr_reg_valid_init: the pointer is at the first slot of a whole dynptr
    private bool IsDynptrRegValidInit(in RegState reg)
    {
        if (reg.Type == RegType.ConstPtrToDynptr)
            return true;
        int spi = DynptrGetSpi(reg);
        if (spi < 0)
            return false;
        FuncState state = FrameOf(reg);
        if (!state.Slot(spi).SpilledPtr.DynptrFirstSlot)
            return false;
        for (int i = 0; i < StackSlot.Size; i++)
            if (state.Slot(spi).SlotType[i] != StackSlotType.Dynptr || state.Slot(spi - 1).SlotType[i] != StackSlotType.Dynptr)
                return false;
        return true;
    }

    // kernel: is_dynptr_type_expected: a plain ARG_PTR_TO_DYNPTR (MEM_RDONLY folded) takes any type
    private bool IsDynptrTypeExpected(in RegState reg, HelperArgType argType)
    {
        if ((argType.Flags & ~BpfTypeFlag.MEM_RDONLY) == BpfTypeFlag.None)
            return true;
        BpfDynptrType expected = ArgToDynptrType(argType);
        if (reg.Type == RegType.ConstPtrToDynptr)
            return reg.DynptrType == expected;
        int spi = DynptrGetSpi(reg);
        return spi >= 0 && FrameOf(reg).Slot(spi).SpilledPtr.DynptrType == expected;
    }

    // kernel: mark_stack_slots_dynptr
    private void MarkStackSlotsDynptr(in RegState reg, HelperArgType argType)
    {
        FuncState state = FrameOf(reg);
        int spi = DynptrGetSpi(reg);
        if (spi < 0)
            throw new VerifierException(spi);
        // the two slots may belong to two different dynptrs: both are destroyed
        DestroyIfDynptrStackSlot(state, spi);
        DestroyIfDynptrStackSlot(state, spi - 1);
        ref StackSlot first = ref state.Slot(spi), second = ref state.Slot(spi - 1);
        for (int i = 0; i < StackSlot.Size; i++)
        {
            first.SlotType[i] = StackSlotType.Dynptr;
            second.SlotType[i] = StackSlotType.Dynptr;
        }
        BpfDynptrType type = ArgToDynptrType(argType);
        if (type == BpfDynptrType.Invalid)
            throw new VerifierException(-Errno.EINVAL);
        // kernel: mark_dynptr_stack_regs: one new id names the dynptr, for the slices taken from it
        uint id = ++_idGen;
        first.SpilledPtr = DynptrReg(type, firstSlot: true, id);
        second.SpilledPtr = DynptrReg(type, firstSlot: false, id);
        if (DynptrTypeRefcounted(type))
        {
            uint refId = ++_idGen; // kernel: acquire_reference
            _cur.References.Add(new VerifierStateReference(refId, _insnIdx));
            first.SpilledPtr.RefObjId = refId;
            second.SpilledPtr.RefObjId = refId;
        }
        first.Live |= StackSlotLiveness.Written;
        second.Live |= StackSlotLiveness.Written;
    }

    // kernel: __mark_dynptr_reg: the register state a dynptr's stack slot (or a callback's dynptr argument) carries
    private static RegState DynptrReg(BpfDynptrType type, bool firstSlot, uint id)
    {
        RegState r = RegState.Pointer(RegType.ConstPtrToDynptr);
        r.Id = id;
        r.DynptrType = type;
        r.DynptrFirstSlot = firstSlot;
        return r;
    }

    // kernel: invalidate_dynptr
    private static void InvalidateDynptr(FuncState state, int spi)
    {
        ref StackSlot first = ref state.Slot(spi), second = ref state.Slot(spi - 1);
        for (int i = 0; i < StackSlot.Size; i++)
        {
            first.SlotType[i] = StackSlotType.Invalid;
            second.SlotType[i] = StackSlotType.Invalid;
        }
        first.SpilledPtr.MarkNotInit();
        second.SpilledPtr.MarkNotInit();
        first.Live |= StackSlotLiveness.Written;
        second.Live |= StackSlotLiveness.Written;
    }

    // kernel: unmark_stack_slots_dynptr: the release of a dynptr (bpf_ringbuf_submit/discard_dynptr). A referenced
    // one releases its reference (its slices die with it) and every dynptr sharing it.
    private void UnmarkStackSlotsDynptr(in RegState reg)
    {
        if (reg.Type == RegType.ConstPtrToDynptr)
            throw Fail(-Errno.EFAULT, "verifier internal error: CONST_PTR_TO_DYNPTR cannot be released");
        FuncState state = FrameOf(reg);
        int spi = DynptrGetSpi(reg);
        if (spi < 0)
            throw new VerifierException(spi);
        if (!DynptrTypeRefcounted(state.Slot(spi).SpilledPtr.DynptrType))
        {
            InvalidateDynptr(state, spi);
            return;
        }
        uint refObjId = state.Slot(spi).SpilledPtr.RefObjId;
        ReleaseReference(refObjId);
        for (int i = 1; i < state.SlotCount; i++)
        {
            ref StackSlot slot = ref state.Slot(i);
            if (slot.SpilledPtr.RefObjId != refObjId)
                continue;
            if (slot.SlotType[0] != StackSlotType.Dynptr)
                throw Fail(-Errno.EFAULT, "verifier internal error: misconfigured ref_obj_id");
            if (slot.SpilledPtr.DynptrFirstSlot)
                InvalidateDynptr(state, i);
        }
    }

    // kernel: destroy_if_dynptr_stack_slot: a write into either slot of an unreferenced dynptr destroys it and the
    // slices taken from it; a referenced one may not be overwritten
    private void DestroyIfDynptrStackSlot(FuncState state, int spi)
    {
        if (state.Slot(spi).SlotType[0] != StackSlotType.Dynptr)
            return;
        if (!state.Slot(spi).SpilledPtr.DynptrFirstSlot)
            spi++;
        ref StackSlot first = ref state.Slot(spi), second = ref state.Slot(spi - 1);
        if (DynptrTypeRefcounted(first.SpilledPtr.DynptrType))
            throw Fail(-Errno.EINVAL, "cannot overwrite referenced dynptr");
        MarkStackSlotScratched(spi);
        MarkStackSlotScratched(spi - 1);
        for (int i = 0; i < StackSlot.Size; i++)
        {
            first.SlotType[i] = StackSlotType.Invalid;
            second.SlotType[i] = StackSlotType.Invalid;
        }
        uint dynptrId = first.SpilledPtr.Id;
        ForEachReg(_cur, (ref RegState r) =>
        {
            if (r.Type is RegType.PtrToMem or (RegType.PtrToMem | RegType.PtrMaybeNull) && r.DynptrId == dynptrId)
                MarkRegInvalid(ref r);
        });
        first.SpilledPtr.MarkNotInit();
        second.SpilledPtr.MarkNotInit();
        first.Live |= StackSlotLiveness.Written;
        second.Live |= StackSlotLiveness.Written;
    }

    // kernel: mark_dynptr_read: both slots are read (for pruning), and shown in the log's next state
    private void MarkDynptrRead(in RegState reg)
    {
        if (reg.Type == RegType.ConstPtrToDynptr)
            return;
        int spi = DynptrGetSpi(reg);
        if (spi < 0)
            throw new VerifierException(spi);
        FuncState state = FrameOf(reg);
        MarkStackRead(state, spi);
        MarkStackRead(state, spi - 1);
        MarkStackSlotScratched(spi);
        MarkStackSlotScratched(spi - 1);
    }

    // kernel: the ARG_PTR_TO_DYNPTR | OBJ_RELEASE check of check_func_arg: only a dynptr on the stack that holds a
    // reference can be released
    private void CheckDynptrRelease(in RegState reg, int regno)
    {
        if (reg.Type != RegType.PtrToStack)
            throw Fail(-Errno.EINVAL, "cannot release unowned const bpf_dynptr");
        int spi = DynptrGetSpi(reg);
        if (spi < 0 || FrameOf(reg).Slot(spi).SpilledPtr.RefObjId == 0)
            throw Fail(-Errno.EINVAL, Inv($"arg {regno} is an unacquired reference"));
    }

    // kernel: get_dynptr_arg_reg, then dynptr_id and dynptr_ref_obj_id: what a slice from bpf_dynptr_data carries
    private (uint Id, uint RefObjId) DynptrIds(HelperPrototype fn)
    {
        for (int i = 0; i < 5; i++)
        {
            if (fn.Arg(i).Base != BpfArgBase.PtrToDynptr)
                continue;
            RegState reg = Regs[i + 1];
            if (reg.Type == RegType.ConstPtrToDynptr)
                return (reg.Id, reg.RefObjId);
            int spi = DynptrGetSpi(reg);
            if (spi < 0)
                throw new VerifierException(spi);
            ref StackSlot slot = ref FrameOf(reg).Slot(spi);
            return (slot.SpilledPtr.Id, slot.SpilledPtr.RefObjId);
        }
        throw Fail(-Errno.EFAULT, "verifier internal error: no dynptr arg found");
    }
}
