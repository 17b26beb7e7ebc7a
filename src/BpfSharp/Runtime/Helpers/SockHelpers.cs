using static BpfSharp.Runtime.Helpers.BpfFunc;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// The socket lookup helpers (kernel: net/core/filter.c, bpf_sk_lookup_tcp and its kin) and the helpers that give
/// another view of a socket (bpf_sk_fullsock, bpf_tcp_sock, bpf_get_listener_sock, bpf_skc_to_*).
/// </summary>
/// <remarks>
/// A <see cref="BpfSystem"/> has no network stack and so no sockets (as <see cref="SockMapHelpers"/> says for the
/// socket maps): a lookup finds no socket for any tuple and returns NULL, as the kernel does when nothing in the
/// namespace matches, and a program never holds a socket to release or view. The verifier still tracks the
/// references a lookup may acquire exactly as the kernel does, so a program that loads here loads there.
/// </remarks>
public static class SockHelpers
{
    /// <summary>Registers the socket lookup, release and socket view helpers under their kernel ids.</summary>
    public static void Register(HelperRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (int id in (ReadOnlySpan<int>)[BPF_FUNC_sk_lookup_tcp, BPF_FUNC_sk_lookup_udp, BPF_FUNC_skc_lookup_tcp])
            registry.Register(id, Name(id), Lookup, HelperFlags.Pure);
        registry.Register(BPF_FUNC_sk_release, Name(BPF_FUNC_sk_release), Release, HelperFlags.Pure);
        foreach (int id in (ReadOnlySpan<int>)[BPF_FUNC_sk_fullsock, BPF_FUNC_tcp_sock, BPF_FUNC_get_listener_sock,
                     BPF_FUNC_skc_to_tcp6_sock, BPF_FUNC_skc_to_tcp_sock, BPF_FUNC_skc_to_tcp_timewait_sock,
                     BPF_FUNC_skc_to_tcp_request_sock, BPF_FUNC_skc_to_udp6_sock, BPF_FUNC_skc_to_unix_sock,
                     BPF_FUNC_skc_to_mptcp_sock])
            registry.Register(id, Name(id), View, HelperFlags.Pure);
    }

    /// <summary>
    /// struct bpf_sock *bpf_sk_lookup_{tcp,udp}(ctx, tuple, tuple_size, netns, flags) and bpf_skc_lookup_tcp: NULL, no
    /// socket matches (see the remarks).
    /// </summary>
    public static ulong Lookup(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => 0;

    /// <summary>long bpf_sk_release(sock): 0. The verifier only lets a program release a socket a lookup returned, and none is ever returned here.</summary>
    public static ulong Release(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => 0;

    /// <summary>
    /// The views of a socket (bpf_sk_fullsock, bpf_tcp_sock, bpf_get_listener_sock, bpf_skc_to_*): NULL. The verifier
    /// requires a socket pointer, which a program never holds here; NULL is an answer every caller must handle.
    /// </summary>
    public static ulong View(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => 0;
}
