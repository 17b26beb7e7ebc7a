using BpfSharp.Elf.Btf;
using BpfSharp.Uapi;

namespace BpfSharp.Verifier;

// kernel: btf_prepare_func_args, btf_is_prog_ctx_type, btf_validate_prog_ctx_type (btf.c); btf_check_subprog_call,
// btf_check_func_arg_match, check_mem_reg (verifier.c).
public sealed partial class BpfVerifier
{
    private const int MaxFuncRegArgs = 5; // kernel: MAX_BPF_FUNC_REG_ARGS

    [Flags]
    private enum ArgTags
    {
        None = 0,
        Ctx = 1,
        NonNull = 2,
        Trusted = 4,
        Untrusted = 8,
        Nullable = 16,
        Arena = 32,
    }

    /// <summary>
    /// Derives the subprogram's argument types from its BTF prototype once (kernel: btf_prepare_func_args): 0, or a
    /// negative errno with the kernel's log lines. Static functions fail silently where global ones explain.
    /// </summary>
    private int PrepareFuncArgs(int subprog)
    {
        SubprogAux sub = _subprogAux[subprog];
        if (sub.ArgsCached)
            return 0;
        bool isGlobal = sub.Linkage == SubprogAux.Global;
        if (!HasFuncInfo)
        {
            _log.Write("verifier bug: func_info undefined\n");
            return -Errno.EFAULT;
        }
        if (sub.TypeId == 0)
        {
            if (!isGlobal)
                return -Errno.EINVAL;
            _log.Write("Global functions need valid BTF\n");
            return -Errno.EFAULT;
        }
        BtfBlob btf = _opt.Btf!;
        BtfType fn = btf.GetType(sub.TypeId);
        string tname = fn.Name;
        if (sub.Unreliable)
        {
            _log.Write(Inv($"verifier bug: unreliable BTF for function {tname}()\n"));
            return -Errno.EFAULT;
        }
        BtfType proto = btf.GetType(fn.Type);
        int nargs = proto.Vlen;
        if (nargs > MaxFuncRegArgs)
        {
            if (!isGlobal)
                return -Errno.EINVAL;
            _log.Write(Inv($"Global function {tname}() with {nargs} > {MaxFuncRegArgs} args. Buggy compiler.\n"));
            return -Errno.EINVAL;
        }
        BtfType ret = btf.GetType(btf.SkipModifiers(proto.Type));
        if (ret.Kind is not (BtfKind.Int or BtfKind.Enum or BtfKind.Enum64) || ret.Id == 0)
        {
            if (!isGlobal)
                return -Errno.EINVAL;
            _log.Write(Inv($"Global function {tname}() doesn't return scalar. Only those are supported.\n"));
            return -Errno.EINVAL;
        }
        for (int i = 0; i < nargs; i++)
        {
            int err = ScanDeclTags(btf, sub.TypeId, i, isGlobal, out ArgTags tags);
            if (err != 0)
                return err;
            BtfType t = btf.GetType(btf.SkipModifiers(proto.Param(i).Type));
            if (t.Kind == BtfKind.Ptr)
            {
                if ((tags & ArgTags.Ctx) != 0 || IsProgCtxType(btf, t, i))
                {
                    if ((tags & ~ArgTags.Ctx) != 0)
                        return ArgError(i, "has invalid combination of tags");
                    if ((tags & ArgTags.Ctx) != 0 && !ValidateProgCtxType(btf, t, i))
                        return -Errno.EINVAL;
                    sub.Args[i] = new SubprogArg(SubprogArgKind.Ctx);
                    continue;
                }
                if (IsDynptrPtr(btf, t))
                {
                    if (tags != 0)
                        return ArgError(i, "has invalid combination of tags");
                    _log.Write(Inv($"arg#{i} dynptr arguments are not supported\n"));
                    return -Errno.EOPNOTSUPP;
                }
                if ((tags & ArgTags.Trusted) != 0)
                {
                    if ((tags & ArgTags.NonNull) != 0)
                        return ArgError(i, "has invalid combination of tags");
                    return NoKernelType(btf, t, i);
                }
                if ((tags & ArgTags.Untrusted) != 0)
                {
                    if ((tags & ~ArgTags.Untrusted) != 0)
                    {
                        _log.Write(Inv($"arg#{i} untrusted cannot be combined with any other tags\n"));
                        return -Errno.EINVAL;
                    }
                    _log.Write(Inv($"arg#{i} untrusted arguments are not supported\n"));
                    return -Errno.EOPNOTSUPP;
                }
                if ((tags & ArgTags.Arena) != 0)
                {
                    if ((tags & ~ArgTags.Arena) != 0)
                    {
                        _log.Write(Inv($"arg#{i} arena cannot be combined with any other tags\n"));
                        return -Errno.EINVAL;
                    }
                    sub.Args[i] = new SubprogArg(SubprogArgKind.Arena);
                    continue;
                }
                if (isGlobal)
                {
                    // a generic pointer to user data of the pointee's size
                    if ((tags & ArgTags.Nullable) != 0)
                        return ArgError(i, "has invalid combination of tags");
                    BtfType target = btf.GetType(btf.SkipModifiers(t.Type));
                    if (btf.SizeOf(target.Id) is not { } size || target.Id == 0)
                    {
                        _log.Write(Inv($"arg#{i} reference type('{target.Kind.KernelName()} {target.Name}') size cannot be determined: -22\n"));
                        return -Errno.EINVAL;
                    }
                    sub.Args[i] = new SubprogArg(SubprogArgKind.Mem, (tags & ArgTags.NonNull) == 0, size);
                    continue;
                }
            }
            if (tags != 0)
                return ArgError(i, "has pointer tag, but is not a pointer type");
            if (t.Kind is BtfKind.Int or BtfKind.Enum or BtfKind.Enum64 && t.Id != 0)
            {
                sub.Args[i] = new SubprogArg(SubprogArgKind.Anything);
                continue;
            }
            if (!isGlobal)
                return -Errno.EINVAL;
            _log.Write(Inv($"Arg#{i} type {t.Kind.KernelName()} in {tname}() is not supported yet.\n"));
            return -Errno.EINVAL;
        }
        sub.ArgCount = nargs;
        sub.ArgsCached = true;
        return 0;
    }

