namespace BpfSharp.Verifier;

/// <summary>Questions about a <see cref="RegType"/> that the kernel asks with small inline helpers.</summary>
public static class RegTypeExtensions
{
    /// <summary>The number of low bits that hold the base type (kernel: BPF_BASE_TYPE_BITS).</summary>
    public const int BaseTypeBits = 8;

    private const uint BaseTypeMask = (1u << BaseTypeBits) - 1;

    /// <summary>The type without its flags (kernel: base_type).</summary>
    public static RegType BaseType(this RegType type) => (RegType)((uint)type & BaseTypeMask);

    /// <summary>Only the flags (kernel: type_flag).</summary>
    public static RegType Flags(this RegType type) => (RegType)((uint)type & ~BaseTypeMask);

    /// <summary>True if every flag in <paramref name="flag"/> is set.</summary>
    public static bool Has(this RegType type, RegType flag) => ((uint)type & (uint)flag) == (uint)flag;

    /// <summary>True for a pointer that may be NULL (kernel: type_may_be_null).</summary>
    public static bool MayBeNull(this RegType type) => type.Has(RegType.PtrMaybeNull);

    /// <summary>True for packet data and packet metadata pointers (kernel: type_is_pkt_pointer).</summary>
    public static bool IsPktPointer(this RegType type) =>
        type.BaseType() is RegType.PtrToPacket or RegType.PtrToPacketMeta;

    /// <summary>True for the types that carry a map (kernel: type_is_map_ptr): map, map key, map value.</summary>
    public static bool IsMapPtr(this RegType type) =>
        type.BaseType() is RegType.ConstPtrToMap or RegType.PtrToMapKey or RegType.PtrToMapValue;

    /// <summary>True for the socket pointer types (kernel: type_is_sk_pointer).</summary>
    public static bool IsSkPointer(this RegType type) =>
        type.BaseType() is RegType.PtrToSocket or RegType.PtrToSockCommon or RegType.PtrToTcpSock
            or RegType.PtrToXdpSock;

    /// <summary>True for a non-owning reference (kernel: type_is_non_owning_ref).</summary>
    public static bool IsNonOwningRef(this RegType type) => type.Has(RegType.NonOwnRef);

    /// <summary>True for anything but NOT_INIT and SCALAR_VALUE.</summary>
    public static bool IsPointer(this RegType type) => type is not (RegType.NotInit or RegType.ScalarValue);

    /// <summary>
    /// The name the verifier log uses for the type (kernel: reg_type_str): flag prefixes
    /// (<c>rdonly_</c>, <c>ringbuf_</c>, <c>user_</c>, <c>percpu_</c>, <c>rcu_</c>, <c>untrusted_</c>, <c>trusted_</c>),
    /// the base name (<c>scalar</c>, <c>ctx</c>, <c>map_ptr</c>, <c>map_value</c>, <c>fp</c>, <c>pkt</c>, ...) and
    /// <c>_or_null</c> (<c>or_null_</c> after <c>ptr_</c>) for a pointer that may be NULL.
    /// </summary>
    public static string LogName(this RegType type)
    {
        RegType baseType = type.BaseType();
        string name = BaseName(baseType);
        if (type.Flags() == 0)
            return name;
        string postfix = !type.MayBeNull() ? "" : baseType == RegType.PtrToBtfId ? "or_null_" : "_or_null";
        string prefix =
            (type.Has(RegType.MemRdonly) ? "rdonly_" : "")
            + (type.Has(RegType.MemRingbuf) ? "ringbuf_" : "")
            + (type.Has(RegType.MemUser) ? "user_" : "")
            + (type.Has(RegType.MemPercpu) ? "percpu_" : "")
            + (type.Has(RegType.MemRcu) ? "rcu_" : "")
            + (type.Has(RegType.PtrUntrusted) ? "untrusted_" : "")
            + (type.Has(RegType.PtrTrusted) ? "trusted_" : "");
        return prefix + name + postfix;
    }

    private static string BaseName(RegType baseType) => baseType switch
    {
        RegType.NotInit => "?",
        RegType.ScalarValue => "scalar",
        RegType.PtrToCtx => "ctx",
        RegType.ConstPtrToMap => "map_ptr",
        RegType.PtrToMapValue => "map_value",
        RegType.PtrToMapKey => "map_key",
        RegType.PtrToStack => "fp",
        RegType.PtrToPacketMeta => "pkt_meta",
        RegType.PtrToPacket => "pkt",
        RegType.PtrToPacketEnd => "pkt_end",
        RegType.PtrToFlowKeys => "flow_keys",
        RegType.PtrToSocket => "sock",
        RegType.PtrToSockCommon => "sock_common",
        RegType.PtrToTcpSock => "tcp_sock",
        RegType.PtrToTpBuffer => "tp_buffer",
        RegType.PtrToXdpSock => "xdp_sock",
        RegType.PtrToBtfId => "ptr_",
        RegType.PtrToMem => "mem",
        RegType.PtrToArena => "arena",
        RegType.PtrToBuf => "buf",
        RegType.PtrToFunc => "func",
        RegType.ConstPtrToDynptr => "dynptr_ptr",
        _ => "?",
    };
}
