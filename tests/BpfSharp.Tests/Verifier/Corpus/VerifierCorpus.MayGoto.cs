using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// may_goto (kernel 6.9: BPF_JMP | BPF_JCOND, src_reg BPF_MAY_GOTO; the can_loop / cond_break macros): the walk queues
// the fall-through (the loop goes on) with one more may_goto level and follows the jump (check_cond_jmp_op); an
// iteration within the ranges of an earlier one at the may_goto ends its path (is_state_visited, RANGE_WITHIN), the
// scalars that changed and were never needed precise are widened (widen_imprecise_scalars), a loop round that comes
// back with the same level is still an infinite loop; the reserved fields; loops need CAP_BPF (the back-edge).
internal static partial class VerifierCorpus
{
    private static VerifierCase[] MayGoto() =>
    [
        // ---- straight-line and forward may_goto ----
        new("maygoto/forward_skip", SocketFilter, Root, """
            r0 = 0
            may_goto pc+1
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept),
        new("maygoto/first_insn", SocketFilter, Root, """
            may_goto pc+1
            r0 = 1
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("maygoto/jump_side_uninit_read", SocketFilter, Root, """
            r0 = 0
            may_goto pc+2
            r2 = 1
            goto pc+1
            r0 = r2
            exit
            """, NoMaps, Kernel: Reject(13, "R2 !read_ok")),
        new("maygoto/fallthrough_side_uninit_read", SocketFilter, Root, """
            r0 = 0
            r2 = 1
            may_goto pc+1
            r0 = r3
            exit
            """, NoMaps, Kernel: Reject(13, "R3 !read_ok")),
        new("maygoto/two_in_a_row", SocketFilter, Root, """
            r0 = 0
            may_goto pc+1
            r0 += 1
            may_goto pc+1
            r0 += 2
            exit
            """, NoMaps, Kernel: Accept),

        // ---- loops whose only bound is may_goto ----
        new("maygoto/loop_counter", SocketFilter, Root, """
            r0 = 0
            loop:
            may_goto out
            r0 += 1
            goto loop
            out:
            exit
            """, NoMaps, Kernel: Accept),
        new("maygoto/loop_counter_bpfonly", SocketFilter, BpfOnly, """
            r0 = 0
            loop:
            may_goto out
            r0 += 1
            goto loop
            out:
            exit
            """, NoMaps, Kernel: Accept),
        new("maygoto/loop_counter_unpriv", SocketFilter, Unprivileged, """
            r0 = 0
            loop:
            may_goto out
            r0 += 1
            goto loop
            out:
            exit
            """, NoMaps, Kernel: Reject(22, "back-edge from insn 3 to 1")),
        new("maygoto/forward_unpriv", SocketFilter, Unprivileged, """
            r0 = 0
            may_goto pc+1
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept),
        new("maygoto/loop_state_unchanged", SocketFilter, Root, """
            r0 = 0
            loop:
            may_goto out
            goto loop
            out:
            exit
            """, NoMaps, Kernel: Accept),
        new("maygoto/loop_at_bottom", SocketFilter, Root, """
            r0 = 0
            loop:
            r0 += 1
            may_goto pc+1
            goto loop
            exit
            """, NoMaps, Kernel: Accept),
        new("maygoto/self_jump_is_infinite", SocketFilter, Root, """
            r0 = 0
            may_goto pc-1
            exit
            """, NoMaps, Kernel: Reject(22, "old state: R0=0 R1=ctx() R10=fp0")),
        new("maygoto/loop_without_may_goto_is_infinite", SocketFilter, Root, """
            r0 = 0
            loop:
            r0 += 0
            goto loop
            """, NoMaps, Kernel: Reject(22, "old state: R0=0 R1=ctx() R10=fp0")),
        new("maygoto/inner_loop_bypasses_may_goto", SocketFilter, Root, """
            r0 = 0
            may_goto out
            spin:
            goto spin
            out:
            exit
            """, NoMaps, Kernel: Reject(22, "old state: R0=0 R1=ctx() R10=fp0")),
        new("maygoto/loop_with_bound_too", SocketFilter, Root, """
            r0 = 0
            r1 = 0
            loop:
            may_goto out
            r1 += 1
            r0 += 3
            if r1 < 0x64 goto loop
            out:
            exit
            """, NoMaps, Kernel: Accept),
        new("maygoto/loop_reads_ctx", SocketFilter, Root, """
            r6 = r1
            r0 = 0
            loop:
            may_goto out
            r2 = *(u32 *)(r6 +0)
            r0 += r2
            goto loop
            out:
            r0 &= 0xff
            exit
            """, NoMaps, Kernel: Accept),
        new("maygoto/loop_body_uninit_read", SocketFilter, Root, """
            r0 = 0
            loop:
            may_goto out
            r0 += r4
            goto loop
            out:
            exit
            """, NoMaps, Kernel: Reject(13, "R4 !read_ok")),
        new("maygoto/loop_helper_call", SocketFilter, Root, """
            r6 = 0
            loop:
            may_goto out
            call bpf_get_prandom_u32
            r6 += r0
            goto loop
            out:
            r0 = r6
            exit
            """, NoMaps, Kernel: Accept),
        new("maygoto/loop_two_may_gotos", SocketFilter, Root, """
            r0 = 0
            loop:
            may_goto out
            r0 += 1
            may_goto out
            r0 += 2
            goto loop
            out:
            exit
            """, NoMaps, Kernel: Accept),
        new("maygoto/loop_test_state_freq", SocketFilter, Root, """
            r6 = r1
            r0 = 0
            loop:
            may_goto out
            r1 = *(u32 *)(r6 +0)
            r0 += r1
            goto loop
            out:
            exit
            """, NoMaps, Kernel: Accept, ProgFlags: 8),

        // ---- scalars that widen ----
        new("maygoto/widened_counter_as_stack_offset", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            r1 = 0
            loop:
            may_goto out
            r1 += 1
            goto loop
            out:
            r2 = r10
            r2 += -8
            r2 += r1
            r0 = *(u8 *)(r2 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R2 off=0 size=1")),
        new("maygoto/widened_counter_checked", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            r1 = 0
            loop:
            may_goto out
            r1 += 1
            goto loop
            out:
            if r1 > 0x7 goto done
            r2 = r10
            r2 += -8
            r2 += r1
            r0 = *(u8 *)(r2 +0)
            exit
            done:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(7, "BPF program is too large. Processed 1000001 insn")),
        new("maygoto/precise_index_in_body", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            r0 = 0
            r1 = 0
            loop:
            may_goto out
            r2 = r10
            r2 += -8
            r2 += r1
            r3 = *(u8 *)(r2 +0)
            r0 += r3
            r1 += 1
            if r1 > 0x7 goto out
            goto loop
            out:
            exit
            """, NoMaps, Kernel: Accept),
        new("maygoto/masked_index_in_body", SocketFilter, Root, """
            r6 = r1
            *(u64 *)(r10 -8) = 0
            r0 = 0
            loop:
            may_goto out
            r1 = *(u32 *)(r6 +0)
            r1 &= 0x7
            r2 = r10
            r2 += -8
            r2 += r1
            r3 = *(u8 *)(r2 +0)
            r0 += r3
            goto loop
            out:
            exit
            """, NoMaps, Kernel: Accept),
        new("maygoto/spilled_counter_widens", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            *(u64 *)(r10 -16) = 0
            loop:
            may_goto out
            r1 = *(u64 *)(r10 -16)
            r1 += 1
            *(u64 *)(r10 -16) = r1
            goto loop
            out:
            r1 = *(u64 *)(r10 -16)
            r2 = r10
            r2 += -8
            r2 += r1
            r0 = *(u8 *)(r2 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R2 off=0 size=1")),
        new("maygoto/pointer_walks_down_stack", SocketFilter, Root, """
            r0 = 0
            r2 = r10
            loop:
            may_goto out
            r2 += -8
            *(u64 *)(r2 +0) = 0
            goto loop
            out:
            exit
            """, NoMaps, Kernel: Reject(13, "invalid write to stack R2 off=-520 size=8")),

        new("maygoto/second_path_value_checked_after_loop", SocketFilter, Root, """
            r6 = r1
            r7 = 0
            *(u64 *)(r10 -8) = 0
            loop:
            may_goto out
            r0 = *(u32 *)(r6 +0)
            if r0 > 0x5 goto bump
            r7 = 0
            goto loop
            bump:
            r7 = 16
            goto loop
            out:
            r2 = r10
            r2 += -8
            r2 += r7
            r0 = *(u8 *)(r2 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R2 off=8 size=1")),
        new("maygoto/both_paths_values_in_bounds", SocketFilter, Root, """
            r6 = r1
            r7 = 0
            *(u64 *)(r10 -8) = 0
            loop:
            may_goto out
            r0 = *(u32 *)(r6 +0)
            if r0 > 0x5 goto bump
            r7 = 0
            goto loop
            bump:
            r7 = 7
            goto loop
            out:
            r2 = r10
            r2 += -8
            r2 += r7
            r0 = *(u8 *)(r2 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("maygoto/loop_inside_bounded_loop_state_join", SocketFilter, Root, """
            r6 = r1
            r8 = 0
            *(u64 *)(r10 -8) = 0
            outer:
            r7 = 0
            inner:
            may_goto next
            r0 = *(u32 *)(r6 +0)
            if r0 > 0x5 goto next
            r7 += 1
            goto inner
            next:
            r8 += 1
            if r8 < 0x3 goto outer
            r7 &= 0x7
            r2 = r10
            r2 += -8
            r2 += r7
            r0 = *(u8 *)(r2 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(12, "The sequence of 8193 jumps is too complex.")),

        // ---- nesting, subprograms, callbacks ----
        new("maygoto/nested_loops", SocketFilter, Root, """
            r0 = 0
            outer:
            may_goto out
            r1 = 0
            inner:
            may_goto next
            r1 += 1
            r0 += 1
            goto inner
            next:
            goto outer
            out:
            exit
            """, NoMaps, Kernel: Accept),
        new("maygoto/nested_inner_bounded", SocketFilter, Root, """
            r0 = 0
            outer:
            may_goto out
            r1 = 0
            inner:
            r1 += 1
            r0 += 1
            if r1 < 0x4 goto inner
            goto outer
            out:
            exit
            """, NoMaps, Kernel: Accept),
        new("maygoto/in_subprog", SocketFilter, Root, """
            r1 = 3
            call sub
            exit
            sub:
            r0 = 0
            loop:
            may_goto out
            r0 += r1
            goto loop
            out:
            exit
            """, NoMaps, Kernel: Accept),
        new("maygoto/in_subprog_called_twice", SocketFilter, Root, """
            call sub
            r6 = r0
            call sub
            r0 += r6
            exit
            sub:
            r0 = 0
            loop:
            may_goto out
            r0 += 1
            goto loop
            out:
            exit
            """, NoMaps, Kernel: Accept),
        new("maygoto/main_and_subprog", SocketFilter, Root, """
            r6 = 0
            loop:
            may_goto out
            call sub
            r6 += r0
            goto loop
            out:
            r0 = r6
            exit
            sub:
            r0 = 0
            may_goto pc+1
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept),
        new("maygoto/subprog_bad_read_in_loop", SocketFilter, Root, """
            call sub
            exit
            sub:
            r0 = 0
            loop:
            may_goto out
            r0 += r7
            goto loop
            out:
            exit
            """, NoMaps, Kernel: Reject(13, "R7 !read_ok")),
        new("maygoto/in_callback", SocketFilter, BpfOnly, """
            r1 = 4
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r0 = 0
            loop:
            may_goto out
            r0 += 1
            goto loop
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("maygoto/callback_returns_widened", SocketFilter, BpfOnly, """
            r1 = 4
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r0 = 0
            loop:
            may_goto out
            r0 += 1
            goto loop
            out:
            exit
            """, NoMaps, Kernel: Reject(22, "At callback return the register R0 has smin=2 smax=2 should have been in [0, 1]"), Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("maygoto/xdp_loop", Xdp, Root, """
            r0 = 2
            r1 = 0
            loop:
            may_goto out
            r1 += 4
            goto loop
            out:
            exit
            """, NoMaps, Kernel: Accept),

        // ---- encodings ----
        new("maygoto/src_reg_1", SocketFilter, Root, """
            r0 = 0
            e5 10 00 00 00 00 00 00
            exit
            """, NoMaps, Kernel: Reject(22, "invalid may_goto imm 0")),
        new("maygoto/dst_reg_1", SocketFilter, Root, """
            r0 = 0
            e5 01 00 00 00 00 00 00
            exit
            """, NoMaps, Kernel: Reject(22, "invalid may_goto imm 0")),
        new("maygoto/imm_7", SocketFilter, Root, """
            r0 = 0
            e5 00 00 00 07 00 00 00
            exit
            """, NoMaps, Kernel: Reject(22, "invalid may_goto imm 7")),
        new("maygoto/imm_negative", SocketFilter, Root, """
            r0 = 0
            e5 00 01 00 ff ff ff ff
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(22, "invalid may_goto imm -1")),
        new("maygoto/jmp32_class", SocketFilter, Root, """
            r0 = 0
            e6 00 00 00 00 00 00 00
            exit
            """, NoMaps, Kernel: Reject(22, "unknown opcode e6")),
        new("maygoto/x_source", SocketFilter, Root, """
            r0 = 0
            ed 00 00 00 00 00 00 00
            exit
            """, NoMaps, Kernel: Reject(22, "unknown opcode ed")),
        new("maygoto/target_out_of_range", SocketFilter, Root, """
            r0 = 0
            may_goto pc+5
            exit
            """, NoMaps, Kernel: Reject(22, "jump out of range from insn 1 to 7")),
        new("maygoto/target_into_lddw", SocketFilter, Root, """
            r0 = 0
            may_goto pc+1
            r1 = 0x100000000 ll
            exit
            """, NoMaps, Kernel: Reject(22, "jump into the middle of ldimm64 insn 2")),
        new("maygoto/falls_off_the_end", SocketFilter, Root, """
            r0 = 0
            exit
            may_goto pc-2
            """, NoMaps, Kernel: Reject(22, "last insn is not an exit or jmp")),
    ];
}
