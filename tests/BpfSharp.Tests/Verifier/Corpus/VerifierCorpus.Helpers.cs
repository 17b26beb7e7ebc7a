using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// Helper calls (kernel: check_helper_call, check_func_arg, check_mem_size_reg, check_map_func_compatibility):
// unknown ids, helpers a program type may not call, map/ctx/memory argument types, keys and values on the
// stack (initialized, long enough), constant sizes (zero, negative, unbounded), map types a helper refuses,
// and tail calls.
internal static partial class VerifierCorpus
{
    /// <summary>Key 0 at fp-8 and a zeroed 16-byte value at fp-24; r2 = &amp;key, r3 = &amp;value.</summary>
    private const string KeyAndValue = """
        *(u64 *)(r10 -8) = 0
        *(u64 *)(r10 -24) = 0
        *(u64 *)(r10 -16) = 0
        r2 = r10
        r2 += -8
        r3 = r10
        r3 += -24
        """;

    private static VerifierCase[] Helpers() =>
    [
        new("helper/prandom", SocketFilter, Root, """
            call bpf_get_prandom_u32
            exit
            """, NoMaps, Kernel: Accept),
        new("helper/unknown_id_huge", SocketFilter, Root, """
            call 100000
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "invalid func unknown#100000")),
        new("helper/unknown_id_zero", SocketFilter, Root, """
            call 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "program of this type cannot use helper bpf_unspec#0")),
        new("helper/unknown_id_negative", SocketFilter, Root, """
            call -1
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "invalid func unknown#-1")),
        new("helper/redirect_in_socket_filter", SocketFilter, Root, """
            r1 = 0
            r2 = 0
            call bpf_redirect
            exit
            """, NoMaps, Kernel: Reject(22, "program of this type cannot use helper bpf_redirect#23")),
        new("helper/redirect_in_xdp", Xdp, Root, """
            r1 = 0
            r2 = 0
            call bpf_redirect
            exit
            """, NoMaps, Kernel: Accept),
        new("helper/current_pid_in_xdp", Xdp, Root, """
            call bpf_get_current_pid_tgid
            r0 = 2
            exit
            """, NoMaps, Kernel: Accept),
        new("helper/lookup_map_arg_scalar", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            r2 = r10
            r2 += -8
            r1 = 0
            call bpf_map_lookup_elem
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 type=scalar expected=map_ptr")),
        new("helper/lookup_map_arg_ctx", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            r2 = r10
            r2 += -8
            call bpf_map_lookup_elem
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 type=ctx expected=map_ptr")),
        new("helper/lookup_map_arg_uninit", SocketFilter, Root, """
            call bpf_get_prandom_u32
            *(u64 *)(r10 -8) = 0
            r2 = r10
            r2 += -8
            call bpf_map_lookup_elem
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 !read_ok")),
        new("helper/lookup", SocketFilter, BpfOnly, $"""
            {Lookup}
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("helper/lookup_key_uninit_root", SocketFilter, Root, """
            r2 = r10
            r2 += -8
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("helper/lookup_key_uninit_bpfonly", SocketFilter, BpfOnly, """
            r2 = r10
            r2 += -8
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "invalid read from stack R2 off=-8 size=8")),
        // An aligned 4-byte immediate store is tracked as a spilled scalar, which makes the whole slot readable.
        new("helper/lookup_key_low_half_imm_bpfonly", SocketFilter, BpfOnly, """
            *(u32 *)(r10 -8) = 0
            r2 = r10
            r2 += -8
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("helper/lookup_key_high_half_init_bpfonly", SocketFilter, BpfOnly, """
            *(u32 *)(r10 -4) = 0
            r2 = r10
            r2 += -8
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "invalid read from stack R2 off -8+0 size 8")),
        new("helper/lookup_key_too_short", SocketFilter, Root, """
            *(u32 *)(r10 -4) = 0
            r2 = r10
            r2 += -4
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(22, "invalid read from stack R2 off=-4 size=8")),
        new("helper/lookup_key_scalar", SocketFilter, Root, """
            r2 = 0
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R2 type=scalar expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_")),
        new("helper/lookup_key_ctx", SocketFilter, Root, """
            r2 = r1
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R2 type=ctx expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_")),
        new("helper/update", SocketFilter, BpfOnly, $"""
            {KeyAndValue}
            r1 = map[idx:0]
            r4 = 0
            call bpf_map_update_elem
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("helper/update_value_too_short", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            r2 = r10
            r2 += -8
            r3 = r10
            r3 += -8
            r1 = map[idx:0]
            r4 = 0
            call bpf_map_update_elem
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(22, "invalid read from stack R3 off=-8 size=16")),
        new("helper/update_value_uninit_bpfonly", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 0
            r2 = r10
            r2 += -8
            r3 = r10
            r3 += -24
            r1 = map[idx:0]
            r4 = 0
            call bpf_map_update_elem
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "invalid read from stack R3 off=-24 size=16")),
        new("helper/update_flags_uninit", SocketFilter, Root, $"""
            {KeyAndValue}
            r1 = map[idx:0]
            call bpf_map_update_elem
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R4 !read_ok")),
        new("helper/delete", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 0
            r2 = r10
            r2 += -8
            r1 = map[idx:0]
            call bpf_map_delete_elem
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("helper/skb_load_bytes", SocketFilter, BpfOnly, """
            r2 = 0
            r3 = r10
            r3 += -8
            r4 = 8
            call bpf_skb_load_bytes
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("helper/skb_load_bytes_ctx_arg_fp", SocketFilter, Root, """
            r1 = r10
            r2 = 0
            r3 = r10
            r3 += -8
            r4 = 8
            call bpf_skb_load_bytes
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 type=fp expected=ctx")),
        new("helper/skb_load_bytes_size_zero", SocketFilter, Root, """
            r2 = 0
            r3 = r10
            r3 += -8
            r4 = 0
            call bpf_skb_load_bytes
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R4 invalid zero-sized read: u64=[0,0]")),
        new("helper/skb_load_bytes_size_negative", SocketFilter, Root, """
            r2 = 0
            r3 = r10
            r3 += -8
            r4 = -1
            call bpf_skb_load_bytes
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R4 min value is negative, either use unsigned or 'var &= const'")),
        new("helper/skb_load_bytes_size_unbounded", SocketFilter, Root, """
            r4 = *(u32 *)(r1 +0)
            r4 |= 1
            r2 = 0
            r3 = r10
            r3 += -8
            call bpf_skb_load_bytes
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R4 unbounded memory access, use 'var &= const' or 'if (var < const)'")),
        new("helper/skb_load_bytes_size_bounded", SocketFilter, Root, """
            r4 = *(u32 *)(r1 +0)
            r4 &= 7
            r4 += 1
            r2 = 0
            r3 = r10
            r3 += -8
            call bpf_skb_load_bytes
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("helper/skb_load_bytes_size_maybe_zero", SocketFilter, Root, """
            r4 = *(u32 *)(r1 +0)
            r4 &= 7
            r2 = 0
            r3 = r10
            r3 += -8
            call bpf_skb_load_bytes
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R4 invalid zero-sized read: u64=[0,7]")),
        new("helper/skb_load_bytes_past_buffer", SocketFilter, Root, """
            r2 = 0
            r3 = r10
            r3 += -8
            r4 = 16
            call bpf_skb_load_bytes
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "invalid write to stack R3 off=-8 size=16")),
        new("helper/probe_read_kernel_size_zero", Kprobe, Root, """
            r1 = r10
            r1 += -8
            r2 = 0
            r3 = 0
            call bpf_probe_read_kernel
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("helper/ringbuf_output", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 0
            r1 = map[idx:0]
            r2 = r10
            r2 += -8
            r3 = 8
            r4 = 0
            call bpf_ringbuf_output
            r0 = 0
            exit
            """, RingBufMap, Kernel: Accept),
        new("helper/ringbuf_output_size_zero", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 0
            r1 = map[idx:0]
            r2 = r10
            r2 += -8
            r3 = 0
            r4 = 0
            call bpf_ringbuf_output
            r0 = 0
            exit
            """, RingBufMap, Kernel: Accept),
        new("helper/ringbuf_output_size_zero_uninit_bpfonly", SocketFilter, BpfOnly, """
            r1 = map[idx:0]
            r2 = r10
            r2 += -8
            r3 = 0
            r4 = 0
            call bpf_ringbuf_output
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(13, "invalid read from stack R2 off=-8 size=0")),
        new("helper/ringbuf_output_uninit_data_bpfonly", SocketFilter, BpfOnly, """
            r1 = map[idx:0]
            r2 = r10
            r2 += -8
            r3 = 8
            r4 = 0
            call bpf_ringbuf_output
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(13, "invalid read from stack R2 off=-8 size=8")),
        new("helper/lookup_in_prog_array", SocketFilter, Root, $"""
            {ArrayLookup}
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Reject(22, "cannot pass map_type 3 into func bpf_map_lookup_elem#1")),
        new("helper/update_perf_event_array", SocketFilter, Root, $"""
            {KeyAndValue}
            r1 = map[idx:0]
            r4 = 0
            call bpf_map_update_elem
            r0 = 0
            exit
            """, PerfEventArrayMap, Kernel: Reject(22, "cannot pass map_type 4 into func bpf_map_update_elem#2")),
        // A ring buffer has no key: the zero-sized key is refused before the map type is.
        new("helper/update_ringbuf_zero_sized_key", SocketFilter, Root, $"""
            {KeyAndValue}
            r1 = map[idx:0]
            r4 = 0
            call bpf_map_update_elem
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(13, "invalid zero-sized read")),
        new("helper/ringbuf_output_to_hash", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            r1 = map[idx:0]
            r2 = r10
            r2 += -8
            r3 = 8
            r4 = 0
            call bpf_ringbuf_output
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(22, "cannot pass map_type 1 into func bpf_ringbuf_output#130")),
        new("helper/perf_event_output", SchedCls, Root, """
            *(u64 *)(r10 -8) = 0
            r2 = map[idx:0]
            r3 = 0
            r4 = r10
            r4 += -8
            r5 = 8
            call bpf_perf_event_output
            r0 = 0
            exit
            """, PerfEventArrayMap, Kernel: Accept),
        new("helper/perf_event_output_to_hash", SchedCls, Root, """
            *(u64 *)(r10 -8) = 0
            r2 = map[idx:0]
            r3 = 0
            r4 = r10
            r4 += -8
            r5 = 8
            call bpf_perf_event_output
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(22, "cannot pass map_type 1 into func bpf_perf_event_output#25")),
        new("helper/tail_call", SocketFilter, Root, """
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Accept),
        // The kernel prints this message without a newline, so the statistics line is glued to it.
        new("helper/tail_call_hash_map", SocketFilter, Root, """
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(22, "expected prog array map for tail callprocessed 3 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0")),
        new("helper/tail_call_ctx_scalar", SocketFilter, Root, """
            r1 = 0
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Reject(13, "R1 type=scalar expected=ctx")),
        new("helper/tail_call_index_uninit", SocketFilter, Root, """
            r2 = map[idx:0]
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Reject(13, "R3 !read_ok")),
    ];
}
