using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// The 32-bit view of scalars (kernel: the scalar32_min_max_* half of adjust_scalar_min_max_vals, zext_32_to_64,
// __reg_combine_32_into_64 / __reg_deduce_mixed_bounds, the JMP32 side of is_branch_taken and reg_set_min_max,
// coerce_reg_to_size_sx and coerce_subreg_to_size_sx for movsx and ldsx, byte swaps). Same shape as the bounds
// group: an offset computed from an unknown value indexes a 64-byte map value.
internal static partial class VerifierCorpus
{
    /// <summary><see cref="Value64"/> with r6 the value's first u32 (zero-extended: the upper half is known zero).</summary>
    private static string Index32(string compute, string access = "r1 = *(u8 *)(r0 +0)") =>
        Index("r6 = *(u32 *)(r0 +0)\n" + compute, access);

    private static VerifierCase[] Subreg() =>
    [
        // ALU32 results are zero-extended.
        new("subreg/mov32_self_then_mask", SocketFilter, Root, Index("w6 = w6\nw6 &= 0x3f"), Array64Map, Kernel: Accept),
        new("subreg/and32_mask_u64", SocketFilter, Root, Index("w6 &= 0x38", U64Load), Array64Map, Kernel: Accept),
        new("subreg/and32_mask_past_end", SocketFilter, Root, Index("w6 &= 0x7f"), Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("subreg/add32_after_mask", SocketFilter, Root, Index("w6 &= 0x1f\nw6 += 8"), Array64Map, Kernel: Accept),
        new("subreg/sub32_wraps", SocketFilter, Root, Index("w6 &= 0xf\nw6 -= 8"), Array64Map, Kernel: Reject(13, "R0 unbounded memory access, make sure to bounds check any such access")),
        new("subreg/sub32_wraps_then_masked", SocketFilter, Root, Index("w6 &= 0xf\nw6 -= 8\nw6 &= 0x3f"), Array64Map, Kernel: Accept),
        new("subreg/add32_of_unknown", SocketFilter, Root, Index("w6 += 1"), Array64Map, Kernel: Reject(13, "R0 unbounded memory access, make sure to bounds check any such access")),
        new("subreg/lsh32_const", SocketFilter, Root, Index("w6 &= 0x7\nw6 <<= 3", U64Load), Array64Map, Kernel: Accept),
        new("subreg/lsh32_drops_high_bits", SocketFilter, Root, Index("w6 <<= 26\nw6 >>= 26"), Array64Map, Kernel: Accept),
        new("subreg/rsh32_const", SocketFilter, Root, Index("w6 >>= 26"), Array64Map, Kernel: Accept),
        new("subreg/arsh32_const", SocketFilter, Root, Index("w6 s>>= 26"), Array64Map, Kernel: Reject(13, "R0 unbounded memory access, make sure to bounds check any such access")),
        new("subreg/arsh32_of_masked", SocketFilter, Root, Index("w6 &= 0xff\nw6 s>>= 2"), Array64Map, Kernel: Accept),
        new("subreg/rsh32_by_reg", SocketFilter, Root, Index("w7 = 26\nw6 >>= w7"), Array64Map, Kernel: Accept),
        new("subreg/lsh32_by_bounded_reg", SocketFilter, Root, Index("w7 = w6\nw7 &= 0x3\nw6 &= 0x7\nw6 <<= w7"), Array64Map, Kernel: Reject(22, "math between map_value pointer and register with unbounded min value is not allowed")),
        new("subreg/neg32_masked", SocketFilter, Root, Index("w6 &= 0x7\nw6 = -w6"), Array64Map, Kernel: Reject(13, "R0 unbounded memory access, make sure to bounds check any such access")),
        new("subreg/mul32_const", SocketFilter, Root, Index("w6 &= 0x7\nw6 *= 8", U64Load), Array64Map, Kernel: Accept),
        new("subreg/mul32_two_bounded", SocketFilter, Root, Index("w7 = w6\nw7 &= 0x7\nw6 &= 0x7\nw6 *= w7"), Array64Map, Kernel: Accept),
        new("subreg/mul32_overflows", SocketFilter, Root, Index("w6 &= 0xffff\nw6 *= 0x10001\nw6 &= 0x3f"), Array64Map, Kernel: Accept),
        new("subreg/or32_high", SocketFilter, Root, Index("w6 &= 0x3f\nw6 |= 0x40"), Array64Map, Kernel: Reject(13, "R0 min value is outside of the allowed memory range")),
        new("subreg/xor32_masked", SocketFilter, Root, Index("w6 &= 0x3f\nw6 ^= 0x3f"), Array64Map, Kernel: Accept),
        new("subreg/div32_not_tracked", SocketFilter, Root, Index("w6 &= 0x3f\nw6 /= 2"), Array64Map, Kernel: Reject(22, "math between map_value pointer and register with unbounded min value is not allowed")),
        new("subreg/mov32_of_64_bit_negative", SocketFilter, Root, Index("r6 &= 0x7\nr6 -= 8\nw6 = w6"), Array64Map, Kernel: Reject(22, "value 4294967288 makes map_value pointer be out of bounds")),
        new("subreg/alu64_after_mov32", SocketFilter, Root, Index("w6 = w6\nr6 += -1"), Array64Map, Kernel: Reject(13, "R0 min value is negative, either use unsigned index or do a if (index >=0) check.")),
        new("subreg/mov32_truncates_constant", SocketFilter, Root, Index("r6 = 0x100000005 ll\nw6 = w6", U64Load), Array64Map, Kernel: Accept),
        new("subreg/u32_load_is_bounded", SocketFilter, Root, Index32("r6 >>= 26"), Array64Map, Kernel: Accept),
        new("subreg/u16_load_is_bounded", SocketFilter, Root, Index("r6 = *(u16 *)(r0 +0)\nr6 >>= 10"), Array64Map, Kernel: Accept),

        // JMP32 refines the low half; the 64-bit bounds follow only where the upper half is known.
        new("subreg/jmp32_upper_unknown", SocketFilter, Root, Index("if w6 > 0x38 goto out", U64Load), Array64Map, Kernel: Reject(22, "math between map_value pointer and register with unbounded min value is not allowed")),
        new("subreg/jmp32_after_mov32", SocketFilter, Root, Index("w6 = w6\nif w6 > 0x38 goto out", U64Load), Array64Map, Kernel: Accept),
        new("subreg/jmp32_after_u32_load", SocketFilter, Root, Index32("if w6 > 0x38 goto out", U64Load), Array64Map, Kernel: Accept),
        new("subreg/jmp32_after_rsh32", SocketFilter, Root, Index("r6 >>= 32\nif w6 > 0x38 goto out", U64Load), Array64Map, Kernel: Accept),
        new("subreg/jmp32_off_by_one", SocketFilter, Root, Index32("if w6 > 0x39 goto out", U64Load), Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("subreg/jmp32_jge", SocketFilter, Root, Index32("if w6 >= 0x39 goto out", U64Load), Array64Map, Kernel: Accept),
        new("subreg/jmp32_jlt_taken", SocketFilter, Root, Index32("if w6 < 0x39 goto ok\ngoto out\nok:", U64Load), Array64Map, Kernel: Accept),
        new("subreg/jmp32_jle_taken", SocketFilter, Root, Index32("if w6 <= 0x38 goto ok\ngoto out\nok:", U64Load), Array64Map, Kernel: Accept),
        new("subreg/jmp32_signed_both", SocketFilter, Root, Index32("if w6 s> 0x38 goto out\nif w6 s< 0x0 goto out", U64Load), Array64Map, Kernel: Accept),
        new("subreg/jmp32_signed_upper_only", SocketFilter, Root, Index32("if w6 s> 0x38 goto out", U64Load), Array64Map, Kernel: Reject(13, "R0 unbounded memory access, make sure to bounds check any such access")),
        new("subreg/jmp32_jsge_jsle_taken", SocketFilter, Root, Index32("if w6 s>= 0x0 goto ge\ngoto out\nge:\nif w6 s<= 0x38 goto ok\ngoto out\nok:", U64Load), Array64Map, Kernel: Accept),
        new("subreg/jmp32_jeq", SocketFilter, Root, Index32("if w6 == 0x8 goto ok\ngoto out\nok:", U64Load), Array64Map, Kernel: Accept),
        new("subreg/jmp32_jeq_upper_unknown", SocketFilter, Root, Index("if w6 == 0x8 goto ok\ngoto out\nok:", U64Load), Array64Map, Kernel: Reject(22, "value -9223372036854775800 makes map_value pointer be out of bounds")),
        new("subreg/jmp32_jset", SocketFilter, Root, Index32("if w6 & -64 goto out"), Array64Map, Kernel: Accept),
        new("subreg/jmp32_reg_const", SocketFilter, Root, Index32("w7 = 0x38\nif w6 > w7 goto out", U64Load), Array64Map, Kernel: Accept),
        new("subreg/jmp32_reg_bounded", SocketFilter, Root, Index32("r7 = *(u8 *)(r0 +8)\nw7 &= 0x1f\nif w6 > w7 goto out"), Array64Map, Kernel: Accept),
        new("subreg/jmp64_then_alu32", SocketFilter, Root, Index("if r6 > 0x38 goto out\nw6 += 4"), Array64Map, Kernel: Accept),
        new("subreg/jmp64_then_alu32_u64", SocketFilter, Root, Index("if r6 > 0x38 goto out\nw6 += 4", U64Load), Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("subreg/jmp32_pointer_null_check", SocketFilter, Root, """
            *(u32 *)(r10 -4) = 0
            r2 = r10
            r2 += -4
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            if w0 == 0x0 goto out
            r1 = *(u8 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, Array64Map, Kernel: Accept),

        // Copies linked by a 32-bit addition of a constant (the result zero-extended): only when the value fits in 32 bits.
        new("subreg/linked_add32_checked", SocketFilter, Root, Index("w6 = w6\nw7 = w6\nw7 += 8\nif w7 > 0x40 goto out", U64Load), Array64Map, Kernel: Reject(13, "R0 unbounded memory access, make sure to bounds check any such access")),
        new("subreg/linked_add32_upper_unknown", SocketFilter, Root, Index("r7 = r6\nw7 += 8\nif w7 > 0x40 goto out", U64Load), Array64Map, Kernel: Reject(22, "math between map_value pointer and register with unbounded min value is not allowed")),
        new("subreg/linked_sub32_checked", SocketFilter, Root, Index32("r7 = r6\nw7 -= 8\nif r7 > 0x30 goto out", U64Load), Array64Map, Kernel: Accept),
        new("subreg/linked_mixed_widths_synced_base", SocketFilter, Root, Index32("r7 = r6\nw7 += 1\nr8 = r6\nr8 += 2\nif r7 > 0x39 goto out", U64Load), Array64Map, Kernel: Reject(13, "R0 unbounded memory access, make sure to bounds check any such access")),
        new("subreg/linked_mixed_widths_not_synced", SocketFilter, Root, Index32("r7 = r6\nw7 += 1\nr8 = r6\nr8 += 2\nif r7 > 0x39 goto out\nr6 = r8"), Array64Map, Kernel: Reject(13, "R0 unbounded memory access, make sure to bounds check any such access")),
        new("subreg/linked_add32_wraps", SocketFilter, Root, """
            call bpf_get_prandom_u32
            w0 |= 0xffffff00
            r1 = r0
            w1 += 0x100
            if r1 > 0x80 goto out
            r2 = r0
            r2 >>= 32
            if r2 == 0x0 goto out
            r0 = *(u64 *)(r9 +0)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("subreg/linked_add32_zext_of_target", SocketFilter, Root, """
            call bpf_get_prandom_u32
            w6 = w0
            r7 = r6
            w7 += 1
            r8 = 0xffffffff ll
            if r6 < r8 goto out
            r7 >>= 32
            if r7 == 0x0 goto out
            r0 = *(u64 *)(r9 +0)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),

        // An s32 range crossing the sign boundary meets the u32 range in one of its halves only.
        new("subreg/s32_crossing_refined_by_u32", SocketFilter, Root, $"""
            {Value64}
            if w6 < 0x3 goto out
            if w6 s> 0x1 goto out
            if w6 s< 0x0 goto out
            r0 = *(u64 *)(r9 +0)
            {Out}
            """, Array64Map, Kernel: Accept),

        // Dead branches decided by the 32-bit view.
        new("subreg/dead_jmp32_after_mask", SocketFilter, Root, $"""
            {Value64}
            w6 &= 0x7
            if w6 > 0x7 goto bad
            goto out
            bad:
            r0 = *(u64 *)(r6 +0)
            {Out}
            """, Array64Map, Kernel: Accept),
        new("subreg/dead_jmp32_low_half_constant", SocketFilter, Root, """
            r6 = 0x100000005 ll
            if w6 == 0x5 goto good
            r0 = *(u64 *)(r6 +0)
            good:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("subreg/dead_jmp32_low_half_zero", SocketFilter, Root, """
            call bpf_get_prandom_u32
            r0 <<= 32
            if w0 != 0x0 goto bad
            r0 = 0
            exit
            bad:
            r0 = *(u64 *)(r0 +0)
            exit
            """, NoMaps, Kernel: Accept),
        new("subreg/live_jmp64_low_half_zero", SocketFilter, Root, """
            call bpf_get_prandom_u32
            r0 <<= 32
            if r0 != 0x0 goto bad
            r0 = 0
            exit
            bad:
            r0 = *(u64 *)(r0 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "R0 invalid mem access 'scalar'")),
        new("subreg/dead_jmp32_signed", SocketFilter, Root, $"""
            {Value64}
            w6 &= 0x7fff
            if w6 s< 0x0 goto bad
            goto out
            bad:
            r0 = *(u64 *)(r6 +0)
            {Out}
            """, Array64Map, Kernel: Accept),

        // Sign extension: movsx (64 and 32 bit) and ldsx.
        new("subreg/movsx8_of_masked", SocketFilter, Root, Index("r6 &= 0x3f\nr6 = (s8)r6"), Array64Map, Kernel: Accept),
        new("subreg/movsx8_of_unknown", SocketFilter, Root, Index("r6 = (s8)r6"), Array64Map, Kernel: Reject(13, "R0 min value is negative, either use unsigned index or do a if (index >=0) check.")),
        new("subreg/movsx8_of_byte", SocketFilter, Root, Index("r6 &= 0xff\nr6 = (s8)r6"), Array64Map, Kernel: Reject(13, "R0 min value is negative, either use unsigned index or do a if (index >=0) check.")),
        new("subreg/movsx16_of_masked", SocketFilter, Root, Index("r6 &= 0xff\nr6 = (s16)r6"), Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("subreg/movsx32_of_u32", SocketFilter, Root, Index32("r6 = (s32)r6"), Array64Map, Kernel: Reject(22, "value -2147483648 makes map_value pointer be out of bounds")),
        new("subreg/movsx32_of_masked", SocketFilter, Root, Index("r6 &= 0x3f\nr6 = (s32)r6"), Array64Map, Kernel: Accept),
        new("subreg/movsx8_then_unsigned_check", SocketFilter, Root, Index("r6 = (s8)r6\nif r6 > 0x38 goto out", U64Load), Array64Map, Kernel: Accept),
        new("subreg/movsx8_then_signed_check", SocketFilter, Root, Index("r6 = (s8)r6\nif r6 s< 0x0 goto out"), Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("subreg/movsx8_constant", SocketFilter, Root, Index("r6 = 0xf8\nr6 = (s8)r6"), Array64Map, Kernel: Reject(13, "R0 min value is outside of the allowed memory range")),
        new("subreg/movsx32_8_of_unknown", SocketFilter, Root, Index("w6 = (s8)w6"), Array64Map, Kernel: Reject(13, "R0 unbounded memory access, make sure to bounds check any such access")),
        new("subreg/movsx32_16_of_masked", SocketFilter, Root, Index("w6 &= 0x3f\nw6 = (s16)w6"), Array64Map, Kernel: Accept),
        new("subreg/movsx32_8_then_mask", SocketFilter, Root, Index("w6 = (s8)w6\nw6 &= 0x3f"), Array64Map, Kernel: Accept),
        new("subreg/ldsx8", SocketFilter, Root, Index("r6 = *(s8 *)(r0 +0)"), Array64Map, Kernel: Reject(13, "R0 min value is negative, either use unsigned index or do a if (index >=0) check.")),
        new("subreg/ldsx8_signed_lower_check", SocketFilter, Root, Index("r6 = *(s8 *)(r0 +0)\nif r6 s< 0x0 goto out"), Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("subreg/ldsx8_both_checks", SocketFilter, Root, Index("r6 = *(s8 *)(r0 +0)\nif r6 s< 0x0 goto out\nif r6 s> 0x3f goto out"), Array64Map, Kernel: Accept),
        new("subreg/ldsx16_unsigned_check", SocketFilter, Root, Index("r6 = *(s16 *)(r0 +0)\nif r6 > 0x38 goto out", U64Load), Array64Map, Kernel: Accept),
        new("subreg/ldsx32_masked", SocketFilter, Root, Index("r6 = *(s32 *)(r0 +0)\nr6 &= 0x38", U64Load), Array64Map, Kernel: Accept),
        new("subreg/ldsx32_jmp32_checked", SocketFilter, Root, Index("r6 = *(s32 *)(r0 +0)\nif w6 > 0x38 goto out", U64Load), Array64Map, Kernel: Accept),
        new("subreg/ldsx8_from_stack_spill", SocketFilter, Root, Index("r6 &= 0x3f\n*(u64 *)(r10 -16) = r6\nr6 = *(s8 *)(r10 -16)"), Array64Map, Kernel: Accept),
        new("subreg/ldsx8_from_ctx", SocketFilter, Root, """
            r0 = *(s8 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Accept),

        // Byte swaps.
        new("subreg/be16_of_masked", SocketFilter, Root, Index("r6 &= 0x3f\nr6 = be16 r6"), Array64Map, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("subreg/le16_of_masked", SocketFilter, Root, Index("r6 &= 0x3f\nr6 = le16 r6"), Array64Map, Kernel: Accept),
        new("subreg/le64_of_masked", SocketFilter, Root, Index("r6 &= 0x3f\nr6 = le64 r6"), Array64Map, Kernel: Accept),
        new("subreg/bswap16_then_mask", SocketFilter, Root, Index("r6 = bswap16 r6\nr6 &= 0x3f"), Array64Map, Kernel: Accept),
        new("subreg/be32_then_rsh", SocketFilter, Root, Index("r6 = be32 r6\nr6 >>= 26"), Array64Map, Kernel: Accept),

        // BpfOnly: the Spectre v1 rules look at the 64-bit signed bounds.
        new("subreg/u32_index_bpfonly", SocketFilter, BpfOnly, Index32("if w6 > 0x38 goto out", U64Load), Array64Map, Kernel: Accept),
        new("subreg/movsx8_index_bpfonly", SocketFilter, BpfOnly, Index("r6 = (s8)r6"), Array64Map, Kernel: Reject(13, "R6 has unknown scalar with mixed signed bounds, pointer arithmetic with it prohibited for !root")),
    ];
}
