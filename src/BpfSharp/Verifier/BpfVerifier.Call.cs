using BpfSharp.Maps;
using BpfSharp.Isa;
using BpfSharp.Uapi;

namespace BpfSharp.Verifier;

// kernel: check_helper_call, check_func_arg, check_reg_type, check_helper_mem_access, check_mem_size_reg.
public sealed partial class BpfVerifier
{
    /// <summary>The largest size a helper memory argument may have (kernel: BPF_MAX_VAR_SIZ).</summary>
    private const ulong MaxVarSize = 1UL << 29;

    private const int MaxErrno = 4095;

    // kernel: struct bpf_call_arg_meta, the parts this verifier tracks
    private struct CallArgMeta
    {
        public int FuncId;
        public MapAttributes? MapPtr;
        public bool RawMode;
        public int AccessSize;
        public int Regno;
        public int ReleaseRegno;
        public uint RefObjId;
        public ulong MsizeMaxValue;
        public long ConstMapKey;
        public uint MemSize;
        public int SubprogNo;
        public uint DynptrId;
    }

    private void CheckHelperCall(Instruction insn)
    {
        int funcId = insn.Imm;
        string name = HelperNames.Get(funcId) ?? "unknown";
        // Ids past the kernel's range exist only as a host-defined type's own helpers.
        HelperPrototype? fn = funcId >= 0 ? _ops.GetFuncProto(funcId, _caps, _opt.ExpectedAttachType) : null;
        if (funcId < 0 || (funcId >= HelperNames.MaxId && fn is null))
            throw Fail(-Errno.EINVAL, Inv($"invalid func {name}#{funcId}"));
        if (funcId >= HelperNames.MaxId)
            name = fn!.Name;
        if (fn is null)
            throw Fail(-Errno.EINVAL, Inv($"program of this type cannot use helper {name}#{funcId}"));
        if (!_opt.GplCompatible && fn.GplOnly)
            throw Fail(-Errno.EINVAL, "cannot call GPL-restricted function from non-GPL compatible program");
        if (fn.NotAllowed)
            throw Fail(-Errno.EINVAL, "helper call is not allowed in probe");
        if (!_opt.Sleepable && fn.MightSleep)
            throw Fail(-Errno.EINVAL, "helper call might sleep in a non-sleepable prog");

        var meta = new CallArgMeta { ConstMapKey = -1, FuncId = funcId };
        for (int i = 0; i < 5; i++)
            CheckFuncArg(i, ref meta, fn);
        RecordFuncMap(funcId, meta);
        if (funcId == HelperIds.TailCall)
            RecordTailCallKey(meta.MapPtr);

        // a helper that fills uninitialized stack memory: those bytes are written
        for (int i = 0; i < meta.AccessSize; i++)
            CheckMemAccess(meta.Regno, i, 1, BpfAccessType.Write, -1, false, false);

        RegState[] regs = Regs;
        if (meta.ReleaseRegno != 0)
        {
            bool released = true;
            if (fn.Arg(meta.ReleaseRegno - 1).Base == BpfArgBase.PtrToDynptr)
                UnmarkStackSlotsDynptr(regs[meta.ReleaseRegno]);
            else
                released = meta.RefObjId != 0 ? ReleaseReference(meta.RefObjId) : regs[meta.ReleaseRegno].IsNull;
            if (!released)
                throw Fail(-Errno.EINVAL, Inv($"func {name}#{funcId} reference has not been acquired before"));
        }
        if (funcId == HelperIds.TailCall)
            CheckResourceLeak("tail_call");
        PushHelperCallbacks(funcId, meta);
        if (funcId == HelperIds.DynptrFromMem && regs[1].Type != RegType.PtrToMapValue)
            throw Fail(-Errno.EACCES, Inv($"Unsupported reg type {regs[1].Type.LogName()} for bpf_dynptr_from_mem data"));
        if (funcId == HelperIds.DynptrData)
        {
            if (meta.RefObjId != 0)
                throw Fail(-Errno.EFAULT, "verifier internal error: meta.ref_obj_id already set");
            (meta.DynptrId, meta.RefObjId) = DynptrIds(fn);
        }

        foreach (int r in CallerSaved)
        {
            regs[r].MarkNotInit();
            CheckRegArg(r, RegArg.DstNoMark);
        }
        ref RegState r0 = ref regs[0];
        HelperReturnType ret = fn.Return;
        RegType flag = ret.Has(BpfTypeFlag.PTR_MAYBE_NULL) ? RegType.PtrMaybeNull : 0;
        switch (ret.Base)
        {
            case BpfReturnBase.Integer:
                MarkRegUnknown(ref r0);
                break;
            case BpfReturnBase.Void:
                r0.Type = RegType.NotInit;
                break;
            case BpfReturnBase.PtrToMapValue:
                MarkRegKnownZero(ref r0);
                if (meta.MapPtr is null)
                    throw Fail(-Errno.EINVAL, "kernel subsystem misconfigured verifier");
                if (funcId == HelperIds.MapLookupElem && meta.MapPtr.Type is BpfMapType.Array or BpfMapType.PercpuArray
                    && meta.ConstMapKey >= 0 && meta.ConstMapKey < meta.MapPtr.MaxEntries)
                    flag = 0; // a constant in-range key of an array: never NULL
                r0.MapPtr = meta.MapPtr;
                r0.Type = RegType.PtrToMapValue | flag;
                if (flag == 0 && meta.MapPtr.SpinLockOffset >= 0)
                    r0.Id = ++_idGen;
                break;
            case BpfReturnBase.PtrToSocket:
                MarkRegKnownZero(ref r0);
                r0.Type = RegType.PtrToSocket | flag;
                break;
            case BpfReturnBase.PtrToSockCommon:
                MarkRegKnownZero(ref r0);
                r0.Type = RegType.PtrToSockCommon | flag;
                break;
            case BpfReturnBase.PtrToTcpSock:
                MarkRegKnownZero(ref r0);
                r0.Type = RegType.PtrToTcpSock | flag;
                break;
            case BpfReturnBase.PtrToMem:
                MarkRegKnownZero(ref r0);
                r0.Type = RegType.PtrToMem | flag | (ret.Has(BpfTypeFlag.MEM_RINGBUF) ? RegType.MemRingbuf : 0)
                    | (ret.Has(BpfTypeFlag.MEM_RDONLY) ? RegType.MemRdonly : 0);
                r0.MemSize = meta.MemSize;
                break;
            case BpfReturnBase.PtrToBtfId when RetBtfStruct(funcId) is { } structName
                && _opt.KernelBtf?.FindByName(structName, Elf.Btf.BtfKind.Struct) is { } retBtfId:
                MarkRegKnownZero(ref r0); // kernel: the ret_btf_id of the helper's prototype, in vmlinux
                r0.Type = RegType.PtrToBtfId | flag | (ret.Has(BpfTypeFlag.PTR_TRUSTED) ? RegType.PtrTrusted : 0);
                (r0.Btf, r0.BtfId) = (_opt.KernelBtf, retBtfId);
                break;
            default:
                throw Fail(-Errno.EINVAL, Inv($"unknown return type {ret} of func {name}#{funcId}"));
        }
        if (r0.Type.MayBeNull())
            r0.Id = ++_idGen;
        if (funcId == HelperIds.DynptrData)
        {
            // a slice of the dynptr: dies with it (destroyed or released)
            r0.DynptrId = meta.DynptrId;
            r0.RefObjId = meta.RefObjId;
        }
        else if (IsPtrCastFunction(funcId))
        {
            // another view of the argument's socket: released with it
            r0.RefObjId = meta.RefObjId;
        }
        else if (IsAcquireFunction(funcId, meta.MapPtr))
        {
            uint id = ++_idGen;
            _cur.References.Add(new VerifierStateReference(id, _insnIdx));
            r0.Id = id;
            r0.RefObjId = id;
        }
        RefineRetvalRange(ref r0, funcId, meta);
        CheckMapFuncCompatibility(meta.MapPtr, funcId, name);
        if (HelperIds.ChangesPacketData(funcId))
            ForEachReg(_cur, (ref RegState reg) =>
            {
                if (reg.Type.IsPktPointer()) MarkRegInvalid(ref reg);
            });
    }

