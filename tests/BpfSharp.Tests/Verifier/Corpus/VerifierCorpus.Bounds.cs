using BpfSharp.Uapi;
using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// Value tracking of 64-bit scalars (kernel: adjust_scalar_min_max_vals, reg_bounds_sync, is_branch_taken,
// reg_set_min_max, sync_linked_regs, adjust_ptr_min_max_vals, check_reg_sane_offset, check_mem_region_access,
// check_stack_access_within_bounds). Most programs compute an offset from an unknown 64-bit value (the first
// u64 of a 64-byte array map value) with masks, shifts, multiplications and branches, add it to the value
// pointer and load through it: the access is checked over the whole range the verifier tracked, so the verdict
// and message show the bounds it learned.
internal static partial class VerifierCorpus
{
    /// <summary>An array of 4 64-byte values.</summary>
    private static CaseMap[] Array64Map => [new(BpfMapType.Array, 4, 64, 4)];

    /// <summary>r0 = a value of array map 0 (64 bytes), or "out" when NULL; r6 = its first u64, an unknown scalar.</summary>
    private const string Value64 = """
        *(u32 *)(r10 -4) = 0
        r2 = r10
        r2 += -4
        r1 = map[idx:0]
        call bpf_map_lookup_elem
        if r0 == 0x0 goto out
        r6 = *(u64 *)(r0 +0)
        """;

    /// <summary>The common end: r0 = 0 and exit, labelled "out".</summary>
    private const string Out = """
        out:
        r0 = 0
        exit
        """;

    /// <summary>
    /// <see cref="Value64"/>, then <paramref name="compute"/> (on r6), then r0 += r6 and <paramref name="access"/>
    /// through r0 (a byte load unless given).
    /// </summary>
    private static string Index(string compute, string access = "r1 = *(u8 *)(r0 +0)") =>
        $"{Value64}\n{compute}\nr0 += r6\n{access}\n{Out}";

    private const string U64Load = "r1 = *(u64 *)(r0 +0)";