    private int ArgError(int arg, string what)
    {
        _log.Write(Inv($"arg#{arg} {what}\n"));
        return -Errno.EINVAL;
    }

    // kernel: btf_get_ptr_to_btf_id finds no kernel type: there is no kernel BTF to find one in.
    private int NoKernelType(BtfBlob btf, BtfType ptr, int arg)
    {
        BtfType target = btf.GetType(btf.SkipModifiers(ptr.Type));
        _log.Write(Inv($"arg#{arg} reference type('{target.Kind.KernelName()} {target.Name}') has no matches\n"));
        return -Errno.ENOENT;
    }

    // kernel: btf_scan_decl_tags: the "arg:<tag>" decl tags on argument arg of the function, in id order
    private int ScanDeclTags(BtfBlob btf, uint funcId, int arg, bool isGlobal, out ArgTags tags)
    {
        tags = ArgTags.None;
        for (uint id = 1; id < (uint)btf.TypeCount; id++)
        {
            BtfType t = btf.GetType(id);
            if (t.Kind != BtfKind.DeclTag || t.Type != funcId || t.ComponentIndex != arg)
                continue;
            string name = t.Name;
            if (!name.StartsWith("arg:", StringComparison.Ordinal))
                continue;
            if (!isGlobal)
            {
                _log.Write(Inv($"arg#{arg} type tag is not supported in static functions\n"));
                return -Errno.EOPNOTSUPP;
            }
            ArgTags tag = name[4..] switch
            {
                "ctx" => ArgTags.Ctx,
                "trusted" => ArgTags.Trusted,
                "untrusted" => ArgTags.Untrusted,
                "nonnull" => ArgTags.NonNull,
                "nullable" => ArgTags.Nullable,
                "arena" => ArgTags.Arena,
                _ => ArgTags.None,
            };
            if (tag == ArgTags.None)
            {
                _log.Write(Inv($"arg#{arg} has unsupported set of tags\n"));
                return -Errno.EOPNOTSUPP;
            }
            tags |= tag;
        }
        return 0;
    }

