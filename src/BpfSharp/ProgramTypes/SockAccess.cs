using BpfSharp.Verifier;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// The socket views a program reads through a socket pointer, and the context of cgroup/sock programs
/// (include/uapi/linux/bpf.h): <c>struct bpf_sock</c> (80 bytes), <c>struct bpf_tcp_sock</c> and
/// <c>struct bpf_xdp_sock</c>, with the kernel's rules for reading them (net/core/filter.c:
/// bpf_sock_is_valid_access, bpf_sock_common_is_valid_access, bpf_tcp_sock_is_valid_access,
/// bpf_xdp_sock_is_valid_access). Nothing may be written through a socket pointer; cgroup/sock programs write
/// some <c>bpf_sock</c> fields through their context (<see cref="CgroupSockOps"/>).
/// </summary>
internal static class SockAccess
{
    /// <summary>sizeof(struct bpf_sock).</summary>
    public const int SockSize = 80;
    /// <summary>bpf_sock.bound_dev_if.</summary>
    public const int BoundDevIf = 0;
    /// <summary>bpf_sock.family.</summary>
    public const int Family = 4;
    /// <summary>bpf_sock.type, the first field a sock_common pointer may not read.</summary>
    public const int Type = 8;
    /// <summary>bpf_sock.protocol.</summary>
    public const int Protocol = 12;
    /// <summary>bpf_sock.mark.</summary>
    public const int Mark = 16;
    /// <summary>bpf_sock.priority, the last field a sock_common pointer may not read.</summary>
    public const int Priority = 20;
    /// <summary>bpf_sock.src_ip4.</summary>
    public const int SrcIp4 = 24;
    /// <summary>bpf_sock.src_ip6[4].</summary>
    public const int SrcIp6 = 28;
    /// <summary>bpf_sock.src_port.</summary>
    public const int SrcPort = 44;
    /// <summary>bpf_sock.dst_port: a __be16 followed by 2 bytes of padding.</summary>
    public const int DstPort = 48;
    /// <summary>bpf_sock.dst_ip4.</summary>
    public const int DstIp4 = 52;
    /// <summary>bpf_sock.dst_ip6[4].</summary>
    public const int DstIp6 = 56;
    /// <summary>bpf_sock.state.</summary>
    public const int State = 72;
    /// <summary>bpf_sock.rx_queue_mapping.</summary>
    public const int RxQueueMapping = 76;

    // The end of bpf_tcp_sock's last field the kernel allows (icsk_retransmits) and its two u64 fields.
    private const int TcpSockEnd = 112;
    private const int TcpBytesReceived = 80, TcpBytesAcked = 88;
    // The end of bpf_xdp_sock.queue_id.
    private const int XdpSockEnd = 4;

    /// <summary>kernel: bpf_sock_is_valid_access. Reads of a <c>struct bpf_sock</c> field.</summary>
    public static bool IsValidSock(int off, int size, ref CtxAccessInfo info)
    {
        const int sizeDefault = sizeof(uint);
        if (off < 0 || off >= SockSize || off % size != 0)
            return false;
        // The fields named by their offset allow narrow loads only at their start; the address fields anywhere.
        if (off is State or Family or Type or Protocol or SrcPort or RxQueueMapping
            || CtxField.In(off, SrcIp4, 4) || CtxField.In(off, SrcIp6, 16)
            || CtxField.In(off, DstIp4, 4) || CtxField.In(off, DstIp6, 16))
        {
            info.CtxFieldSize = sizeDefault;
            return CtxField.NarrowAccessOk(size, sizeDefault);
        }
        if (CtxField.In(off, DstPort, 2))
        {
            int fieldSize = size == sizeDefault ? sizeDefault : sizeof(ushort);
            info.CtxFieldSize = fieldSize;
            return CtxField.NarrowAccessOk(size, fieldSize);
        }
        if (CtxField.In(off, DstPort + 2, 2))
            return false; // the padding after dst_port
        return size == sizeDefault;
    }

    /// <summary>kernel: bpf_sock_common_is_valid_access. As <see cref="IsValidSock"/>, without type .. priority.</summary>
    public static bool IsValidSockCommon(int off, int size, ref CtxAccessInfo info) =>
        !CtxField.InTill(off, Type, Priority, 4) && IsValidSock(off, size, ref info);

    /// <summary>kernel: bpf_tcp_sock_is_valid_access. Whole fields of <c>struct bpf_tcp_sock</c>.</summary>
    public static bool IsValidTcpSock(int off, int size)
    {
        if (off < 0 || off >= TcpSockEnd || off % size != 0)
            return false;
        return off is TcpBytesReceived or TcpBytesAcked ? size == sizeof(ulong) : size == sizeof(uint);
    }

    /// <summary>kernel: bpf_xdp_sock_is_valid_access. Only queue_id, whole.</summary>
    public static bool IsValidXdpSock(int off, int size) =>
        off >= 0 && off < XdpSockEnd && off % size == 0 && size == sizeof(uint);

    /// <summary>
    /// The read rules for a pointer of socket type <paramref name="type"/> (exactly PTR_TO_SOCKET,
    /// PTR_TO_SOCK_COMMON, PTR_TO_TCP_SOCK or PTR_TO_XDP_SOCK; kernel: check_sock_access); false for any other type.
    /// </summary>
    public static bool IsValid(RegType type, int off, int size, ref CtxAccessInfo info) => type switch
    {
        RegType.PtrToSockCommon => IsValidSockCommon(off, size, ref info),
        RegType.PtrToSocket => IsValidSock(off, size, ref info),
        RegType.PtrToTcpSock => IsValidTcpSock(off, size),
        RegType.PtrToXdpSock => IsValidXdpSock(off, size),
        _ => false,
    };
}
