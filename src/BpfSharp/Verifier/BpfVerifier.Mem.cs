using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Verifier;

// kernel: check_mem_access and what it dispatches to per pointer type, check_ptr_alignment, check_mem_region_access.
public sealed partial class BpfVerifier
{
    /// <summary>The largest packet offset the verifier reasons about (kernel: MAX_PACKET_OFF).</summary>
    private const int MaxPacketOff = 0xffff;

    private static int SizeBytes(byte opcode) => (opcode & 0x18) switch
    {
        BPF_B => 1,
        BPF_H => 2,
        BPF_W => 4,
        _ => 8,
    };

    // kernel: check_load_mem (strictAlignmentOnce for load-acquire)
    private void CheckLoadMem(Instruction insn, bool isLdsx, bool strictAlignmentOnce = false)
    {
        CheckRegArg(insn.Src, RegArg.Src);
        CheckRegArg(insn.Dst, RegArg.DstNoMark);
        RegType srcType = Regs[insn.Src].Type;
        CheckMemAccess(insn.Src, insn.Offset, SizeBytes(insn.Opcode), BpfAccessType.Read, insn.Dst, strictAlignmentOnce, isLdsx);
        SaveAuxPtrType(srcType);
        // kernel: convert_ctx_accesses makes loads through kernel pointers BPF_PROBE_MEM (a fault reads 0)
        if ((srcType.BaseType() == RegType.PtrToBtfId
            || srcType.BaseType() == RegType.PtrToMem && srcType.Has(RegType.MemRdonly | RegType.PtrUntrusted)))
            _probeMem[_insnIdx] = true;
    }

    // kernel: check_store_reg (strictAlignmentOnce for store-release)
    private void CheckStoreReg(Instruction insn, bool strictAlignmentOnce = false)
    {
        CheckRegArg(insn.Src, RegArg.Src);
        CheckRegArg(insn.Dst, RegArg.Src);
        RegType dstType = Regs[insn.Dst].Type;
        CheckMemAccess(insn.Dst, insn.Offset, SizeBytes(insn.Opcode), BpfAccessType.Write, insn.Src, strictAlignmentOnce, false);
        SaveAuxPtrType(dstType);
    }

    // kernel: do_check, BPF_ST
    private void CheckStoreImm(Instruction insn)
    {
        CheckRegArg(insn.Dst, RegArg.Src);
        RegType dstType = Regs[insn.Dst].Type;
        CheckMemAccess(insn.Dst, insn.Offset, SizeBytes(insn.Opcode), BpfAccessType.Write, -1, false, false);
        SaveAuxPtrType(dstType);
    }

    // kernel: check_atomic: load-acquire and store-release are a load and a store with strict alignment on the
    // pointer types atomics may use; the rest read, modify and write.
    private void CheckAtomic(Instruction insn)
    {
        switch (insn.Imm)
        {
            case BPF_LOAD_ACQ:
                CheckLoadMem(insn, isLdsx: false, strictAlignmentOnce: true);
                if (!AtomicPtrTypeOk(insn.Src))
                    throw Fail(-Errno.EACCES, Inv($"BPF_ATOMIC loads from R{insn.Src} {Regs[insn.Src].Type.LogName()} is not allowed"));
                return;
            case BPF_STORE_REL:
                CheckStoreReg(insn, strictAlignmentOnce: true);
                if (!AtomicPtrTypeOk(insn.Dst))
                    throw Fail(-Errno.EACCES, Inv($"BPF_ATOMIC stores into R{insn.Dst} {Regs[insn.Dst].Type.LogName()} is not allowed"));
                return;
            default:
                CheckAtomicRmw(insn);
                return;
        }
    }

