using System.Text;

namespace BpfSharp.Uapi;

/// <summary>The kernel's spellings of helper argument and return types, for messages and tests.</summary>
public static class HelperTypeNames
{
    /// <summary>The kernel constant of a base argument kind (<c>ARG_PTR_TO_MEM</c>).</summary>
    public static string Name(BpfArgBase kind) => kind switch
    {
        BpfArgBase.DontCare => "ARG_DONTCARE",
        BpfArgBase.ConstMapPtr => "ARG_CONST_MAP_PTR",
        BpfArgBase.PtrToMapKey => "ARG_PTR_TO_MAP_KEY",
        BpfArgBase.PtrToMapValue => "ARG_PTR_TO_MAP_VALUE",
        BpfArgBase.PtrToMem => "ARG_PTR_TO_MEM",
        BpfArgBase.PtrToArena => "ARG_PTR_TO_ARENA",
        BpfArgBase.ConstSize => "ARG_CONST_SIZE",
        BpfArgBase.ConstSizeOrZero => "ARG_CONST_SIZE_OR_ZERO",
        BpfArgBase.PtrToCtx => "ARG_PTR_TO_CTX",
        BpfArgBase.Anything => "ARG_ANYTHING",
        BpfArgBase.PtrToSpinLock => "ARG_PTR_TO_SPIN_LOCK",
        BpfArgBase.PtrToSockCommon => "ARG_PTR_TO_SOCK_COMMON",
        BpfArgBase.PtrToSocket => "ARG_PTR_TO_SOCKET",
        BpfArgBase.PtrToBtfId => "ARG_PTR_TO_BTF_ID",
        BpfArgBase.PtrToRingbufMem => "ARG_PTR_TO_RINGBUF_MEM",
        BpfArgBase.ConstAllocSizeOrZero => "ARG_CONST_ALLOC_SIZE_OR_ZERO",
        BpfArgBase.PtrToBtfIdSockCommon => "ARG_PTR_TO_BTF_ID_SOCK_COMMON",
        BpfArgBase.PtrToPercpuBtfId => "ARG_PTR_TO_PERCPU_BTF_ID",
        BpfArgBase.PtrToFunc => "ARG_PTR_TO_FUNC",
        BpfArgBase.PtrToStack => "ARG_PTR_TO_STACK",
        BpfArgBase.PtrToConstStr => "ARG_PTR_TO_CONST_STR",
        BpfArgBase.PtrToTimer => "ARG_PTR_TO_TIMER",
        BpfArgBase.KptrXchgDest => "ARG_KPTR_XCHG_DEST",
        BpfArgBase.PtrToDynptr => "ARG_PTR_TO_DYNPTR",
        BpfArgBase.PtrToLong => "ARG_PTR_TO_LONG",
        BpfArgBase.PtrToInt => "ARG_PTR_TO_INT",
        _ => $"ARG_{(int)kind}",
    };

    /// <summary>The kernel constant of a base return kind (<c>RET_PTR_TO_MAP_VALUE</c>).</summary>
    public static string Name(BpfReturnBase kind) => kind switch
    {
        BpfReturnBase.Integer => "RET_INTEGER",
        BpfReturnBase.Void => "RET_VOID",
        BpfReturnBase.PtrToMapValue => "RET_PTR_TO_MAP_VALUE",
        BpfReturnBase.PtrToSocket => "RET_PTR_TO_SOCKET",
        BpfReturnBase.PtrToTcpSock => "RET_PTR_TO_TCP_SOCK",
        BpfReturnBase.PtrToSockCommon => "RET_PTR_TO_SOCK_COMMON",
        BpfReturnBase.PtrToMem => "RET_PTR_TO_MEM",
        BpfReturnBase.PtrToMemOrBtfId => "RET_PTR_TO_MEM_OR_BTF_ID",
        BpfReturnBase.PtrToBtfId => "RET_PTR_TO_BTF_ID",
        _ => $"RET_{(int)kind}",
    };

    /// <summary><c>ARG_PTR_TO_MEM | MEM_RDONLY</c>; the fixed size follows in brackets.</summary>
    public static string Format(HelperArgType type)
    {
        var text = new StringBuilder(Name(type.Base));
        AppendFlags(text, type.Flags);
        if (type.Has(BpfTypeFlag.MEM_FIXED_SIZE))
            text.Append(" [").Append(type.Size).Append(']');
        return text.ToString();
    }

    /// <summary><c>RET_PTR_TO_MAP_VALUE | PTR_MAYBE_NULL</c>.</summary>
    public static string Format(HelperReturnType type)
    {
        var text = new StringBuilder(Name(type.Base));
        AppendFlags(text, type.Flags);
        return text.ToString();
    }

    private static void AppendFlags(StringBuilder text, BpfTypeFlag flags)
    {
        for (int bit = 0; bit < 32; bit++)
        {
            var flag = (BpfTypeFlag)(1u << bit);
            if ((flags & flag) != 0)
                text.Append(" | ").Append(flag.ToString());
        }
    }
}
