using BpfSharp.Maps;
using BpfSharp.Uapi;

namespace BpfSharp.Verifier;

// kernel: check_func_arg and what it calls for each argument type.
public sealed partial class BpfVerifier
{
    private static readonly RegType[] MemTypes =
        [RegType.PtrToStack, RegType.PtrToPacket, RegType.PtrToPacketMeta, RegType.PtrToMapKey, RegType.PtrToMapValue,
         RegType.PtrToMem, RegType.PtrToMem | RegType.MemRingbuf, RegType.PtrToBuf, RegType.PtrToBtfId | RegType.PtrTrusted];
    private static readonly RegType[] IntPtrTypes =
        [RegType.PtrToStack, RegType.PtrToPacket, RegType.PtrToPacketMeta, RegType.PtrToMapKey, RegType.PtrToMapValue];
    private static readonly RegType[] ScalarTypes = [RegType.ScalarValue];
    private static readonly RegType[] ConstMapPtrTypes = [RegType.ConstPtrToMap];
    private static readonly RegType[] ContextTypes = [RegType.PtrToCtx];
    private static readonly RegType[] SockTypes =
        [RegType.PtrToSockCommon, RegType.PtrToSocket, RegType.PtrToTcpSock, RegType.PtrToXdpSock];
    private static readonly RegType[] FullsockTypes = [RegType.PtrToSocket];
    private static readonly RegType[] BtfIdSockCommonTypes =
        [RegType.PtrToSockCommon, RegType.PtrToSocket, RegType.PtrToTcpSock, RegType.PtrToXdpSock,
         RegType.PtrToBtfId, RegType.PtrToBtfId | RegType.PtrTrusted];
    private static readonly RegType[] BtfPtrTypes =
        [RegType.PtrToBtfId, RegType.PtrToBtfId | RegType.PtrTrusted, RegType.PtrToBtfId | RegType.MemRcu];
    private static readonly RegType[] RingbufMemTypes = [RegType.PtrToMem | RegType.MemRingbuf];
    private static readonly RegType[] MapValueTypes = [RegType.PtrToMapValue];
    private static readonly RegType[] FuncPtrTypes = [RegType.PtrToFunc];
    private static readonly RegType[] StackPtrTypes = [RegType.PtrToStack];
    private static readonly RegType[] DynptrTypes = [RegType.PtrToStack, RegType.ConstPtrToDynptr];

    // kernel: compatible_reg_types
    private static RegType[]? CompatibleRegTypes(BpfArgBase arg) => arg switch
    {
        BpfArgBase.PtrToMapKey or BpfArgBase.PtrToMapValue => MemTypes,
        BpfArgBase.ConstSize or BpfArgBase.ConstSizeOrZero or BpfArgBase.ConstAllocSizeOrZero => ScalarTypes,
        BpfArgBase.ConstMapPtr => ConstMapPtrTypes,
        BpfArgBase.PtrToCtx => ContextTypes,
        BpfArgBase.PtrToSockCommon => SockTypes,
        BpfArgBase.PtrToSocket => FullsockTypes,
        BpfArgBase.PtrToBtfIdSockCommon => BtfIdSockCommonTypes,
        BpfArgBase.PtrToBtfId => BtfPtrTypes,
        BpfArgBase.PtrToMem => MemTypes,
        BpfArgBase.PtrToRingbufMem => RingbufMemTypes,
        BpfArgBase.PtrToSpinLock or BpfArgBase.PtrToConstStr or BpfArgBase.PtrToTimer => MapValueTypes,
        BpfArgBase.PtrToFunc => FuncPtrTypes,
        BpfArgBase.PtrToStack => StackPtrTypes,
        BpfArgBase.PtrToInt or BpfArgBase.PtrToLong => IntPtrTypes,
        BpfArgBase.PtrToDynptr => DynptrTypes,
        _ => null,
    };