    // kernel: check_atomic_rmw (the decoder admits only the operations that exist)
    private void CheckAtomicRmw(Instruction insn)
    {
        int size = SizeBytes(insn.Opcode);
        if (size is not (4 or 8))
            throw Fail(-Errno.EINVAL, "invalid atomic operand size");
        CheckRegArg(insn.Src, RegArg.Src);
        CheckRegArg(insn.Dst, RegArg.Src);
        if (insn.Imm == BPF_CMPXCHG)
        {
            CheckRegArg(0, RegArg.Src);
            if (IsPointerValue(0))
                throw Fail(-Errno.EACCES, "R0 leaks addr into mem");
        }
        if (IsPointerValue(insn.Src))
            throw Fail(-Errno.EACCES, Inv($"R{insn.Src} leaks addr into mem"));
        if (!AtomicPtrTypeOk(insn.Dst))
            throw Fail(-Errno.EACCES, Inv($"BPF_ATOMIC stores into R{insn.Dst} {Regs[insn.Dst].Type.LogName()} is not allowed"));
        int loadReg = -1;
        if ((insn.Imm & BPF_FETCH) != 0)
        {
            loadReg = insn.Imm == BPF_CMPXCHG ? 0 : insn.Src;
            CheckRegArg(loadReg, RegArg.Dst);
        }
        CheckMemAccess(insn.Dst, insn.Offset, size, BpfAccessType.Read, -1, true, false);
        if (loadReg >= 0)
            CheckMemAccess(insn.Dst, insn.Offset, size, BpfAccessType.Read, loadReg, true, false);
        CheckMemAccess(insn.Dst, insn.Offset, size, BpfAccessType.Write, -1, true, false);
    }

    // kernel: atomic_ptr_type_ok
    private bool AtomicPtrTypeOk(int regno) => Regs[regno].Type.BaseType() switch
    {
        RegType.PtrToCtx or RegType.PtrToPacket or RegType.PtrToPacketMeta or RegType.PtrToPacketEnd
            or RegType.PtrToFlowKeys or RegType.PtrToSocket or RegType.PtrToSockCommon or RegType.PtrToTcpSock
            or RegType.PtrToXdpSock => false,
        _ => true,
    };

    // kernel: save_aux_ptr_type: one load/store instruction may not see both the context and other pointers
    private void SaveAuxPtrType(RegType type)
    {
        ref RegType prev = ref _auxPtrType[_insnIdx];
        if (prev == RegType.NotInit)
        {
            prev = type;
            return;
        }
        if (type != prev && (!MismatchOk(type) || !MismatchOk(prev)))
            throw Fail(-Errno.EINVAL, "same insn cannot be used with different pointers");

        static bool MismatchOk(RegType t) => t.BaseType() is not (RegType.PtrToCtx or RegType.PtrToSocket
            or RegType.PtrToSockCommon or RegType.PtrToTcpSock or RegType.PtrToXdpSock or RegType.PtrToBtfId
            or RegType.PtrToArena);
    }