    // kernel: btf_is_dynptr_ptr
    private static bool IsDynptrPtr(BtfBlob btf, BtfType ptr)
    {
        BtfType t = btf.GetType(btf.SkipModifiers(ptr.Type));
        return (t.Kind is BtfKind.Struct or BtfKind.Union || (t.Kind == BtfKind.Fwd && !t.KindFlag)) && t.Name == "bpf_dynptr";
    }

    // kernel: btf_is_prog_ctx_type: the pointee is the struct the program type's context is declared as
    private bool IsProgCtxType(BtfBlob btf, BtfType ptr, int arg)
    {
        BtfType t = btf.GetType(ptr.Type);
        if (_ops.ProgType == BpfProgType.Kprobe)
        {
            while (t.Kind.IsModifier() && t.Kind != BtfKind.Typedef)
                t = btf.GetType(t.Type);
            if (t.Kind == BtfKind.Typedef && t.Name == "bpf_user_pt_regs_t")
                return true;
        }
        t = btf.GetType(btf.SkipModifiers(t.Id));
        if (t.Kind is not (BtfKind.Struct or BtfKind.Union))
            return false;
        string tname = t.Name;
        string? ctxName = _ops.ContextTypeName;
        if (string.IsNullOrEmpty(ctxName))
            return false;
        if ((ctxName == "__sk_buff" && tname == "sk_buff") || (ctxName == "xdp_md" && tname == "xdp_buff"))
            return true; // kernel: btf_is_projection_of
        // bpf_user_pt_regs_t is a typedef of struct pt_regs
        return tname == ctxName || (_ops.ProgType == BpfProgType.Kprobe && tname == "pt_regs");
    }

    // kernel: btf_validate_prog_ctx_type: what an argument tagged arg:ctx may point to
    private bool ValidateProgCtxType(BtfBlob btf, BtfType ptr, int arg)
    {
        BpfProgType type = _ops.ProgType;
        BtfType t = btf.GetType(ptr.Type);
        if (type is BpfProgType.Kprobe or BpfProgType.PerfEvent)
        {
            while (t.Kind.IsModifier() && t.Kind != BtfKind.Typedef)
                t = btf.GetType(t.Type);
            if (t.Kind == BtfKind.Typedef && t.Name == "bpf_user_pt_regs_t")
                return true;
        }
        t = btf.GetType(btf.SkipModifiers(t.Id));
        if (t.Id == 0)
            return true; // void *ctx __arg_ctx is always valid
        string tname = t.Name;
        if (tname.Length == 0)
            return ArgError(arg, "type doesn't have a name") == 0;
        bool isStruct = t.Kind is BtfKind.Struct or BtfKind.Union;
        bool isU64 = t.Kind == BtfKind.Int && t.Size == 8;
        switch (type)
        {
            case BpfProgType.Kprobe or BpfProgType.PerfEvent when isStruct && tname == "pt_regs":
                return true;
            case BpfProgType.RawTracepoint or BpfProgType.RawTracepointWritable when isU64:
                return true;
            case BpfProgType.Tracing:
                var attach = (BpfAttachType)_opt.ExpectedAttachType;
                if (attach == BpfAttachType.TraceRawTp && ((isStruct && tname == "bpf_raw_tracepoint_args") || isU64))
                    return true;
                if (attach == BpfAttachType.TraceIter && isStruct && tname.StartsWith("bpf_iter__", StringComparison.Ordinal))
                    return true;
                if (attach is BpfAttachType.TraceFentry or BpfAttachType.TraceFexit or BpfAttachType.ModifyReturn && isU64)
                    return true;
                break;
            case BpfProgType.Lsm or BpfProgType.StructOps when isU64:
                return true;
            case BpfProgType.Tracepoint or BpfProgType.Syscall or BpfProgType.Ext:
                return true; // anything goes
        }
        string? ctxName = type == BpfProgType.Kprobe ? "pt_regs" : _ops.ContextTypeName;
        if (string.IsNullOrEmpty(ctxName))
            return ArgError(arg, "should be void pointer") == 0;
        if (!isStruct || tname != ctxName)
            return ArgError(arg, $"should be `struct {ctxName} *`") == 0;
        return true;
    }

