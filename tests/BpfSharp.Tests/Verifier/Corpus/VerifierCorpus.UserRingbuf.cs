using BpfSharp.Uapi;
using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// User ring buffers (kernel: the BPF_FUNC_user_ringbuf_drain case of check_helper_call, set_user_ringbuf_callback_state,
// check_map_func_compatibility's BPF_MAP_TYPE_USER_RINGBUF rules, process_dynptr_func's CONST_PTR_TO_DYNPTR rules):
// drain programs whose callback reads the sample through the const dynptr, and the kernel's refusals (mutating or
// releasing the const dynptr, touching it as memory, the wrong map, callback return values).
internal static partial class VerifierCorpus
{
    /// <summary>A 4 KiB user ring buffer (map 0).</summary>
    private static CaseMap[] UserRingbufMap => [new(BpfMapType.UserRingbuf, 0, 0, 4096)];

    /// <summary>A 4 KiB user ring buffer (map 0) and a 4 KiB ring buffer (map 1).</summary>
    private static CaseMap[] UserRingbufAndRingBuf => [new(BpfMapType.UserRingbuf, 0, 0, 4096), new(BpfMapType.Ringbuf, 0, 0, 4096)];

    /// <summary>The func_info of a socket filter with a drain callback.</summary>
    private static CaseBtf UserRingbufBtf => Funcs(SkbMain, "static int cb(struct bpf_dynptr *, void *)");

    /// <summary>bpf_user_ringbuf_drain(map 0, cb, fp-8 holding 0, 0); the count in r0.</summary>
    private const string DrainWithCtx = """
        *(u64 *)(r10 -8) = 0
        r1 = map[idx:0]
        r2 = subprog[cb]
        r3 = r10
        r3 += -8
        r4 = 0
        call bpf_user_ringbuf_drain

        """;

    /// <summary>bpf_user_ringbuf_drain(map 0, cb, NULL, 0).</summary>
    private const string DrainNoCtx = """
        r1 = map[idx:0]
        r2 = subprog[cb]
        r3 = 0
        r4 = 0
        call bpf_user_ringbuf_drain

        """;