    // kernel: check_mem_access
    private void CheckMemAccess(int regno, int off, int size, BpfAccessType t, int valueRegno, bool strictOnce, bool isLdsx)
    {
        RegState[] regs = Regs;
        RegState reg = regs[regno];
        CheckPtrAlignment(reg, off, size, strictOnce);
        off += reg.Off;
        RegType type = reg.Type;
        if (type == RegType.PtrToMapKey)
        {
            if (t == BpfAccessType.Write)
                throw Fail(-Errno.EACCES, Inv($"write to change key R{regno} not allowed"));
            CheckMemRegionAccess(regno, off, size, reg.MapPtr!.KeySize, false);
            if (valueRegno >= 0) MarkRegUnknown(ref regs[valueRegno]);
        }
        else if (type == RegType.PtrToMapValue)
        {
            if (t == BpfAccessType.Write && valueRegno >= 0 && IsPointerValue(valueRegno))
                throw Fail(-Errno.EACCES, Inv($"R{valueRegno} leaks addr into map"));
            CheckMapAccessType(regno, off, size, t);
            CheckMapAccess(regno, off, size, false);
            if (t == BpfAccessType.Read && valueRegno >= 0)
            {
                if (reg.Bounds.VarOff.IsConst && ReadOnlyMap(reg.MapPtr) is { } map)
                    regs[valueRegno] = RegState.KnownScalar(MapDirectRead(map, off + (int)reg.Bounds.VarOff.Value, size, isLdsx));
                else
                    MarkRegUnknown(ref regs[valueRegno]);
            }
        }
        else if (type.BaseType() == RegType.PtrToMem)
        {
            bool rdonly = type.Has(RegType.MemRdonly);
            if (type.MayBeNull())
                throw Fail(-Errno.EACCES, Inv($"R{regno} invalid mem access '{type.LogName()}'"));
            if (t == BpfAccessType.Write && rdonly)
                throw Fail(-Errno.EACCES, Inv($"R{regno} cannot write into {type.LogName()}"));
            if (t == BpfAccessType.Write && valueRegno >= 0 && IsPointerValue(valueRegno))
                throw Fail(-Errno.EACCES, Inv($"R{valueRegno} leaks addr into mem"));
            if (!(rdonly && type.Has(RegType.PtrUntrusted))) // untrusted memory is read by probe loads: any offset
                CheckMemRegionAccess(regno, off, size, reg.MemSize, false);
            if (valueRegno >= 0 && (t == BpfAccessType.Read || rdonly))
                MarkRegUnknown(ref regs[valueRegno]);
        }
        else if (type == RegType.PtrToCtx)
        {
            if (t == BpfAccessType.Write && valueRegno >= 0 && IsPointerValue(valueRegno))
                throw Fail(-Errno.EACCES, Inv($"R{valueRegno} leaks addr into ctx"));
            CheckPtrOffReg(reg, regno, fixedOffOk: false);
            var info = new CtxAccessInfo { RegType = RegType.ScalarValue, IsLdsx = isLdsx };
            bool valid = _ops.IsValidAccess(off, size, t, _opt.ExpectedAttachType, ref info);
            if (info.Log is not null)
                _log.Write(info.Log);
            if (!valid)
                throw Fail(-Errno.EACCES, Inv($"invalid bpf_context access off={off} size={size}"));
            if (info.CtxFieldSize != 0 && info.RegType.BaseType() != RegType.PtrToBtfId)
                _ctxFieldSize[_insnIdx] = info.CtxFieldSize;
            // kernel: check_ctx_access's max_ctx_offset, an unsigned end (a read ending before the start wraps high)
            if ((uint)(off + size) > _maxCtxOffset)
                _maxCtxOffset = (uint)(off + size);
            if (t == BpfAccessType.Read && valueRegno >= 0)
            {
                ref RegState v = ref regs[valueRegno];
                if (info.RegType == RegType.ScalarValue)
                {
                    MarkRegUnknown(ref v);
                }
                else
                {
                    MarkRegKnownZero(ref v);
                    if (info.RegType.MayBeNull())
                        v.Id = ++_idGen;
                    if (info.RegType.BaseType() == RegType.PtrToBtfId)
                        (v.Btf, v.BtfId) = (info.Btf, info.BtfId);
                }
                v.Type = info.RegType;
            }
        }
        else if (type == RegType.PtrToStack)
        {
            CheckStackAccessWithinBounds(regno, off, size, t);
            if (t == BpfAccessType.Read)
                CheckStackRead(regno, off, size, valueRegno);
            else
                CheckStackWrite(regno, off, size, valueRegno);
        }
        else if (type is RegType.PtrToPacket or RegType.PtrToPacketMeta)
        {
            if (t == BpfAccessType.Write && !_ops.MayWritePacketData)
                throw Fail(-Errno.EACCES, "cannot write into packet");
            if (t == BpfAccessType.Write && valueRegno >= 0 && IsPointerValue(valueRegno))
                throw Fail(-Errno.EACCES, Inv($"R{valueRegno} leaks addr into packet"));
            CheckPacketAccess(regno, off, size, false);
            if (t == BpfAccessType.Read && valueRegno >= 0)
                MarkRegUnknown(ref regs[valueRegno]);
        }
        else if (type.BaseType() == RegType.PtrToBtfId && !type.MayBeNull())
        {
            CheckPtrToBtfAccess(regno, off, size, t, valueRegno);
        }
        else if (type is RegType.PtrToFlowKeys or RegType.PtrToTpBuffer || IsExactSkPointer(type))
        {
            CheckProgTypePointerAccess(regno, reg, off, size, t, valueRegno); // flow keys, sockets, tracepoint buffers
        }
        else
        {
            throw Fail(-Errno.EACCES, Inv($"R{regno} invalid mem access '{type.LogName()}'"));
        }

        if (size < 8 && valueRegno >= 0 && t == BpfAccessType.Read && regs[valueRegno].Type == RegType.ScalarValue)
        {
            if (!isLdsx)
                regs[valueRegno].Bounds.CoerceToSize(size);
            else
                regs[valueRegno].Bounds.CoerceToSizeSx(size);
        }
    }

    // kernel: bpf_map_is_rdonly (BPF_F_RDONLY_PROG, frozen) for a map that can be addressed directly: its
    // contents are constants, as for a const volatile in .rodata.
    private Maps.Map? ReadOnlyMap(Maps.MapAttributes? attributes)
    {
        if (attributes is null || (attributes.Flags & MapFlags.BPF_F_RDONLY_PROG) == 0) return null;
        foreach (VerifierMapLoad load in _mapLoads.Values)
            if (ReferenceEquals(load.Map.Attributes, attributes))
                return load.Map.IsFrozen && load.Map is Maps.IDirectValueMap ? load.Map : null;
        return null;
    }

