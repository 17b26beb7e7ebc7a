using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// NULL checks of map lookups (kernel: mark_ptr_or_null_regs through the register id, check_cond_jmp_op):
// access without a check, checks written with == 0 and != 0, on a copy, against a non-zero constant, with
// a 32-bit compare, on one path only; the NULL branch; a pointer compared with a scalar without CAP_PERFMON.
internal static partial class VerifierCorpus
{
    private static VerifierCase[] NullCheck() =>
    [
        new("null/read_without_check", SocketFilter, Root, $"""
            {Lookup}
            r1 = *(u64 *)(r0 +0)
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 invalid mem access 'map_value_or_null'")),
        new("null/write_without_check", SocketFilter, Root, $"""
            {Lookup}
            *(u64 *)(r0 +0) = 1
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 invalid mem access 'map_value_or_null'")),
        new("null/check_eq_zero", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u64 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("null/check_ne_zero", SocketFilter, Root, $"""
            {Lookup}
            if r0 != 0x0 goto use
            r0 = 0
            exit
            use:
            r1 = *(u64 *)(r0 +0)
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("null/check_copy_access_original", SocketFilter, Root, $"""
            {Lookup}
            r6 = r0
            if r6 == 0x0 goto out
            r1 = *(u64 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("null/check_original_access_copy", SocketFilter, Root, $"""
            {Lookup}
            r6 = r0
            if r0 == 0x0 goto out
            r1 = *(u64 *)(r6 +0)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("null/check_against_one", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x1 goto out
            r1 = *(u64 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 invalid mem access 'map_value_or_null'")),
        new("null/check_jmp32", SocketFilter, Root, $"""
            {Lookup}
            if w0 == 0x0 goto out
            r1 = *(u64 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 invalid mem access 'map_value_or_null'")),
        new("null/check_unsigned_greater", SocketFilter, Root, $"""
            {Lookup}
            if r0 > 0x0 goto use
            r0 = 0
            exit
            use:
            r1 = *(u64 *)(r0 +0)
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 invalid mem access 'map_value_or_null'")),
        new("null/access_in_null_branch", SocketFilter, Root, $"""
            {Lookup}
            if r0 != 0x0 goto out
            *(u64 *)(r0 +0) = 1
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 invalid mem access 'scalar'")),
        new("null/check_on_one_path_only", SocketFilter, Root, $"""
            r6 = *(u32 *)(r1 +0)
            {Lookup}
            if r6 == 0x0 goto use
            if r0 == 0x0 goto out
            use:
            r1 = *(u64 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 invalid mem access 'map_value_or_null'")),
        new("null/check_other_lookup", SocketFilter, Root, $"""
            {Lookup}
            r6 = r0
            r2 = r10
            r2 += -8
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            if r0 == 0x0 goto out
            r1 = *(u64 *)(r6 +0)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R6 invalid mem access 'map_value_or_null'")),
        new("null/checked_copy_survives_call", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r6 = r0
            call bpf_get_prandom_u32
            r1 = *(u64 *)(r6 +0)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("null/or_null_as_helper_key", SocketFilter, Root, $"""
            {Lookup}
            r2 = r0
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R2 type=map_value_or_null expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_")),
        new("null/check_bpfonly", SocketFilter, BpfOnly, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u64 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("null/compare_with_scalar_root", SocketFilter, Root, $"""
            r6 = 1
            {Lookup}
            if r0 == r6 goto out
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("null/compare_with_scalar_bpfonly", SocketFilter, BpfOnly, $"""
            r6 = 1
            {Lookup}
            if r0 == r6 goto out
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 pointer comparison prohibited")),
        new("null/compare_with_scalar_unpriv", SocketFilter, Unprivileged, $"""
            r6 = 1
            {Lookup}
            if r0 == r6 goto out
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 pointer comparison prohibited")),
        new("null/compare_with_nonzero_imm_bpfonly", SocketFilter, BpfOnly, $"""
            {Lookup}
            if r0 == 0x1 goto out
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 pointer comparison prohibited")),
    ];
}