    /// <summary>
    /// Checks the caller's R1-R5 against the subprogram's BTF prototype (kernel: btf_check_subprog_call): 0, -EINVAL for
    /// a mismatch or a prototype that cannot be used (the subprogram is then unreliable), -EFAULT for a verifier bug.
    /// </summary>
    private int BtfCheckSubprogCall(int subprog)
    {
        if (!HasFuncInfo)
            return -Errno.EINVAL;
        SubprogAux sub = _subprogAux[subprog];
        if (sub.TypeId == 0)
            return -Errno.EFAULT;
        if (sub.Unreliable)
            return -Errno.EINVAL;
        int err = BtfCheckFuncArgMatch(subprog);
        if (err != 0)
            sub.Unreliable = true;
        return err;
    }

    // kernel: btf_check_func_arg_match
    private int BtfCheckFuncArgMatch(int subprog)
    {
        int ret = PrepareFuncArgs(subprog);
        if (ret != 0)
            return ret;
        SubprogAux sub = _subprogAux[subprog];
        RegState[] regs = Regs;
        for (int i = 0; i < sub.ArgCount; i++)
        {
            int regno = i + 1;
            SubprogArg arg = sub.Args[i];
            switch (arg.Kind)
            {
                case SubprogArgKind.Anything:
                    if (regs[regno].Type != RegType.ScalarValue)
                    {
                        _log.Write(Inv($"R{regno} is not a scalar\n"));
                        return -Errno.EINVAL;
                    }
                    break;
                case SubprogArgKind.Ctx:
                    ret = TryCheck(() => CheckFuncArgRegOff(Regs[regno], regno));
                    if (ret < 0)
                        return ret;
                    if (regs[regno].Type != RegType.PtrToCtx)
                        return ArgError(i, "expects pointer to ctx");
                    break;
                case SubprogArgKind.Mem:
                    ret = TryCheck(() => CheckFuncArgRegOff(Regs[regno], regno));
                    if (ret < 0)
                        return ret;
                    if (TryCheck(() => CheckMemReg(regno, arg.MemSize)) < 0)
                        return -Errno.EINVAL;
                    if (!arg.MaybeNull && regs[regno].Type.MayBeNull())
                        return ArgError(i, "is expected to be non-NULL");
                    break;
                case SubprogArgKind.Arena:
                    if (regs[regno].Type is not (RegType.PtrToArena or RegType.ScalarValue))
                    {
                        _log.Write(Inv($"R{regno} is not a pointer to arena or scalar.\n"));
                        return -Errno.EINVAL;
                    }
                    break;
            }
        }
        return 0;
    }

    // A check that ends the walk on failure, run as one whose failure the caller decides about: its errno, else 0.
    private static int TryCheck(Action check)
    {
        try
        {
            check();
            return 0;
        }
        catch (VerifierException e)
        {
            return e.Errno;
        }
    }

    // kernel: check_mem_reg: the memory may be read and written over memSize bytes (NULL passes; a maybe-NULL pointer
    // is checked as if it were not NULL, without changing it)
    private void CheckMemReg(int regno, uint memSize)
    {
        if (Regs[regno].IsNull)
            return;
        RegState saved = Regs[regno];
        Regs[regno].Type &= ~RegType.PtrMaybeNull;
        try
        {
            var meta = new CallArgMeta { ConstMapKey = -1 };
            CheckHelperMemAccess(regno, (int)memSize, BpfAccessType.Read, true, ref meta, useMeta: false);
            CheckHelperMemAccess(regno, (int)memSize, BpfAccessType.Write, true, ref meta, useMeta: false);
        }
        finally
        {
            // restore the type only: a write may have changed the stack, not the register
            Regs[regno].Type = saved.Type;
        }
    }
}