    private void CheckFuncArg(int arg, ref CallArgMeta meta, HelperPrototype fn)
    {
        int regno = arg + 1;
        HelperArgType argType = fn.Arg(arg);
        if (argType.IsUnused)
            return;
        CheckRegArg(regno, RegArg.Src);
        RegState reg = Regs[regno];
        if (argType.Base == BpfArgBase.Anything)
        {
            if (IsPointerValue(regno))
                throw Fail(-Errno.EACCES, Inv($"R{regno} leaks addr into helper function"));
            return;
        }
        if (reg.Type.IsPktPointer() && !fn.PacketAccess)
            throw Fail(-Errno.EACCES, "helper access to the packet is not allowed");
        bool maybeNull = argType.Has(BpfTypeFlag.PTR_MAYBE_NULL);
        if (!(reg.IsNull && maybeNull))
        {
            CheckRegType(regno, argType, fn.Id);
            CheckFuncArgRegOff(reg, regno, argType);
        }
        else
        {
            MarkChainPrecision(regno); // the NULL passes because it is zero
        }
        if (argType.Has(BpfTypeFlag.OBJ_RELEASE))
        {
            if (argType.Base == BpfArgBase.PtrToDynptr)
                CheckDynptrRelease(reg, regno);
            else if (reg.RefObjId == 0 && !reg.IsNull)
                throw Fail(-Errno.EINVAL, Inv($"R{regno} must be referenced when passed to release function"));
            meta.ReleaseRegno = regno;
        }
        if (reg.RefObjId != 0)
            meta.RefObjId = reg.RefObjId;

        switch (argType.Base)
        {
            case BpfArgBase.ConstMapPtr:
                // the map of a timer helper must be the one the timer's map value came from
                if (meta.MapPtr is not null && !ReferenceEquals(meta.MapPtr, reg.MapPtr))
                    throw Fail(-Errno.EINVAL, "timer pointer in R1 map_uid=0 doesn't match map pointer in R2 map_uid=0");
                meta.MapPtr = reg.MapPtr;
                break;
            case BpfArgBase.PtrToMapKey:
                MapAttributes keyMap = meta.MapPtr ?? throw Fail(-Errno.EACCES, "invalid map_ptr to access map->key");
                CheckHelperMemAccess(regno, (int)keyMap.KeySize, BpfAccessType.Read, false, ref meta, useMeta: false);
                if (keyMap.Type is BpfMapType.Array or BpfMapType.PercpuArray)
                    meta.ConstMapKey = ConstantMapKey(reg, (int)keyMap.KeySize);
                break;
            case BpfArgBase.PtrToMapValue:
                if (maybeNull && reg.IsNull)
                    return;
                if (meta.MapPtr is null)
                    throw Fail(-Errno.EACCES, "invalid map_ptr to access map->value");
                meta.RawMode = argType.Has(BpfTypeFlag.MEM_UNINIT);
                CheckHelperMemAccess(regno, (int)meta.MapPtr.ValueSize,
                    argType.Has(BpfTypeFlag.MEM_WRITE) ? BpfAccessType.Write : BpfAccessType.Read, false, ref meta, useMeta: true);
                break;
            case BpfArgBase.PtrToMem:
                meta.RawMode = argType.Has(BpfTypeFlag.MEM_UNINIT);
                if (argType.Has(BpfTypeFlag.MEM_FIXED_SIZE))
                {
                    CheckHelperMemAccess(regno, argType.Size,
                        argType.Has(BpfTypeFlag.MEM_WRITE) ? BpfAccessType.Write : BpfAccessType.Read, false, ref meta, useMeta: true);
                    if (argType.Has(BpfTypeFlag.MEM_ALIGNED))
                        CheckPtrAlignment(reg, 0, argType.Size, true);
                }
                break;
            case BpfArgBase.ConstSize or BpfArgBase.ConstSizeOrZero:
                CheckMemSizeReg(regno, fn.Arg(arg - 1).Has(BpfTypeFlag.MEM_WRITE) ? BpfAccessType.Write : BpfAccessType.Read,
                    argType.Base == BpfArgBase.ConstSizeOrZero, ref meta);
                break;
            case BpfArgBase.ConstAllocSizeOrZero:
                if (!reg.Bounds.VarOff.IsConst)
                    throw Fail(-Errno.EACCES, Inv($"R{regno} is not a known constant'"));
                meta.MemSize = (uint)reg.Bounds.VarOff.Value;
                MarkChainPrecision(regno);
                break;
            case BpfArgBase.PtrToInt or BpfArgBase.PtrToLong:
                int size = argType.Base == BpfArgBase.PtrToInt ? 4 : 8;
                CheckHelperMemAccess(regno, size, BpfAccessType.Read, false, ref meta, useMeta: true);
                CheckPtrAlignment(reg, 0, size, true);
                break;
            case BpfArgBase.PtrToConstStr:
                CheckRegConstStr(reg, regno);
                break;
            case BpfArgBase.PtrToSpinLock:
                if (meta.FuncId is not (HelperIds.SpinLock or HelperIds.SpinUnlock))
                    throw Fail(-Errno.EFAULT, "verifier internal error");
                ProcessSpinLock(regno, meta.FuncId == HelperIds.SpinLock);
                break;
            case BpfArgBase.PtrToTimer:
                ProcessTimerFunc(regno, ref meta);
                break;
            case BpfArgBase.PtrToFunc:
                meta.SubprogNo = reg.SubprogNo;
                break;
            case BpfArgBase.PtrToDynptr:
                ProcessDynptrFunc(regno, argType);
                break;
        }
    }