    // kernel: is_acquire_function: helpers whose result must be released before exit; a socket looked up in a
    // sockmap or sockhash is one too
    private static bool IsAcquireFunction(int funcId, MapAttributes? map) =>
        funcId is HelperIds.SkLookupTcp or HelperIds.SkLookupUdp or HelperIds.SkcLookupTcp or HelperIds.RingbufReserve
        || (funcId == HelperIds.MapLookupElem && map?.Type is Uapi.BpfMapType.Sockmap or Uapi.BpfMapType.Sockhash);

    // kernel: is_ptr_cast_function: helpers returning another view of their socket argument
    private static bool IsPtrCastFunction(int funcId) =>
        funcId is HelperIds.TcpSock or HelperIds.SkFullsock or HelperIds.SkcToTcpSock or HelperIds.SkcToTcp6Sock
            or HelperIds.SkcToUdp6Sock or HelperIds.SkcToMptcpSock or HelperIds.SkcToTcpTimewaitSock
            or HelperIds.SkcToTcpRequestSock;

    // kernel: release_reference: the reference and every register carrying it die
    private bool ReleaseReference(uint refObjId)
    {
        int idx = _cur.References.FindIndex(r => r.Id == refObjId);
        if (idx < 0)
            return false;
        _cur.References.RemoveAt(idx);
        ForEachReg(_cur, (ref RegState reg) =>
        {
            if (reg.RefObjId == refObjId) MarkRegInvalid(ref reg);
        });
        return true;
    }

