using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// Precision tracking (kernel: mark_chain_precision, backtrack_insn, regsafe on imprecise scalars): with a
// checkpoint at every prune point (BPF_F_TEST_STATE_FREQ), the first path walked reaches a join with a safe value
// and the second with an unsafe one. A scalar that decided safety after the join must have been marked precise in
// the join's checkpoint, through whatever carried it there (a jump's known outcome, a spill and fill, a copy linked
// by id, a call's return value, a callee-saved register, a helper's size argument, a constant map key, the return
// value), or the second path is pruned and the program accepted. Each safe twin shows the first path alone passes.
internal static partial class VerifierCorpus
{
    private const uint TestStateFreq = 8; // BPF_F_TEST_STATE_FREQ

    private static VerifierCase[] Precision() =>
    [
        new("precision/known_branch_second_side_unsafe", SocketFilter, Root, """
            r6 = *(u32 *)(r1 +0)
            r2 = 4000
            if r6 > 0x5 goto pc+1
            r2 = 3
            r0 = 0
            if r2 < 0x10 goto pc+1
            r0 = *(u64 *)(r0 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "R0 invalid mem access 'scalar'"), ProgFlags: TestStateFreq),
        new("precision/known_branch_both_sides_safe", SocketFilter, Root, """
            r6 = *(u32 *)(r1 +0)
            r2 = 4
            if r6 > 0x5 goto pc+1
            r2 = 3
            r0 = 0
            if r2 < 0x10 goto pc+1
            r0 = *(u64 *)(r0 +0)
            exit
            """, NoMaps, Kernel: Accept, ProgFlags: TestStateFreq),
        new("precision/spilled_offset_second_side_unsafe", SocketFilter, Root, """
            r6 = *(u32 *)(r1 +0)
            *(u64 *)(r10 -16) = 0
            r2 = 4000
            if r6 > 0x5 goto pc+1
            r2 = 3
            *(u64 *)(r10 -8) = r2
            r3 = *(u64 *)(r10 -8)
            r4 = r10
            r4 += -16
            r4 += r3
            r0 = *(u8 *)(r4 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R4 off=3984 size=1"), ProgFlags: TestStateFreq),
        new("precision/spilled_offset_both_sides_safe", SocketFilter, Root, """
            r6 = *(u32 *)(r1 +0)
            *(u64 *)(r10 -16) = 0
            r2 = 5
            if r6 > 0x5 goto pc+1
            r2 = 3
            *(u64 *)(r10 -8) = r2
            r3 = *(u64 *)(r10 -8)
            r4 = r10
            r4 += -16
            r4 += r3
            r0 = *(u8 *)(r4 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ProgFlags: TestStateFreq),
        new("precision/narrow_spill_second_side_unsafe", SocketFilter, Root, """
            r6 = *(u32 *)(r1 +0)
            *(u64 *)(r10 -16) = 0
            r2 = 4000
            if r6 > 0x5 goto pc+1
            r2 = 3
            *(u32 *)(r10 -8) = r2
            r3 = *(u32 *)(r10 -8)
            r4 = r10
            r4 += -16
            r4 += r3
            r0 = *(u8 *)(r4 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R4 off=3984 size=1"), ProgFlags: TestStateFreq),
        new("precision/linked_copy_second_side_unlinked", SocketFilter, Root, """
            r6 = *(u32 *)(r1 +0)
            r7 = *(u32 *)(r1 +4)
            r9 = *(u32 *)(r1 +8)
            *(u64 *)(r10 -8) = 0
            *(u64 *)(r10 -16) = 0
            r8 = r7
            if r9 > 0x5 goto pc+1
            r8 = r6
            if r6 > 0x7 goto pc+4
            r2 = r10
            r2 += -16
            r2 += r8
            r0 = *(u8 *)(r2 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid unbounded variable-offset read from stack R2"), ProgFlags: TestStateFreq),
        new("precision/linked_copy_both_sides_linked", SocketFilter, Root, """
            r6 = *(u32 *)(r1 +0)
            r9 = *(u32 *)(r1 +8)
            *(u64 *)(r10 -8) = 0
            *(u64 *)(r10 -16) = 0
            r8 = r6
            if r9 > 0x5 goto pc+1
            r8 = r6
            if r6 > 0x7 goto pc+4
            r2 = r10
            r2 += -16
            r2 += r8
            r0 = *(u8 *)(r2 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ProgFlags: TestStateFreq),
        new("precision/linked_add_const_second_side_other_const", SocketFilter, Root, """
            r6 = *(u32 *)(r1 +0)
            r9 = *(u32 *)(r1 +8)
            *(u64 *)(r10 -8) = 0
            *(u64 *)(r10 -16) = 0
            r8 = r6
            r8 += 9
            if r9 > 0x5 goto pc+2
            r8 = r6
            r8 += 1
            if r6 > 0x7 goto pc+4
            r2 = r10
            r2 += -16
            r2 += r8
            r0 = *(u8 *)(r2 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "invalid variable-offset read from stack R2 var_off=(0x0; 0x1f) off=-16 size=1"), ProgFlags: TestStateFreq),
        new("precision/callee_return_second_side_unsafe", SocketFilter, Root, """
            r6 = *(u32 *)(r1 +0)
            *(u64 *)(r10 -8) = 0
            *(u64 *)(r10 -16) = 0
            r1 = 4000
            if r6 > 0x5 goto pc+1
            r1 = 3
            call pc+6
            r2 = r10
            r2 += -16
            r2 += r0
            r0 = *(u8 *)(r2 +0)
            r0 = 0
            exit
            r0 = r1
            r0 += 1
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R2 off=3985 size=1"), ProgFlags: TestStateFreq),
        new("precision/callee_saved_second_side_unsafe", SocketFilter, Root, """
            r6 = *(u32 *)(r1 +0)
            *(u64 *)(r10 -8) = 0
            *(u64 *)(r10 -16) = 0
            r7 = 4000
            if r6 > 0x5 goto pc+1
            r7 = 1
            r1 = 0
            call pc+6
            r2 = r10
            r2 += -16
            r2 += r7
            r0 = *(u8 *)(r2 +0)
            r0 = 0
            exit
            r0 = r1
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R2 off=3984 size=1"), ProgFlags: TestStateFreq),
        new("precision/callee_fills_caller_spill_second_side_unsafe", SocketFilter, Root, """
            r6 = *(u32 *)(r1 +0)
            *(u64 *)(r10 -16) = 0
            *(u64 *)(r10 -24) = 0
            r2 = 4000
            if r6 > 0x5 goto pc+1
            r2 = 3
            *(u64 *)(r10 -8) = r2
            r1 = r10
            r1 += -8
            call pc+6
            r2 = r10
            r2 += -24
            r2 += r0
            r0 = *(u8 *)(r2 +0)
            r0 = 0
            exit
            r0 = *(u64 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R2 off=3976 size=1"), ProgFlags: TestStateFreq),
        new("precision/callee_uses_argument_second_side_unsafe", SocketFilter, Root, """
            r6 = *(u32 *)(r1 +0)
            r1 = 4000
            if r6 > 0x5 goto pc+1
            r1 = 3
            call pc+2
            r0 = 0
            exit
            *(u64 *)(r10 -8) = 0
            *(u64 *)(r10 -16) = 0
            r2 = r10
            r2 += -16
            r2 += r1
            r0 = *(u8 *)(r2 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R2 off=3984 size=1"), ProgFlags: TestStateFreq),
        new("precision/helper_size_second_side_too_big", SocketFilter, Root, """
            r6 = r1
            r7 = *(u32 *)(r6 +0)
            *(u64 *)(r10 -8) = 0
            *(u64 *)(r10 -16) = 0
            r4 = 100
            if r7 > 0x5 goto pc+1
            r4 = 16
            r1 = r6
            r2 = 0
            r3 = r10
            r3 += -16
            call bpf_skb_load_bytes
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "invalid write to stack R3 off=-16 size=100"), ProgFlags: TestStateFreq),
        new("precision/array_key_second_side_out_of_range", SocketFilter, Root, """
            r6 = *(u32 *)(r1 +0)
            r2 = 7
            if r6 > 0x5 goto pc+1
            r2 = 0
            *(u32 *)(r10 -8) = r2
            r2 = r10
            r2 += -8
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            r0 = *(u64 *)(r0 +0)
            r0 = 0
            exit
            """, ArrayMap, Kernel: Reject(13, "R0 invalid mem access 'map_value_or_null'"), ProgFlags: TestStateFreq),
        new("precision/array_key_both_sides_in_range", SocketFilter, Root, """
            r6 = *(u32 *)(r1 +0)
            r2 = 3
            if r6 > 0x5 goto pc+1
            r2 = 0
            *(u32 *)(r10 -8) = r2
            r2 = r10
            r2 += -8
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            r0 = *(u64 *)(r0 +0)
            r0 = 0
            exit
            """, ArrayMap, Kernel: Accept, ProgFlags: TestStateFreq),
        new("precision/return_value_second_side_out_of_range", CgroupSkb, Root, """
            r6 = *(u32 *)(r1 +0)
            r0 = 2
            if r6 > 0x5 goto pc+1
            r0 = 1
            r1 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]"), ProgFlags: TestStateFreq),
        new("precision/alu32_second_side_unsafe", SocketFilter, Root, """
            r6 = *(u32 *)(r1 +0)
            *(u64 *)(r10 -8) = 0
            *(u64 *)(r10 -16) = 0
            w2 = 4000
            if w6 > 0x5 goto pc+1
            w2 = 3
            w3 = w2
            w3 += 1
            r4 = r10
            r4 += -16
            r4 += r3
            r0 = *(u8 *)(r4 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R4 off=3985 size=1"), ProgFlags: TestStateFreq),
        new("precision/sign_extended_second_side_unsafe", SocketFilter, Root, """
            r6 = *(u32 *)(r1 +0)
            *(u64 *)(r10 -8) = 0
            *(u64 *)(r10 -16) = 0
            r2 = 0x17f
            if r6 > 0x5 goto pc+1
            r2 = 0x103
            r3 = (s8)r2
            r4 = r10
            r4 += -16
            r4 += r3
            r0 = *(u8 *)(r4 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R4 off=111 size=1"), ProgFlags: TestStateFreq),
        new("precision/packet_offset_second_side_unsafe", Xdp, Root, """
            r2 = *(u32 *)(r1 +0)
            r3 = *(u32 *)(r1 +4)
            r4 = *(u32 *)(r1 +12)
            r5 = 8
            if r4 > 0x5 goto pc+1
            r5 = 4
            r0 = r2
            r0 += 8
            if r0 > r3 goto pc+3
            r2 += r5
            r0 = *(u32 *)(r2 +0)
            r0 = 2
            exit
            """, NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet"), ProgFlags: TestStateFreq),
        new("precision/seven_spilled_copies_lose_the_link", SocketFilter, Root, """
            r6 = *(u32 *)(r1 +0)
            *(u64 *)(r10 -64) = 0
            *(u64 *)(r10 -72) = 0
            *(u64 *)(r10 -8) = r6
            *(u64 *)(r10 -16) = r6
            *(u64 *)(r10 -24) = r6
            *(u64 *)(r10 -32) = r6
            *(u64 *)(r10 -40) = r6
            *(u64 *)(r10 -48) = r6
            *(u64 *)(r10 -56) = r6
            if r6 > 0x7 goto pc+6
            r8 = *(u64 *)(r10 -56)
            r2 = r10
            r2 += -72
            r2 += r8
            r0 = *(u8 *)(r2 +0)
            r0 = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid unbounded variable-offset read from stack R2")),
    ];
}