    // kernel: check_reg_type
    private void CheckRegType(int regno, HelperArgType argType, int funcId)
    {
        RegState reg = Regs[regno];
        RegType[]? compatible = CompatibleRegTypes(argType.Base)
            ?? throw Fail(-Errno.EFAULT, Inv($"verifier internal error: unsupported arg type {argType}"));
        RegType type = reg.Type;
        if (argType.Has(BpfTypeFlag.MEM_RDONLY))
            type &= ~RegType.MemRdonly;
        if (argType.Has(BpfTypeFlag.PTR_MAYBE_NULL))
            type &= ~RegType.PtrMaybeNull;
        if (Array.IndexOf(compatible, type) >= 0)
        {
            if (type.BaseType() == RegType.PtrToBtfId && argType.Base == BpfArgBase.PtrToBtfIdSockCommon)
                CheckBtfIdArg(regno, reg, "sock_common");
            else if (type.BaseType() == RegType.PtrToBtfId && argType.Base == BpfArgBase.PtrToBtfId)
                CheckBtfIdArg(regno, reg, ArgBtfStruct(funcId, regno - 1)
                    ?? throw Fail(-Errno.EFAULT, Inv($"verifier internal error: no btf_id for arg{regno - 1} of helper #{funcId}")));
            return;
        }
        var sb = new System.Text.StringBuilder();
        sb.Append(Inv($"R{regno} type={reg.Type.LogName()} expected="));
        for (int j = 0; j < compatible.Length; j++)
        {
            if (j > 0) sb.Append(", ");
            sb.Append(compatible[j].LogName());
        }
        throw Fail(-Errno.EACCES, sb.ToString());
    }

    // kernel: the PTR_TO_BTF_ID case of check_reg_type: the pointer's struct, or one nested at its offset, must be
    // the one the helper takes (btf_struct_ids_match).
    private void CheckBtfIdArg(int regno, in RegState reg, string expected)
    {
        Elf.Btf.BtfBlob btf = reg.Btf!;
        if (btf.FindByName(expected, Elf.Btf.BtfKind.Struct) is { } need && BtfStructWalk.IdsMatch(btf, reg.BtfId, reg.Off, need))
            return;
        throw Fail(-Errno.EACCES, Inv($"R{regno} is of type {btf.NameOf(reg.BtfId)} but {expected} is expected"));
    }