    // kernel: check_resource_leak / check_reference_leak
    // An exit from a subprogram is not checked: its references go back to the caller.
    private void CheckResourceLeak(string prefix, bool exemptInSubprog = false)
    {
        if (exemptInSubprog && _cur.CurFrame != 0)
            return;
        if (_cur.ActiveLockMap is not null)
            throw Fail(-Errno.EINVAL, prefix + " cannot be used inside bpf_spin_lock-ed region");
        if (_cur.References.Count == 0)
            return;
        foreach (VerifierStateReference r in _cur.References)
            _log.Write(Inv($"Unreleased reference id={r.Id} alloc_insn={r.InsnIdx}\n"));
        throw Fail(-Errno.EINVAL, prefix + " would lead to reference leak");
    }

    // kernel: process_spin_lock. The lock must be the map value's bpf_spin_lock at a constant offset; one lock at a
    // time, released through the pointer (register id) it was taken with.
    private void ProcessSpinLock(int regno, bool isLock)
    {
        RegState reg = Regs[regno];
        if (!reg.Bounds.VarOff.IsConst)
            throw Fail(-Errno.EINVAL, Inv($"R{regno} doesn't have constant offset. bpf_spin_lock has to be at the constant offset"));
        MapAttributes map = reg.MapPtr!;
        if (map.BtfValueTypeId == 0)
            throw Fail(-Errno.EINVAL, $"map '{map.Name}' has to have BTF in order to use bpf_spin_lock");
        if (map.SpinLockOffset < 0)
            throw Fail(-Errno.EINVAL, $"map '{map.Name}' has no valid bpf_spin_lock");
        long off = (long)reg.Bounds.VarOff.Value + reg.Off;
        if (off != map.SpinLockOffset)
            throw Fail(-Errno.EINVAL, Inv($"off {off} doesn't point to 'struct bpf_spin_lock' that is at {map.SpinLockOffset}"));
        if (isLock)
        {
            if (_cur.ActiveLockMap is not null)
                throw Fail(-Errno.EINVAL, "Locking two bpf_spin_locks are not allowed");
            _cur.ActiveLockId = reg.Id;
            _cur.ActiveLockMap = map;
            return;
        }
        if (_cur.ActiveLockMap is null)
            throw Fail(-Errno.EINVAL, "bpf_spin_unlock without taking a lock");
        if (_cur.ActiveLockId != reg.Id || !ReferenceEquals(_cur.ActiveLockMap, map))
            throw Fail(-Errno.EINVAL, "bpf_spin_unlock of different lock");
        _cur.ActiveLockId = 0;
        _cur.ActiveLockMap = null;
    }

