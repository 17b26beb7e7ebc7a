using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// Seeds: small programs of the shape real ones have (counters, header parsing, subprograms with arguments,
// bounded loops, bpf_loop callbacks, ring buffer records), each beside the mistake people make in it
// (a leaked ring buffer record, a record used before its NULL check, a header read past the check).
// Good starting points for randomized mutation.
internal static partial class VerifierCorpus
{
    private static VerifierCase[] Seed() =>
    [
        new("seed/packet_counter", SocketFilter, BpfOnly, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = 1
            lock *(u64 *)(r0 +0) += r1
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("seed/counter_insert_or_add", SocketFilter, BpfOnly, $"""
            {Lookup}
            if r0 != 0x0 goto add
            {KeyAndValue}
            r1 = 1
            *(u64 *)(r10 -24) = r1
            r1 = map[idx:0]
            r4 = 1
            call bpf_map_update_elem
            r0 = 0
            exit
            add:
            r1 = 1
            lock *(u64 *)(r0 +0) += r1
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("seed/xdp_drop_udp", Xdp, BpfOnly, """
            r2 = *(u32 *)(r1 +0)
            r3 = *(u32 *)(r1 +4)
            r0 = 2
            r4 = r2
            r4 += 34
            if r4 > r3 goto out
            r5 = *(u16 *)(r2 +12)
            if r5 != 0x8 goto out
            r5 = *(u8 *)(r2 +23)
            if r5 != 0x11 goto out
            r0 = 1
            out:
            exit
            """, NoMaps, Kernel: Accept),
        new("seed/xdp_read_past_header", Xdp, BpfOnly, """
            r2 = *(u32 *)(r1 +0)
            r3 = *(u32 *)(r1 +4)
            r0 = 2
            r4 = r2
            r4 += 14
            if r4 > r3 goto out
            r5 = *(u16 *)(r2 +12)
            if r5 != 0x8 goto out
            r5 = *(u8 *)(r2 +23)
            if r5 != 0x11 goto out
            r0 = 1
            out:
            exit
            """, NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("seed/tc_set_mark", SchedCls, BpfOnly, """
            r2 = *(u32 *)(r1 +0)
            r2 &= 0xff
            *(u32 *)(r1 +8) = r2
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("seed/kprobe_first_arg_to_map", Kprobe, Root, """
            r6 = *(u64 *)(r1 +112)
            *(u64 *)(r10 -8) = r6
            *(u64 *)(r10 -24) = r6
            *(u64 *)(r10 -16) = 0
            r2 = r10
            r2 += -8
            r3 = r10
            r3 += -24
            r1 = map[idx:0]
            r4 = 0
            call bpf_map_update_elem
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("seed/subprog_with_args", SocketFilter, BpfOnly, """
            r1 = 3
            r2 = 4
            call add
            exit
            add:
            r0 = r1
            r0 += r2
            exit
            """, NoMaps, Kernel: Accept),
        new("seed/subprog_writes_caller_stack", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 0
            r1 = r10
            r1 += -8
            call fill
            r0 = *(u64 *)(r10 -8)
            exit
            fill:
            *(u64 *)(r1 +0) = 42
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("seed/subprog_reads_past_caller_stack", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 0
            r1 = r10
            r1 += -8
            call fill
            r0 = *(u64 *)(r10 -8)
            exit
            fill:
            r0 = *(u64 *)(r1 +8)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R1 off=0 size=8")),
        new("seed/loop_sum", SocketFilter, Root, """
            r0 = 0
            r1 = 0
            loop:
            r0 += r1
            r1 += 1
            if r1 < 0x10 goto loop
            exit
            """, NoMaps, Kernel: Accept),
        // A callback subprogram needs BTF func_info, which the corpus does not load.
        new("seed/bpf_loop_callback_without_btf", SocketFilter, BpfOnly, """
            r1 = 4
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "missing btf func_info")),
        new("seed/ringbuf_reserve_submit", SocketFilter, BpfOnly, """
            r1 = map[idx:0]
            r2 = 8
            r3 = 0
            call bpf_ringbuf_reserve
            if r0 == 0x0 goto out
            *(u64 *)(r0 +0) = 1
            r1 = r0
            r2 = 0
            call bpf_ringbuf_submit
            out:
            r0 = 0
            exit
            """, RingBufMap, Kernel: Accept),
        new("seed/ringbuf_record_leaked", SocketFilter, BpfOnly, """
            r1 = map[idx:0]
            r2 = 8
            r3 = 0
            call bpf_ringbuf_reserve
            if r0 == 0x0 goto out
            *(u64 *)(r0 +0) = 1
            out:
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(22, "BPF_EXIT instruction in main prog would lead to reference leak")),
        new("seed/ringbuf_record_not_null_checked", SocketFilter, BpfOnly, """
            r1 = map[idx:0]
            r2 = 8
            r3 = 0
            call bpf_ringbuf_reserve
            *(u64 *)(r0 +0) = 1
            r1 = r0
            r2 = 0
            call bpf_ringbuf_submit
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(13, "R0 invalid mem access 'ringbuf_mem_or_null'")),
        new("seed/ringbuf_record_write_past_end", SocketFilter, BpfOnly, """
            r1 = map[idx:0]
            r2 = 8
            r3 = 0
            call bpf_ringbuf_reserve
            if r0 == 0x0 goto out
            *(u64 *)(r0 +8) = 1
            r1 = r0
            r2 = 0
            call bpf_ringbuf_submit
            out:
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(13, "R0 min value is outside of the allowed memory range")),
    ];
}