    private static VerifierCase[] Bounds() =>
    [
        // Masks.
        new("bounds/and_mask_byte", SocketFilter, Root, Index("r6 &= 0x3f"), Array64Map, Kernel: Accept),
        new("bounds/and_mask_u64_past_end", SocketFilter, Root, Index("r6 &= 0x3f", U64Load), Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("bounds/and_mask_aligned_u64", SocketFilter, Root, Index("r6 &= 0x38", U64Load), Array64Map, Kernel: Accept),
        new("bounds/and_mask_then_or", SocketFilter, Root, Index("r6 &= 0x7\nr6 |= 0x8", U64Load), Array64Map, Kernel: Accept),
        new("bounds/and_mask_then_or_high", SocketFilter, Root, Index("r6 &= 0x1f\nr6 |= 0x20", U64Load), Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("bounds/or_unknown", SocketFilter, Root, Index("r6 |= 1"), Array64Map, Kernel: Reject(22, "value -9223372036854775807 makes map_value pointer be out of bounds")),
        new("bounds/xor_masked", SocketFilter, Root, Index("r6 &= 0xf\nr6 ^= 0x30"), Array64Map, Kernel: Accept),
        new("bounds/xor_masked_u64", SocketFilter, Root, Index("r6 &= 0xf\nr6 ^= 0x30", U64Load), Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("bounds/and_negative_imm", SocketFilter, Root, Index("r6 &= -8"), Array64Map, Kernel: Reject(22, "math between map_value pointer and register with unbounded min value is not allowed")),
        new("bounds/and_reg_mask", SocketFilter, Root, Index("r7 = 0x3f\nr6 &= r7"), Array64Map, Kernel: Accept),
        new("bounds/and_two_unknowns", SocketFilter, Root, Index("r7 = *(u8 *)(r0 +8)\nr6 &= r7"), Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("bounds/and_mask_past_end", SocketFilter, Root, Index("r6 &= 0x7f"), Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),

        // Addition and subtraction.
        new("bounds/sub_makes_negative", SocketFilter, Root, Index("r6 &= 0xf\nr6 -= 8"), Array64Map, Kernel: Reject(13, "R0 min value is negative, either use unsigned index or do a if (index >=0) check.")),
        new("bounds/sub_then_add_back", SocketFilter, Root, Index("r6 &= 0xf\nr6 -= 8\nr6 += 8"), Array64Map, Kernel: Accept),
        new("bounds/add_negative_all_below", SocketFilter, Root, Index("r6 &= 0xff\nr6 += -256"), Array64Map, Kernel: Reject(13, "R0 min value is negative, either use unsigned index or do a if (index >=0) check.")),
        new("bounds/add_two_bounded", SocketFilter, Root, Index("r7 = *(u8 *)(r0 +8)\nr7 &= 0x1f\nr6 &= 0x1f\nr6 += r7"), Array64Map, Kernel: Accept),
        new("bounds/add_two_bounded_u64", SocketFilter, Root, Index("r7 = *(u8 *)(r0 +8)\nr7 &= 0x1f\nr6 &= 0x1f\nr6 += r7", U64Load), Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("bounds/sub_two_bounded", SocketFilter, Root, Index("r7 = r6\nr7 &= 0x7\nr6 &= 0x3f\nr6 -= r7"), Array64Map, Kernel: Reject(13, "R0 min value is negative, either use unsigned index or do a if (index >=0) check.")),
        new("bounds/sub_after_lower_check", SocketFilter, Root, Index("if r6 > 0x3c goto out\nif r6 < 0x4 goto out\nr6 -= 4", U64Load), Array64Map, Kernel: Accept),
        new("bounds/add_wraps_u64", SocketFilter, Root, Index("r6 >>= 32\nr6 += -1"), Array64Map, Kernel: Reject(13, "R0 min value is negative, either use unsigned index or do a if (index >=0) check.")),
        new("bounds/add_const_then_check", SocketFilter, Root, Index("r6 += 8\nif r6 > 0x38 goto out", U64Load), Array64Map, Kernel: Accept),

        // Multiplication.
        new("bounds/mul_by_8", SocketFilter, Root, Index("r6 &= 0x7\nr6 *= 8", U64Load), Array64Map, Kernel: Accept),
        new("bounds/mul_by_9", SocketFilter, Root, Index("r6 &= 0x7\nr6 *= 9", U64Load), Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("bounds/mul_two_bounded", SocketFilter, Root, Index("r7 = r6\nr7 &= 0x7\nr6 &= 0x7\nr6 *= r7"), Array64Map, Kernel: Accept),
        new("bounds/mul_two_bounded_past_end", SocketFilter, Root, Index("r7 = r6\nr7 &= 0xf\nr6 &= 0x7\nr6 *= r7"), Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("bounds/mul_negative_const", SocketFilter, Root, Index("r6 &= 0x7\nr6 *= -1"), Array64Map, Kernel: Reject(13, "R0 min value is negative, either use unsigned index or do a if (index >=0) check.")),
        new("bounds/mul_unknown", SocketFilter, Root, Index("r6 *= 2"), Array64Map, Kernel: Reject(22, "math between map_value pointer and register with unbounded min value is not allowed")),

        // Shifts.
        new("bounds/lsh_const", SocketFilter, Root, Index("r6 &= 0x7\nr6 <<= 3", U64Load), Array64Map, Kernel: Accept),
        new("bounds/lsh_const_past_end", SocketFilter, Root, Index("r6 &= 0xf\nr6 <<= 3", U64Load), Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("bounds/rsh_const", SocketFilter, Root, Index("r6 >>= 58"), Array64Map, Kernel: Accept),
        new("bounds/rsh_const_u64", SocketFilter, Root, Index("r6 >>= 58", U64Load), Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("bounds/arsh_const_unknown", SocketFilter, Root, Index("r6 s>>= 58"), Array64Map, Kernel: Reject(13, "R0 min value is negative, either use unsigned index or do a if (index >=0) check.")),
        new("bounds/arsh_of_masked", SocketFilter, Root, Index("r6 &= 0xff\nr6 s>>= 2"), Array64Map, Kernel: Accept),
        new("bounds/lsh_by_bounded_reg", SocketFilter, Root, Index("r7 = r6\nr7 &= 0x3\nr6 &= 0x7\nr6 <<= r7"), Array64Map, Kernel: Reject(22, "math between map_value pointer and register with unbounded min value is not allowed")),
        new("bounds/rsh_by_bounded_reg", SocketFilter, Root, Index("r7 = r6\nr7 &= 0x3\nr7 += 58\nr6 >>= r7"), Array64Map, Kernel: Reject(22, "math between map_value pointer and register with unbounded min value is not allowed")),
        new("bounds/rsh_by_const_reg", SocketFilter, Root, Index("r7 = 58\nr6 >>= r7"), Array64Map, Kernel: Accept),
        new("bounds/lsh_then_rsh", SocketFilter, Root, Index("r6 <<= 58\nr6 >>= 58"), Array64Map, Kernel: Accept),
        new("bounds/lsh32_arsh32_sign_extend", SocketFilter, Root, Index("r6 <<= 32\nr6 s>>= 32"), Array64Map, Kernel: Reject(22, "value -2147483648 makes map_value pointer be out of bounds")),
        new("bounds/lsh32_arsh32_of_masked", SocketFilter, Root, Index("r6 &= 0x3f\nr6 <<= 32\nr6 s>>= 32"), Array64Map, Kernel: Accept),
        new("bounds/rsh_by_63", SocketFilter, Root, Index("r6 >>= 63\nr6 <<= 3", U64Load), Array64Map, Kernel: Accept),
        new("bounds/arsh_by_63", SocketFilter, Root, Index("r6 s>>= 63"), Array64Map, Kernel: Reject(13, "R0 min value is negative, either use unsigned index or do a if (index >=0) check.")),

        // A value known to be 0 or -1, masked or or-ed with a constant, is followed as two constants
        // (maybe_fork_scalars); a range meeting a tnum in one member is that constant (tnum_step).
        new("bounds/fork_and_zero_or_minus_one", SocketFilter, Root, Index("r6 s>>= 63\nr6 &= 0x38", U64Load), Array64Map, Kernel: Accept),
        new("bounds/fork_and_zero_or_minus_one_past_end", SocketFilter, Root, Index("r6 s>>= 63\nr6 &= 0x3f", U64Load), Array64Map, Kernel: Reject(13, "R0 min value is outside of the allowed memory range")),
        new("bounds/fork_or_zero_or_minus_one", SocketFilter, Root, Index("r6 s>>= 63\nr6 |= 0x8\nr6 &= 0x38", U64Load), Array64Map, Kernel: Accept),
        new("bounds/fork_and32_of_sign_mask", SocketFilter, Root, Index("w6 = (s8)w6\nw6 s>>= 31\nr6 &= 0x3f"), Array64Map, Kernel: Accept),
        new("bounds/tnum_meets_range_in_one_value", SocketFilter, Root, Index("r6 &= 0x20\nif r6 == 0x0 goto out", U64Load), Array64Map, Kernel: Accept),
        new("bounds/lsh32_keeps_negative_s32", SocketFilter, Root, Index("r6 = *(s8 *)(r0 +0)\nr6 <<= 32\nr6 s>>= 32\nr6 += 128"), Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),

        // Negation, division, modulo.
        new("bounds/neg_masked", SocketFilter, Root, Index("r6 &= 0x7\nr6 = -r6"), Array64Map, Kernel: Reject(13, "R0 min value is negative, either use unsigned index or do a if (index >=0) check.")),
        new("bounds/neg_twice", SocketFilter, Root, Index("r6 &= 0x7\nr6 = -r6\nr6 = -r6"), Array64Map, Kernel: Accept),
        new("bounds/div_not_tracked", SocketFilter, Root, Index("r6 &= 0x3f\nr6 /= 2"), Array64Map, Kernel: Reject(22, "math between map_value pointer and register with unbounded min value is not allowed")),
        new("bounds/mod_not_tracked", SocketFilter, Root, Index("r6 %= 64"), Array64Map, Kernel: Reject(22, "math between map_value pointer and register with unbounded min value is not allowed")),
        new("bounds/div_then_mask", SocketFilter, Root, Index("r6 /= 3\nr6 &= 0x3f"), Array64Map, Kernel: Accept),

        // Branches: unsigned and signed, both forms and orders.
        new("bounds/jgt_upper", SocketFilter, Root, Index("if r6 > 0x38 goto out", U64Load), Array64Map, Kernel: Accept),
        new("bounds/jgt_upper_off_by_one", SocketFilter, Root, Index("if r6 > 0x39 goto out", U64Load), Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("bounds/jge_upper", SocketFilter, Root, Index("if r6 >= 0x39 goto out", U64Load), Array64Map, Kernel: Accept),
        new("bounds/jlt_taken_side", SocketFilter, Root, Index("if r6 < 0x39 goto ok\ngoto out\nok:", U64Load), Array64Map, Kernel: Accept),
        new("bounds/jle_taken_side", SocketFilter, Root, Index("if r6 <= 0x38 goto ok\ngoto out\nok:", U64Load), Array64Map, Kernel: Accept),
        new("bounds/jlt_wrong_side", SocketFilter, Root, Index("if r6 < 0x39 goto out", U64Load), Array64Map, Kernel: Reject(22, "math between map_value pointer and register with unbounded min value is not allowed")),
        new("bounds/jsgt_only_upper", SocketFilter, Root, Index("if r6 s> 0x38 goto out", U64Load), Array64Map, Kernel: Reject(22, "math between map_value pointer and register with unbounded min value is not allowed")),
        new("bounds/jsgt_and_jslt", SocketFilter, Root, Index("if r6 s> 0x38 goto out\nif r6 s< 0x0 goto out", U64Load), Array64Map, Kernel: Accept),
        new("bounds/jsge_and_jsle_taken", SocketFilter, Root, Index("if r6 s>= 0x0 goto ge\ngoto out\nge:\nif r6 s<= 0x38 goto ok\ngoto out\nok:", U64Load), Array64Map, Kernel: Accept),
        new("bounds/jslt_lower_only", SocketFilter, Root, Index("if r6 s< 0x0 goto out"), Array64Map, Kernel: Reject(13, "R0 unbounded memory access, make sure to bounds check any such access")),
        new("bounds/signed_lower_unsigned_upper", SocketFilter, Root, Index("if r6 s< 0x0 goto out\nif r6 > 0x38 goto out", U64Load), Array64Map, Kernel: Accept),
        new("bounds/unsigned_check_of_signed_range", SocketFilter, Root, Index("r6 &= 0xf\nr6 -= 8\nif r6 > 0x7 goto out"), Array64Map, Kernel: Accept),
        new("bounds/signed_check_of_unsigned_range", SocketFilter, Root, Index("r6 >>= 1\nif r6 s> 0x38 goto out", U64Load), Array64Map, Kernel: Accept),
        new("bounds/signed_negative_window", SocketFilter, Root, Index("if r6 s> -1 goto out\nif r6 s< -8 goto out\nr6 += 8", U64Load), Array64Map, Kernel: Accept),
        new("bounds/jgt_reg_const", SocketFilter, Root, Index("r7 = 0x38\nif r6 > r7 goto out", U64Load), Array64Map, Kernel: Accept),
        new("bounds/jgt_reg_bounded", SocketFilter, Root, Index("r7 = *(u8 *)(r0 +8)\nif r6 > r7 goto out"), Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("bounds/jgt_reg_bounded_small", SocketFilter, Root, Index("r7 = *(u8 *)(r0 +8)\nr7 &= 0x1f\nif r6 > r7 goto out"), Array64Map, Kernel: Accept),
        new("bounds/jlt_reg_reversed", SocketFilter, Root, Index("r7 = 0x39\nif r7 > r6 goto ok\ngoto out\nok:", U64Load), Array64Map, Kernel: Accept),
        new("bounds/jeq_const", SocketFilter, Root, Index("if r6 == 0x5 goto ok\ngoto out\nok:", U64Load), Array64Map, Kernel: Accept),
        new("bounds/jne_const_past_end", SocketFilter, Root, Index("if r6 != 0x3c goto out", U64Load), Array64Map, Kernel: Reject(13, "R0 min value is outside of the allowed memory range")),
        new("bounds/jne_edge_narrows", SocketFilter, Root, Index("if r6 > 0x39 goto out\nif r6 == 0x39 goto out", U64Load), Array64Map, Kernel: Accept),
        new("bounds/jset_no_high_bits", SocketFilter, Root, Index("if r6 & -64 goto out"), Array64Map, Kernel: Accept),
        new("bounds/jset_no_high_bits_u64", SocketFilter, Root, Index("if r6 & -64 goto out", U64Load), Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("bounds/jset_reg", SocketFilter, Root, Index("r7 = -64\nif r6 & r7 goto out"), Array64Map, Kernel: Accept),
        new("bounds/jset_single_bit_taken", SocketFilter, Root, Index("r6 &= 0x7f\nif r6 & 0x40 goto ok\ngoto out\nok:"), Array64Map, Kernel: Reject(13, "R0 min value is outside of the allowed memory range")),

        // Dead branches (is_branch_taken): the bad code after a decided test is never walked.
        new("bounds/dead_after_mask_jgt", SocketFilter, Root, $"""
            {Value64}
            r6 &= 0x7
            if r6 > 0x7 goto bad
            goto out
            bad:
            r0 = *(u64 *)(r6 +0)
            {Out}
            """, Array64Map, Kernel: Accept),
        new("bounds/dead_after_mask_jslt", SocketFilter, Root, $"""
            {Value64}
            r6 &= 0x7
            if r6 s< 0x0 goto bad
            goto out
            bad:
            r0 = *(u64 *)(r6 +0)
            {Out}
            """, Array64Map, Kernel: Accept),
        new("bounds/live_after_mask_jgt", SocketFilter, Root, $"""
            {Value64}
            r6 &= 0x7
            if r6 > 0x6 goto bad
            goto out
            bad:
            r0 = *(u64 *)(r6 +0)
            {Out}
            """, Array64Map, Kernel: Reject(13, "R6 invalid mem access 'scalar'")),
        new("bounds/dead_jeq_outside_tnum", SocketFilter, Root, $"""
            {Value64}
            r6 &= 0x8
            if r6 == 0x4 goto bad
            goto out
            bad:
            r0 = *(u64 *)(r6 +0)
            {Out}
            """, Array64Map, Kernel: Accept),
        new("bounds/dead_jeq_outside_range", SocketFilter, Root, $"""
            {Value64}
            r6 &= 0xf
            if r6 == 0x10 goto bad
            goto out
            bad:
            r0 = *(u64 *)(r6 +0)
            {Out}
            """, Array64Map, Kernel: Accept),
        new("bounds/dead_jset_known_bit", SocketFilter, Root, $"""
            {Value64}
            r6 |= 0x4
            if r6 & 0x4 goto out
            r0 = *(u64 *)(r6 +0)
            {Out}
            """, Array64Map, Kernel: Accept),
        new("bounds/dead_reg_reg_compare", SocketFilter, Root, $"""
            {Value64}
            r6 &= 0xf
            r7 = r6
            r7 += 16
            if r6 > r7 goto bad
            goto out
            bad:
            r0 = *(u64 *)(r6 +0)
            {Out}
            """, Array64Map, Kernel: Accept),
        new("bounds/dead_constant_compare", SocketFilter, Root, """
            r1 = 5
            r2 = 7
            if r1 > r2 goto bad
            r0 = 0
            exit
            bad:
            r0 = *(u64 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Accept),
        new("bounds/dead_signed_unsigned_cross", SocketFilter, Root, $"""
            {Value64}
            if r6 > 0x10 goto out
            if r6 s< 0x0 goto bad
            goto out
            bad:
            r0 = *(u64 *)(r6 +0)
            {Out}
            """, Array64Map, Kernel: Accept),

        // Copies share what a branch learns (sync_linked_regs), also with a constant added.
        new("bounds/linked_copy_checked", SocketFilter, Root, Index("r7 = r6\nif r7 > 0x38 goto out", U64Load), Array64Map, Kernel: Accept),
        new("bounds/linked_copy_overwritten", SocketFilter, Root, Index("r7 = r6\nr7 = 0\nif r7 > 0x38 goto out", U64Load), Array64Map, Kernel: Reject(22, "math between map_value pointer and register with unbounded min value is not allowed")),
        new("bounds/linked_add_const_checked", SocketFilter, Root, Index("r7 = r6\nr7 += 8\nif r7 > 0x40 goto out", U64Load), Array64Map, Kernel: Reject(13, "R0 min value is negative, either use unsigned index or do a if (index >=0) check.")),
        new("bounds/linked_add_const_both_bounds", SocketFilter, Root, Index("r7 = r6\nr7 += 8\nif r7 > 0x40 goto out\nif r7 < 0x8 goto out", U64Load), Array64Map, Kernel: Accept),
        new("bounds/linked_through_spill", SocketFilter, Root, Index("*(u64 *)(r10 -16) = r6\nr7 = *(u64 *)(r10 -16)\nif r7 > 0x38 goto out", U64Load), Array64Map, Kernel: Accept),
        new("bounds/linked_sub_const_checked", SocketFilter, Root, Index("r7 = r6\nr7 -= 8\nif r7 > 0x30 goto out", U64Load), Array64Map, Kernel: Accept),
        new("bounds/linked_negative_delta_signed", SocketFilter, Root, Index("r7 = r6\nr7 += -4\nif r7 s< 0x0 goto out\nif r6 > 0x3c goto out"), Array64Map, Kernel: Accept),
        new("bounds/linked_negative_delta_past_end", SocketFilter, Root, Index("r7 = r6\nr7 += -4\nif r7 > 0x3c goto out"), Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("bounds/linked_two_deltas", SocketFilter, Root, Index("r7 = r6\nr7 += 4\nr8 = r6\nr8 += 12\nif r8 > 0x40 goto out\nr6 = r7", U64Load), Array64Map, Kernel: Reject(13, "R0 min value is negative, either use unsigned index or do a if (index >=0) check.")),
        new("bounds/linked_delta_twice_breaks", SocketFilter, Root, Index("r7 = r6\nr7 += 4\nr7 += 4\nif r7 > 0x40 goto out"), Array64Map, Kernel: Reject(22, "math between map_value pointer and register with unbounded min value is not allowed")),
        new("bounds/linked_self_add_breaks", SocketFilter, Root, Index("r7 = r6\nr7 += r7\nif r7 > 0x38 goto out"), Array64Map, Kernel: Reject(22, "math between map_value pointer and register with unbounded min value is not allowed")),
        new("bounds/linked_large_delta_breaks", SocketFilter, Root, Index("r7 = r6\nr8 = 0x80000000 ll\nr7 += r8\nr7 -= r8\nif r7 > 0x38 goto out"), Array64Map, Kernel: Reject(22, "math between map_value pointer and register with unbounded min value is not allowed")),
        new("bounds/linked_bpfonly", SocketFilter, BpfOnly, Index("r7 = r6\nif r7 > 0x38 goto out", U64Load), Array64Map, Kernel: Accept),

        // Pointer arithmetic with computed offsets.
        new("bounds/unbounded_add_to_map_value", SocketFilter, Root, Index(""), Array64Map, Kernel: Reject(22, "math between map_value pointer and register with unbounded min value is not allowed")),
        new("bounds/const_1_shl_29", SocketFilter, Root, Index("r6 = 0x20000000"), Array64Map, Kernel: Reject(22, "math between map_value pointer and 536870912 is not allowed")),
        new("bounds/const_below_1_shl_29", SocketFilter, Root, Index("r6 = 0x1fffffff"), Array64Map, Kernel: Reject(13, "R0 min value is outside of the allowed memory range")),
        new("bounds/imm_1_shl_29", SocketFilter, Root, $"""
            {Value64}
            r0 += 0x20000000
            r1 = *(u8 *)(r0 +0)
            {Out}
            """, Array64Map, Kernel: Reject(22, "math between map_value pointer and 536870912 is not allowed")),
        new("bounds/fixed_offset_grows_past_1_shl_29", SocketFilter, Root, $"""
            {Value64}
            r0 += 0x10000000
            r0 += 0x10000000
            r1 = *(u8 *)(r0 +0)
            {Out}
            """, Array64Map, Kernel: Reject(22, "map_value pointer offset 536870912 is not allowed")),
        new("bounds/masked_30_bits", SocketFilter, Root, Index("r6 &= 0x3fffffff"), Array64Map, Kernel: Reject(13, "R0 unbounded memory access, make sure to bounds check any such access")),
        new("bounds/smin_beyond_minus_1_shl_29", SocketFilter, Root, Index("if r6 s> -1 goto out\nif r6 s< -0x40000000 goto out"), Array64Map, Kernel: Reject(22, "value -1073741824 makes map_value pointer be out of bounds")),
        new("bounds/map_value_minus_masked", SocketFilter, Root, $"""
            {Value64}
            r6 &= 0x7
            r0 += 8
            r0 -= r6
            r1 = *(u8 *)(r0 +0)
            {Out}
            """, Array64Map, Kernel: Reject(13, "R0 unbounded memory access, make sure to bounds check any such access")),
        new("bounds/map_value_minus_masked_negative", SocketFilter, Root, $"""
            {Value64}
            r6 &= 0x7
            r0 -= r6
            r1 = *(u8 *)(r0 +0)
            {Out}
            """, Array64Map, Kernel: Reject(13, "R0 min value is negative, either use unsigned index or do a if (index >=0) check.")),
        new("bounds/scalar_plus_map_value", SocketFilter, Root, $"""
            {Value64}
            r6 &= 0x38
            r6 += r0
            r1 = *(u64 *)(r6 +0)
            {Out}
            """, Array64Map, Kernel: Accept),
        new("bounds/two_offsets_added", SocketFilter, Root, $"""
            {Value64}
            r7 = r6
            r6 &= 0x1f
            r7 >>= 59
            r0 += r6
            r0 += r7
            r1 = *(u8 *)(r0 +0)
            {Out}
            """, Array64Map, Kernel: Accept),
        new("bounds/two_offsets_added_past_end", SocketFilter, Root, $"""
            {Value64}
            r7 = r6
            r6 &= 0x1f
            r7 >>= 58
            r0 += r6
            r0 += r7
            r1 = *(u8 *)(r0 +0)
            {Out}
            """, Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("bounds/variable_plus_fixed_offset", SocketFilter, Root, Index("r6 &= 0x1f", "r1 = *(u64 *)(r0 +24)"), Array64Map, Kernel: Accept),
        new("bounds/variable_plus_fixed_offset_past_end", SocketFilter, Root, Index("r6 &= 0x1f", "r1 = *(u64 *)(r0 +32)"), Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("bounds/variable_store", SocketFilter, Root, Index("r6 &= 0x38", "*(u64 *)(r0 +0) = 1"), Array64Map, Kernel: Accept),
        new("bounds/variable_store_negative_fixed", SocketFilter, Root, Index("r6 &= 0x38", "*(u64 *)(r0 -8) = 1"), Array64Map, Kernel: Reject(13, "R0 min value is outside of the allowed memory range")),
        new("bounds/variable_atomic_add", SocketFilter, Root, Index("r6 &= 0x38", "r1 = 1\nlock *(u64 *)(r0 +0) += r1"), Array64Map, Kernel: Accept),
        new("bounds/offset_through_helper_size", SocketFilter, Root, $"""
            {Value64}
            r6 &= 0x3f
            r1 = r0
            r2 = r6
            r3 = 0
            call bpf_probe_read_kernel
            {Out}
            """, Array64Map, Kernel: Accept),

        // Privileged, but not allowed to leak pointers or bypass Spectre v1 (CAP_BPF only).
        new("bounds/masked_index_bpfonly", SocketFilter, BpfOnly, Index("r6 &= 0x3f"), Array64Map, Kernel: Accept),
        new("bounds/mixed_signed_index_bpfonly", SocketFilter, BpfOnly, Index("r6 &= 0xf\nr6 -= 8"), Array64Map, Kernel: Reject(13, "R6 has unknown scalar with mixed signed bounds, pointer arithmetic with it prohibited for !root")),
        new("bounds/index_past_end_bpfonly", SocketFilter, BpfOnly, Index("r6 &= 0x7f"), Array64Map, Kernel: Reject(13, "R0 pointer arithmetic of map value goes out of range, prohibited for !root")),
        new("bounds/const_past_end_bpfonly", SocketFilter, BpfOnly, $"""
            {Value64}
            r0 += 64
            r0 += -8
            r1 = *(u8 *)(r0 +0)
            {Out}
            """, Array64Map, Kernel: Reject(13, "R0 pointer arithmetic of map value goes out of range, prohibited for !root")),
        new("bounds/signed_checked_index_bpfonly", SocketFilter, BpfOnly, Index("if r6 s> 0x38 goto out\nif r6 s< 0x0 goto out", U64Load), Array64Map, Kernel: Accept),
        // Spectre v1 sanitation (kernel: sanitize_ptr_alu, sanitize_val_alu, update_alu_sanitation_state): one
        // instruction must do the same pointer arithmetic, within the same limits, on every path.
        new("bounds/paths_same_limits_bpfonly", SocketFilter, BpfOnly, Index("r7 = *(u64 *)(r0 +8)\nif r7 > 0x5 goto a\nr6 &= 0x7\ngoto b\na:\nr6 &= 0x7\nr6 |= 0x1\nb:"), Array64Map, Kernel: Accept),
        new("bounds/paths_different_limits_bpfonly", SocketFilter, BpfOnly, Index("r7 = *(u64 *)(r0 +8)\nif r7 > 0x5 goto a\nr6 &= 0x7\ngoto b\na:\nr6 &= 0xf\nb:"), Array64Map, Kernel: Reject(13, "R0 tried to add from different maps, paths or scalars, pointer arithmetic with it prohibited for !root")),
        new("bounds/paths_different_limits_root", SocketFilter, Root, Index("r7 = *(u64 *)(r0 +8)\nif r7 > 0x5 goto a\nr6 &= 0x7\ngoto b\na:\nr6 &= 0xf\nb:"), Array64Map, Kernel: Accept),
        new("bounds/paths_pointer_and_scalar_bpfonly", SocketFilter, BpfOnly, $"""
            {Value64}
            r6 &= 0x7
            if r6 > 0x3 goto a
            r1 = r0
            goto b
            a:
            r1 = 0
            b:
            r1 += r6
            {Out}
            """, Array64Map, Kernel: Reject(13, "R1 tried to add from different maps, paths or scalars, pointer arithmetic with it prohibited for !root")),
        new("bounds/paths_pointer_and_scalar_root", SocketFilter, Root, $"""
            {Value64}
            r6 &= 0x7
            if r6 > 0x3 goto a
            r1 = r0
            goto b
            a:
            r1 = 0
            b:
            r1 += r6
            {Out}
            """, Array64Map, Kernel: Accept),
        new("bounds/paths_two_maps_bpfonly", SocketFilter, BpfOnly, $"""
            *(u32 *)(r10 -4) = 0
            r2 = r10
            r2 += -4
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            if r0 == 0x0 goto out
            r8 = r0
            r2 = r10
            r2 += -4
            r1 = map[idx:1]
            call bpf_map_lookup_elem
            if r0 == 0x0 goto out
            r6 = *(u64 *)(r0 +0)
            r6 &= 0x7
            if r6 > 0x3 goto b
            r0 = r8
            b:
            r0 += r6
            r1 = *(u8 *)(r0 +0)
            {Out}
            """, [new(BpfMapType.Array, 4, 64, 4), new(BpfMapType.Array, 4, 16, 4)], Kernel: Reject(13, "R0 tried to add from different maps, paths or scalars, pointer arithmetic with it prohibited for !root")),
        new("bounds/limit_at_stack_bottom_bpfonly", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -504) = 0
            r1 = r10
            r1 += -512
            r2 = 8
            r1 += r2
            r0 = *(u64 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "R1 tried to add beyond pointer bounds, pointer arithmetic with it prohibited for !root")),
        new("bounds/limit_above_stack_bottom_bpfonly", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -496) = 0
            r1 = r10
            r1 += -504
            r2 = 8
            r1 += r2
            r0 = *(u64 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Accept),
        new("bounds/speculative_dead_branch_bpfonly", SocketFilter, BpfOnly, $"""
            {Value64}
            r6 &= 0x7
            if r6 > 0x7 goto bad
            r0 += r6
            r1 = *(u8 *)(r0 +0)
            goto out
            bad:
            r0 += r6
            r1 = *(u64 *)(r0 +60)
            {Out}
            """, Array64Map, Kernel: Accept),
        new("bounds/speculative_stack_index_bpfonly", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 0
            *(u64 *)(r10 -16) = 0
            r6 = *(u32 *)(r1 +0)
            if r6 > 0x8 goto out
            r7 = r10
            r7 += -16
            r7 += r6
            r0 = *(u8 *)(r7 +0)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R7 variable stack access prohibited for !root, var_off=(0x0; 0xf) off=-16")),
        new("bounds/masked_index_unpriv", SocketFilter, Unprivileged, Index("r6 &= 0x3f"), Array64Map, Kernel: Accept),
        new("bounds/mixed_signed_index_unpriv", SocketFilter, Unprivileged, Index("r6 &= 0xf\nr6 -= 8"), Array64Map, Kernel: Reject(13, "R6 has unknown scalar with mixed signed bounds, pointer arithmetic with it prohibited for !root")),
        new("bounds/unsigned_checked_index_unpriv", SocketFilter, Unprivileged, Index("if r6 > 0x38 goto out", U64Load), Array64Map, Kernel: Accept),

        // Variable stack access.
        new("bounds/stack_var_read", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            *(u64 *)(r10 -16) = 0
            r6 = *(u32 *)(r1 +0)
            r6 &= 0x8
            r7 = r10
            r7 += -16
            r7 += r6
            r0 = *(u64 *)(r7 +0)
            exit
            """, NoMaps, Kernel: Accept),
        new("bounds/stack_var_read_uninit_root", SocketFilter, Root, """
            r6 = *(u32 *)(r1 +0)
            r6 &= 0x8
            r7 = r10
            r7 += -16
            r7 += r6
            r0 = *(u64 *)(r7 +0)
            exit
            """, NoMaps, Kernel: Accept),
        new("bounds/stack_var_read_partly_init_bpfonly", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 0
            r6 = *(u32 *)(r1 +0)
            r6 &= 0x8
            r7 = r10
            r7 += -16
            r7 += r6
            r0 = *(u64 *)(r7 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "R7 variable stack access prohibited for !root, var_off=(0x0; 0x8) off=-16")),
        new("bounds/stack_var_read_past_fp", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            *(u64 *)(r10 -16) = 0
            r6 = *(u32 *)(r1 +0)
            r6 &= 0xff
            r7 = r10
            r7 += -16
            r7 += r6
            r0 = *(u64 *)(r7 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "misaligned stack access off (0x0; 0xff)+-16+0 size 8")),
        new("bounds/stack_var_write_then_fixed_read", SocketFilter, Root, """
            r6 = *(u32 *)(r1 +0)
            r6 &= 0x8
            r7 = r10
            r7 += -16
            r7 += r6
            *(u64 *)(r7 +0) = 1
            r0 = *(u64 *)(r10 -16)
            exit
            """, NoMaps, Kernel: Accept),
        new("bounds/stack_var_write_below_limit", SocketFilter, Root, """
            r6 = *(u32 *)(r1 +0)
            r6 &= 0x8
            r7 = r10
            r7 += -520
            r7 += r6
            *(u64 *)(r7 +0) = 1
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid variable-offset write to stack R7 var_off=(0x0; 0x8) off=-520 size=8")),
        new("bounds/stack_var_unbounded", SocketFilter, Root, """
            r6 = *(u32 *)(r1 +0)
            r7 = r10
            r7 += -16
            r7 += r6
            r0 = *(u64 *)(r7 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "misaligned stack access off (0x0; 0xffffffff)+-16+0 size 8")),
        new("bounds/stack_var_unbounded_min", SocketFilter, Root, """
            call bpf_get_prandom_u32
            r7 = r10
            r7 += r0
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "math between fp pointer and register with unbounded min value is not allowed")),
        new("bounds/stack_var_negative_index", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            *(u64 *)(r10 -16) = 0
            r6 = *(u32 *)(r1 +0)
            r6 &= 0x8
            r7 = r10
            r7 += -8
            r7 -= r6
            r0 = *(u64 *)(r7 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "R7 subtraction from stack pointer prohibited")),
        new("bounds/stack_var_misaligned", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            *(u64 *)(r10 -16) = 0
            r6 = *(u32 *)(r1 +0)
            r6 &= 0x4
            r7 = r10
            r7 += -16
            r7 += r6
            r0 = *(u64 *)(r7 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "misaligned stack access off (0x0; 0x4)+-16+0 size 8")),
        new("bounds/stack_var_helper_arg", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            *(u64 *)(r10 -16) = 0
            r6 = *(u32 *)(r1 +0)
            r6 &= 0x8
            r2 = r10
            r2 += -16
            r2 += r6
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            r0 = 0
            exit
            """, Array64Map, Kernel: Accept),
        new("bounds/stack_var_helper_arg_bpfonly", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 0
            *(u64 *)(r10 -16) = 0
            r6 = *(u32 *)(r1 +0)
            r6 &= 0x8
            r2 = r10
            r2 += -16
            r2 += r6
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            r0 = 0
            exit
            """, Array64Map, Kernel: Reject(13, "R2 variable stack access prohibited for !root, var_off=(0x0; 0x8) off=-16")),
    ];
}
