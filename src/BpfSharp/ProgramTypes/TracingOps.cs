using System.Globalization;
using BpfSharp.Elf.Btf;
using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_TRACING attached to a kernel function or raw tracepoint (fentry, fexit, fmod_ret, tp_btf) (kernel:
/// tracing_verifier_ops): the context is the traced function's arguments as an array of u64 (MAX_BPF_FUNC_ARGS = 12
/// slots), followed for fexit/fmod_ret by its return value; reads only, checked against the function's BTF
/// prototype (kernel: tracing_prog_is_valid_access, btf_ctx_access). A pointer-to-struct argument loads as
/// PTR_TO_BTF_ID of that struct (trusted for tp_btf), other arguments as scalars. One instance per loaded program
/// (it holds the target); immutable and thread-safe.
/// </summary>
internal sealed class TracingOps : KernelVerifierOps
{
    private readonly TracingTarget? _target;
    private readonly int _attachErr;
    private readonly string? _attachMessage;
    private readonly uint _expectedAttachType;

    /// <summary>The rules for a program with <paramref name="expectedAttachType"/> attaching to <paramref name="btf"/>'s type <paramref name="attachBtfId"/>.</summary>
    public TracingOps(BtfBlob? btf, uint expectedAttachType, uint attachBtfId, bool sleepable)
        : base(BpfProgType.Tracing, TracingTarget.MaxArgs * sizeof(ulong))
    {
        _expectedAttachType = expectedAttachType;
        _attachErr = TracingTarget.Check(btf, expectedAttachType, attachBtfId, sleepable, out _target, out _attachMessage);
    }

    /// <inheritdoc/>
    public override int CheckAttachTarget(out string? message)
    {
        message = _attachMessage;
        return _attachErr;
    }

    /// <inheritdoc/>
    public override RetvalRange? ReturnRange(uint expectedAttachType) => (BpfAttachType)expectedAttachType switch
    {
        // kernel: check_return_code: fentry/fexit return 0; raw_tp and fmod_ret anything; iterators 0 or 1
        BpfAttachType.TraceFentry or BpfAttachType.TraceFexit => new RetvalRange(0, 0),
        BpfAttachType.TraceIter => new RetvalRange(0, 1),
        _ => null,
    };

    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info)
    {
        // kernel: tracing_prog_is_valid_access
        if (off < 0 || off >= ContextSize || type != BpfAccessType.Read || off % size != 0) return false;
        return _target is { } target && CtxAccess(target, off, size, ref info);
    }

    // kernel: btf_ctx_access for a program attached to vmlinux BTF
    private bool CtxAccess(TracingTarget target, int off, int size, ref CtxAccessInfo info)
    {
        BtfBlob btf = target.Btf;
        string tname = target.Name;
        if (off % 8 != 0)
            return Refuse(ref info, Inv($"func '{tname}' offset {off} is not multiple of 8"));
        BtfType proto = btf.GetType(target.FuncProto);
        int arg = CtxArgIdx(btf, proto, off);
        int first = target.BtfTrace ? 1 : 0; // skip btf_trace_*'s 'void *__data'
        int nrArgs = proto.Vlen - first;
        if (arg > nrArgs)
            return Refuse(ref info, Inv($"func '{tname}' doesn't have {arg + 1}-th argument"));
        BtfType t;
        string? paramName = null;
        if (arg == nrArgs)
        {
            switch ((BpfAttachType)_expectedAttachType)
            {
                case BpfAttachType.TraceFexit:
                    t = btf.GetType(proto.Type);
                    break;
                case BpfAttachType.ModifyReturn:
                    t = btf.GetType(btf.SkipModifiers(proto.Type));
                    if (!IsSmallInt(t))
                        return Refuse(ref info, Inv($"ret type {t.Kind.KernelName()} not allowed for fmod_ret"));
                    break;
                default:
                    return Refuse(ref info, Inv($"func '{tname}' doesn't have {arg + 1}-th argument"));
            }
        }
        else
        {
            BtfParam p = proto.Param(arg + first);
            paramName = p.Name;
            t = btf.GetType(p.Type);
        }
        t = btf.GetType(btf.SkipModifiers(t.Id));
        if (IsSmallInt(t) || t.Kind is BtfKind.Enum or BtfKind.Enum64 or BtfKind.Struct or BtfKind.Union)
            return true; // a scalar
        if (t.Kind != BtfKind.Ptr)
            return Refuse(ref info, Inv($"func '{tname}' arg{arg} '{BtfStructWalk.AnonName(t.Name)}' has type {t.Kind.KernelName()}. Only pointer access is allowed"));
        if (size != sizeof(ulong))
            return Refuse(ref info, Inv($"func '{tname}' size {size} must be 8"));
        // kernel: btf_type_is_struct_ptr: only a pointer to a struct or union can be walked; the others are scalars
        BtfType pointee = btf.GetType(btf.SkipModifiers(t.Type));
        if (pointee.Kind is not (BtfKind.Struct or BtfKind.Union))
            return true;
        RegType regType = RegType.PtrToBtfId;
        if ((BpfAttachType)_expectedAttachType is BpfAttachType.TraceRawTp or BpfAttachType.TraceIter)
            regType |= RegType.PtrTrusted; // kernel: prog_args_trusted
        if (paramName is not null && paramName.EndsWith("__nullable", StringComparison.Ordinal))
            regType |= RegType.PtrMaybeNull;
        bool errPtr = false;
        if (target.BtfTrace && RawTpNullArgs.Mask(tname) is { } mask)
        {
            if ((mask & (0x1UL << (arg * 4))) != 0) regType |= RegType.PtrMaybeNull;
            errPtr = (mask & (0x2UL << (arg * 4))) != 0;
        }
        uint btfId = t.Type;
        BtfType next = btf.GetType(btfId);
        if (next.Kind == BtfKind.TypeTag && !next.KindFlag)
        {
            if (next.Name == "user") regType |= RegType.MemUser;
            if (next.Name == "percpu") regType |= RegType.MemPercpu;
        }
        while (next.Kind.IsModifier())
        {
            btfId = next.Type;
            next = btf.GetType(btfId);
        }
        string log = Inv($"func '{tname}' arg{arg} has btf_id {btfId} type {next.Kind.KernelName()} '{BtfStructWalk.AnonName(next.Name)}'\n");
        if (errPtr)
        {
            info.Log = log + Inv($"marking pointer arg{arg} as scalar as it may encode error");
            return true;
        }
        info.Log = log;
        info.RegType = regType;
        info.Btf = btf;
        info.BtfId = btfId;
        return true;
    }

    // kernel: btf_ctx_arg_idx: the argument slot offset falls in (a struct argument may take two)
    private static int CtxArgIdx(BtfBlob btf, BtfType proto, int off)
    {
        int nrArgs = proto.Vlen, offset = 0;
        for (int i = 0; i < nrArgs; i++)
        {
            offset += SlotBytes(btf, proto.Param(i).Type);
            if (off < offset) return i;
        }
        offset += SlotBytes(btf, proto.Type);
        return off < offset ? nrArgs : nrArgs + 1;
    }

    private static int SlotBytes(BtfBlob btf, uint id)
    {
        BtfType t = btf.GetType(btf.SkipModifiers(id));
        return t.Kind == BtfKind.Ptr ? 8 : (int)((t.Size + 7) & ~7u);
    }

    // kernel: btf_type_is_small_int
    private static bool IsSmallInt(BtfType t) => t.Kind == BtfKind.Int && t.Size <= sizeof(ulong);

    private static bool Refuse(ref CtxAccessInfo info, string message)
    {
        info.Log = message + "\n";
        return false;
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