    // kernel: bpf_map_direct_read. A multi-entry array cannot be read this way: the load fails with that errno.
    private static unsafe ulong MapDirectRead(Maps.Map map, int off, int size, bool isLdsx)
    {
        int err = ((Maps.IDirectValueMap)map).DirectValueAddress((uint)off, out nint address);
        if (err < 0) throw new VerifierException(err); // no message: the kernel returns the errno as it is
        byte* p = (byte*)address + off;
        return size switch
        {
            1 => isLdsx ? (ulong)(sbyte)*p : *p,
            2 => isLdsx ? (ulong)(short)*(ushort*)p : *(ushort*)p,
            4 => isLdsx ? (ulong)(int)*(uint*)p : *(uint*)p,
            8 => *(ulong*)p,
            _ => throw new VerifierException(-Errno.EINVAL),
        };
    }

    // kernel: check_ptr_alignment
    private void CheckPtrAlignment(in RegState reg, int off, int size, bool strictOnce)
    {
        bool strict = _strictAlignment || strictOnce;
        string desc;
        switch (reg.Type)
        {
            case RegType.PtrToPacket or RegType.PtrToPacketMeta:
                if (!strict || size == 1) return;
                const int ipAlign = 2; // kernel: NET_IP_ALIGN as the check assumes it
                Tnum pkt = Tnum.Add(reg.Bounds.VarOff, Tnum.Const((ulong)(long)(ipAlign + reg.Off + off)));
                if (!pkt.IsAligned((ulong)size))
                    throw Fail(-Errno.EACCES,
                        Inv($"misaligned packet access off {ipAlign}+{TnumText(reg.Bounds.VarOff)}+{reg.Off}+{off} size {size}"));
                return;
            case RegType.PtrToFlowKeys: desc = "flow keys "; break;
            case RegType.PtrToMapKey: desc = "key "; break;
            case RegType.PtrToMapValue: desc = "value "; break;
            case RegType.PtrToCtx: desc = "context "; break;
            case RegType.PtrToStack: desc = "stack "; strict = true; break;
            case RegType.PtrToSocket or RegType.PtrToSocketOrNull: desc = "sock "; break;
            case RegType.PtrToSockCommon or RegType.PtrToSockCommonOrNull: desc = "sock_common "; break;
            case RegType.PtrToTcpSock or RegType.PtrToTcpSockOrNull: desc = "tcp_sock "; break;
            case RegType.PtrToXdpSock: desc = "xdp_sock "; break;
            default: desc = ""; break;
        }
        if (!strict || size == 1)
            return;
        Tnum t = Tnum.Add(reg.Bounds.VarOff, Tnum.Const((ulong)(long)(reg.Off + off)));
        if (!t.IsAligned((ulong)size))
            throw Fail(-Errno.EACCES, Inv($"misaligned {desc}access off {TnumText(reg.Bounds.VarOff)}+{reg.Off}+{off} size {size}"));
    }

    // The kernel's text for a variable offset in alignment messages: a constant as its number.
    private static string TnumText(Tnum t) => t.IsConst ? Inv($"{(long)t.Value}") : t.ToString();

    // kernel: __check_ptr_off_reg: context (and similar) pointers must be used unmodified
    private void CheckPtrOffReg(in RegState reg, int regno, bool fixedOffOk)
    {
        if (reg.Off < 0)
            throw Fail(-Errno.EACCES, Inv($"negative offset {reg.Type.LogName()} ptr R{regno} off={reg.Off} disallowed"));
        if (!fixedOffOk && reg.Off != 0)
            throw Fail(-Errno.EACCES, Inv($"dereference of modified {reg.Type.LogName()} ptr R{regno} off={reg.Off} disallowed"));
        if (!reg.Bounds.VarOff.IsConst || reg.Bounds.VarOff.Value != 0)
            throw Fail(-Errno.EACCES, Inv($"variable {reg.Type.LogName()} access var_off={reg.Bounds.VarOff} disallowed"));
    }

    // kernel: check_map_access_type
    private void CheckMapAccessType(int regno, int off, int size, BpfAccessType t)
    {
        MapAttributes map = Regs[regno].MapPtr!;
        uint flags = map.Flags;
        if (t == BpfAccessType.Write && (flags & MapFlags.BPF_F_RDONLY_PROG) != 0)
            throw Fail(-Errno.EACCES, Inv($"write into map forbidden, value_size={map.ValueSize} off={off} size={size}"));
        if (t == BpfAccessType.Read && (flags & MapFlags.BPF_F_WRONLY_PROG) != 0)
            throw Fail(-Errno.EACCES, Inv($"read from map forbidden, value_size={map.ValueSize} off={off} size={size}"));
    }