    // The struct an ARG_PTR_TO_BTF_ID argument of a helper points to (kernel: the arg_btf_id of its bpf_func_proto).
    private static string? ArgBtfStruct(int funcId, int arg) => (HelperNames.Get(funcId), arg) switch
    {
        ("bpf_get_task_stack" or "bpf_task_pt_regs" or "bpf_find_vma", 0) => "task_struct",
        ("bpf_task_storage_get" or "bpf_task_storage_delete", 1) => "task_struct",
        ("bpf_copy_from_user_task", 3) => "task_struct",
        ("bpf_cgrp_storage_get" or "bpf_cgrp_storage_delete", 1) => "cgroup",
        ("bpf_sock_from_file", 0) => "file",
        ("bpf_d_path", 0) => "path",
        ("bpf_skb_output", 0) => "sk_buff",
        ("bpf_xdp_output" or "bpf_xdp_get_buff_len", 0) => "xdp_buff",
        _ => null,
    };

    // kernel: check_func_arg_reg_off. What a release function frees must be the object itself, not a pointer
    // into it (a dynptr on the stack, which points to the object, excepted).
    private void CheckFuncArgRegOff(in RegState reg, int regno, HelperArgType? argType = null)
    {
        RegType t = reg.Type;
        if (argType is { } release && release.Has(BpfTypeFlag.OBJ_RELEASE))
        {
            if (release.Base == BpfArgBase.PtrToDynptr && t == RegType.PtrToStack)
                return;
            if (reg.Off != 0)
                throw Fail(-Errno.EINVAL, Inv($"R{regno} must have zero offset when passed to release func or trusted arg to kfunc"));
            CheckPtrOffReg(reg, regno, fixedOffOk: false);
            return;
        }
        if (t.BaseType() == RegType.PtrToBtfId && (t.Flags() & ~(RegType.PtrTrusted | RegType.MemRcu)) == 0)
        {
            CheckPtrOffReg(reg, regno, fixedOffOk: true); // a fixed offset into the struct is fine
            return;
        }
        if (t is RegType.PtrToStack or RegType.PtrToPacket or RegType.PtrToPacketMeta or RegType.PtrToMapKey
            or RegType.PtrToMapValue or RegType.PtrToMem or (RegType.PtrToMem | RegType.MemRdonly)
            or (RegType.PtrToMem | RegType.MemRingbuf) or RegType.PtrToBuf or (RegType.PtrToBuf | RegType.MemRdonly)
            or RegType.PtrToArena or RegType.ScalarValue)
            return;
        CheckPtrOffReg(reg, regno, fixedOffOk: false);
    }

    // kernel: check_helper_mem_access
    private void CheckHelperMemAccess(int regno, int accessSize, BpfAccessType access, bool zeroSizeAllowed,
        ref CallArgMeta meta, bool useMeta)
    {
        RegState reg = Regs[regno];
        switch (reg.Type.BaseType())
        {
            case RegType.PtrToPacket or RegType.PtrToPacketMeta:
                CheckPacketAccess(regno, reg.Off, accessSize, zeroSizeAllowed);
                return;
            case RegType.PtrToMapKey:
                if (access == BpfAccessType.Write)
                    throw Fail(-Errno.EACCES, Inv($"R{regno} cannot write into {reg.Type.LogName()}"));
                CheckMemRegionAccess(regno, reg.Off, accessSize, reg.MapPtr!.KeySize, false);
                return;
            case RegType.PtrToMapValue:
                CheckMapAccessType(regno, reg.Off, accessSize, access);
                CheckMapAccess(regno, reg.Off, accessSize, zeroSizeAllowed);
                return;
            case RegType.PtrToMem:
                if (reg.Type.Has(RegType.MemRdonly) && access == BpfAccessType.Write)
                    throw Fail(-Errno.EACCES, Inv($"R{regno} cannot write into {reg.Type.LogName()}"));
                CheckMemRegionAccess(regno, reg.Off, accessSize, reg.MemSize, zeroSizeAllowed);
                return;
            case RegType.PtrToStack:
                bool raw = useMeta && meta.RawMode;
                CheckStackRangeInitialized(regno, reg.Off, accessSize, zeroSizeAllowed, access, raw);
                if (raw && reg.Bounds.VarOff.IsConst)
                {
                    meta.AccessSize = accessSize;
                    meta.Regno = regno;
                }
                return;
            default:
                if (zeroSizeAllowed && accessSize == 0 && reg.IsNull)
                    return;
                throw Fail(-Errno.EACCES, Inv($"R{regno} type={reg.Type.LogName()} expected={RegType.PtrToStack.LogName()}"));
        }
    }