    // kernel: record_func_map: helpers that write into a map need a map programs may write
    private void RecordFuncMap(int funcId, in CallArgMeta meta)
    {
        if (funcId == HelperIds.TailCall && meta.MapPtr is { Type: not BpfMapType.ProgArray })
        {
            _log.Write("expected prog array map for tail call"); // the kernel's line has no newline
            throw new VerifierException(-Errno.EINVAL);
        }
        if (funcId == HelperIds.TailCall && meta.MapPtr is { } progArray)
            RecordTailCallMap(progArray);
        if (funcId is not (HelperIds.MapDeleteElem or HelperIds.MapUpdateElem or HelperIds.MapPushElem or HelperIds.MapPopElem))
            return;
        if (meta.MapPtr is { } map && (map.Flags & MapFlags.BPF_F_RDONLY_PROG) != 0)
            throw Fail(-Errno.EACCES, "write into map forbidden");
    }

    // kernel: do_refine_retval_range
    private void RefineRetvalRange(ref RegState r0, int funcId, in CallArgMeta meta)
    {
        if (r0.Type != RegType.ScalarValue)
            return;
        switch (funcId)
        {
            case HelperIds.GetStack or HelperIds.GetTaskStack or HelperIds.ProbeReadStr or HelperIds.ProbeReadKernelStr
                or HelperIds.ProbeReadUserStr:
                r0.Bounds.SMax = (long)meta.MsizeMaxValue;
                r0.Bounds.S32Max = (int)meta.MsizeMaxValue;
                r0.Bounds.SMin = -MaxErrno;
                r0.Bounds.S32Min = -MaxErrno;
                r0.Bounds.Sync();
                break;
            case HelperIds.GetSmpProcessorId:
                long max = _opt.PossibleCpus - 1;
                r0.Bounds.UMax = (ulong)max;
                r0.Bounds.U32Max = (uint)max;
                r0.Bounds.SMax = max;
                r0.Bounds.S32Max = (int)max;
                r0.Bounds.UMin = 0;
                r0.Bounds.U32Min = 0;
                r0.Bounds.SMin = 0;
                r0.Bounds.S32Min = 0;
                r0.Bounds.Sync();
                break;
        }
    }

    // The struct each helper returning RET_PTR_TO_BTF_ID* points to (kernel: the ret_btf_id of its bpf_func_proto).
    private static string? RetBtfStruct(int funcId) => HelperNames.Get(funcId) switch
    {
        "bpf_get_current_task_btf" => "task_struct",
        "bpf_task_pt_regs" => "pt_regs",
        "bpf_skc_to_tcp6_sock" => "tcp6_sock",
        "bpf_skc_to_tcp_sock" => "tcp_sock",
        "bpf_skc_to_tcp_timewait_sock" => "tcp_timewait_sock",
        "bpf_skc_to_tcp_request_sock" => "tcp_request_sock",
        "bpf_skc_to_udp6_sock" => "udp6_sock",
        "bpf_skc_to_unix_sock" => "unix_sock",
        "bpf_skc_to_mptcp_sock" => "mptcp_sock",
        "bpf_sock_from_file" => "socket",
        _ => null,
    };
}
