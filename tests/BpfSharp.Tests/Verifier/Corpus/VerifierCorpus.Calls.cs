using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// Calls (kernel: check_func_call, setup_func_entry, prepare_func_exit, check_max_stack_depth): bpf-to-bpf calls
// (frames, recursion, the combined stack, pointers into the caller's stack, callee-saved and caller-saved
// registers); global functions (BTF linkage global: verified once against their prototype, btf_prepare_func_args,
// calls checked against it, btf_check_subprog_call); callbacks (ld_imm64 BPF_PSEUDO_FUNC, bpf_loop and
// bpf_for_each_map_elem, push_callback_call, the callback's argument types and return range); and the func_info
// records of PROG_LOAD (check_btf_func_early, check_btf_func).
internal static partial class VerifierCorpus
{
    /// <summary>BTF with the given function signatures, one per subprogram in start order (see <see cref="CaseBtf"/>).</summary>
    private static CaseBtf Funcs(params string[] signatures) => new(signatures);

    private const string SkbMain = "global int main(struct __sk_buff *)";

    private static VerifierCase[] Calls() =>
    [
        // ---- bpf-to-bpf calls (static subprograms, verified inline) ----
        new("calls/static_returns_r0", SocketFilter, BpfOnly, """
            r1 = 3
            call sub
            exit
            sub:
            r0 = r1
            r0 += 1
            exit
            """, NoMaps, Kernel: Accept),
        new("calls/recursion_direct", SocketFilter, Root, """
            call sub
            r0 = 0
            exit
            sub:
            call sub
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(7, "the call stack of 9 frames is too deep")),
        new("calls/recursion_mutual", SocketFilter, Root, """
            call a
            r0 = 0
            exit
            a:
            call b
            exit
            b:
            call a
            exit
            """, NoMaps, Kernel: Reject(7, "the call stack of 9 frames is too deep")),
        new("calls/eight_frames", SocketFilter, BpfOnly, """
            call f1
            exit
            f1:
            call f2
            exit
            f2:
            call f3
            exit
            f3:
            call f4
            exit
            f4:
            call f5
            exit
            f5:
            call f6
            exit
            f6:
            call f7
            exit
            f7:
            r0 = 7
            exit
            """, NoMaps, Kernel: Accept),
        new("calls/nine_frames", SocketFilter, BpfOnly, """
            call f1
            exit
            f1:
            call f2
            exit
            f2:
            call f3
            exit
            f3:
            call f4
            exit
            f4:
            call f5
            exit
            f5:
            call f6
            exit
            f6:
            call f7
            exit
            f7:
            call f8
            exit
            f8:
            r0 = 8
            exit
            """, NoMaps, Kernel: Reject(7, "the call stack of 9 frames is too deep")),
        new("calls/stack_combined_512", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -256) = 0
            call sub
            exit
            sub:
            *(u64 *)(r10 -256) = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("calls/stack_combined_over_512", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -264) = 0
            call sub
            exit
            sub:
            *(u64 *)(r10 -256) = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "combined stack size of 2 calls is 528. Too large")),
        new("calls/stack_combined_three_frames", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -200) = 0
            call a
            exit
            a:
            *(u64 *)(r10 -200) = 0
            call b
            exit
            b:
            *(u64 *)(r10 -200) = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "combined stack size of 3 calls is 624. Too large")),
        new("calls/stack_small_frames_round_up", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 0
            call sub
            exit
            sub:
            *(u64 *)(r10 -504) = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "combined stack size of 2 calls is 528. Too large")),
        new("calls/caller_stack_passed_and_read", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 42
            r1 = r10
            r1 += -8
            call sub
            exit
            sub:
            r0 = *(u64 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Accept),
        new("calls/caller_stack_written_by_callee", SocketFilter, BpfOnly, """
            r1 = r10
            r1 += -8
            call sub
            r0 = *(u64 *)(r10 -8)
            exit
            sub:
            *(u64 *)(r1 +0) = 7
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("calls/caller_stack_uninit_read", SocketFilter, BpfOnly, """
            r1 = r10
            r1 += -8
            call sub
            exit
            sub:
            r0 = *(u64 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R1 off=-8 size=8")),
        new("calls/caller_stack_out_of_bounds", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 0
            r1 = r10
            r1 += -8
            call sub
            exit
            sub:
            r0 = *(u64 *)(r1 +8)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R1 off=0 size=8")),
        new("calls/caller_stack_pointer_spilled", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 5
            r1 = r10
            r1 += -8
            *(u64 *)(r10 -16) = r1
            r1 = r10
            r1 += -16
            call sub
            exit
            sub:
            r2 = *(u64 *)(r1 +0)
            r0 = *(u64 *)(r2 +0)
            exit
            """, NoMaps, Kernel: Accept),
        new("calls/return_stack_pointer", SocketFilter, BpfOnly, """
            call sub
            r0 = 0
            exit
            sub:
            r0 = r10
            r0 += -8
            exit
            """, NoMaps, Kernel: Reject(22, "cannot return stack pointer to the caller")),
        new("calls/callee_saved_r6_preserved", SocketFilter, BpfOnly, """
            r6 = r1
            r1 = 0
            call sub
            r0 = *(u32 *)(r6 +0)
            exit
            sub:
            r6 = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("calls/callee_reads_caller_r6", SocketFilter, BpfOnly, """
            r6 = 1
            call sub
            exit
            sub:
            r0 = r6
            exit
            """, NoMaps, Kernel: Reject(13, "R6 !read_ok")),
        new("calls/r1_clobbered_after_call", SocketFilter, BpfOnly, """
            call sub
            r0 = r1
            exit
            sub:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 !read_ok")),
        new("calls/r5_clobbered_after_call", SocketFilter, BpfOnly, """
            r5 = 1
            call sub
            r0 = r5
            exit
            sub:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R5 !read_ok")),
        new("calls/r9_preserved", SocketFilter, BpfOnly, """
            r9 = 9
            call sub
            r0 = r9
            exit
            sub:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("calls/callee_returns_ctx", SocketFilter, BpfOnly, """
            call sub
            r0 = *(u32 *)(r0 +0)
            exit
            sub:
            r0 = r1
            exit
            """, NoMaps, Kernel: Accept),
        new("calls/callee_leaves_r0_unset", SocketFilter, BpfOnly, """
            call sub
            exit
            sub:
            exit
            """, NoMaps, Kernel: Reject(13, "R0 !read_ok")),
        new("calls/callee_exits_with_ringbuf_ref", SocketFilter, BpfOnly, """
            call sub
            if r0 == 0x0 goto out
            r1 = r0
            r2 = 0
            call bpf_ringbuf_discard
            out:
            r0 = 0
            exit
            sub:
            r1 = map[idx:0]
            r2 = 8
            r3 = 0
            call bpf_ringbuf_reserve
            exit
            """, RingBufMap, Kernel: Accept),
        new("calls/ld_abs_in_subprog_without_btf", SocketFilter, Root, """
            r6 = r1
            call sub
            exit
            sub:
            r0 = *(u8 *)skb[0]
            exit
            """, NoMaps, Kernel: Reject(22, "LD_ABS is not allowed in subprogs without BTF")),
        new("calls/tail_call_in_subprog_without_btf", SocketFilter, Root, """
            call sub
            r0 = 0
            exit
            sub:
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Reject(22, "tail_call is not allowed in subprogs without BTF")),
        new("calls/static_with_func_info", SocketFilter, BpfOnly, """
            r1 = 3
            call sub
            exit
            sub:
            r0 = r1
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "static int sub(int)")),
        new("calls/static_mismatched_btf_still_inline", SocketFilter, BpfOnly, """
            r1 = r10
            r1 += -8
            *(u64 *)(r10 -8) = 1
            call sub
            exit
            sub:
            r0 = *(u64 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "static int sub(int)")),
        new("calls/static_arg_tag_ignored", SocketFilter, BpfOnly, """
            call sub
            exit
            sub:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "static int sub(void * __arg_ctx)")),
        new("calls/ld_abs_in_void_subprog", SocketFilter, Root, """
            r6 = r1
            call sub
            r0 = 0
            exit
            sub:
            r0 = *(u8 *)skb[0]
            exit
            """, NoMaps, Kernel: Reject(22, "LD_ABS is only allowed in functions that return 'int'."), Btf: Funcs(SkbMain, "static void sub(void)")),
        new("calls/tail_call_in_void_subprog", SocketFilter, Root, """
            call sub
            r0 = 0
            exit
            sub:
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            exit
            """, ProgArrayMap, Kernel: Reject(22, "tail_call is only allowed in functions that return 'int'."), Btf: Funcs(SkbMain, "static void sub(struct __sk_buff *)")),

        // ---- global functions: verified once, on their own, against the BTF prototype ----
        new("global/scalar_args", SocketFilter, BpfOnly, """
            r1 = 1
            r2 = 2
            call f
            exit
            f:
            r0 = r1
            r0 += r2
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "global int f(int, int)")),
        new("global/pointer_for_scalar", SocketFilter, BpfOnly, """
            r1 = r10
            r2 = 2
            call f
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "Caller passes invalid args into func#1 ('f')"), Btf: Funcs(SkbMain, "global int f(int, int)")),
        new("global/missing_arg", SocketFilter, BpfOnly, """
            r1 = 1
            call f
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "Caller passes invalid args into func#1 ('f')"), Btf: Funcs(SkbMain, "global int f(int, int)")),
        new("global/ctx_arg", SocketFilter, BpfOnly, """
            call f
            exit
            f:
            r0 = *(u32 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "global int f(struct __sk_buff *)")),
        new("global/ctx_arg_scalar_passed", SocketFilter, BpfOnly, """
            r1 = 0
            call f
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "Caller passes invalid args into func#1 ('f')"), Btf: Funcs(SkbMain, "global int f(struct __sk_buff *)")),
        new("global/ctx_arg_modified_pointer", SocketFilter, BpfOnly, """
            r1 += 4
            call f
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "Caller passes invalid args into func#1 ('f')"), Btf: Funcs(SkbMain, "global int f(struct __sk_buff *)")),
        new("global/ctx_tag_on_void_pointer", SocketFilter, BpfOnly, """
            call f
            exit
            f:
            r0 = *(u32 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "global int f(void * __arg_ctx)")),
        new("global/bad_ctx_write_inside", SocketFilter, BpfOnly, """
            call f
            exit
            f:
            *(u32 *)(r1 +0) = 1
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=0 size=4"), Btf: Funcs(SkbMain, "global int f(struct __sk_buff *)")),
        new("global/bad_ctx_offset_inside", SocketFilter, BpfOnly, """
            call f
            exit
            f:
            r0 = *(u32 *)(r1 +1000)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=1000 size=4"), Btf: Funcs(SkbMain, "global int f(struct __sk_buff *)")),
        new("global/mem_arg_from_stack", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -16) = 0
            *(u64 *)(r10 -8) = 0
            r1 = r10
            r1 += -16
            call f
            exit
            f:
            r0 = 0
            if r1 == 0x0 goto out
            r0 = *(u64 *)(r1 +8)
            out:
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "global int f(struct s16 *)")),
        new("global/mem_arg_no_null_check", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -16) = 0
            *(u64 *)(r10 -8) = 0
            r1 = r10
            r1 += -16
            call f
            exit
            f:
            r0 = *(u64 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "R1 invalid mem access 'mem_or_null'"), Btf: Funcs(SkbMain, "global int f(struct s16 *)")),
        new("global/mem_arg_nonnull_tag", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -16) = 0
            *(u64 *)(r10 -8) = 0
            r1 = r10
            r1 += -16
            call f
            exit
            f:
            r0 = *(u64 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "global int f(struct s16 * __arg_nonnull)")),
        new("global/mem_arg_access_past_size", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -16) = 0
            *(u64 *)(r10 -8) = 0
            r1 = r10
            r1 += -16
            call f
            exit
            f:
            r0 = *(u64 *)(r1 +16)
            exit
            """, NoMaps, Kernel: Reject(13, "R1 min value is outside of the allowed memory range"), Btf: Funcs(SkbMain, "global int f(struct s16 * __arg_nonnull)")),
        new("global/mem_arg_stack_too_small", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 0
            r1 = r10
            r1 += -8
            call f
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "Caller passes invalid args into func#1 ('f')"), Btf: Funcs(SkbMain, "global int f(struct s16 *)")),
        new("global/mem_arg_stack_uninit", SocketFilter, BpfOnly, """
            r1 = r10
            r1 += -16
            call f
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "Caller passes invalid args into func#1 ('f')"), Btf: Funcs(SkbMain, "global int f(struct s16 *)")),
        new("global/mem_arg_null_literal", SocketFilter, BpfOnly, """
            r1 = 0
            call f
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "global int f(struct s16 *)")),
        new("global/mem_arg_null_literal_to_nonnull", SocketFilter, BpfOnly, """
            r1 = 0
            call f
            exit
            f:
            r0 = *(u64 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "global int f(struct s16 * __arg_nonnull)")),
        new("global/mem_arg_map_value_or_null", SocketFilter, BpfOnly, $"""
            {Lookup}
            r1 = r0
            call f
            exit
            f:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(22, "Caller passes invalid args into func#1 ('f')"), Btf: Funcs(SkbMain, "global int f(struct s16 * __arg_nonnull)")),
        new("global/mem_arg_map_value", SocketFilter, BpfOnly, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = r0
            call f
            out:
            r0 = 0
            exit
            f:
            r0 = *(u64 *)(r1 +8)
            exit
            """, HashMap, Kernel: Accept, Btf: Funcs(SkbMain, "global int f(struct s16 * __arg_nonnull)")),
        new("global/mem_arg_int_pointer", SocketFilter, BpfOnly, """
            *(u32 *)(r10 -4) = 7
            r1 = r10
            r1 += -4
            call f
            exit
            f:
            r0 = 0
            if r1 == 0x0 goto out
            r0 = *(u32 *)(r1 +0)
            out:
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "global int f(int *)")),
        new("global/void_pointer_arg", SocketFilter, BpfOnly, """
            r1 = r10
            r1 += -8
            call f
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "Caller passes invalid args into func#1 ('f')"), Btf: Funcs(SkbMain, "global int f(void *)")),
        new("global/enum_arg", SocketFilter, BpfOnly, """
            r1 = 1
            call f
            exit
            f:
            r0 = r1
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "global int f(enum e)")),
        new("global/struct_by_value_arg", SocketFilter, BpfOnly, """
            r1 = 1
            call f
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "Caller passes invalid args into func#1 ('f')"), Btf: Funcs(SkbMain, "global int f(struct s16)")),
        new("global/six_args", SocketFilter, BpfOnly, """
            r1 = 1
            r2 = 1
            r3 = 1
            r4 = 1
            r5 = 1
            call f
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "Caller passes invalid args into func#1 ('f')"), Btf: Funcs(SkbMain, "global int f(int, int, int, int, int, int)")),
        new("global/void_return", SocketFilter, BpfOnly, """
            r1 = 1
            call f
            r0 = 0
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "Caller passes invalid args into func#1 ('f')"), Btf: Funcs(SkbMain, "global void f(int)")),
        new("global/pointer_return_type", SocketFilter, BpfOnly, """
            r1 = 1
            call f
            r0 = 0
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "Caller passes invalid args into func#1 ('f')"), Btf: Funcs(SkbMain, "global int *f(int)")),
        new("global/returns_pointer", SocketFilter, Root, """
            call f
            r0 = 0
            exit
            f:
            r0 = r1
            exit
            """, NoMaps, Kernel: Reject(22, "At subprogram exit the register R0 is not a scalar value (ctx)"), Btf: Funcs(SkbMain, "global int f(struct __sk_buff *)")),
        new("global/returns_pointer_bpfonly", SocketFilter, BpfOnly, """
            call f
            r0 = 0
            exit
            f:
            r0 = r1
            exit
            """, NoMaps, Kernel: Reject(13, "R0 leaks addr as return value"), Btf: Funcs(SkbMain, "global int f(struct __sk_buff *)")),
        new("global/r0_not_set", SocketFilter, BpfOnly, """
            call f
            r0 = 0
            exit
            f:
            exit
            """, NoMaps, Kernel: Reject(13, "R0 !read_ok"), Btf: Funcs(SkbMain, "global int f(struct __sk_buff *)")),
        new("global/return_value_unknown_to_caller", SocketFilter, BpfOnly, """
            r1 = 1
            call f
            r1 = r10
            r1 += r0
            r0 = *(u8 *)(r1 -1)
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "math between fp pointer and register with unbounded min value is not allowed"), Btf: Funcs(SkbMain, "global int f(int)")),
        new("global/caller_registers_clobbered", SocketFilter, BpfOnly, """
            r1 = 1
            call f
            r0 = r1
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 !read_ok"), Btf: Funcs(SkbMain, "global int f(int)")),
        new("global/caller_r6_kept", SocketFilter, BpfOnly, """
            r6 = r1
            r1 = 1
            call f
            r0 = *(u32 *)(r6 +0)
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "global int f(int)")),
        // Root: without CAP_PERFMON the dead branch is walked speculatively, and that call counts.
        new("global/called_only_from_dead_branch", SocketFilter, Root, """
            r1 = 0
            if r1 != 0x0 goto call
            r0 = 0
            exit
            call:
            call f
            exit
            f:
            r0 = *(u64 *)(r10 -8)
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "global int f(int)")),
        new("global/calls_global", SocketFilter, BpfOnly, """
            r1 = 1
            call f
            exit
            f:
            call g
            exit
            g:
            r0 = r1
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "global int f(int)", "global int g(int)")),
        new("global/inner_global_fails", SocketFilter, BpfOnly, """
            r1 = 1
            call f
            exit
            f:
            call g
            exit
            g:
            r0 = *(u64 *)(r10 -8)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R10 off=-8 size=8"), Btf: Funcs(SkbMain, "global int f(int)", "global int g(int)")),
        new("global/recursive", SocketFilter, Root, """
            r1 = 1
            call f
            exit
            f:
            call f
            exit
            """, NoMaps, Kernel: Reject(7, "the call stack of 8 frames is too deep !"), Btf: Funcs(SkbMain, "global int f(int)")),
        new("global/uninit_stack_inside", SocketFilter, BpfOnly, """
            r1 = 1
            call f
            exit
            f:
            r0 = *(u64 *)(r10 -8)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R10 off=-8 size=8"), Btf: Funcs(SkbMain, "global int f(int)")),
        new("global/ctx_as_kernel_struct_name", SocketFilter, BpfOnly, """
            call f
            exit
            f:
            r0 = *(u32 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "global int f(struct sk_buff *)")),
        new("global/ctx_of_another_program_type", SocketFilter, BpfOnly, """
            call f
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "Caller passes invalid args into func#1 ('f')"), Btf: Funcs(SkbMain, "global int f(struct xdp_md *)")),
        new("global/ctx_tag_on_wrong_struct", SocketFilter, BpfOnly, """
            call f
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "Caller passes invalid args into func#1 ('f')"), Btf: Funcs(SkbMain, "global int f(struct xdp_md * __arg_ctx)")),
        new("global/ctx_tag_on_scalar", SocketFilter, BpfOnly, """
            r1 = 1
            call f
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "Caller passes invalid args into func#1 ('f')"), Btf: Funcs(SkbMain, "global int f(int __arg_ctx)")),
        new("global/nullable_tag", SocketFilter, BpfOnly, """
            r1 = 0
            call f
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "Caller passes invalid args into func#1 ('f')"), Btf: Funcs(SkbMain, "global int f(struct s16 * __arg_nullable)")),
        new("global/unknown_tag", SocketFilter, BpfOnly, """
            r1 = 0
            call f
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(95, "Caller passes invalid args into func#1 ('f')"), Btf: Funcs(SkbMain, "global int f(struct s16 * __arg_foo)")),
        new("global/ctx_and_nonnull_tags", SocketFilter, BpfOnly, """
            call f
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "Caller passes invalid args into func#1 ('f')"), Btf: Funcs(SkbMain, "global int f(void * __arg_ctx __arg_nonnull)")),
        new("global/arena_tag_scalar_passed", SocketFilter, BpfOnly, """
            r1 = 0
            call f
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "global int f(void * __arg_arena)")),
        new("global/arena_tag_pointer_passed", SocketFilter, BpfOnly, """
            r1 = r10
            call f
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "Caller passes invalid args into func#1 ('f')"), Btf: Funcs(SkbMain, "global int f(void * __arg_arena)")),
        new("global/trusted_tag_no_kernel_type", SocketFilter, BpfOnly, """
            r1 = 0
            call f
            exit
            f:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(2, "Caller passes invalid args into func#1 ('f')"), Btf: Funcs(SkbMain, "global int f(struct s16 * __arg_trusted)")),
        new("global/char_pointer_arg", SocketFilter, BpfOnly, """
            *(u8 *)(r10 -1) = 7
            r1 = r10
            r1 += -1
            call f
            exit
            f:
            r0 = 0
            if r1 == 0x0 goto out
            r0 = *(u8 *)(r1 +0)
            out:
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "global int f(char *)")),
        new("global/mem_arg_map_key_write", SocketFilter, BpfOnly, """
            r1 = map[idx:0]
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_for_each_map_elem
            r0 = 0
            exit
            cb:
            r1 = r2
            call f
            r0 = 0
            exit
            f:
            r0 = 0
            exit
            """, ArrayMap, Kernel: Reject(22, "Caller passes invalid args into func#2 ('f')"), Btf: Funcs(SkbMain, "static int cb(void *, void *, void *, void *)", "global int f(int * __arg_nonnull)")),
        new("global/main_void_pointer_ctx", SocketFilter, BpfOnly, """
            r0 = *(u32 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs("global int main(void *)")),
        new("global/static_calls_global", SocketFilter, BpfOnly, """
            call s
            exit
            s:
            r1 = 5
            call g
            exit
            g:
            r0 = r1
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "static int s(void)", "global int g(int)")),

        // ---- callbacks: bpf_loop and bpf_for_each_map_elem ----
        new("callback/loop", SocketFilter, BpfOnly, """
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
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("callback/loop_reads_ctx", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 3
            r1 = 4
            r2 = subprog[cb]
            r3 = r10
            r3 += -8
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r0 = *(u64 *)(r2 +0)
            r0 &= 1
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("callback/loop_null_ctx_read", SocketFilter, BpfOnly, """
            r1 = 4
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r0 = *(u64 *)(r2 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "R2 invalid mem access 'scalar'"), Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("callback/loop_counter_in_ctx", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 0
            r1 = 100
            r2 = subprog[cb]
            r3 = r10
            r3 += -8
            r4 = 0
            call bpf_loop
            r0 = *(u64 *)(r10 -8)
            exit
            cb:
            r1 = *(u64 *)(r2 +0)
            r1 += 1
            *(u64 *)(r2 +0) = r1
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("callback/loop_returns_2", SocketFilter, BpfOnly, """
            r1 = 4
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r0 = 2
            exit
            """, NoMaps, Kernel: Reject(22, "At callback return the register R0 has smin=2 smax=2 should have been in [0, 1]"), Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("callback/loop_returns_index", SocketFilter, BpfOnly, """
            r1 = 4
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r0 = r1
            exit
            """, NoMaps, Kernel: Reject(22, "At callback return the register R0 has unknown scalar value should have been in [0, 1]"), Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("callback/loop_returns_negative", SocketFilter, BpfOnly, """
            r1 = 4
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r0 = -1
            exit
            """, NoMaps, Kernel: Reject(22, "At callback return the register R0 has smin=-1 smax=-1 should have been in [0, 1]"), Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("callback/loop_r0_unset", SocketFilter, BpfOnly, """
            r1 = 4
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            exit
            """, NoMaps, Kernel: Reject(13, "R0 not a scalar value"), Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("callback/loop_returns_ctx_pointer", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            r1 = 4
            r2 = subprog[cb]
            r3 = r10
            r3 += -8
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r0 = r2
            exit
            """, NoMaps, Kernel: Reject(22, "cannot return stack pointer to the caller"), Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("callback/loop_unused_arg_read", SocketFilter, BpfOnly, """
            r1 = 4
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r0 = r3
            exit
            """, NoMaps, Kernel: Reject(13, "R3 !read_ok"), Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("callback/loop_index_unbounded_offset", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 0
            r1 = 4
            r2 = subprog[cb]
            r3 = r10
            r3 += -8
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r2 += r1
            r0 = *(u8 *)(r2 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "math between fp pointer and register with unbounded min value is not allowed"), Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("callback/global_callback", SocketFilter, BpfOnly, """
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
            """, NoMaps, Kernel: Reject(22, "callback function not static"), Btf: Funcs(SkbMain, "global int cb(u64, void *)")),
        new("callback/btf_without_func_info", SocketFilter, BpfOnly, """
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
            """, NoMaps, Kernel: Reject(22, "missing btf func_info"), Btf: new CaseBtf([SkbMain, "static int cb(u64, void *)"], FuncInfo: "")),
        new("callback/scalar_as_callback", SocketFilter, BpfOnly, """
            r1 = 4
            r2 = 0
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R2 type=scalar expected=func"), Btf: Funcs(SkbMain)),
        new("callback/loop_nonzero_flags", SocketFilter, BpfOnly, """
            r1 = 4
            r2 = subprog[cb]
            r3 = 0
            r4 = 1
            call bpf_loop
            r0 = 0
            exit
            cb:
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("callback/loop_zero_iterations_bad_callback", SocketFilter, BpfOnly, """
            r1 = 0
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r0 = 2
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("callback/loop_unknown_count", SocketFilter, BpfOnly, """
            r1 = *(u32 *)(r1 +0)
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("callback/loop_ctx_map_value", SocketFilter, BpfOnly, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = 4
            r2 = subprog[cb]
            r3 = r0
            r4 = 0
            call bpf_loop
            out:
            r0 = 0
            exit
            cb:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R3 type=map_value expected=fp"), Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("callback/loop_may_not_run", SocketFilter, BpfOnly, """
            r1 = 4
            r2 = subprog[cb]
            r3 = r10
            r3 += -8
            r4 = 0
            call bpf_loop
            r0 = *(u64 *)(r10 -8)
            exit
            cb:
            *(u64 *)(r2 +0) = 1
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R10 off=-8 size=8"), Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("callback/nested_loops", SocketFilter, BpfOnly, """
            r1 = 2
            r2 = subprog[outer]
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            outer:
            r1 = 3
            r2 = subprog[inner]
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            inner:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "static int outer(u64, void *)", "static int inner(u64, void *)")),
        new("callback/recursive_callback", SocketFilter, BpfOnly, """
            r1 = 2
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r1 = 2
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(7, "the call stack of 9 frames is too deep"), Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("callback/callback_calls_subprog", SocketFilter, BpfOnly, """
            r1 = 2
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r1 = 0
            call helper
            exit
            helper:
            r0 = r1
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "static int cb(u64, void *)", "static int helper(int)")),
        new("callback/callback_leaks_reference", SocketFilter, BpfOnly, """
            r1 = 2
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r1 = map[idx:0]
            r2 = 8
            r3 = 0
            call bpf_ringbuf_reserve
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(22, "BPF_EXIT instruction in main prog would lead to reference leak"), Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("callback/callback_releases_its_reference", SocketFilter, BpfOnly, """
            r1 = 2
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r1 = map[idx:0]
            r2 = 8
            r3 = 0
            call bpf_ringbuf_reserve
            if r0 == 0x0 goto out
            r1 = r0
            r2 = 0
            call bpf_ringbuf_discard
            out:
            r0 = 0
            exit
            """, RingBufMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("callback/func_pointer_spilled", SocketFilter, BpfOnly, """
            r2 = subprog[cb]
            *(u64 *)(r10 -8) = r2
            r1 = 4
            r2 = *(u64 *)(r10 -8)
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("callback/func_pointer_arithmetic", SocketFilter, BpfOnly, """
            r2 = subprog[cb]
            r2 += 8
            r1 = 4
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "dereference of modified func ptr R2 off=8 disallowed"), Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("callback/func_pointer_returned", SocketFilter, BpfOnly, """
            r0 = subprog[cb]
            exit
            cb:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R0 leaks addr as return value"), Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        // Only a second iteration of the callback writes 100: the path after the loop must see it.
        new("callback/second_iteration_matters", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 0
            r1 = 4
            r2 = subprog[cb]
            r3 = r10
            r3 += -8
            r4 = 0
            call bpf_loop
            r1 = *(u64 *)(r10 -8)
            r0 = 0
            if r1 < 0x32 goto out
            r0 = *(u64 *)(r10 -520)
            out:
            exit
            cb:
            r1 = *(u64 *)(r2 +0)
            if r1 == 0x0 goto first
            *(u64 *)(r2 +0) = 100
            r0 = 0
            exit
            first:
            *(u64 *)(r2 +0) = 1
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R10 off=-520 size=8"), Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        // Root: a variable offset into the stack is refused to !root loaders for speculation reasons first.
        new("callback/counter_checked_after_loop", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            *(u64 *)(r10 -16) = 0
            *(u64 *)(r10 -24) = 0
            r1 = 10
            r2 = subprog[cb]
            r3 = r10
            r3 += -8
            r4 = 0
            call bpf_loop
            r1 = *(u64 *)(r10 -8)
            r0 = 0
            if r1 > 0xf goto out
            r2 = r10
            r2 += -24
            r2 += r1
            r0 = *(u8 *)(r2 +0)
            out:
            exit
            cb:
            r1 = *(u64 *)(r2 +0)
            r1 += 1
            *(u64 *)(r2 +0) = r1
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("callback/pointer_or_scalar_in_ctx", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 0
            r1 = 3
            r2 = subprog[cb]
            r3 = r10
            r3 += -8
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r1 = *(u64 *)(r2 +0)
            r0 = *(u8 *)(r1 +0)
            *(u64 *)(r2 +0) = r10
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 invalid mem access 'scalar'"), Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("callback/for_each_array", SocketFilter, BpfOnly, """
            r1 = map[idx:0]
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_for_each_map_elem
            r0 = 0
            exit
            cb:
            r0 = *(u32 *)(r2 +0)
            *(u64 *)(r3 +8) = r0
            r0 = 0
            exit
            """, ArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int cb(void *, void *, void *, void *)")),
        new("callback/for_each_hash", SocketFilter, BpfOnly, """
            r1 = map[idx:0]
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_for_each_map_elem
            r0 = 0
            exit
            cb:
            r0 = *(u64 *)(r2 +0)
            *(u64 *)(r3 +0) = r0
            r0 = 1
            exit
            """, HashMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int cb(void *, void *, void *, void *)")),
        new("callback/for_each_key_write", SocketFilter, BpfOnly, """
            r1 = map[idx:0]
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_for_each_map_elem
            r0 = 0
            exit
            cb:
            *(u32 *)(r2 +0) = 1
            r0 = 0
            exit
            """, ArrayMap, Kernel: Reject(13, "write to change key R2 not allowed"), Btf: Funcs(SkbMain, "static int cb(void *, void *, void *, void *)")),
        new("callback/for_each_key_past_size", SocketFilter, BpfOnly, """
            r1 = map[idx:0]
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_for_each_map_elem
            r0 = 0
            exit
            cb:
            r0 = *(u64 *)(r2 +0)
            r0 = 0
            exit
            """, ArrayMap, Kernel: Reject(13, "R2 min value is outside of the allowed memory range"), Btf: Funcs(SkbMain, "static int cb(void *, void *, void *, void *)")),
        new("callback/for_each_value_past_size", SocketFilter, BpfOnly, """
            r1 = map[idx:0]
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_for_each_map_elem
            r0 = 0
            exit
            cb:
            r0 = *(u64 *)(r3 +16)
            r0 = 0
            exit
            """, ArrayMap, Kernel: Reject(13, "R3 min value is outside of the allowed memory range"), Btf: Funcs(SkbMain, "static int cb(void *, void *, void *, void *)")),
        new("callback/for_each_ctx_arg", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 0
            r1 = map[idx:0]
            r2 = subprog[cb]
            r3 = r10
            r3 += -8
            r4 = 0
            call bpf_for_each_map_elem
            r0 = 0
            exit
            cb:
            r0 = *(u64 *)(r3 +0)
            *(u64 *)(r4 +0) = r0
            r0 = 0
            exit
            """, ArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int cb(void *, void *, void *, void *)")),
        new("callback/for_each_map_arg_lookup", SocketFilter, BpfOnly, """
            r1 = map[idx:0]
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_for_each_map_elem
            r0 = 0
            exit
            cb:
            call bpf_map_lookup_elem
            r0 = 0
            exit
            """, ArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int cb(void *, void *, void *, void *)")),
        new("callback/for_each_r5_unused", SocketFilter, BpfOnly, """
            r1 = map[idx:0]
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_for_each_map_elem
            r0 = 0
            exit
            cb:
            r0 = r5
            exit
            """, ArrayMap, Kernel: Reject(13, "R5 !read_ok"), Btf: Funcs(SkbMain, "static int cb(void *, void *, void *, void *)")),
        new("callback/for_each_returns_map_pointer", SocketFilter, Root, """
            r1 = map[idx:0]
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_for_each_map_elem
            r0 = 0
            exit
            cb:
            r0 = r1
            exit
            """, ArrayMap, Kernel: Reject(13, "R0 not a scalar value"), Btf: Funcs(SkbMain, "static int cb(void *, void *, void *, void *)")),
        new("callback/for_each_unsupported_map", SocketFilter, BpfOnly, """
            r1 = map[idx:0]
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_for_each_map_elem
            r0 = 0
            exit
            cb:
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(524, "callback function not allowed for map"), Btf: Funcs(SkbMain, "static int cb(void *, void *, void *, void *)")),
        new("callback/for_each_in_loop_callback", SocketFilter, BpfOnly, """
            r1 = 2
            r2 = subprog[outer]
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            outer:
            r1 = map[idx:0]
            r2 = subprog[inner]
            r3 = 0
            r4 = 0
            call bpf_for_each_map_elem
            r0 = 0
            exit
            inner:
            r0 = *(u64 *)(r3 +0)
            r0 = 0
            exit
            """, ArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int outer(u64, void *)", "static int inner(void *, void *, void *, void *)")),
        new("callback/timer_without_btf_map", SocketFilter, Root, $"""
            {ArrayLookup}
            if r0 == 0x0 goto out
            r1 = r0
            r2 = subprog[cb]
            call bpf_timer_set_callback
            out:
            r0 = 0
            exit
            cb:
            r0 = 0
            exit
            """, ArrayMap, Kernel: Reject(22, "map '' has to have BTF in order to use bpf_timer"), Btf: Funcs(SkbMain, "static int cb(void *, void *, void *)")),

        // ---- func_info records (check_btf_func_early, check_btf_func) ----
        new("funcinfo/record_size_12", SocketFilter, BpfOnly, """
            r1 = 1
            call sub
            exit
            sub:
            r0 = r1
            exit
            """, NoMaps, Kernel: Accept, Btf: new CaseBtf([SkbMain, "static int sub(int)"], RecSize: 12)),
        new("funcinfo/record_size_4", SocketFilter, BpfOnly, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "invalid func info rec size 4"), Btf: new CaseBtf([SkbMain], RecSize: 4)),
        new("funcinfo/record_size_10", SocketFilter, BpfOnly, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "invalid func info rec size 10"), Btf: new CaseBtf([SkbMain], RecSize: 10)),
        new("funcinfo/record_size_256", SocketFilter, BpfOnly, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "invalid func info rec size 256"), Btf: new CaseBtf([SkbMain], RecSize: 256)),
        new("funcinfo/nonzero_tail", SocketFilter, BpfOnly, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(7, "nonzero tailing record in func infoprocessed 0 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0"), Btf: new CaseBtf([SkbMain], RecSize: 12, TailWord: 1)),
        new("funcinfo/first_insn_off_nonzero", SocketFilter, BpfOnly, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "nonzero insn_off 1 for the first func info recordprocessed 0 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0"), Btf: new CaseBtf([SkbMain], FuncInfo: "1:main")),
        new("funcinfo/offsets_not_increasing", SocketFilter, BpfOnly, """
            call sub
            exit
            sub:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "same or smaller insn offset (0) than previous func info record (0)processed 0 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0"), Btf: new CaseBtf([SkbMain, "static int sub(void)"], FuncInfo: "0:main 0:sub")),
        new("funcinfo/type_not_func", SocketFilter, BpfOnly, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "invalid type id 1 in func infoprocessed 0 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0"), Btf: new CaseBtf([SkbMain], FuncInfo: "0:#1")),
        new("funcinfo/type_id_zero", SocketFilter, BpfOnly, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "invalid type id 0 in func infoprocessed 0 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0"), Btf: new CaseBtf([SkbMain], FuncInfo: "0:#0")),
        new("funcinfo/type_id_past_end", SocketFilter, BpfOnly, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "invalid type id 100 in func infoprocessed 0 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0"), Btf: new CaseBtf([SkbMain], FuncInfo: "0:#100")),
        new("funcinfo/more_records_than_subprogs", SocketFilter, BpfOnly, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "number of funcs in func_info doesn't match number of subprogs"), Btf: new CaseBtf([SkbMain, "static int sub(void)"], FuncInfo: "0:main 1:sub")),
        new("funcinfo/fewer_records_than_subprogs", SocketFilter, BpfOnly, """
            call sub
            exit
            sub:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "number of funcs in func_info doesn't match number of subprogs"), Btf: new CaseBtf([SkbMain, "static int sub(void)"], FuncInfo: "0:main")),
        new("funcinfo/offset_not_subprog_start", SocketFilter, BpfOnly, """
            call sub
            r0 = 0
            exit
            sub:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "func_info BTF section doesn't match subprog layout in BPF program"), Btf: new CaseBtf([SkbMain, "static int sub(void)"], FuncInfo: "0:main 2:sub")),
        new("funcinfo/error_before_cfg", SocketFilter, BpfOnly, """
            r0 = 0
            exit
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(22, "nonzero insn_off 1 for the first func info recordprocessed 0 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0"), Btf: new CaseBtf([SkbMain], FuncInfo: "1:main")),
    ];
}
