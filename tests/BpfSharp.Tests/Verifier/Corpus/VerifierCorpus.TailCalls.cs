using BpfSharp.Uapi;
using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// Tail calls (kernel: check_helper_call's bpf_tail_call rules, record_func_map / record_func_key with the
// insn_aux map_ptr_state and map_key_state, mark_chain_precision of a constant in-range key, check_max_stack_depth's
// tail_call_reachable walk and its 256-byte rule for the frames below a subprogram that tail-calls, and the fixup's
// "tail_call abusing map_ptr" for a call site that sees two prog arrays without the speculation bypass).
internal static partial class VerifierCorpus
{
    /// <summary>Two program arrays, of 4 and of 8 slots.</summary>
    private static CaseMap[] TwoProgArrays => [new(BpfMapType.ProgArray, 4, 4, 4), new(BpfMapType.ProgArray, 4, 4, 8)];

    /// <summary>Two program arrays, of 4 and of 8 slots, created with CAP_BPF but not CAP_PERFMON (no Spectre v1 bypass).</summary>
    private static CaseMap[] TwoBpfOnlyProgArrays =>
        [new(BpfMapType.ProgArray, 4, 4, 4, Creator: BpfOnly), new(BpfMapType.ProgArray, 4, 4, 8, Creator: BpfOnly)];

    /// <summary>A program array of 4 slots and a 4 KiB ring buffer.</summary>
    private static CaseMap[] ProgArrayAndRingBuf => [new(BpfMapType.ProgArray, 4, 4, 4), new(BpfMapType.Ringbuf, 0, 0, 4096)];

    /// <summary>A subprogram <c>tc</c> that tail-calls slot 0 of map 0 with its ctx argument, then returns 1.</summary>
    private const string TailSub = """
        tc:
        r2 = map[idx:0]
        r3 = 0
        call bpf_tail_call
        r0 = 1
        exit
        """;

