using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// Control flow (kernel: check_subprogs, check_cfg, do_check's loop detection): reachability, jump and call
// targets, the last instruction, back-edges without CAP_BPF, bounded loops with it, program size limits.
internal static partial class VerifierCorpus
{
    /// <summary>A program of <paramref name="moves"/> moves then exit (4096 is the limit without CAP_BPF).</summary>
    private static string Moves(int moves) => string.Concat(Enumerable.Repeat("r0 = 0\n", moves)) + "exit\n";

    private static VerifierCase[] Cfg() =>
    [
        new("cfg/straight_line", SocketFilter, Root, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("cfg/unreachable_after_exit", SocketFilter, Root, """
            r0 = 0
            exit
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(22, "unreachable insn 2")),
        new("cfg/unreachable_jumped_over", SocketFilter, Root, """
            r0 = 0
            goto +1
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(22, "unreachable insn 2")),
        new("cfg/both_branches_reached", SocketFilter, Root, """
            r0 = *(u32 *)(r1 +0)
            if r0 > 0xa goto +1
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("cfg/jump_out_of_range_forward", SocketFilter, Root, """
            r0 = 0
            if r0 == 0x0 goto pc+5
            exit
            """, NoMaps, Kernel: Reject(22, "jump out of range from insn 1 to 7")),
        new("cfg/jump_out_of_range_backward", SocketFilter, Root, """
            r0 = 0
            goto pc-3
            exit
            """, NoMaps, Kernel: Reject(22, "jump out of range from insn 1 to -1")),
        new("cfg/jump_one_past_the_end", SocketFilter, Root, """
            r0 = 0
            goto pc+1
            exit
            """, NoMaps, Kernel: Reject(22, "jump out of range from insn 1 to 3")),
        new("cfg/jump_into_lddw", SocketFilter, Root, """
            r0 = 0
            if r0 == 0x0 goto pc+1
            r1 = 0x123456789 ll
            exit
            """, NoMaps, Kernel: Reject(22, "jump into the middle of ldimm64 insn 2")),
        new("cfg/jump_over_lddw", SocketFilter, Root, """
            r0 = 0
            if r0 == 0x0 goto pc+2
            r1 = 0x123456789 ll
            exit
            """, NoMaps, Kernel: Accept),
        new("cfg/fall_off_the_end", SocketFilter, Root, """
            r0 = 0
            """, NoMaps, Kernel: Reject(22, "last insn is not an exit or jmp")),
        new("cfg/fall_off_the_end_after_a_branch", SocketFilter, Root, """
            r0 = 0
            goto +1
            exit
            if r0 == 0x0 goto pc-2
            """, NoMaps, Kernel: Reject(22, "last insn is not an exit or jmp")),
        new("cfg/infinite_loop", SocketFilter, Root, """
            r0 = 0
            goto pc-1
            """, NoMaps, Kernel: Reject(22, "old state: R0=0 R1=ctx() R10=fp0")),
        new("cfg/bounded_loop_root", SocketFilter, Root, """
            r0 = 0
            loop:
            r0 += 1
            if r0 < 0x4 goto loop
            exit
            """, NoMaps, Kernel: Accept),
        // Without CAP_PERFMON the verifier also walks the mispredicted side of each branch (Spectre v1); on that
        // path the counter is no longer exact and the loop is reported as infinite.
        new("cfg/bounded_loop_bpfonly", SocketFilter, BpfOnly, """
            r0 = 0
            loop:
            r0 += 1
            if r0 < 0x4 goto loop
            exit
            """, NoMaps, Kernel: Reject(22, "old state: R0=P3 R1=ctx() R10=fp0")),
        new("cfg/back_edge_unpriv", SocketFilter, Unprivileged, """
            r0 = 0
            loop:
            r0 += 1
            if r0 < 0x4 goto loop
            exit
            """, NoMaps, Kernel: Reject(22, "back-edge from insn 2 to 1")),
        new("cfg/loop_on_unknown_counter", SocketFilter, Root, """
            r0 = *(u32 *)(r1 +0)
            loop:
            r0 += 1
            if r0 != 0x0 goto loop
            exit
            """, NoMaps, Kernel: Reject(7, "BPF program is too large. Processed 1000001 insn")),
        new("cfg/call_subprog", SocketFilter, Root, """
            r1 = 1
            call sub
            exit
            sub:
            r0 = r1
            exit
            """, NoMaps, Kernel: Accept),
        new("cfg/call_subprog_unpriv", SocketFilter, Unprivileged, """
            r1 = 1
            call sub
            exit
            sub:
            r0 = r1
            exit
            """, NoMaps, Kernel: Reject(1, "loading/calling other bpf or kernel functions are allowed for CAP_BPF and CAP_SYS_ADMIN")),
        new("cfg/call_out_of_range_forward", SocketFilter, Root, """
            r0 = 0
            call pc+5
            exit
            """, NoMaps, Kernel: Reject(22, "call to invalid destination")),
        new("cfg/call_out_of_range_backward", SocketFilter, Root, """
            r0 = 0
            call pc-3
            exit
            """, NoMaps, Kernel: Reject(22, "call to invalid destination")),
        // A call target starts a subprogram, so the one before it ends with the first half of the lddw.
        new("cfg/call_into_lddw", SocketFilter, Root, """
            r0 = 0
            call pc+1
            r1 = 0x123456789 ll
            exit
            """, NoMaps, Kernel: Reject(22, "last insn is not an exit or jmp")),
        new("cfg/subprog_falls_off_the_end", SocketFilter, Root, """
            call sub
            exit
            sub:
            r0 = 0
            """, NoMaps, Kernel: Reject(22, "last insn is not an exit or jmp")),
        new("cfg/jump_from_subprog_into_main", SocketFilter, Root, """
            call sub
            r0 = 0
            exit
            sub:
            if r1 == 0x0 goto pc-3
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "jump out of range from insn 3 to 1")),
        new("cfg/recursive_call", SocketFilter, Root, """
            call sub
            exit
            sub:
            call sub
            exit
            """, NoMaps, Kernel: Reject(7, "the call stack of 9 frames is too deep")),
        new("cfg/empty_program", SocketFilter, Root, "", NoMaps, Kernel: Reject(7, "")),
        new("cfg/insn_limit_bpfonly", SocketFilter, BpfOnly, Moves(4096), NoMaps, Kernel: Accept),
        new("cfg/insn_limit_unpriv", SocketFilter, Unprivileged, Moves(4096), NoMaps, Kernel: Reject(7, "")),
        new("cfg/unknown_opcode", SocketFilter, Root, """
            r0 = 0
            ff 00 00 00 00 00 00 00
            exit
            """, NoMaps, Kernel: Reject(22, "unknown opcode ff")),
        // resolve_pseudo_ldimm64 runs after check_subprogs and before check_cfg, over every instruction in order.
        new("cfg/lone_zero_opcode", SocketFilter, Root, """
            00 00 00 00 00 00 00 00
            """, NoMaps, Kernel: Reject(22, "last insn is not an exit or jmp")),
        new("cfg/callx_is_not_a_kernel_opcode", SocketFilter, Root, """
            r0 = 0
            8d 00 00 00 00 00 00 00
            exit
            """, NoMaps, Kernel: Reject(22, "unknown opcode 8d")),
        new("cfg/ldx_imm_mode", SocketFilter, Root, """
            01 00 00 00 00 00 00 00
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "BPF_LDX uses reserved fields")),
        new("cfg/ldx_mem_with_imm", SocketFilter, Root, """
            r0 = 0
            61 a0 f8 ff 01 00 00 00
            exit
            """, NoMaps, Kernel: Reject(22, "BPF_LDX uses reserved fields")),
        // The second byte is src_reg << 4 | dst_reg.
        new("cfg/lddw_map_fd_second_imm", SocketFilter, Root, """
            18 11 00 00 00 00 00 00 00 00 00 00 01 00 00 00
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "unrecognized bpf_ld_imm64 insn")),
        new("cfg/lddw_map_idx_second_imm", SocketFilter, Root, """
            18 51 00 00 00 00 00 00 00 00 00 00 01 00 00 00
            r0 = 0
            exit
            """, [new(Uapi.BpfMapType.Array, 4, 8, 1)], Kernel: Reject(22, "unrecognized bpf_ld_imm64 insn")),
        new("cfg/lddw_unknown_pseudo_kind", SocketFilter, Root, """
            18 71 00 00 00 00 00 00 00 00 00 00 00 00 00 00
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "unrecognized bpf_ld_imm64 insn")),
        new("cfg/unknown_opcode_after_missing_exit", SocketFilter, Root, """
            ff 00 00 00 00 00 00 00
            r0 = 0
            """, NoMaps, Kernel: Reject(22, "last insn is not an exit or jmp")),
        new("cfg/reserved_alu_field_in_unreachable_insn", SocketFilter, Root, """
            r0 = 0
            exit
            b7 10 00 00 00 00 00 00
            exit
            """, NoMaps, Kernel: Reject(22, "unreachable insn 2")),
        new("cfg/lddw_bad_second_half", SocketFilter, Root, """
            18 01 00 00 00 00 00 00 07 00 00 00 00 00 00 00
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "invalid bpf_ld_imm64 insn")),
    ];
}
