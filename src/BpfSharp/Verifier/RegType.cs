namespace BpfSharp.Verifier;

/// <summary>
/// What a register (or spilled stack slot) holds, as the verifier tracks it (kernel: enum bpf_reg_type).
/// The low 8 bits are the base type; the bits above are the kernel's type flags (enum bpf_type_flag,
/// BPF_BASE_TYPE_BITS = 8), so <c>PtrToMapValue | PtrMaybeNull</c> is PTR_TO_MAP_VALUE_OR_NULL. The values
/// follow the kernel's declaration order; they are internal to the verifier, not UAPI.
/// </summary>
public enum RegType : uint
{
    /// <summary>Nothing written yet; reading it is "R%d !read_ok" (kernel: NOT_INIT).</summary>
    NotInit = 0,
    /// <summary>A number, not a pointer (kernel: SCALAR_VALUE).</summary>
    ScalarValue,
    /// <summary>The program's context (kernel: PTR_TO_CTX).</summary>
    PtrToCtx,
    /// <summary>A map itself, as loaded by lddw with BPF_PSEUDO_MAP_FD (kernel: CONST_PTR_TO_MAP).</summary>
    ConstPtrToMap,
    /// <summary>Into a map value (kernel: PTR_TO_MAP_VALUE).</summary>
    PtrToMapValue,
    /// <summary>Into a map key (kernel: PTR_TO_MAP_KEY).</summary>
    PtrToMapKey,
    /// <summary>Into a frame's stack (kernel: PTR_TO_STACK).</summary>
    PtrToStack,
    /// <summary>The start of the packet's metadata (kernel: PTR_TO_PACKET_META).</summary>
    PtrToPacketMeta,
    /// <summary>Into packet data (kernel: PTR_TO_PACKET).</summary>
    PtrToPacket,
    /// <summary>One past the packet data (kernel: PTR_TO_PACKET_END).</summary>
    PtrToPacketEnd,
    /// <summary>The flow dissector's keys (kernel: PTR_TO_FLOW_KEYS).</summary>
    PtrToFlowKeys,
    /// <summary>A full socket (kernel: PTR_TO_SOCKET).</summary>
    PtrToSocket,
    /// <summary>The common part of a socket (kernel: PTR_TO_SOCK_COMMON).</summary>
    PtrToSockCommon,
    /// <summary>A TCP socket (kernel: PTR_TO_TCP_SOCK).</summary>
    PtrToTcpSock,
    /// <summary>A raw tracepoint's writable buffer (kernel: PTR_TO_TP_BUFFER).</summary>
    PtrToTpBuffer,
    /// <summary>An XDP socket (kernel: PTR_TO_XDP_SOCK).</summary>
    PtrToXdpSock,
    /// <summary>A kernel object described by BTF (kernel: PTR_TO_BTF_ID).</summary>
    PtrToBtfId,
    /// <summary>A sized block of memory, e.g. a ring buffer record (kernel: PTR_TO_MEM).</summary>
    PtrToMem,
    /// <summary>Into a BPF arena (kernel: PTR_TO_ARENA).</summary>
    PtrToArena,
    /// <summary>A read-only or read-write buffer (kernel: PTR_TO_BUF).</summary>
    PtrToBuf,
    /// <summary>A BPF function (kernel: PTR_TO_FUNC).</summary>
    PtrToFunc,
    /// <summary>A dynptr passed to a callback (kernel: CONST_PTR_TO_DYNPTR).</summary>
    ConstPtrToDynptr,

    /// <summary>Flag: the pointer may be NULL until checked (kernel: PTR_MAYBE_NULL).</summary>
    PtrMaybeNull = 1u << 8,
    /// <summary>Flag: the memory is read-only (kernel: MEM_RDONLY).</summary>
    MemRdonly = 1u << 9,
    /// <summary>Flag: the memory is a ring buffer record (kernel: MEM_RINGBUF).</summary>
    MemRingbuf = 1u << 10,
    /// <summary>Flag: user-space memory (kernel: MEM_USER).</summary>
    MemUser = 1u << 11,
    /// <summary>Flag: per-CPU memory (kernel: MEM_PERCPU).</summary>
    MemPercpu = 1u << 12,
    /// <summary>Flag: the argument is released by the helper (kernel: OBJ_RELEASE).</summary>
    ObjRelease = 1u << 13,
    /// <summary>Flag: the pointer is untrusted (kernel: PTR_UNTRUSTED).</summary>
    PtrUntrusted = 1u << 14,
    /// <summary>Flag: the memory may be uninitialized (kernel: MEM_UNINIT).</summary>
    MemUninit = 1u << 15,
    /// <summary>Flag: a local dynptr (kernel: DYNPTR_TYPE_LOCAL).</summary>
    DynptrTypeLocal = 1u << 16,
    /// <summary>Flag: a ring buffer dynptr (kernel: DYNPTR_TYPE_RINGBUF).</summary>
    DynptrTypeRingbuf = 1u << 17,
    /// <summary>Flag: the size is fixed by the prototype (kernel: MEM_FIXED_SIZE).</summary>
    MemFixedSize = 1u << 18,
    /// <summary>Flag: allocated by bpf_obj_new (kernel: MEM_ALLOC).</summary>
    MemAlloc = 1u << 19,
    /// <summary>Flag: the pointer is trusted (kernel: PTR_TRUSTED).</summary>
    PtrTrusted = 1u << 20,
    /// <summary>Flag: valid only inside an RCU read section (kernel: MEM_RCU).</summary>
    MemRcu = 1u << 21,
    /// <summary>Flag: a non-owning reference (kernel: NON_OWN_REF).</summary>
    NonOwnRef = 1u << 22,
    /// <summary>Flag: an skb dynptr (kernel: DYNPTR_TYPE_SKB).</summary>
    DynptrTypeSkb = 1u << 23,
    /// <summary>Flag: an xdp dynptr (kernel: DYNPTR_TYPE_XDP).</summary>
    DynptrTypeXdp = 1u << 24,
    /// <summary>Flag: the memory is aligned (kernel: MEM_ALIGNED).</summary>
    MemAligned = 1u << 25,
    /// <summary>Flag: the helper writes the memory (kernel: MEM_WRITE).</summary>
    MemWrite = 1u << 26,

    /// <summary>A map value or NULL, as bpf_map_lookup_elem returns (kernel: PTR_TO_MAP_VALUE_OR_NULL).</summary>
    PtrToMapValueOrNull = PtrMaybeNull | PtrToMapValue,
    /// <summary>A socket or NULL (kernel: PTR_TO_SOCKET_OR_NULL).</summary>
    PtrToSocketOrNull = PtrMaybeNull | PtrToSocket,
    /// <summary>A socket's common part or NULL (kernel: PTR_TO_SOCK_COMMON_OR_NULL).</summary>
    PtrToSockCommonOrNull = PtrMaybeNull | PtrToSockCommon,
    /// <summary>A TCP socket or NULL (kernel: PTR_TO_TCP_SOCK_OR_NULL).</summary>
    PtrToTcpSockOrNull = PtrMaybeNull | PtrToTcpSock,
    /// <summary>A BTF object or NULL (kernel: PTR_TO_BTF_ID_OR_NULL).</summary>
    PtrToBtfIdOrNull = PtrMaybeNull | PtrToBtfId,
    /// <summary>Sized memory or NULL (kernel: PTR_TO_MEM_OR_NULL).</summary>
    PtrToMemOrNull = PtrMaybeNull | PtrToMem,
}