    private static VerifierCase[] TailCalls() =>
    [
        // ---- the key: a constant within max_entries is recorded and marked precise; anything else poisons ----
        new("tail/key_const_in_range", SocketFilter, Root, """
            r2 = map[idx:0]
            r3 = 3
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Accept),
        new("tail/key_const_past_end", SocketFilter, Root, """
            r2 = map[idx:0]
            r3 = 4
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Accept),
        new("tail/key_const_negative", SocketFilter, Root, """
            r2 = map[idx:0]
            r3 = -1
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Accept),
        new("tail/key_alu32_const", SocketFilter, Root, """
            r2 = map[idx:0]
            w3 = 2
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Accept),
        new("tail/key_computed", SocketFilter, Root, """
            r6 = r1
            r4 = 1
            r3 = r4
            r3 += 1
            r1 = r6
            r2 = map[idx:0]
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Accept),
        new("tail/key_through_stack", SocketFilter, Root, """
            r3 = 1
            *(u64 *)(r10 -8) = r3
            r2 = map[idx:0]
            r3 = *(u64 *)(r10 -8)
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Accept),
        new("tail/key_from_ctx", SocketFilter, Root, """
            r3 = *(u32 *)(r1 +0)
            r2 = map[idx:0]
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Accept),
        new("tail/key_bounded_not_const", SocketFilter, Root, """
            r3 = *(u32 *)(r1 +0)
            r3 &= 1
            r2 = map[idx:0]
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Accept),
        new("tail/key_pointer", SocketFilter, Root, """
            r2 = map[idx:0]
            r3 = r10
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Accept),
        new("tail/key_pointer_bpfonly", SocketFilter, BpfOnly, """
            r2 = map[idx:0]
            r3 = r10
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Reject(13, "R3 leaks addr into helper function")),
        new("tail/same_site_two_keys", SocketFilter, Root, """
            r6 = r1
            r3 = 0
            r0 = *(u32 *)(r1 +0)
            if r0 == 0x0 goto l0
            r3 = 1
            l0:
            r1 = r6
            r2 = map[idx:0]
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Accept),
        new("tail/same_site_same_key", SocketFilter, Root, """
            r6 = r1
            r7 = 0
            r0 = *(u32 *)(r1 +0)
            if r0 == 0x0 goto l0
            r7 = 1
            l0:
            r3 = 2
            r1 = r6
            r2 = map[idx:0]
            call bpf_tail_call
            r0 = r7
            exit
            """, ProgArrayMap, Kernel: Accept),
        new("tail/same_site_key_then_unknown", SocketFilter, Root, """
            r6 = r1
            r3 = *(u32 *)(r1 +0)
            if r3 == 0x0 goto l0
            r3 = 1
            l0:
            r1 = r6
            r2 = map[idx:0]
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Accept),
        new("tail/two_sites_two_keys", SocketFilter, Root, """
            r6 = r1
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r1 = r6
            r2 = map[idx:0]
            r3 = 1
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Accept),
        new("tail/same_site_two_maps", SocketFilter, Root, """
            r6 = r1
            r2 = map[idx:0]
            r0 = *(u32 *)(r1 +0)
            if r0 == 0x0 goto l0
            r2 = map[idx:1]
            l0:
            r1 = r6
            r3 = 0
            call bpf_tail_call
            r0 = 0
            exit
            """, TwoProgArrays, Kernel: Accept),
        new("tail/same_site_two_maps_bpfonly", SocketFilter, BpfOnly, """
            r6 = r1
            r2 = map[idx:0]
            r0 = *(u32 *)(r1 +0)
            if r0 == 0x0 goto l0
            r2 = map[idx:1]
            l0:
            r1 = r6
            r3 = 0
            call bpf_tail_call
            r0 = 0
            exit
            """, TwoProgArrays, Kernel: Accept),
        new("tail/same_site_two_keys_bpfonly", SocketFilter, BpfOnly, """
            r6 = r1
            r3 = 0
            r0 = *(u32 *)(r1 +0)
            if r0 == 0x0 goto l0
            r3 = 1
            l0:
            r1 = r6
            r2 = map[idx:0]
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Accept),
        new("tail/two_sites_two_maps_bpfonly", SocketFilter, BpfOnly, """
            r6 = r1
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r1 = r6
            r2 = map[idx:1]
            r3 = 5
            call bpf_tail_call
            r0 = 0
            exit
            """, TwoProgArrays, Kernel: Accept),
        new("tail/same_site_two_unpriv_maps", SocketFilter, Root, """
            r6 = r1
            r2 = map[idx:0]
            r0 = *(u32 *)(r1 +0)
            if r0 == 0x0 goto l0
            r2 = map[idx:1]
            l0:
            r1 = r6
            r3 = 0
            call bpf_tail_call
            r0 = 0
            exit
            """, TwoBpfOnlyProgArrays, Kernel: Reject(22, "tail_call abusing map_ptr")),
        new("tail/same_site_two_unpriv_maps_bpfonly", SocketFilter, BpfOnly, """
            r6 = r1
            r2 = map[idx:0]
            r0 = *(u32 *)(r1 +0)
            if r0 == 0x0 goto l0
            r2 = map[idx:1]
            l0:
            r1 = r6
            r3 = 0
            call bpf_tail_call
            r0 = 0
            exit
            """, TwoBpfOnlyProgArrays, Kernel: Reject(22, "tail_call abusing map_ptr")),
        new("tail/same_site_unpriv_and_root_map", SocketFilter, Root, """
            r6 = r1
            r2 = map[idx:0]
            r0 = *(u32 *)(r1 +0)
            if r0 == 0x0 goto l0
            r2 = map[idx:1]
            l0:
            r1 = r6
            r3 = 0
            call bpf_tail_call
            r0 = 0
            exit
            """, [new(BpfMapType.ProgArray, 4, 4, 4), new(BpfMapType.ProgArray, 4, 4, 8, Creator: BpfOnly)], Kernel: Reject(22, "tail_call abusing map_ptr")),
        new("tail/two_sites_two_unpriv_maps", SocketFilter, Root, """
            r6 = r1
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r1 = r6
            r2 = map[idx:1]
            r3 = 5
            call bpf_tail_call
            r0 = 0
            exit
            """, TwoBpfOnlyProgArrays, Kernel: Accept),
        new("tail/same_site_unpriv_map_two_keys", SocketFilter, Root, """
            r6 = r1
            r3 = 0
            r0 = *(u32 *)(r1 +0)
            if r0 == 0x0 goto l0
            r3 = 1
            l0:
            r1 = r6
            r2 = map[idx:0]
            call bpf_tail_call
            r0 = 0
            exit
            """, TwoBpfOnlyProgArrays, Kernel: Accept),
        new("tail/sub_two_unpriv_maps_through_arg", SchedCls, Root, """
            r6 = r1
            r2 = map[idx:0]
            call tc
            r1 = r6
            r2 = map[idx:1]
            call tc
            exit
            tc:
            r3 = 0
            call bpf_tail_call
            r0 = 1
            exit
            """, TwoBpfOnlyProgArrays, Kernel: Reject(22, "tail_call abusing map_ptr"), Btf: Funcs(SkbMain, "static int tc(struct __sk_buff *, void *)")),
        new("tail/precise_key_stops_pruning", SocketFilter, Root, """
            r6 = r1
            r0 = *(u32 *)(r1 +0)
            r3 = 0
            if r0 == 0x0 goto l0
            r3 = 1
            l0:
            r0 = *(u32 *)(r6 +4)
            if r0 == 0x0 goto l1
            r0 = 0
            l1:
            r1 = r6
            r2 = map[idx:0]
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Accept, ProgFlags: 8),
        new("tail/imprecise_key_prunes", SocketFilter, Root, """
            r6 = r1
            r0 = *(u32 *)(r1 +0)
            r3 = 4
            if r0 == 0x0 goto l0
            r3 = 5
            l0:
            r0 = *(u32 *)(r6 +4)
            if r0 == 0x0 goto l1
            r0 = 0
            l1:
            r1 = r6
            r2 = map[idx:0]
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Accept, ProgFlags: 8),

        // ---- what a tail call leaves behind when it falls through ----
        new("tail/r0_after_fallthrough", SocketFilter, Root, """
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            exit
            """, ProgArrayMap, Kernel: Reject(13, "R0 !read_ok")),
        new("tail/packet_pointer_after_call", SchedCls, Root, """
            r6 = r1
            r2 = *(u32 *)(r1 +76)
            r3 = *(u32 *)(r1 +80)
            r4 = r2
            r4 += 14
            if r4 > r3 goto out
            r7 = r2
            r1 = r6
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = *(u8 *)(r7 +0)
            out:
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Accept),
        new("tail/reference_held", SocketFilter, Root, """
            r6 = r1
            r1 = map[idx:1]
            r2 = 8
            r3 = 0
            call bpf_ringbuf_reserve
            if r0 == 0x0 goto out
            r7 = r0
            r1 = r6
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r1 = r7
            r2 = 0
            call bpf_ringbuf_discard
            out:
            r0 = 0
            exit
            """, ProgArrayAndRingBuf, Kernel: Reject(22, "tail_call would lead to reference leak")),

        // ---- tail calls in subprograms: every frame below one that tail-calls keeps its stack ----
        new("tail/sub_no_caller_stack", SchedCls, Root, $"""
            call tc
            exit
            {TailSub}
            """, ProgArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int tc(struct __sk_buff *)")),
        new("tail/sub_caller_stack_240", SchedCls, Root, $"""
            r2 = 42
            *(u64 *)(r10 -240) = r2
            call tc
            exit
            {TailSub}
            """, ProgArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int tc(struct __sk_buff *)")),
        new("tail/sub_caller_stack_244_rounds_to_256", SchedCls, Root, $"""
            r2 = 42
            *(u32 *)(r10 -244) = r2
            call tc
            exit
            {TailSub}
            """, ProgArrayMap, Kernel: Reject(13, "tail_calls are not allowed when call stack of previous frames is 256 bytes. Too large"), Btf: Funcs(SkbMain, "static int tc(struct __sk_buff *)")),
        new("tail/sub_caller_stack_248", SchedCls, Root, $"""
            r2 = 42
            *(u64 *)(r10 -248) = r2
            call tc
            exit
            {TailSub}
            """, ProgArrayMap, Kernel: Reject(13, "tail_calls are not allowed when call stack of previous frames is 256 bytes. Too large"), Btf: Funcs(SkbMain, "static int tc(struct __sk_buff *)")),
        new("tail/sub_caller_stack_256", SchedCls, Root, $"""
            r2 = 42
            *(u64 *)(r10 -256) = r2
            call tc
            exit
            {TailSub}
            """, ProgArrayMap, Kernel: Reject(13, "tail_calls are not allowed when call stack of previous frames is 256 bytes. Too large"), Btf: Funcs(SkbMain, "static int tc(struct __sk_buff *)")),
        new("tail/sub_caller_stack_512", SchedCls, Root, $"""
            r2 = 42
            *(u64 *)(r10 -512) = r2
            call tc
            exit
            {TailSub}
            """, ProgArrayMap, Kernel: Reject(13, "tail_calls are not allowed when call stack of previous frames is 512 bytes. Too large"), Btf: Funcs(SkbMain, "static int tc(struct __sk_buff *)")),
        new("tail/sub_own_stack_large", SchedCls, Root, """
            call tc
            exit
            tc:
            r2 = 42
            *(u64 *)(r10 -400) = r2
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 1
            exit
            """, ProgArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int tc(struct __sk_buff *)")),
        new("tail/sub_own_and_caller_past_512", SchedCls, Root, """
            r2 = 42
            *(u64 *)(r10 -128) = r2
            call tc
            exit
            tc:
            r2 = 42
            *(u64 *)(r10 -400) = r2
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 1
            exit
            """, ProgArrayMap, Kernel: Reject(13, "combined stack size of 2 calls is 528. Too large"), Btf: Funcs(SkbMain, "static int tc(struct __sk_buff *)")),
        new("tail/main_tail_call_with_subprogs", SchedCls, Root, """
            r6 = r1
            r2 = 42
            *(u64 *)(r10 -400) = r2
            call f
            r1 = r6
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 0
            exit
            f:
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int f(void)")),
        new("tail/chain_128_112", SchedCls, Root, $"""
            r2 = 42
            *(u64 *)(r10 -128) = r2
            call a
            exit
            a:
            r2 = 42
            *(u64 *)(r10 -112) = r2
            call tc
            exit
            {TailSub}
            """, ProgArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int a(struct __sk_buff *)", "static int tc(struct __sk_buff *)")),
        new("tail/chain_128_128", SchedCls, Root, $"""
            r2 = 42
            *(u64 *)(r10 -128) = r2
            call a
            exit
            a:
            r2 = 42
            *(u64 *)(r10 -128) = r2
            call tc
            exit
            {TailSub}
            """, ProgArrayMap, Kernel: Reject(13, "tail_calls are not allowed when call stack of previous frames is 256 bytes. Too large"), Btf: Funcs(SkbMain, "static int a(struct __sk_buff *)", "static int tc(struct __sk_buff *)")),
        new("tail/chain_32_224_in_middle", SchedCls, Root, """
            r2 = 42
            *(u64 *)(r10 -32) = r2
            call a
            exit
            a:
            r6 = r1
            r2 = 42
            *(u64 *)(r10 -224) = r2
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r1 = r6
            call b
            exit
            b:
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int a(struct __sk_buff *)", "static int b(struct __sk_buff *)")),
        new("tail/chain_32_224_then_tail", SchedCls, Root, $"""
            r2 = 42
            *(u64 *)(r10 -32) = r2
            call a
            exit
            a:
            r2 = 42
            *(u64 *)(r10 -224) = r2
            call tc
            exit
            {TailSub}
            """, ProgArrayMap, Kernel: Reject(13, "tail_calls are not allowed when call stack of previous frames is 256 bytes. Too large"), Btf: Funcs(SkbMain, "static int a(struct __sk_buff *)", "static int tc(struct __sk_buff *)")),
        new("tail/sub_reached_two_ways", SchedCls, Root, $"""
            r6 = r1
            r2 = 42
            *(u64 *)(r10 -16) = r2
            call tc
            r1 = r6
            call a
            exit
            a:
            r2 = 42
            *(u64 *)(r10 -256) = r2
            call tc
            exit
            {TailSub}
            """, ProgArrayMap, Kernel: Reject(13, "tail_calls are not allowed when call stack of previous frames is 272 bytes. Too large"), Btf: Funcs(SkbMain, "static int a(struct __sk_buff *)", "static int tc(struct __sk_buff *)")),
        new("tail/deep_chain_small_frames", SchedCls, Root, $"""
            *(u64 *)(r10 -32) = 1
            call f1
            exit
            f1:
            *(u64 *)(r10 -32) = 1
            call f2
            exit
            f2:
            *(u64 *)(r10 -32) = 1
            call f3
            exit
            f3:
            *(u64 *)(r10 -32) = 1
            call f4
            exit
            f4:
            *(u64 *)(r10 -32) = 1
            call f5
            exit
            f5:
            *(u64 *)(r10 -32) = 1
            call f6
            exit
            f6:
            *(u64 *)(r10 -32) = 1
            call tc
            exit
            {TailSub}
            """, ProgArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int f1(struct __sk_buff *)", "static int f2(struct __sk_buff *)",
                "static int f3(struct __sk_buff *)", "static int f4(struct __sk_buff *)", "static int f5(struct __sk_buff *)",
                "static int f6(struct __sk_buff *)", "static int tc(struct __sk_buff *)")),
        new("tail/deep_chain_reaches_256", SchedCls, Root, $"""
            *(u64 *)(r10 -32) = 1
            call f1
            exit
            f1:
            *(u64 *)(r10 -64) = 1
            call f2
            exit
            f2:
            *(u64 *)(r10 -32) = 1
            call f3
            exit
            f3:
            *(u64 *)(r10 -32) = 1
            call f4
            exit
            f4:
            *(u64 *)(r10 -32) = 1
            call f5
            exit
            f5:
            *(u64 *)(r10 -32) = 1
            call f6
            exit
            f6:
            *(u64 *)(r10 -32) = 1
            call tc
            exit
            {TailSub}
            """, ProgArrayMap, Kernel: Reject(13, "tail_calls are not allowed when call stack of previous frames is 256 bytes. Too large"), Btf: Funcs(SkbMain, "static int f1(struct __sk_buff *)", "static int f2(struct __sk_buff *)",
                "static int f3(struct __sk_buff *)", "static int f4(struct __sk_buff *)", "static int f5(struct __sk_buff *)",
                "static int f6(struct __sk_buff *)", "static int tc(struct __sk_buff *)")),
        new("tail/sub_key_from_caller_precise", SchedCls, Root, """
            r2 = 2
            call tc
            exit
            tc:
            r3 = r2
            r2 = map[idx:0]
            call bpf_tail_call
            r0 = 1
            exit
            """, ProgArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int tc(struct __sk_buff *, int)")),
        new("tail/sub_key_from_caller_stack", SchedCls, Root, """
            *(u64 *)(r10 -8) = 3
            r2 = r10
            r2 += -8
            call tc
            exit
            tc:
            r3 = *(u64 *)(r2 +0)
            r2 = map[idx:0]
            call bpf_tail_call
            r0 = 1
            exit
            """, ProgArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int tc(struct __sk_buff *, u64 *)")),
        new("tail/sub_r1_not_ctx", SchedCls, Root, """
            r1 = 0
            call tc
            exit
            tc:
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 1
            exit
            """, ProgArrayMap, Kernel: Reject(13, "R1 type=scalar expected=ctx"), Btf: Funcs(SkbMain, "static int tc(struct __sk_buff *)")),
        new("tail/sub_returns_r0_used", SchedCls, Root, $"""
            r6 = r1
            call tc
            r0 += 1
            r0 &= 3
            exit
            {TailSub}
            """, ProgArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int tc(struct __sk_buff *)")),
        new("tail/sub_two_maps", SchedCls, Root, """
            r6 = r1
            call t0
            r1 = r6
            call t1
            exit
            t0:
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 1
            exit
            t1:
            r2 = map[idx:1]
            r3 = 7
            call bpf_tail_call
            r0 = 2
            exit
            """, TwoProgArrays, Kernel: Accept, Btf: Funcs(SkbMain, "static int t0(struct __sk_buff *)", "static int t1(struct __sk_buff *)")),
        new("tail/sub_xdp", Xdp, Root, """
            call tc
            exit
            tc:
            r2 = map[idx:0]
            r3 = 1
            call bpf_tail_call
            r0 = 2
            exit
            """, ProgArrayMap, Kernel: Accept, Btf: Funcs("global int main(struct xdp_md *)", "static int tc(struct xdp_md *)")),
        new("tail/sub_bpfonly", SchedCls, BpfOnly, $"""
            r2 = 42
            *(u64 *)(r10 -64) = r2
            call tc
            exit
            {TailSub}
            """, ProgArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int tc(struct __sk_buff *)")),

        new("tail/sub_packet_pointer_after_call", SchedCls, Root, """
            r6 = r1
            r2 = *(u32 *)(r1 +76)
            r3 = *(u32 *)(r1 +80)
            r4 = r2
            r4 += 14
            if r4 > r3 goto out
            r7 = r2
            r1 = r6
            call tc
            r0 = *(u8 *)(r7 +0)
            out:
            r0 = 0
            exit
            tc:
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 1
            exit
            """, ProgArrayMap, Kernel: Reject(13, "R7 invalid mem access 'scalar'"), Btf: Funcs(SkbMain, "static int tc(struct __sk_buff *)")),
        new("tail/sub_fallthrough_keeps_packet_pointer", SchedCls, Root, """
            call tc
            exit
            tc:
            r6 = r1
            r2 = *(u32 *)(r1 +76)
            r3 = *(u32 *)(r1 +80)
            r4 = r2
            r4 += 14
            if r4 > r3 goto out
            *(u64 *)(r10 -8) = r2
            r1 = r6
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r2 = *(u64 *)(r10 -8)
            r0 = *(u8 *)(r2 +0)
            out:
            r0 = 1
            exit
            """, ProgArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int tc(struct __sk_buff *)")),
        new("tail/sub_result_is_program_result", CgroupSkb, Root, $"""
            call tc
            exit
            {TailSub}
            """, ProgArrayMap, Kernel: Reject(22, "At program exit the register R0 has unknown scalar value should have been in [0, 1]"), Btf: Funcs(SkbMain, "static int tc(struct __sk_buff *)")),
        new("tail/sub_result_masked", CgroupSkb, Root, $"""
            call tc
            r0 &= 1
            exit
            {TailSub}
            """, ProgArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int tc(struct __sk_buff *)")),
        new("tail/sub_two_tail_calls", SchedCls, Root, """
            call tc
            exit
            tc:
            r6 = r1
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r1 = r6
            r2 = map[idx:0]
            r3 = 1
            call bpf_tail_call
            r0 = 1
            exit
            """, ProgArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int tc(struct __sk_buff *)")),
        new("tail/sub_callee_saved_survive", SchedCls, Root, $"""
            r6 = 7
            r7 = r10
            r7 += -8
            *(u64 *)(r10 -8) = r6
            call tc
            r0 = *(u64 *)(r7 +0)
            r0 += r6
            exit
            {TailSub}
            """, ProgArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int tc(struct __sk_buff *)")),
        new("tail/sub_nested_in_sub", SchedCls, Root, $"""
            call a
            exit
            a:
            r6 = 5
            call tc
            r0 = r6
            exit
            {TailSub}
            """, ProgArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int a(struct __sk_buff *)", "static int tc(struct __sk_buff *)")),
        new("tail/sub_pointer_result_leak", SchedCls, Root, """
            call tc
            exit
            tc:
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = r10
            exit
            """, ProgArrayMap, Kernel: Reject(22, "cannot return stack pointer to the caller"), Btf: Funcs(SkbMain, "static int tc(struct __sk_buff *)")),

        new("tail/sub_in_bounded_loop", SchedCls, Root, """
            r6 = r1
            r7 = 0
            loop:
            r1 = r6
            call tc
            r7 += 1
            if r7 < 33 goto loop
            r0 = 0
            exit
            tc:
            r2 = map[idx:0]
            r3 = 3
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int tc(struct __sk_buff *)")),
        new("tail/sub_exit_path_precise_r0", SchedCls, Root, """
            r6 = r1
            call tc
            r1 = r10
            r1 += -8
            if r0 > 7 goto out
            r1 += r0
            r0 = *(u8 *)(r1 +0)
            out:
            r0 = 0
            exit
            tc:
            *(u64 *)(r10 -8) = 0
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 1
            exit
            """, ProgArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int tc(struct __sk_buff *)")),
        // ---- global functions: verified on their own, but walked like any frame by the stack rule ----
        new("tail/global_small_caller", SchedCls, Root, """
            call g
            exit
            g:
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 1
            exit
            """, ProgArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "global int g(struct __sk_buff *)")),
        new("tail/global_caller_stack_256", SchedCls, Root, """
            r2 = 42
            *(u64 *)(r10 -256) = r2
            call g
            exit
            g:
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 1
            exit
            """, ProgArrayMap, Kernel: Reject(13, "tail_calls are not allowed when call stack of previous frames is 256 bytes. Too large"), Btf: Funcs(SkbMain, "global int g(struct __sk_buff *)")),
        new("tail/global_key_arg", SchedCls, Root, """
            r2 = 1
            call g
            exit
            g:
            r3 = r2
            r2 = map[idx:0]
            call bpf_tail_call
            r0 = 1
            exit
            """, ProgArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "global int g(struct __sk_buff *, int)")),
        new("tail/global_void_ctx_arg", SchedCls, Root, """
            call g
            exit
            g:
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 1
            exit
            """, ProgArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "global int g(void * __arg_ctx)")),
        new("tail/global_packet_pointer_after_call", SchedCls, Root, """
            r6 = r1
            r2 = *(u32 *)(r1 +76)
            r3 = *(u32 *)(r1 +80)
            r4 = r2
            r4 += 14
            if r4 > r3 goto out
            r7 = r2
            r1 = r6
            call g
            r0 = *(u8 *)(r7 +0)
            out:
            r0 = 0
            exit
            g:
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 1
            exit
            """, ProgArrayMap, Kernel: Reject(13, "R7 invalid mem access 'scalar'"), Btf: Funcs(SkbMain, "global int g(struct __sk_buff *)")),

        // ---- callbacks: a callback frame that tail-calls (with the ctx it was handed through the caller's stack) ----
        new("tail/callback_tail_call", SchedCls, Root, """
            *(u64 *)(r10 -8) = r1
            r1 = 1
            r2 = subprog[cb]
            r3 = r10
            r3 += -8
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r1 = *(u64 *)(r2 +0)
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Reject(14, "verifier bug: callback unexpected regs 1"), Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("tail/callback_caller_stack_256", SchedCls, Root, """
            *(u64 *)(r10 -256) = r1
            r1 = 1
            r2 = subprog[cb]
            r3 = r10
            r3 += -256
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r1 = *(u64 *)(r2 +0)
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Reject(14, "verifier bug: callback unexpected regs 1"), Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("tail/callback_no_ctx", SchedCls, Root, """
            r1 = 1
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Reject(13, "R1 type=scalar expected=ctx"), Btf: Funcs(SkbMain, "static int cb(u64, void *)")),

        // ---- a tail call anywhere turns the private stack of tracing programs off ----
        new("tail/kprobe_sub_stacks_no_tail_call", Kprobe, Root, """
            r2 = 42
            *(u64 *)(r10 -320) = r2
            call f
            r0 = 0
            exit
            f:
            r2 = 42
            *(u64 *)(r10 -320) = r2
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Accept, Btf: Funcs("global int main(struct pt_regs *)", "static int f(void)")),
        new("tail/kprobe_sub_stacks_with_tail_call", Kprobe, Root, """
            r6 = r1
            r2 = 42
            *(u64 *)(r10 -320) = r2
            call f
            r1 = r6
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 0
            exit
            f:
            r2 = 42
            *(u64 *)(r10 -320) = r2
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Reject(13, "combined stack size of 2 calls is 640. Too large"), Btf: Funcs("global int main(struct pt_regs *)", "static int f(void)")),
    ];
}
