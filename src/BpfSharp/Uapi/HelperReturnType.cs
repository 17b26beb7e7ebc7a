namespace BpfSharp.Uapi;

/// <summary>Base return kinds of helper prototypes (<c>enum bpf_return_type</c> without its modifier bits).</summary>
public enum BpfReturnBase : byte
{
    /// <summary>RET_INTEGER: a 64-bit integer.</summary>
    Integer,
    /// <summary>RET_VOID: nothing (r0 is unreadable after the call).</summary>
    Void,
    /// <summary>RET_PTR_TO_MAP_VALUE: a value of the map in the ARG_CONST_MAP_PTR argument.</summary>
    PtrToMapValue,
    /// <summary>RET_PTR_TO_SOCKET: a full socket.</summary>
    PtrToSocket,
    /// <summary>RET_PTR_TO_TCP_SOCK: a struct tcp_sock.</summary>
    PtrToTcpSock,
    /// <summary>RET_PTR_TO_SOCK_COMMON: a struct sock_common.</summary>
    PtrToSockCommon,
    /// <summary>RET_PTR_TO_MEM: memory of the size the ARG_CONST_ALLOC_SIZE_OR_ZERO argument gives.</summary>
    PtrToMem,
    /// <summary>RET_PTR_TO_MEM_OR_BTF_ID: memory or a BTF-typed kernel object (per-CPU variables).</summary>
    PtrToMemOrBtfId,
    /// <summary>RET_PTR_TO_BTF_ID: a BTF-typed kernel object.</summary>
    PtrToBtfId,
}

/// <summary>
/// The return type of a helper prototype: the kernel's <c>enum bpf_return_type</c> value (a base kind plus
/// <see cref="BpfTypeFlag"/> modifiers). Members are named like the kernel's constants.
/// </summary>
public readonly record struct HelperReturnType(BpfReturnBase Base, BpfTypeFlag Flags = BpfTypeFlag.None)
{
    /// <summary>Adds modifier bits.</summary>
    public static HelperReturnType operator |(HelperReturnType type, BpfTypeFlag flags) => type with { Flags = type.Flags | flags };

    /// <summary>True if the return type carries all of <paramref name="flags"/>.</summary>
    public bool Has(BpfTypeFlag flags) => (Flags & flags) == flags;

    /// <summary>The kernel's spelling, e.g. <c>RET_PTR_TO_MAP_VALUE_OR_NULL</c>.</summary>
    public override string ToString() => HelperTypeNames.Format(this);

    /// <summary>RET_INTEGER.</summary>
    public static HelperReturnType RET_INTEGER => new(BpfReturnBase.Integer);
    /// <summary>RET_VOID.</summary>
    public static HelperReturnType RET_VOID => new(BpfReturnBase.Void);
    /// <summary>RET_PTR_TO_MAP_VALUE.</summary>
    public static HelperReturnType RET_PTR_TO_MAP_VALUE => new(BpfReturnBase.PtrToMapValue);
    /// <summary>RET_PTR_TO_MAP_VALUE_OR_NULL = PTR_MAYBE_NULL | RET_PTR_TO_MAP_VALUE.</summary>
    public static HelperReturnType RET_PTR_TO_MAP_VALUE_OR_NULL => new(BpfReturnBase.PtrToMapValue, BpfTypeFlag.PTR_MAYBE_NULL);
    /// <summary>RET_PTR_TO_SOCKET_OR_NULL = PTR_MAYBE_NULL | RET_PTR_TO_SOCKET.</summary>
    public static HelperReturnType RET_PTR_TO_SOCKET_OR_NULL => new(BpfReturnBase.PtrToSocket, BpfTypeFlag.PTR_MAYBE_NULL);
    /// <summary>RET_PTR_TO_TCP_SOCK_OR_NULL = PTR_MAYBE_NULL | RET_PTR_TO_TCP_SOCK.</summary>
    public static HelperReturnType RET_PTR_TO_TCP_SOCK_OR_NULL => new(BpfReturnBase.PtrToTcpSock, BpfTypeFlag.PTR_MAYBE_NULL);
    /// <summary>RET_PTR_TO_SOCK_COMMON_OR_NULL = PTR_MAYBE_NULL | RET_PTR_TO_SOCK_COMMON.</summary>
    public static HelperReturnType RET_PTR_TO_SOCK_COMMON_OR_NULL => new(BpfReturnBase.PtrToSockCommon, BpfTypeFlag.PTR_MAYBE_NULL);
    /// <summary>RET_PTR_TO_MEM.</summary>
    public static HelperReturnType RET_PTR_TO_MEM => new(BpfReturnBase.PtrToMem);
    /// <summary>RET_PTR_TO_ALLOC_MEM_OR_NULL (older kernels' ring buffer reserve) = PTR_MAYBE_NULL | MEM_ALLOC | RET_PTR_TO_MEM.</summary>
    public static HelperReturnType RET_PTR_TO_ALLOC_MEM_OR_NULL => new(BpfReturnBase.PtrToMem, BpfTypeFlag.PTR_MAYBE_NULL | BpfTypeFlag.MEM_ALLOC);
    /// <summary>RET_PTR_TO_RINGBUF_MEM_OR_NULL = PTR_MAYBE_NULL | MEM_RINGBUF | RET_PTR_TO_MEM.</summary>
    public static HelperReturnType RET_PTR_TO_RINGBUF_MEM_OR_NULL => new(BpfReturnBase.PtrToMem, BpfTypeFlag.PTR_MAYBE_NULL | BpfTypeFlag.MEM_RINGBUF);
    /// <summary>RET_PTR_TO_DYNPTR_MEM_OR_NULL = PTR_MAYBE_NULL | RET_PTR_TO_MEM.</summary>
    public static HelperReturnType RET_PTR_TO_DYNPTR_MEM_OR_NULL => new(BpfReturnBase.PtrToMem, BpfTypeFlag.PTR_MAYBE_NULL);
    /// <summary>RET_PTR_TO_MEM_OR_BTF_ID.</summary>
    public static HelperReturnType RET_PTR_TO_MEM_OR_BTF_ID => new(BpfReturnBase.PtrToMemOrBtfId);
    /// <summary>RET_PTR_TO_BTF_ID.</summary>
    public static HelperReturnType RET_PTR_TO_BTF_ID => new(BpfReturnBase.PtrToBtfId);
    /// <summary>RET_PTR_TO_BTF_ID_OR_NULL = PTR_MAYBE_NULL | RET_PTR_TO_BTF_ID.</summary>
    public static HelperReturnType RET_PTR_TO_BTF_ID_OR_NULL => new(BpfReturnBase.PtrToBtfId, BpfTypeFlag.PTR_MAYBE_NULL);
    /// <summary>RET_PTR_TO_BTF_ID_TRUSTED = PTR_TRUSTED | RET_PTR_TO_BTF_ID.</summary>
    public static HelperReturnType RET_PTR_TO_BTF_ID_TRUSTED => new(BpfReturnBase.PtrToBtfId, BpfTypeFlag.PTR_TRUSTED);
}
