using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// The examples of the kernel's Documentation/bpf/verifier.rst: every program of its section "Understanding
// eBPF verifier messages" (doc/msg_*), and the small programs of its introduction and of "Direct packet
// access" (doc/intro_*, doc/packet_*), rewritten here in the verifier-log syntax. The recorded verdicts are
// what the running kernel says, which is not always what the document shows: privileged loaders may now
// read uninitialized stack, x86-64 does not enforce alignment without BPF_F_STRICT_ALIGNMENT, and helper
// ids and messages have moved on. Where the document's program depends on something a test cannot pin down
// (map fd 0 is whatever the test process has open as stdin), the case uses a fd that cannot be open.
internal static partial class VerifierCorpus
{
    /// <summary>A TCP socket lookup with a 4-byte tuple on the stack: r0 = socket or NULL, holding a reference.</summary>
    private const string SkLookupTcp = """
        r2 = 0
        *(u32 *)(r10 -8) = r2
        r2 = r10
        r2 += -8
        r3 = 4
        r4 = 0
        r5 = 0
        call bpf_sk_lookup_tcp
        """;

    private static VerifierCase[] Doc() =>
    [
        // Introduction.
        new("doc/intro_uninit_r2", SocketFilter, Root, """
            r0 = r2
            exit
            """, NoMaps, Kernel: Reject(13, "R2 !read_ok")),
        new("doc/intro_callee_saved_r6", SocketFilter, Root, """
            r6 = 1
            call bpf_get_prandom_u32
            r0 = r6
            exit
            """, NoMaps, Kernel: Accept),
        new("doc/intro_caller_saved_r1", SocketFilter, Root, """
            r1 = 1
            call bpf_get_prandom_u32
            r0 = r1
            exit
            """, NoMaps, Kernel: Reject(13, "R1 !read_ok")),
        new("doc/intro_atomic_add_through_scalar", SocketFilter, Root, """
            r1 = 1
            r2 = 2
            lock *(u32 *)(r1 +3) += r2
            exit
            """, NoMaps, Kernel: Reject(13, "R1 invalid mem access 'scalar'")),
        new("doc/intro_ctx_load_through_r6", SocketFilter, Root, """
            r6 = r1
            r0 = *(u32 *)(r6 +8)
            exit
            """, NoMaps, Kernel: Accept),
        new("doc/intro_stack_load_above_fp", SocketFilter, Root, """
            r6 = r10
            r0 = *(u32 *)(r6 +8)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R6 off=8 size=4")),
        new("doc/intro_uninit_stack_read_root", SocketFilter, Root, """
            r0 = *(u32 *)(r10 -4)
            exit
            """, NoMaps, Kernel: Accept),
        new("doc/intro_uninit_stack_read_bpfonly", SocketFilter, BpfOnly, """
            r0 = *(u32 *)(r10 -4)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R10 off=-4 size=4")),

        // Direct packet access.
        new("doc/packet_checked_header", SchedCls, Root, """
            r4 = *(u32 *)(r1 +80)
            r3 = *(u32 *)(r1 +76)
            r5 = r3
            r5 += 14
            if r5 > r4 goto out
            r0 = *(u16 *)(r3 +12)
            exit
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("doc/packet_variable_offset", SchedCls, Root, """
            r4 = *(u32 *)(r1 +80)
            r3 = *(u32 *)(r1 +76)
            r5 = r3
            r5 += 14
            if r5 > r4 goto out
            r6 = *(u8 *)(r3 +12)
            r6 *= 14
            r7 = *(u8 *)(r3 +1)
            r3 += r6
            r3 += r7
            r2 = r3
            r2 += 8
            if r2 > r4 goto out
            r0 = *(u8 *)(r3 +4)
            exit
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("doc/packet_read_past_checked_range", SchedCls, Root, """
            r4 = *(u32 *)(r1 +80)
            r3 = *(u32 *)(r1 +76)
            r5 = r3
            r5 += 14
            if r5 > r4 goto out
            r0 = *(u16 *)(r3 +14)
            exit
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R3 offset is outside of the packet")),
        new("doc/packet_variable_offset_too_wide", SchedCls, Root, """
            r4 = *(u32 *)(r1 +80)
            r3 = *(u32 *)(r1 +76)
            r5 = r3
            r5 += 14
            if r5 > r4 goto out
            r6 = *(u32 *)(r3 +0)
            r3 += r6
            r2 = r3
            r2 += 8
            if r2 > r4 goto out
            r0 = *(u8 *)(r3 +4)
            exit
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R3 offset is outside of the packet")),

        // The document's second example as it is written: r2 = r1 copies the context pointer, and shifting a
        // pointer is refused today.
        new("doc/packet_complex_as_written", SchedCls, Root, """
            r4 = *(u32 *)(r1 +80)
            r3 = *(u32 *)(r1 +76)
            r5 = r3
            r5 += 14
            if r5 > r4 goto out
            r0 = *(u8 *)(r3 +7)
            r4 = *(u8 *)(r3 +12)
            r4 *= 14
            r3 = *(u32 *)(r1 +76)
            r3 += r4
            r2 = r1
            r2 <<= 48
            r2 >>= 48
            r3 += r2
            r2 = r3
            r2 += 8
            r1 = *(u32 *)(r1 +80)
            if r2 > r1 goto out
            r1 = *(u8 *)(r3 +4)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R2 pointer arithmetic with <<= operator prohibited")),
        // The same with r2 a scalar (skb->len), as the document's explanation of "r2 >>= 48" assumes.
        new("doc/packet_complex_len_scalar", SchedCls, Root, """
            r4 = *(u32 *)(r1 +80)
            r3 = *(u32 *)(r1 +76)
            r5 = r3
            r5 += 14
            if r5 > r4 goto out
            r0 = *(u8 *)(r3 +7)
            r4 = *(u8 *)(r3 +12)
            r4 *= 14
            r3 = *(u32 *)(r1 +76)
            r3 += r4
            r2 = *(u32 *)(r1 +0)
            r2 <<= 48
            r2 >>= 48
            r3 += r2
            r2 = r3
            r2 += 8
            r1 = *(u32 *)(r1 +80)
            if r2 > r1 goto out
            r1 = *(u8 *)(r3 +4)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R3 offset is outside of the packet")),
        // The same with a 12-bit r2 (<<= 52, >>= 52), small enough for the comparison to prove a range.
        new("doc/packet_complex_12_bit_scalar", SchedCls, Root, """
            r4 = *(u32 *)(r1 +80)
            r3 = *(u32 *)(r1 +76)
            r5 = r3
            r5 += 14
            if r5 > r4 goto out
            r0 = *(u8 *)(r3 +7)
            r4 = *(u8 *)(r3 +12)
            r4 *= 14
            r3 = *(u32 *)(r1 +76)
            r3 += r4
            r2 = *(u32 *)(r1 +0)
            r2 <<= 52
            r2 >>= 52
            r3 += r2
            r2 = r3
            r2 += 8
            r1 = *(u32 *)(r1 +80)
            if r2 > r1 goto out
            r1 = *(u8 *)(r3 +4)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        // Its read one byte past the range the comparison proved.
        new("doc/packet_complex_read_past_range", SchedCls, Root, """
            r4 = *(u32 *)(r1 +80)
            r3 = *(u32 *)(r1 +76)
            r5 = r3
            r5 += 14
            if r5 > r4 goto out
            r4 = *(u8 *)(r3 +12)
            r4 *= 14
            r3 = *(u32 *)(r1 +76)
            r3 += r4
            r2 = *(u32 *)(r1 +0)
            r2 <<= 52
            r2 >>= 52
            r3 += r2
            r2 = r3
            r2 += 8
            r1 = *(u32 *)(r1 +80)
            if r2 > r1 goto out
            r1 = *(u32 *)(r3 +5)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R3 offset is outside of the packet")),
        // The document's C parser (Ethernet, IPv4 with ihl 5, UDP), compiled by hand.
        new("doc/packet_c_udp_parser", SchedCls, Root, """
            r2 = *(u32 *)(r1 +76)
            r3 = *(u32 *)(r1 +80)
            r4 = r2
            r4 += 42
            if r4 > r3 goto out
            r5 = *(u16 *)(r2 +12)
            if r5 != 0x8 goto out
            r5 = *(u8 *)(r2 +23)
            if r5 != 0x11 goto out
            r5 = *(u8 *)(r2 +14)
            r5 &= 0xf
            if r5 != 0x5 goto out
            r5 = *(u16 *)(r2 +36)
            if r5 == 0x3500 goto out
            r5 = *(u16 *)(r2 +34)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),

        // Understanding eBPF verifier messages.
        new("doc/msg_unreachable_insn", SocketFilter, Root, """
            exit
            exit
            """, NoMaps, Kernel: Reject(22, "unreachable insn 1")),
        new("doc/msg_uninit_r2", SocketFilter, Root, """
            r0 = r2
            exit
            """, NoMaps, Kernel: Reject(13, "R2 !read_ok")),
        new("doc/msg_r0_not_set", SocketFilter, Root, """
            r2 = r1
            exit
            """, NoMaps, Kernel: Reject(13, "R0 !read_ok")),
        new("doc/msg_stack_out_of_bounds", SocketFilter, Root, """
            *(u64 *)(r10 +8) = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid write to stack R10 off=8 size=8")),
        new("doc/msg_uninit_key_root", SocketFilter, Root, """
            r2 = r10
            r2 += -8
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            exit
            """, HashMap, Kernel: Accept),
        new("doc/msg_uninit_key_bpfonly", SocketFilter, BpfOnly, """
            r2 = r10
            r2 += -8
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            exit
            """, HashMap, Kernel: Reject(13, "invalid read from stack R2 off=-8 size=8")),
        new("doc/msg_invalid_map_fd", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            r2 = r10
            r2 += -8
            r1 = map[fd:2147483647]
            call bpf_map_lookup_elem
            exit
            """, NoMaps, Kernel: Reject(9, "fd 2147483647 is not pointing to valid bpf_map")),
        new("doc/msg_lookup_without_null_check", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            r2 = r10
            r2 += -8
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            *(u64 *)(r0 +0) = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 invalid mem access 'map_value_or_null'")),
        new("doc/msg_misaligned_value_store", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            r2 = r10
            r2 += -8
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            if r0 == 0x0 goto pc+1
            *(u64 *)(r0 +4) = 0
            exit
            """, HashMap, Kernel: Accept),
        new("doc/msg_misaligned_value_store_strict", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            r2 = r10
            r2 += -8
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            if r0 == 0x0 goto pc+1
            *(u64 *)(r0 +4) = 0
            exit
            """, HashMap, Kernel: Reject(13, "misaligned value access off 0+0+4 size 8"), ProgFlags: Strict),
        new("doc/msg_store_in_null_branch", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            r2 = r10
            r2 += -8
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            if r0 == 0x0 goto pc+2
            *(u64 *)(r0 +0) = 0
            exit
            *(u64 *)(r0 +0) = 1
            exit
            """, HashMap, Kernel: Reject(13, "R0 invalid mem access 'scalar'")),
        new("doc/msg_socket_reference_dropped", SchedCls, Root, $"""
            {SkLookupTcp}
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "BPF_EXIT instruction in main prog would lead to reference leak")),
        new("doc/msg_socket_not_null_checked", SchedCls, Root, $"""
            {SkLookupTcp}
            exit
            """, NoMaps, Kernel: Reject(22, "BPF_EXIT instruction in main prog would lead to reference leak")),
        new("doc/msg_socket_released", SchedCls, Root, $"""
            {SkLookupTcp}
            if r0 == 0x0 goto out
            r1 = r0
            call bpf_sk_release
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
    ];
}