    // kernel: check_map_access: the value bytes, and no direct access to a spin lock or timer inside it
    private void CheckMapAccess(int regno, int off, int size, bool zeroSizeAllowed)
    {
        RegState reg = Regs[regno];
        MapAttributes map = reg.MapPtr!;
        CheckMemRegionAccess(regno, off, size, map.ValueSize, zeroSizeAllowed);
        long lo = reg.Bounds.SMin + off, hi = (long)reg.Bounds.UMax + off + size;
        if (map.SpinLockOffset >= 0 && lo < map.SpinLockOffset + 4 && map.SpinLockOffset < hi)
            throw Fail(-Errno.EACCES, "bpf_spin_lock cannot be accessed directly by load/store");
        if (map.TimerOffset >= 0 && lo < map.TimerOffset + 16 && map.TimerOffset < hi)
            throw Fail(-Errno.EACCES, "bpf_timer cannot be accessed directly by load/store");
    }

    // kernel: check_mem_region_access over the whole variable range of the pointer
    private void CheckMemRegionAccess(int regno, int off, int size, uint memSize, bool zeroSizeAllowed)
    {
        RegState reg = Regs[regno];
        long smin = reg.Bounds.SMin;
        if (smin < 0 && (smin == long.MinValue || off + smin != (int)(off + smin) || smin + off < 0))
            throw Fail(-Errno.EACCES, Inv($"R{regno} min value is negative, either use unsigned index or do a if (index >=0) check."));
        if (!MemAccessOk(smin + off, size, memSize, zeroSizeAllowed))
        {
            ReportMemAccess(regno, smin + off, size, memSize);
            throw Fail(-Errno.EACCES, Inv($"R{regno} min value is outside of the allowed memory range"));
        }
        if (reg.Bounds.UMax >= (ulong)MaxVarOff)
            throw Fail(-Errno.EACCES, Inv($"R{regno} unbounded memory access, make sure to bounds check any such access"));
        long max = (long)reg.Bounds.UMax + off;
        if (!MemAccessOk(max, size, memSize, zeroSizeAllowed))
        {
            ReportMemAccess(regno, max, size, memSize);
            throw Fail(-Errno.EACCES, Inv($"R{regno} max value is outside of the allowed memory range"));
        }
    }

    private static bool MemAccessOk(long off, int size, long memSize, bool zeroSizeAllowed)
    {
        bool sizeOk = size > 0 || (size == 0 && zeroSizeAllowed);
        return off >= 0 && sizeOk && off + size <= memSize;
    }

    // kernel: __check_mem_access's message for a failed access
    private void ReportMemAccess(int regno, long off, int size, long memSize)
    {
        RegState reg = Regs[regno];
        string msg = reg.Type switch
        {
            RegType.PtrToMapKey => Inv($"invalid access to map key, key_size={memSize} off={off} size={size}"),
            RegType.PtrToMapValue => Inv($"invalid access to map value, value_size={memSize} off={off} size={size}"),
            RegType.PtrToPacket or RegType.PtrToPacketMeta or RegType.PtrToPacketEnd =>
                Inv($"invalid access to packet, off={off} size={size}, R{regno}(id={reg.Id},off={off},r={memSize})"),
            RegType.PtrToCtx => Inv($"invalid access to context, ctx_size={memSize} off={off} size={size}"),
            _ => Inv($"invalid access to memory, mem_size={memSize} off={off} size={size}"),
        };
        _log.Write(msg + "\n");
    }

    // kernel: check_packet_access
    private void CheckPacketAccess(int regno, int off, int size, bool zeroSizeAllowed)
    {
        RegState reg = Regs[regno];
        if (reg.Bounds.SMin < 0)
            throw Fail(-Errno.EACCES, Inv($"R{regno} min value is negative, either use unsigned index or do a if (index >=0) check."));
        if (reg.Range < 0 || !MemAccessOk(off, size, reg.Range, zeroSizeAllowed))
        {
            if (reg.Range >= 0)
                ReportMemAccess(regno, off, size, reg.Range);
            throw Fail(reg.Range < 0 ? -Errno.EINVAL : -Errno.EACCES, Inv($"R{regno} offset is outside of the packet"));
        }
    }
}