    private static VerifierCase[] UserRingbuf() =>
    [
        new("userringbuf/drain_empty_callback", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Accept, Btf: UserRingbufBtf),
        new("userringbuf/drain_returns_count", SocketFilter, Root, DrainNoCtx + """
            exit
            cb:
            r0 = 1
            exit
            """, UserRingbufMap, Kernel: Accept, Btf: UserRingbufBtf),
        new("userringbuf/drain_bpfonly", SocketFilter, BpfOnly, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Accept, Btf: UserRingbufBtf),
        new("userringbuf/drain_xdp", Xdp, Root, DrainNoCtx + """
            r0 = 2
            exit
            cb:
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Accept, Btf: Funcs("global int main(struct xdp_md *)", "static int cb(struct bpf_dynptr *, void *)")),
        new("userringbuf/drain_read_sample_into_ctx", SocketFilter, Root, DrainWithCtx + """
            r0 = *(u64 *)(r10 -8)
            exit
            cb:
            r3 = r1
            r1 = r2
            r2 = 8
            r4 = 0
            r5 = 0
            call bpf_dynptr_read
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Accept, Btf: UserRingbufBtf),
        new("userringbuf/drain_read_sample_onto_own_stack", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r3 = r1
            r1 = r10
            r1 += -16
            r2 = 16
            r4 = 0
            r5 = 0
            call bpf_dynptr_read
            r0 = *(u64 *)(r10 -16)
            r0 &= 1
            exit
            """, UserRingbufMap, Kernel: Accept, Btf: UserRingbufBtf),
        new("userringbuf/drain_read_without_init_dst", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r3 = r1
            r1 = r10
            r1 += -16
            r2 = 16
            r4 = 0
            r5 = 0
            call bpf_dynptr_read
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Accept, Btf: UserRingbufBtf),
        new("userringbuf/drain_dynptr_data_read", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r2 = 0
            r3 = 8
            call bpf_dynptr_data
            if r0 == 0x0 goto out
            r1 = *(u64 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Accept, Btf: UserRingbufBtf),
        new("userringbuf/drain_dynptr_data_write", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r2 = 0
            r3 = 8
            call bpf_dynptr_data
            if r0 == 0x0 goto out
            *(u64 *)(r0 +0) = 1
            out:
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Accept, Btf: UserRingbufBtf),
        new("userringbuf/drain_dynptr_data_unchecked", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r2 = 0
            r3 = 8
            call bpf_dynptr_data
            r1 = *(u64 *)(r0 +0)
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Reject(13, "R0 invalid mem access 'mem_or_null'"), Btf: UserRingbufBtf),
        new("userringbuf/drain_dynptr_data_past_slice", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r2 = 0
            r3 = 8
            call bpf_dynptr_data
            if r0 == 0x0 goto out
            r1 = *(u64 *)(r0 +8)
            out:
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Reject(13, "R0 min value is outside of the allowed memory range"), Btf: UserRingbufBtf),
        new("userringbuf/drain_counter_in_ctx", SocketFilter, Root, DrainWithCtx + """
            r0 = *(u64 *)(r10 -8)
            exit
            cb:
            r1 = *(u64 *)(r2 +0)
            r1 += 1
            *(u64 *)(r2 +0) = r1
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Accept, Btf: UserRingbufBtf),
        new("userringbuf/drain_spilled_dynptr", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            *(u64 *)(r10 -8) = r1
            r3 = *(u64 *)(r10 -8)
            r1 = r10
            r1 += -24
            r2 = 8
            r4 = 0
            r5 = 0
            call bpf_dynptr_read
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Reject(13, "R3 type=scalar expected=fp, dynptr_ptr"), Btf: UserRingbufBtf),
        new("userringbuf/drain_flags_force_wakeup", SocketFilter, Root, """
            r1 = map[idx:0]
            r2 = subprog[cb]
            r3 = 0
            r4 = 2
            call bpf_user_ringbuf_drain
            r0 = 0
            exit
            cb:
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Accept, Btf: UserRingbufBtf),
        new("userringbuf/drain_twice", SocketFilter, Root, DrainNoCtx + """
            r6 = r0
            r1 = map[idx:0]
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_user_ringbuf_drain
            r0 += r6
            exit
            cb:
            r0 = 1
            exit
            """, UserRingbufMap, Kernel: Accept, Btf: UserRingbufBtf),
        new("userringbuf/drain_kprobe", Kprobe, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Accept, Btf: Funcs("global int main(struct pt_regs *)", "static int cb(struct bpf_dynptr *, void *)")),
        new("userringbuf/drain_syscall_sleepable", BpfProgType.Syscall, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Accept, ProgFlags: Sleepable, Btf: Funcs("global int main(void *)", "static int cb(struct bpf_dynptr *, void *)")),
        new("userringbuf/drain_nested_in_callback", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r1 = map[idx:0]
            r2 = subprog[cb2]
            r3 = 0
            r4 = 0
            call bpf_user_ringbuf_drain
            r0 = 0
            exit
            cb2:
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int cb(struct bpf_dynptr *, void *)", "static int cb2(struct bpf_dynptr *, void *)")),
        new("userringbuf/drain_inside_loop_callback", SocketFilter, Root, """
            r1 = 3
            r2 = subprog[lcb]
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            lcb:
            r1 = map[idx:0]
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_user_ringbuf_drain
            r0 = 0
            exit
            cb:
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int lcb(u64, void *)", "static int cb(struct bpf_dynptr *, void *)")),
        new("userringbuf/dynptr_slice_outlives_callback_via_ctx", SocketFilter, Root, DrainWithCtx + """
            r0 = 0
            exit
            cb:
            r6 = r2
            r2 = 0
            r3 = 8
            call bpf_dynptr_data
            if r0 == 0x0 goto out
            *(u64 *)(r6 +0) = r0
            out:
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Reject(12, "The sequence of 8193 jumps is too complex."), Btf: UserRingbufBtf),
        // refusals: the const dynptr
        new("userringbuf/write_through_const_dynptr", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            *(u64 *)(r10 -8) = 0
            r3 = r10
            r3 += -8
            r2 = 0
            r4 = 8
            r5 = 0
            call bpf_dynptr_write
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Accept, Btf: UserRingbufBtf),
        new("userringbuf/discard_const_dynptr", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r2 = 0
            call bpf_ringbuf_discard_dynptr
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Reject(22, "cannot release unowned const bpf_dynptr"), Btf: UserRingbufBtf),
        new("userringbuf/submit_const_dynptr", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Reject(22, "cannot release unowned const bpf_dynptr"), Btf: UserRingbufBtf),
        new("userringbuf/const_dynptr_as_uninit", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r4 = r1
            r1 = map[idx:1]
            r2 = 8
            r3 = 0
            call bpf_ringbuf_reserve_dynptr
            r0 = 0
            exit
            """, UserRingbufAndRingBuf, Kernel: Reject(22, "Dynptr has to be an uninitialized dynptr"), Btf: UserRingbufBtf),
        new("userringbuf/load_from_const_dynptr", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r0 = *(u64 *)(r1 +0)
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Reject(13, "R1 invalid mem access 'dynptr_ptr'"), Btf: UserRingbufBtf),
        new("userringbuf/store_to_const_dynptr", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            *(u64 *)(r1 +0) = 0
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Reject(13, "R1 invalid mem access 'dynptr_ptr'"), Btf: UserRingbufBtf),
        new("userringbuf/const_dynptr_arith", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r1 += 8
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Accept, Btf: UserRingbufBtf),
        new("userringbuf/cb_reads_r3", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r0 = r3
            exit
            """, UserRingbufMap, Kernel: Reject(13, "R3 !read_ok"), Btf: UserRingbufBtf),
        // refusals: the map
        new("userringbuf/drain_on_ringbuf", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(22, "cannot pass map_type 27 into func bpf_user_ringbuf_drain#209"), Btf: UserRingbufBtf),
        new("userringbuf/drain_on_array", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r0 = 0
            exit
            """, ArrayMap, Kernel: Reject(22, "cannot pass map_type 2 into func bpf_user_ringbuf_drain#209"), Btf: UserRingbufBtf),
        new("userringbuf/lookup_on_user_ringbuf", SocketFilter, Root, """
            *(u32 *)(r10 -4) = 0
            r2 = r10
            r2 += -4
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Reject(13, "invalid zero-sized read")),
        new("userringbuf/ringbuf_output_on_user_ringbuf", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            r1 = map[idx:0]
            r2 = r10
            r2 += -8
            r3 = 8
            r4 = 0
            call bpf_ringbuf_output
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Reject(22, "cannot pass map_type 31 into func bpf_ringbuf_output#130")),
        // refusals: the arguments
        new("userringbuf/drain_callback_not_func", SocketFilter, Root, """
            r1 = map[idx:0]
            r2 = 0
            r3 = 0
            r4 = 0
            call bpf_user_ringbuf_drain
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Reject(13, "R2 type=scalar expected=func")),
        new("userringbuf/drain_ctx_not_stack", SocketFilter, Root, """
            r1 = map[idx:0]
            r2 = subprog[cb]
            r3 = 8
            r4 = 0
            call bpf_user_ringbuf_drain
            r0 = 0
            exit
            cb:
            r0 = 0
            exit
            """, UserRingbufMap, Kernel: Reject(13, "R3 type=scalar expected=fp"), Btf: UserRingbufBtf),
        // refusals: the callback's return value
        new("userringbuf/cb_returns_2", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r0 = 2
            exit
            """, UserRingbufMap, Kernel: Reject(22, "At callback return the register R0 has smin=2 smax=2 should have been in [0, 1]"), Btf: UserRingbufBtf),
        new("userringbuf/cb_returns_unknown", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r3 = r1
            r1 = r10
            r1 += -8
            r2 = 8
            r4 = 0
            r5 = 0
            call bpf_dynptr_read
            r0 = *(u64 *)(r10 -8)
            exit
            """, UserRingbufMap, Kernel: Reject(22, "At callback return the register R0 has unknown scalar value should have been in [0, 1]"), Btf: UserRingbufBtf),
        new("userringbuf/cb_returns_dynptr", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r0 = r1
            exit
            """, UserRingbufMap, Kernel: Reject(13, "R0 not a scalar value"), Btf: UserRingbufBtf),
        new("userringbuf/cb_returns_negative", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r0 = -1
            exit
            """, UserRingbufMap, Kernel: Reject(22, "At callback return the register R0 has smin=-1 smax=-1 should have been in [0, 1]"), Btf: UserRingbufBtf),
        new("userringbuf/cb_leaks_ringbuf_reference", SocketFilter, Root, DrainNoCtx + """
            r0 = 0
            exit
            cb:
            r1 = map[idx:1]
            r2 = 8
            r3 = 0
            call bpf_ringbuf_reserve
            r0 = 0
            exit
            """, UserRingbufAndRingBuf, Kernel: Reject(22, "BPF_EXIT instruction in main prog would lead to reference leak"), Btf: UserRingbufBtf),
    ];
}
