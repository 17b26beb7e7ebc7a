using BpfSharp.Uapi;
using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// References that other pointers share (kernel: is_ptr_cast_function, is_acquire_function with a socket map,
// check_func_arg_reg_off for release arguments): a view of a socket (bpf_tcp_sock, bpf_sk_fullsock) dies when the
// socket is released, a socket found in a sockmap or sockhash must be released, and what a release function frees
// must be the object itself; and the pointer facts next to them (a map pointer is never NULL, the order of
// __check_ptr_off_reg's messages). Found by running the kernel's test_verifier cases against BpfSystem.Bpf.
internal static partial class VerifierCorpus
{
    /// <summary>A TCP socket lookup with a 36-byte zeroed tuple on the stack: r0 = socket or NULL, holding a reference.</summary>
    private const string SkLookupTcpTuple36 = """
        r2 = 0
        *(u64 *)(r10 -8) = r2
        *(u64 *)(r10 -16) = r2
        *(u64 *)(r10 -24) = r2
        *(u64 *)(r10 -32) = r2
        *(u64 *)(r10 -40) = r2
        r2 = r10
        r2 += -40
        r3 = 36
        r4 = 0
        r5 = 0
        call bpf_sk_lookup_tcp
        """;

    /// <summary>
    /// A socket looked up into r6 and <paramref name="helper"/>'s view of it in r0; the socket is released and the
    /// program ends where there is no view. Continues with the view in r0.
    /// </summary>
    private static string SocketView(string helper) => SkLookupTcpTuple36 + $"""

        if r0 != 0x0 goto +1
        exit
        r6 = r0
        r1 = r0
        call {helper}
        if r0 != 0x0 goto +3
        r1 = r6
        call bpf_sk_release
        exit
        """;

    private static VerifierCase[] SockRefs() =>
    [
        new("sockref/tcp_sock_read_after_release", SchedCls, Root, SocketView("bpf_tcp_sock") + "\n" + """
            r7 = r0
            r1 = r6
            call bpf_sk_release
            r0 = *(u32 *)(r7 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "R7 invalid mem access 'scalar'")),
        new("sockref/fullsock_read_after_release", SchedCls, Root, SocketView("bpf_sk_fullsock") + "\n" + """
            r7 = r0
            r1 = r6
            call bpf_sk_release
            r0 = *(u32 *)(r7 +4)
            exit
            """, NoMaps, Kernel: Reject(13, "R7 invalid mem access 'scalar'")),
        new("sockref/release_through_tcp_sock_then_read_sock", SchedCls, Root, SocketView("bpf_tcp_sock") + "\n" + """
            r1 = r0
            call bpf_sk_release
            r0 = *(u32 *)(r6 +4)
            exit
            """, NoMaps, Kernel: Reject(13, "R6 invalid mem access 'scalar'")),
        new("sockref/release_through_tcp_sock", SchedCls, Root, SocketView("bpf_tcp_sock") + "\n" + """
            r1 = r0
            call bpf_sk_release
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("sockref/sockmap_lookup_leaks", SkSkb, Root, """
            *(u32 *)(r10 -4) = 0
            r2 = r10
            r2 += -4
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            r0 = 0
            exit
            """, [new(BpfMapType.Sockmap, 4, 4, 4)], Kernel: Reject(22, "BPF_EXIT instruction in main prog would lead to reference leak")),
        new("sockref/sockhash_lookup_released", SkSkb, Root, """
            *(u32 *)(r10 -4) = 0
            r2 = r10
            r2 += -4
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            if r0 == 0x0 goto +3
            r1 = r0
            r0 = *(u32 *)(r1 +8)
            call bpf_sk_release
            r0 = 0
            exit
            """, [new(BpfMapType.Sockhash, 4, 4, 4)], Kernel: Accept),
        new("sockref/ringbuf_submit_inside_the_record", SocketFilter, Root, """
            r1 = map[idx:0]
            r2 = 16
            r3 = 0
            call bpf_ringbuf_reserve
            if r0 == 0x0 goto +4
            r1 = r0
            r1 += 8
            r2 = 0
            call bpf_ringbuf_submit
            r0 = 0
            exit
            """, [new(BpfMapType.Ringbuf, 0, 0, 4096)], Kernel: Reject(22, "R1 must have zero offset when passed to release func or trusted arg to kfunc")),
        new("sockref/ringbuf_discard_variable_offset", SocketFilter, Root, """
            r1 = map[idx:0]
            r2 = 16
            r3 = 0
            call bpf_ringbuf_reserve
            if r0 == 0x0 goto +7
            r6 = r0
            call bpf_get_prandom_u32
            r0 &= 8
            r6 += r0
            r1 = r6
            r2 = 0
            call bpf_ringbuf_discard
            r0 = 0
            exit
            """, [new(BpfMapType.Ringbuf, 0, 0, 4096)], Kernel: Reject(13, "variable ringbuf_mem access var_off=(0x0; 0x8) disallowed")),
        // reg_not_null: a map pointer is never NULL, so comparing it with 0 decides the branch (and is no pointer
        // comparison for an unprivileged loader).
        new("sockref/map_ptr_compared_with_zero", SocketFilter, Root, """
            r1 = map[idx:0]
            if r1 == 0x0 goto +1
            r0 = 0
            exit
            """, [new(BpfMapType.Hash, 8, 8, 4)], Kernel: Accept),
        new("sockref/map_ptr_compared_with_zero_unpriv", SocketFilter, Unprivileged, """
            r1 = map[idx:0]
            if r1 != 0x0 goto +1
            r0 = 1
            r0 = 0
            exit
            """, [new(BpfMapType.Hash, 8, 8, 4)], Kernel: Accept),
        // The order of __check_ptr_off_reg's tests: a negative offset is named before a modified pointer.
        new("sockref/ctx_negative_offset_load", SocketFilter, Root, """
            r1 += -4
            r0 = *(u32 *)(r1 +4)
            exit
            """, NoMaps, Kernel: Reject(13, "negative offset ctx ptr R1 off=-4 disallowed")),
        new("sockref/ctx_negative_offset_to_helper", SchedCls, Root, """
            r1 += -8
            r2 = 0
            r3 = r10
            r3 += -8
            r4 = 8
            call bpf_skb_load_bytes
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "negative offset ctx ptr R1 off=-8 disallowed")),
    ];
}
