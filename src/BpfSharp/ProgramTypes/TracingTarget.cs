using BpfSharp.Elf.Btf;
using BpfSharp.Uapi;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// What a BPF_PROG_TYPE_TRACING program attaches to in the kernel's BTF (kernel: bpf_check_attach_target and the
/// tracing part of check_attach_btf_id, attaching to vmlinux, not to another program): the function (fentry, fexit,
/// fmod_ret) or the raw tracepoint's <c>btf_trace_NAME</c> typedef (tp_btf), its name and its function prototype.
/// </summary>
/// <remarks>
/// Where the kernel needs more than BTF the rules here are approximations, each a known difference:
/// the kernel refuses a function that has no address in kallsyms ("The address of function %s cannot be found",
/// inlined or removed functions); here any FUNC of the BTF is accepted. fmod_ret and sleepable programs need the
/// kernel's error-injection list, which is not readable here: fmod_ret is allowed on <c>security_*</c> functions
/// only, and sleepable fentry/fexit/fmod_ret programs are refused ("%s is not sleepable"). A tp_btf program's
/// prototype is the typedef's (the kernel prefers the tracepoint template's function, which has the same types but
/// names its arguments). Iterators (iter/) are not supported.
/// </remarks>
internal sealed record TracingTarget(BtfBlob Btf, uint BtfId, string Name, uint FuncProto, bool BtfTrace)
{
    /// <summary>MAX_BPF_FUNC_ARGS: the most arguments a traced function may have.</summary>
    public const int MaxArgs = 12;

    // kernel: btf_id_deny (the functions of it this kernel's configuration has) and noreturn_deny.
    private static readonly string[] s_denied = ["migrate_disable", "migrate_enable", "___migrate_enable", "__rcu_read_lock", "__rcu_read_unlock"];
    private static readonly string[] s_noreturn =
        ["__x64_sys_exit", "__x64_sys_exit_group", "do_exit", "do_group_exit", "kthread_complete_and_exit", "kthread_exit", "make_task_dead"];

    /// <summary>
    /// kernel: bpf_check_attach_target + check_attach_btf_id for a tracing program attaching to <paramref name="btf"/>'s
    /// type <paramref name="btfId"/>: 0 and the target, or -errno and the verifier's message (null for a silent refusal).
    /// </summary>
    public static int Check(BtfBlob? btf, uint expectedAttachType, uint btfId, bool sleepable,
        out TracingTarget? target, out string? message)
    {
        target = null;
        message = null;
        if (btfId == 0)
        {
            message = "Tracing programs must provide btf_id";
            return -Errno.EINVAL;
        }
        if (btf is null)
        {
            message = "FENTRY/FEXIT program can only be attached to another program annotated with BTF";
            return -Errno.EINVAL;
        }
        if (btfId >= (uint)btf.TypeCount)
        {
            message = $"attach_btf_id {btfId} is invalid";
            return -Errno.EINVAL;
        }
        BtfType t = btf.GetType(btfId);
        string tname = t.Name;
        var attach = (BpfAttachType)expectedAttachType;
        if (attach == BpfAttachType.TraceRawTp)
        {
            const string prefix = "btf_trace_";
            if (t.Kind != BtfKind.Typedef)
            {
                message = $"attach_btf_id {btfId} is not a typedef";
                return -Errno.EINVAL;
            }
            if (!tname.StartsWith(prefix, StringComparison.Ordinal))
            {
                message = $"attach_btf_id {btfId} points to wrong type name {tname}";
                return -Errno.EINVAL;
            }
            BtfType ptr = btf.GetType(t.Type);
            if (ptr.Kind != BtfKind.Ptr || btf.GetType(ptr.Type).Kind != BtfKind.FuncProto) return -Errno.EINVAL;
            target = new TracingTarget(btf, btfId, tname[prefix.Length..], ptr.Type, BtfTrace: true);
            return 0;
        }
        if (attach == BpfAttachType.TraceIter)
            return -Errno.ENOTSUPP; // iterator targets (bpf_iter_reg) are not modelled
        if (attach is not (BpfAttachType.TraceFentry or BpfAttachType.TraceFexit or BpfAttachType.ModifyReturn))
            return -Errno.EINVAL;
        if (t.Kind != BtfKind.Func)
        {
            message = $"attach_btf_id {btfId} is not a function";
            return -Errno.EINVAL;
        }
        BtfType proto = btf.GetType(t.Type);
        if (proto.Kind != BtfKind.FuncProto) return -Errno.EINVAL;
        int err = DistillFuncProto(btf, proto, tname, out message);
        if (err < 0) return err;
        if (sleepable)
        {
            message = $"{tname} is not sleepable";
            return -Errno.EINVAL;
        }
        if (attach == BpfAttachType.ModifyReturn && !tname.StartsWith("security_", StringComparison.Ordinal))
        {
            message = $"{tname}() is not modifiable";
            return -Errno.EINVAL;
        }
        if (Array.IndexOf(s_denied, tname) >= 0)
        {
            message = $"Attaching tracing programs to function '{tname}' is rejected.";
            return -Errno.EINVAL;
        }
        if (attach is BpfAttachType.TraceFexit or BpfAttachType.ModifyReturn && Array.IndexOf(s_noreturn, tname) >= 0)
        {
            message = $"Attaching fexit/fmod_ret to __noreturn function '{tname}' is rejected.";
            return -Errno.EINVAL;
        }
        target = new TracingTarget(btf, btfId, tname, proto.Id, BtfTrace: false);
        return 0;
    }

    // kernel: btf_distill_func_proto: what a trampoline can pass
    private static int DistillFuncProto(BtfBlob btf, BtfType proto, string tname, out string? message)
    {
        message = null;
        int nargs = proto.Vlen;
        if (nargs > MaxArgs)
        {
            message = $"The function {tname} has {nargs} arguments. Too many.";
            return -Errno.EINVAL;
        }
        int size = TypeSize(btf, proto.Type, out BtfType ret);
        if (size < 0 || ret.Kind is BtfKind.Struct or BtfKind.Union)
        {
            message = $"The function {tname} return type {ret.Kind.KernelName()} is unsupported.";
            return -Errno.EINVAL;
        }
        for (int i = 0; i < nargs; i++)
        {
            uint type = proto.Param(i).Type;
            if (i == nargs - 1 && type == 0)
            {
                message = $"The function {tname} with variable args is unsupported.";
                return -Errno.EINVAL;
            }
            size = TypeSize(btf, type, out BtfType arg);
            if (size < 0 || size > 16)
            {
                message = $"The function {tname} arg{i} type {arg.Kind.KernelName()} is unsupported.";
                return -Errno.EINVAL;
            }
            if (size == 0)
            {
                message = $"The function {tname} has malformed void argument.";
                return -Errno.EINVAL;
            }
        }
        return 0;
    }

    // kernel: __get_type_size: 0 for void, 8 for a pointer, the size of an int, enum, struct or union, else -EINVAL
    private static int TypeSize(BtfBlob btf, uint id, out BtfType type)
    {
        type = btf.GetType(0);
        if (id == 0) return 0;
        type = btf.GetType(btf.SkipModifiers(id));
        return type.Kind switch
        {
            BtfKind.Ptr => 8,
            BtfKind.Int or BtfKind.Enum or BtfKind.Enum64 or BtfKind.Struct or BtfKind.Union => (int)type.Size,
            _ => -Errno.EINVAL,
        };
    }
}
