using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// Conditional jumps (kernel: check_cond_jmp_op, is_branch_taken, reg_set_min_max): branches the verifier
// proves dead are not explored, ranges learned from a branch bound later accesses, pointer comparisons
// without CAP_PERFMON, and the reserved fields of jump encodings.
internal static partial class VerifierCorpus
{
    private static VerifierCase[] Jumps() =>
    [
        new("jmp/dead_branch_not_explored", SocketFilter, Root, """
            r0 = 0
            if r0 == 0x1 goto bad
            exit
            bad:
            r0 = r2
            exit
            """, NoMaps, Kernel: Accept),
        new("jmp/live_branch_explored", SocketFilter, Root, """
            r0 = *(u32 *)(r1 +0)
            if r0 == 0x1 goto bad
            exit
            bad:
            r0 = r2
            exit
            """, NoMaps, Kernel: Reject(13, "R2 !read_ok")),
        new("jmp/range_from_branch", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u32 *)(r0 +0)
            if r1 > 0x8 goto out
            r0 += r1
            r2 = *(u64 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("jmp/range_from_branch_off_by_one", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u32 *)(r0 +0)
            if r1 > 0x9 goto out
            r0 += r1
            r2 = *(u64 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("jmp/signed_range_both_bounds", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u64 *)(r0 +0)
            if r1 s> 0x8 goto out
            if r1 s< 0x0 goto out
            r0 += r1
            r2 = *(u64 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("jmp/jmp32_range", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u32 *)(r0 +0)
            if w1 > 0x7 goto out
            r0 += r1
            r2 = *(u64 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("jmp/jset", SocketFilter, Root, """
            r0 = *(u32 *)(r1 +0)
            if r0 & 0x1 goto odd
            r0 = 0
            exit
            odd:
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept),
        new("jmp/gotol", SocketFilter, Root, """
            r0 = *(u32 *)(r1 +0)
            if r0 > 0x5 goto big
            gotol out
            big:
            r0 = 1
            out:
            exit
            """, NoMaps, Kernel: Accept),
        new("jmp/compare_uninit_src", SocketFilter, Root, """
            r0 = 0
            if r0 > r3 goto out
            out:
            exit
            """, NoMaps, Kernel: Reject(13, "R3 !read_ok")),
        new("jmp/pointers_compared_root", SocketFilter, Root, """
            r0 = 0
            if r1 == r10 goto out
            out:
            exit
            """, NoMaps, Kernel: Accept),
        new("jmp/pointers_compared_bpfonly", SocketFilter, BpfOnly, """
            r0 = 0
            if r1 == r10 goto out
            out:
            exit
            """, NoMaps, Kernel: Reject(13, "R10 pointer comparison prohibited")),
        new("jmp/pointer_compared_with_imm_bpfonly", SocketFilter, BpfOnly, """
            r0 = 0
            if r1 != 0x5 goto out
            out:
            exit
            """, NoMaps, Kernel: Reject(13, "R1 pointer comparison prohibited")),
        new("jmp/packet_pointers_compared_bpfonly", SchedCls, BpfOnly, """
            r2 = *(u32 *)(r1 +76)
            r3 = *(u32 *)(r1 +80)
            r2 += 14
            r0 = 0
            if r2 > r3 goto out
            r0 = 1
            out:
            exit
            """, NoMaps, Kernel: Accept),
        new("jmp/jeq_imm_reserved_src", SocketFilter, Root, """
            r0 = 0
            15 10 00 00 00 00 00 00
            exit
            """, NoMaps, Kernel: Reject(22, "BPF_JMP/JMP32 uses reserved fields")),
        new("jmp/exit_reserved_imm", SocketFilter, Root, """
            r0 = 0
            95 00 00 00 01 00 00 00
            """, NoMaps, Kernel: Reject(22, "BPF_EXIT uses reserved fields")),
        new("jmp/ja_reserved_dst", SocketFilter, Root, """
            r0 = 0
            05 01 00 00 00 00 00 00
            exit
            """, NoMaps, Kernel: Reject(22, "BPF_JA uses reserved fields")),
        new("jmp/unknown_jmp_op", SocketFilter, Root, """
            r0 = 0
            f5 00 00 00 00 00 00 00
            exit
            """, NoMaps, Kernel: Reject(22, "unknown opcode f5")),
        // 0xe5 is BPF_JMP | BPF_JCOND: may_goto +0.
        new("jmp/may_goto", SocketFilter, Root, """
            r0 = 0
            e5 00 00 00 00 00 00 00
            exit
            """, NoMaps, Kernel: Accept),
    ];
}