    // kernel: check_mem_size_reg: the size argument bounds the memory argument before it
    private void CheckMemSizeReg(int regno, BpfAccessType access, bool zeroSizeAllowed, ref CallArgMeta meta)
    {
        RegState reg = Regs[regno];
        meta.MsizeMaxValue = reg.Bounds.UMax;
        bool useMeta = reg.Bounds.VarOff.IsConst;
        if (reg.Bounds.SMin < 0)
            throw Fail(-Errno.EACCES, Inv($"R{regno} min value is negative, either use unsigned or 'var &= const'"));
        if (reg.Bounds.UMin == 0 && !zeroSizeAllowed)
            throw Fail(-Errno.EACCES, Inv($"R{regno} invalid zero-sized read: u64=[{(long)reg.Bounds.UMin},{(long)reg.Bounds.UMax}]"));
        if (reg.Bounds.UMax >= MaxVarSize)
            throw Fail(-Errno.EACCES, Inv($"R{regno} unbounded memory access, use 'var &= const' or 'if (var < const)'"));
        if (!useMeta)
            meta.RawMode = false;
        CheckHelperMemAccess(regno - 1, (int)reg.Bounds.UMax, access, zeroSizeAllowed, ref meta, useMeta);
        MarkChainPrecision(regno); // the access was checked against this size
    }

    // kernel: check_reg_const_str: a NUL-terminated string in a frozen read-only map value
    private void CheckRegConstStr(in RegState reg, int regno)
    {
        MapAttributes map = reg.MapPtr!;
        if ((map.Flags & MapFlags.BPF_F_RDONLY_PROG) == 0)
            throw Fail(-Errno.EACCES, Inv($"R{regno} does not point to a readonly map'"));
        if (!reg.Bounds.VarOff.IsConst)
            throw Fail(-Errno.EACCES, Inv($"R{regno} is not a constant address'"));
        CheckMapAccess(regno, reg.Off, (int)map.ValueSize - reg.Off - (int)reg.Bounds.VarOff.Value, false);
    }

    // kernel: get_constant_map_key: the key on the stack is a known constant (privileged loads only)
    private long ConstantMapKey(in RegState key, int keySize)
    {
        if (!BpfCapable || key.Type != RegType.PtrToStack || !key.Bounds.VarOff.IsConst)
            return -1;
        int stackOff = key.Off + (int)(long)key.Bounds.VarOff.Value;
        int slot = -stackOff - 1, spi = slot / StackSlot.Size, off = slot % StackSlot.Size;
        ref StackSlot stack = ref FrameOf(key).Slot(spi);
        MarkStackRead(FrameOf(key), spi);
        int zeroSize = 0;
        for (int i = off; i >= 0 && stack.SlotType[i] == StackSlotType.Zero; i--)
            zeroSize++;
        if (zeroSize >= keySize)
            return 0;
        if (!stack.IsSpilledScalar)
            return -1;
        int spillSize = 0;
        for (int i = off; i >= 0 && stack.SlotType[i] == StackSlotType.Spill; i--)
            spillSize++;
        if (spillSize != keySize || !stack.SpilledPtr.Bounds.VarOff.IsConst)
            return -1;
        // the lookup's result depends on the spilled constant
        _bt.SetFrameSlot(key.Frameno, spi);
        MarkChainPrecisionBatch();
        return (long)stack.SpilledPtr.Bounds.VarOff.Value;
    }
}
