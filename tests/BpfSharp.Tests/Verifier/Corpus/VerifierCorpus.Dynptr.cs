using BpfSharp.Uapi;
using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// Dynptrs (kernel: process_dynptr_func, dynptr_get_spi, mark/unmark_stack_slots_dynptr, destroy_if_dynptr_stack_slot,
// the STACK_DYNPTR rules of the stack reads and writes, check_helper_call's bpf_dynptr_from_mem and bpf_dynptr_data
// cases, stacksafe's dynptr comparison): local dynptrs over a map value (bpf_dynptr_from_mem, read, write, data) and
// ring buffer dynptrs (bpf_ringbuf_reserve_dynptr, submit, discard), their slots, slices and references.
internal static partial class VerifierCorpus
{
    /// <summary>An array of one 64-byte value, the memory of the local dynptrs.</summary>
    private static CaseMap[] DynptrArrayMap => [new(BpfMapType.Array, 4, 64, 1)];

    /// <summary>The 64-byte array (map 0) and a 4 KiB ring buffer (map 1).</summary>
    private static CaseMap[] DynptrArrayAndRingBuf => [new(BpfMapType.Array, 4, 64, 1), new(BpfMapType.Ringbuf, 0, 0, 4096)];

    /// <summary>r6 = the array's value 0 (exits with 0 when NULL), then a local dynptr over its 64 bytes at fp-24.</summary>
    internal const string LocalDynptr = """
        *(u32 *)(r10 -4) = 0
        r2 = r10
        r2 += -4
        r1 = map[idx:0]
        call bpf_map_lookup_elem
        if r0 != 0x0 goto have_value
        exit
        have_value:
        r6 = r0
        r1 = r0
        r2 = 64
        r3 = 0
        r4 = r10
        r4 += -24
        call bpf_dynptr_from_mem

        """;

    /// <summary>A ring buffer dynptr of 16 bytes at fp-16 from map 0 (whether or not the reservation succeeded).</summary>
    private const string RingDynptr = """
        r1 = map[idx:0]
        r2 = 16
        r3 = 0
        r4 = r10
        r4 += -16
        call bpf_ringbuf_reserve_dynptr

        """;

    private static VerifierCase[] Dynptr() =>
    [
        // bpf_dynptr_from_mem
        new("dynptr/from_mem_map_value", SocketFilter, Root, LocalDynptr + """
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Accept),
        new("dynptr/from_mem_map_value_bpfonly", SocketFilter, BpfOnly, LocalDynptr + """
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Accept),
        new("dynptr/from_mem_stack_data", SocketFilter, Root, """
            r1 = r10
            r1 += -48
            r2 = 16
            r3 = 0
            r4 = r10
            r4 += -16
            call bpf_dynptr_from_mem
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "Unsupported reg type fp for bpf_dynptr_from_mem data")),
        new("dynptr/from_mem_null_data", SocketFilter, Root, """
            r1 = 0
            r2 = 0
            r3 = 0
            r4 = r10
            r4 += -16
            call bpf_dynptr_from_mem
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 type=scalar expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_")),
        new("dynptr/from_mem_size_past_value", SocketFilter, Root, LocalDynptr.Replace("r2 = 64", "r2 = 65", StringComparison.Ordinal) + """
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Reject(13, "R1 min value is outside of the allowed memory range")),
        new("dynptr/from_mem_size_zero", SocketFilter, Root, LocalDynptr.Replace("r2 = 64", "r2 = 0", StringComparison.Ordinal) + """
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Accept),
        new("dynptr/from_mem_size_bounded", SocketFilter, Root, LocalDynptr.Replace("r2 = 64", "r2 = *(u32 *)(r0 +0)\nr2 &= 63", StringComparison.Ordinal) + """
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Accept),
        new("dynptr/from_mem_size_unbounded", SocketFilter, Root, LocalDynptr.Replace("r2 = 64", "r2 = *(u32 *)(r0 +0)", StringComparison.Ordinal) + """
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Reject(13, "R2 unbounded memory access, use 'var &= const' or 'if (var < const)'")),
        new("dynptr/from_mem_flags_unknown", SocketFilter, Root, LocalDynptr.Replace("r3 = 0", "r3 = *(u32 *)(r0 +4)", StringComparison.Ordinal) + """
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Accept),
        new("dynptr/from_mem_misaligned", SocketFilter, Root, LocalDynptr.Replace("r4 += -24", "r4 += -20", StringComparison.Ordinal) + """
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Reject(22, "Dynptr has to be an uninitialized dynptr")),
        new("dynptr/from_mem_at_fp_minus_8", SocketFilter, Root, LocalDynptr.Replace("r4 += -24", "r4 += -8", StringComparison.Ordinal) + """
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Reject(22, "Dynptr has to be an uninitialized dynptr")),
        new("dynptr/from_mem_at_fp", SocketFilter, Root, LocalDynptr.Replace("r4 += -24", "r4 += 0", StringComparison.Ordinal) + """
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Reject(22, "Dynptr has to be an uninitialized dynptr")),
        new("dynptr/from_mem_past_stack", SocketFilter, Root, LocalDynptr.Replace("r4 += -24", "r4 += -520", StringComparison.Ordinal) + """
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Reject(13, "invalid write to stack R4 off=-520 size=8")),
        new("dynptr/from_mem_at_stack_bottom", SocketFilter, Root, LocalDynptr.Replace("r4 += -24", "r4 += -512", StringComparison.Ordinal) + """
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Accept),
        new("dynptr/from_mem_variable_offset", SocketFilter, Root, LocalDynptr.Replace("r4 += -24", "r4 += -32\nr7 = *(u32 *)(r6 +0)\nr7 &= 8\nr4 += r7", StringComparison.Ordinal) + """
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Reject(22, "Dynptr has to be an uninitialized dynptr")),
        new("dynptr/from_mem_dynptr_in_map_value", SocketFilter, Root, LocalDynptr.Replace("r4 += -24", "r4 = r6", StringComparison.Ordinal).Replace("r4 = r10\n", "", StringComparison.Ordinal) + """
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Reject(13, "R4 type=map_value expected=fp, dynptr_ptr")),
        new("dynptr/from_mem_dynptr_scalar", SocketFilter, Root, LocalDynptr.Replace("r4 = r10\nr4 += -24", "r4 = 0", StringComparison.Ordinal) + """
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Reject(13, "R4 type=scalar expected=fp, dynptr_ptr")),
        new("dynptr/from_mem_twice_same_slots", SocketFilter, Root, LocalDynptr + """
            r1 = r6
            r2 = 8
            r3 = 0
            r4 = r10
            r4 += -24
            call bpf_dynptr_from_mem
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Accept),
        new("dynptr/from_mem_overlapping_slots", SocketFilter, Root, LocalDynptr + """
            r1 = r6
            r2 = 8
            r3 = 0
            r4 = r10
            r4 += -32
            call bpf_dynptr_from_mem
            r1 = r10
            r1 += -48
            r2 = 8
            r3 = r10
            r3 += -24
            r4 = 0
            r5 = 0
            call bpf_dynptr_read
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Reject(22, "Expected an initialized dynptr as arg #2")),
        // bpf_dynptr_read
        new("dynptr/read", SocketFilter, Root, LocalDynptr + """
            r1 = r10
            r1 += -40
            r2 = 8
            r3 = r10
            r3 += -24
            r4 = 0
            r5 = 0
            call bpf_dynptr_read
            r0 = *(u64 *)(r10 -40)
            exit
            """, DynptrArrayMap, Kernel: Accept),
        new("dynptr/read_bpfonly", SocketFilter, BpfOnly, LocalDynptr + """
            r1 = r10
            r1 += -40
            r2 = 8
            r3 = r10
            r3 += -24
            r4 = 0
            r5 = 0
            call bpf_dynptr_read
            r0 = *(u64 *)(r10 -40)
            exit
            """, DynptrArrayMap, Kernel: Accept),
        new("dynptr/read_uninit_dynptr", SocketFilter, Root, """
            r1 = r10
            r1 += -40
            r2 = 8
            r3 = r10
            r3 += -24
            r4 = 0
            r5 = 0
            call bpf_dynptr_read
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "Expected an initialized dynptr as arg #2")),
        new("dynptr/read_from_second_slot", SocketFilter, Root, LocalDynptr + """
            r1 = r10
            r1 += -40
            r2 = 8
            r3 = r10
            r3 += -16
            r4 = 0
            r5 = 0
            call bpf_dynptr_read
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Reject(22, "Expected an initialized dynptr as arg #2")),
        new("dynptr/read_misaligned_dynptr", SocketFilter, Root, LocalDynptr + """
            r1 = r10
            r1 += -40
            r2 = 8
            r3 = r10
            r3 += -20
            r4 = 0
            r5 = 0
            call bpf_dynptr_read
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Reject(22, "Expected an initialized dynptr as arg #2")),
        new("dynptr/read_into_the_dynptr", SocketFilter, Root, LocalDynptr + """
            r1 = r10
            r1 += -24
            r2 = 8
            r3 = r10
            r3 += -24
            r4 = 0
            r5 = 0
            call bpf_dynptr_read
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Reject(13, "potential write to dynptr at off=-24 disallowed")),
        new("dynptr/read_into_its_second_slot", SocketFilter, Root, LocalDynptr + """
            r1 = r10
            r1 += -32
            r2 = 12
            r3 = r10
            r3 += -24
            r4 = 0
            r5 = 0
            call bpf_dynptr_read
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Reject(13, "potential write to dynptr at off=-24 disallowed")),
        new("dynptr/read_variable_length", SocketFilter, Root, LocalDynptr + """
            r2 = *(u32 *)(r6 +0)
            r2 &= 15
            r1 = r10
            r1 += -40
            r3 = r10
            r3 += -24
            r4 = 0
            r5 = 0
            call bpf_dynptr_read
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Accept),
        new("dynptr/read_into_map_value", SocketFilter, Root, LocalDynptr + """
            r1 = r6
            r1 += 32
            r2 = 32
            r3 = r10
            r3 += -24
            r4 = 0
            r5 = 0
            call bpf_dynptr_read
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Accept),
        new("dynptr/read_dynptr_bytes", SocketFilter, Root, LocalDynptr + """
            r0 = *(u64 *)(r10 -24)
            exit
            """, DynptrArrayMap, Kernel: Reject(13, "invalid read from stack off -24+0 size 8")),
        new("dynptr/read_dynptr_second_slot_bytes", SocketFilter, Root, LocalDynptr + """
            r0 = *(u32 *)(r10 -12)
            exit
            """, DynptrArrayMap, Kernel: Reject(13, "invalid read from stack off -12+0 size 4")),
        new("dynptr/dynptr_as_map_key", SocketFilter, Root, LocalDynptr + """
            r1 = map[idx:0]
            r2 = r10
            r2 += -24
            call bpf_map_lookup_elem
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Reject(13, "invalid read from stack R2 off -24+0 size 4")),
        // bpf_dynptr_write
        new("dynptr/write", SocketFilter, Root, LocalDynptr + """
            *(u64 *)(r10 -40) = 7
            r1 = r10
            r1 += -24
            r2 = 8
            r3 = r10
            r3 += -40
            r4 = 8
            r5 = 0
            call bpf_dynptr_write
            exit
            """, DynptrArrayMap, Kernel: Accept),
        new("dynptr/write_uninit_source_bpfonly", SocketFilter, BpfOnly, LocalDynptr + """
            r1 = r10
            r1 += -24
            r2 = 8
            r3 = r10
            r3 += -40
            r4 = 8
            r5 = 0
            call bpf_dynptr_write
            exit
            """, DynptrArrayMap, Kernel: Reject(13, "invalid read from stack R3 off=-40 size=8")),
        new("dynptr/write_uninit_source_root", SocketFilter, Root, LocalDynptr + """
            r1 = r10
            r1 += -24
            r2 = 8
            r3 = r10
            r3 += -40
            r4 = 8
            r5 = 0
            call bpf_dynptr_write
            exit
            """, DynptrArrayMap, Kernel: Accept),
        new("dynptr/write_from_the_dynptr", SocketFilter, Root, LocalDynptr + """
            r1 = r10
            r1 += -24
            r2 = 0
            r3 = r10
            r3 += -24
            r4 = 16
            r5 = 0
            call bpf_dynptr_write
            exit
            """, DynptrArrayMap, Kernel: Reject(13, "invalid read from stack R3 off -24+0 size 16")),
        new("dynptr/write_uninit_dynptr", SocketFilter, Root, """
            *(u64 *)(r10 -40) = 7
            r1 = r10
            r1 += -24
            r2 = 0
            r3 = r10
            r3 += -40
            r4 = 8
            r5 = 0
            call bpf_dynptr_write
            exit
            """, NoMaps, Kernel: Reject(22, "Expected an initialized dynptr as arg #0")),
        // bpf_dynptr_data and its slices
        new("dynptr/data", SocketFilter, Root, LocalDynptr + """
            r1 = r10
            r1 += -24
            r2 = 8
            r3 = 16
            call bpf_dynptr_data
            if r0 == 0x0 goto out
            *(u64 *)(r0 +8) = 5
            r0 = *(u64 *)(r0 +0)
            out:
            exit
            """, DynptrArrayMap, Kernel: Accept),
        new("dynptr/data_bpfonly", SocketFilter, BpfOnly, LocalDynptr + """
            r1 = r10
            r1 += -24
            r2 = 8
            r3 = 16
            call bpf_dynptr_data
            if r0 == 0x0 goto out
            *(u64 *)(r0 +8) = 5
            r0 = *(u64 *)(r0 +0)
            out:
            exit
            """, DynptrArrayMap, Kernel: Accept),
        new("dynptr/data_unchecked", SocketFilter, Root, LocalDynptr + """
            r1 = r10
            r1 += -24
            r2 = 0
            r3 = 8
            call bpf_dynptr_data
            r0 = *(u64 *)(r0 +0)
            exit
            """, DynptrArrayMap, Kernel: Reject(13, "R0 invalid mem access 'mem_or_null'")),
        new("dynptr/data_past_length", SocketFilter, Root, LocalDynptr + """
            r1 = r10
            r1 += -24
            r2 = 0
            r3 = 8
            call bpf_dynptr_data
            if r0 == 0x0 goto out
            r0 = *(u64 *)(r0 +8)
            out:
            exit
            """, DynptrArrayMap, Kernel: Reject(13, "R0 min value is outside of the allowed memory range")),
        new("dynptr/data_length_zero", SocketFilter, Root, LocalDynptr + """
            r1 = r10
            r1 += -24
            r2 = 0
            r3 = 0
            call bpf_dynptr_data
            if r0 == 0x0 goto out
            r0 = *(u8 *)(r0 +0)
            out:
            exit
            """, DynptrArrayMap, Kernel: Reject(13, "R0 min value is outside of the allowed memory range")),
        new("dynptr/data_length_variable", SocketFilter, Root, LocalDynptr + """
            r3 = *(u32 *)(r6 +0)
            r3 &= 15
            r1 = r10
            r1 += -24
            r2 = 0
            call bpf_dynptr_data
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Reject(13, "R3 is not a known constant'")),
        new("dynptr/data_uninit_dynptr", SocketFilter, Root, """
            r1 = r10
            r1 += -24
            r2 = 0
            r3 = 8
            call bpf_dynptr_data
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "Expected an initialized dynptr as arg #0")),
        new("dynptr/data_slice_after_overwrite", SocketFilter, Root, LocalDynptr + """
            r1 = r10
            r1 += -24
            r2 = 0
            r3 = 8
            call bpf_dynptr_data
            if r0 == 0x0 goto out
            r7 = r0
            *(u64 *)(r10 -16) = 0
            r0 = *(u64 *)(r7 +0)
            out:
            exit
            """, DynptrArrayMap, Kernel: Reject(13, "R7 invalid mem access 'scalar'")),
        new("dynptr/data_slice_after_overwrite_bpfonly", SocketFilter, BpfOnly, LocalDynptr + """
            r1 = r10
            r1 += -24
            r2 = 0
            r3 = 8
            call bpf_dynptr_data
            if r0 == 0x0 goto out
            r7 = r0
            *(u8 *)(r10 -24) = 0
            r0 = *(u64 *)(r7 +0)
            out:
            exit
            """, DynptrArrayMap, Kernel: Reject(13, "R7 !read_ok")),
        new("dynptr/data_slice_after_reinit", SocketFilter, Root, LocalDynptr + """
            r1 = r10
            r1 += -24
            r2 = 0
            r3 = 8
            call bpf_dynptr_data
            if r0 == 0x0 goto out
            r7 = r0
            r1 = r6
            r2 = 8
            r3 = 0
            r4 = r10
            r4 += -24
            call bpf_dynptr_from_mem
            r0 = *(u64 *)(r7 +0)
            out:
            exit
            """, DynptrArrayMap, Kernel: Reject(13, "R7 invalid mem access 'scalar'")),
        new("dynptr/data_slice_spilled_after_overwrite", SocketFilter, Root, LocalDynptr + """
            r1 = r10
            r1 += -24
            r2 = 0
            r3 = 8
            call bpf_dynptr_data
            if r0 == 0x0 goto out
            *(u64 *)(r10 -48) = r0
            *(u64 *)(r10 -24) = 0
            r7 = *(u64 *)(r10 -48)
            r0 = *(u64 *)(r7 +0)
            out:
            exit
            """, DynptrArrayMap, Kernel: Reject(13, "R7 invalid mem access 'scalar'")),
        new("dynptr/data_slice_survives_other_write", SocketFilter, Root, LocalDynptr + """
            r1 = r10
            r1 += -24
            r2 = 0
            r3 = 8
            call bpf_dynptr_data
            if r0 == 0x0 goto out
            *(u64 *)(r10 -32) = 0
            r0 = *(u64 *)(r0 +0)
            out:
            exit
            """, DynptrArrayMap, Kernel: Accept),
        // writes over a dynptr's slots
        new("dynptr/overwrite_then_read", SocketFilter, Root, LocalDynptr + """
            *(u32 *)(r10 -12) = 0
            r1 = r10
            r1 += -40
            r2 = 8
            r3 = r10
            r3 += -24
            r4 = 0
            r5 = 0
            call bpf_dynptr_read
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Reject(22, "Expected an initialized dynptr as arg #2")),
        new("dynptr/spill_over_dynptr", SocketFilter, Root, LocalDynptr + """
            *(u64 *)(r10 -24) = r6
            r0 = *(u64 *)(r10 -24)
            r0 = *(u32 *)(r0 +0)
            exit
            """, DynptrArrayMap, Kernel: Accept),
        new("dynptr/variable_offset_write_over_dynptr", SocketFilter, Root, LocalDynptr + """
            r7 = *(u32 *)(r6 +0)
            r7 &= 8
            r1 = r10
            r1 += -24
            r1 += r7
            *(u64 *)(r1 +0) = 0
            r1 = r10
            r1 += -40
            r2 = 8
            r3 = r10
            r3 += -24
            r4 = 0
            r5 = 0
            call bpf_dynptr_read
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Reject(22, "Expected an initialized dynptr as arg #2")),
        new("dynptr/branches_join", SocketFilter, Root, """
            *(u32 *)(r10 -4) = 0
            r2 = r10
            r2 += -4
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            if r0 != 0x0 goto have_value
            exit
            have_value:
            r6 = r0
            r7 = *(u32 *)(r0 +0)
            r1 = r0
            r2 = 16
            if r7 > 0x5 goto make
            r2 = 8
            make:
            r3 = 0
            r4 = r10
            r4 += -24
            call bpf_dynptr_from_mem
            r1 = r10
            r1 += -40
            r2 = 8
            r3 = r10
            r3 += -24
            r4 = 0
            r5 = 0
            call bpf_dynptr_read
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Accept),
        new("dynptr/one_branch_only", SocketFilter, Root, LocalDynptr.Replace("call bpf_dynptr_from_mem", "r7 = *(u32 *)(r6 +0)\nif r7 > 0x5 goto skip\ncall bpf_dynptr_from_mem\nskip:", StringComparison.Ordinal) + """
            r1 = r10
            r1 += -40
            r2 = 8
            r3 = r10
            r3 += -24
            r4 = 0
            r5 = 0
            call bpf_dynptr_read
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Reject(22, "Expected an initialized dynptr as arg #2")),
        new("dynptr/in_callee_of_caller_stack", SocketFilter, Root, LocalDynptr + """
            r1 = r10
            r1 += -24
            call sub
            exit
            sub:
            r3 = r1
            r1 = r10
            r1 += -8
            r2 = 8
            r4 = 0
            r5 = 0
            call bpf_dynptr_read
            r0 = *(u64 *)(r10 -8)
            exit
            """, DynptrArrayMap, Kernel: Accept),
        new("dynptr/made_in_callee_frame", SocketFilter, Root, """
            call sub
            r0 = 0
            exit
            sub:
            *(u32 *)(r10 -4) = 0
            r2 = r10
            r2 += -4
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            if r0 == 0x0 goto out
            r1 = r0
            r2 = 16
            r3 = 0
            r4 = r10
            r4 += -24
            call bpf_dynptr_from_mem
            r1 = r10
            r1 += -24
            r2 = 0
            r3 = 4
            call bpf_dynptr_data
            out:
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Accept),
        // ring buffer dynptrs: a reference from the reservation on, released by submit or discard
        new("dynptr/ringbuf_reserve_submit", SocketFilter, Root, RingDynptr + """
            r1 = r10
            r1 += -16
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            r0 = 0
            exit
            """, RingBufMap, Kernel: Accept),
        new("dynptr/ringbuf_reserve_discard_bpfonly", SocketFilter, BpfOnly, RingDynptr + """
            r1 = r10
            r1 += -16
            r2 = 0
            call bpf_ringbuf_discard_dynptr
            r0 = 0
            exit
            """, RingBufMap, Kernel: Accept),
        new("dynptr/ringbuf_not_released", SocketFilter, Root, RingDynptr + """
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(22, "BPF_EXIT instruction in main prog would lead to reference leak")),
        new("dynptr/ringbuf_released_on_one_path", SocketFilter, Root, RingDynptr + """
            if r0 != 0x0 goto out
            r1 = r10
            r1 += -16
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            out:
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(22, "BPF_EXIT instruction in main prog would lead to reference leak")),
        new("dynptr/ringbuf_released_on_both_paths", SocketFilter, Root, RingDynptr + """
            r1 = r10
            r1 += -16
            r2 = 0
            if r0 != 0x0 goto failed
            call bpf_ringbuf_submit_dynptr
            r0 = 0
            exit
            failed:
            call bpf_ringbuf_discard_dynptr
            r0 = 1
            exit
            """, RingBufMap, Kernel: Accept),
        new("dynptr/ringbuf_submit_twice", SocketFilter, Root, RingDynptr + """
            r1 = r10
            r1 += -16
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            r1 = r10
            r1 += -16
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(22, "arg 1 is an unacquired reference")),
        new("dynptr/ringbuf_submit_uninit", SocketFilter, Root, """
            r1 = r10
            r1 += -16
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(22, "arg 1 is an unacquired reference")),
        new("dynptr/ringbuf_submit_local_dynptr", SocketFilter, Root, LocalDynptr + """
            r1 = r10
            r1 += -24
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Reject(22, "arg 1 is an unacquired reference")),
        new("dynptr/ringbuf_submit_scalar", SocketFilter, Root, """
            r1 = 0
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(13, "R1 type=scalar expected=fp, dynptr_ptr")),
        new("dynptr/ringbuf_submit_misaligned", SocketFilter, Root, RingDynptr + """
            r1 = r10
            r1 += -12
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(22, "arg 1 is an unacquired reference")),
        new("dynptr/ringbuf_submit_second_slot", SocketFilter, Root, RingDynptr + """
            r1 = r10
            r1 += -8
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(22, "arg 1 is an unacquired reference")),
        new("dynptr/ringbuf_submit_variable_offset", SocketFilter, Root, RingDynptr + """
            r6 = r0
            r6 &= 8
            r1 = r10
            r1 += -16
            r1 += r6
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(22, "arg 1 is an unacquired reference")),
        new("dynptr/ringbuf_overwrite", SocketFilter, Root, RingDynptr + """
            *(u64 *)(r10 -16) = 0
            r1 = r10
            r1 += -16
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(22, "cannot overwrite referenced dynptr")),
        new("dynptr/ringbuf_overwrite_second_slot", SocketFilter, Root, RingDynptr + """
            *(u8 *)(r10 -1) = 0
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(22, "cannot overwrite referenced dynptr")),
        new("dynptr/ringbuf_reserve_over_ringbuf_dynptr", SocketFilter, Root, RingDynptr + RingDynptr + """
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(22, "cannot overwrite referenced dynptr")),
        new("dynptr/ringbuf_reserve_over_local_dynptr", SocketFilter, Root, LocalDynptr + """
            r1 = map[idx:1]
            r2 = 8
            r3 = 0
            r4 = r10
            r4 += -24
            call bpf_ringbuf_reserve_dynptr
            r1 = r10
            r1 += -24
            r2 = 0
            call bpf_ringbuf_discard_dynptr
            r0 = 0
            exit
            """, DynptrArrayAndRingBuf, Kernel: Accept),
        new("dynptr/ringbuf_read_into_it", SocketFilter, Root, RingDynptr + """
            r1 = r10
            r1 += -16
            r2 = 8
            r3 = r10
            r3 += -16
            r4 = 0
            r5 = 0
            call bpf_dynptr_read
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(13, "potential write to dynptr at off=-16 disallowed")),
        new("dynptr/ringbuf_read_write_data", SocketFilter, Root, RingDynptr + """
            *(u64 *)(r10 -24) = 3
            r1 = r10
            r1 += -16
            r2 = 8
            r3 = r10
            r3 += -24
            r4 = 8
            r5 = 0
            call bpf_dynptr_write
            r1 = r10
            r1 += -32
            r2 = 8
            r3 = r10
            r3 += -16
            r4 = 8
            r5 = 0
            call bpf_dynptr_read
            r1 = r10
            r1 += -16
            r2 = 0
            r3 = 8
            call bpf_dynptr_data
            if r0 == 0x0 goto submit
            *(u64 *)(r0 +0) = 1
            submit:
            r1 = r10
            r1 += -16
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            r0 = *(u64 *)(r10 -32)
            exit
            """, RingBufMap, Kernel: Accept),
        new("dynptr/ringbuf_slice_after_submit", SocketFilter, Root, RingDynptr + """
            r1 = r10
            r1 += -16
            r2 = 0
            r3 = 8
            call bpf_dynptr_data
            r6 = r0
            r1 = r10
            r1 += -16
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            if r6 == 0x0 goto out
            *(u64 *)(r6 +0) = 1
            out:
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(13, "R6 invalid mem access 'scalar'")),
        new("dynptr/ringbuf_slice_after_discard_bpfonly", SocketFilter, BpfOnly, RingDynptr + """
            r1 = r10
            r1 += -16
            r2 = 0
            r3 = 8
            call bpf_dynptr_data
            if r0 == 0x0 goto release
            r6 = r0
            r1 = r10
            r1 += -16
            r2 = 0
            call bpf_ringbuf_discard_dynptr
            *(u64 *)(r6 +0) = 1
            r0 = 0
            exit
            release:
            r1 = r10
            r1 += -16
            r2 = 0
            call bpf_ringbuf_discard_dynptr
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(13, "R6 !read_ok")),
        new("dynptr/ringbuf_slice_spilled_after_submit", SocketFilter, Root, RingDynptr + """
            r1 = r10
            r1 += -16
            r2 = 0
            r3 = 8
            call bpf_dynptr_data
            *(u64 *)(r10 -24) = r0
            r1 = r10
            r1 += -16
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            r6 = *(u64 *)(r10 -24)
            if r6 == 0x0 goto out
            *(u64 *)(r6 +0) = 1
            out:
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(13, "R6 invalid mem access 'scalar'")),
        new("dynptr/ringbuf_read_after_submit", SocketFilter, Root, RingDynptr + """
            r1 = r10
            r1 += -16
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            r1 = r10
            r1 += -32
            r2 = 8
            r3 = r10
            r3 += -16
            r4 = 0
            r5 = 0
            call bpf_dynptr_read
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(22, "Expected an initialized dynptr as arg #2")),
        new("dynptr/ringbuf_reserve_size_unknown", SocketFilter, Root, "r7 = *(u32 *)(r1 +0)\n" + RingDynptr.Replace("r2 = 16", "r2 = r7", StringComparison.Ordinal) + """
            r1 = r10
            r1 += -16
            r2 = 0
            call bpf_ringbuf_discard_dynptr
            r0 = 0
            exit
            """, RingBufMap, Kernel: Accept),
        new("dynptr/ringbuf_reserve_from_array", SocketFilter, Root, RingDynptr + """
            r1 = r10
            r1 += -16
            r2 = 0
            call bpf_ringbuf_discard_dynptr
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Reject(22, "cannot pass map_type 2 into func bpf_ringbuf_reserve_dynptr#198")),
        new("dynptr/ringbuf_reserve_misaligned", SocketFilter, Root, RingDynptr.Replace("r4 += -16", "r4 += -20", StringComparison.Ordinal) + """
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(22, "Dynptr has to be an uninitialized dynptr")),
        new("dynptr/ringbuf_two_dynptrs_released_in_other_order", SocketFilter, Root, RingDynptr + RingDynptr.Replace("r4 += -16", "r4 += -32", StringComparison.Ordinal) + """
            r1 = r10
            r1 += -16
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            r1 = r10
            r1 += -32
            r2 = 0
            call bpf_ringbuf_discard_dynptr
            r0 = 0
            exit
            """, RingBufMap, Kernel: Accept),
        new("dynptr/ringbuf_released_in_callee", SocketFilter, Root, RingDynptr + """
            r1 = r10
            r1 += -16
            call sub
            r0 = 0
            exit
            sub:
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            r0 = 0
            exit
            """, RingBufMap, Kernel: Accept),
        new("dynptr/ringbuf_branches_join", SocketFilter, Root, """
            r6 = *(u32 *)(r1 +0)
            r2 = 16
            if r6 > 0x5 goto make
            r2 = 8
            make:
            r1 = map[idx:0]
            r3 = 0
            r4 = r10
            r4 += -16
            call bpf_ringbuf_reserve_dynptr
            r1 = r10
            r1 += -16
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            r0 = 0
            exit
            """, RingBufMap, Kernel: Accept),
        new("dynptr/variable_offset_write_over_dynptr_bpfonly", SocketFilter, BpfOnly, LocalDynptr + """
            r7 = *(u32 *)(r6 +0)
            r7 &= 8
            r1 = r10
            r1 += -24
            r1 += r7
            *(u64 *)(r1 +0) = 0
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Reject(13, "R1 variable stack access prohibited for !root, var_off=(0x0; 0x8) off=-24")),
        new("dynptr/ringbuf_variable_offset_write_over_it", SocketFilter, Root, RingDynptr + """
            r7 = r0
            r7 &= 8
            r1 = r10
            r1 += -24
            r1 += r7
            *(u64 *)(r1 +0) = 0
            r1 = r10
            r1 += -16
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(22, "cannot overwrite referenced dynptr")),
        new("dynptr/ringbuf_helper_writes_over_it", SocketFilter, Root, RingDynptr + """
            r1 = r10
            r1 += -16
            r2 = 8
            call bpf_get_current_comm
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(13, "potential write to dynptr at off=-16 disallowed")),
        new("dynptr/local_helper_writes_over_it", SocketFilter, Root, LocalDynptr + """
            r1 = r10
            r1 += -24
            r2 = 16
            r3 = 0
            r4 = r10
            r4 += -40
            call bpf_dynptr_from_mem
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Reject(13, "potential write to dynptr at off=-24 disallowed")),
        // pruning: a state with a dynptr covers another only with the same kind, slot and reference
        new("dynptr/prune_ringbuf_path_then_local_path", SocketFilter, Root, """
            r7 = *(u32 *)(r1 +0)
            *(u32 *)(r10 -4) = 0
            r2 = r10
            r2 += -4
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            if r0 != 0x0 goto have_value
            exit
            have_value:
            r6 = r0
            if r7 > 0x5 goto local
            r1 = map[idx:1]
            r2 = 8
            r3 = 0
            r4 = r10
            r4 += -24
            call bpf_ringbuf_reserve_dynptr
            goto join
            local:
            r1 = r6
            r2 = 8
            r3 = 0
            r4 = r10
            r4 += -24
            call bpf_dynptr_from_mem
            join:
            r1 = r10
            r1 += -24
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            r0 = 0
            exit
            """, DynptrArrayAndRingBuf, Kernel: Reject(22, "arg 1 is an unacquired reference")),
        new("dynptr/prune_two_ringbuf_dynptrs_swapped", SocketFilter, Root, """
            r7 = *(u32 *)(r1 +0)
            r1 = map[idx:0]
            r2 = 8
            r3 = 0
            r4 = r10
            r4 += -16
            call bpf_ringbuf_reserve_dynptr
            r1 = map[idx:0]
            r2 = 8
            r3 = 0
            r4 = r10
            r4 += -32
            call bpf_ringbuf_reserve_dynptr
            r1 = r10
            r1 += -16
            r2 = 0
            if r7 > 0x5 goto other
            call bpf_ringbuf_submit_dynptr
            goto join
            other:
            r1 += -16
            call bpf_ringbuf_discard_dynptr
            join:
            r1 = r10
            r1 += -32
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            r0 = 0
            exit
            """, RingBufMap, Kernel: Reject(22, "arg 1 is an unacquired reference")),
        new("dynptr/prune_unused_dynptr_on_one_path", SocketFilter, Root, LocalDynptr.Replace("call bpf_dynptr_from_mem", "r7 = *(u32 *)(r6 +0)\nif r7 > 0x5 goto skip\ncall bpf_dynptr_from_mem\nskip:", StringComparison.Ordinal) + """
            r0 = *(u32 *)(r6 +8)
            exit
            """, DynptrArrayMap, Kernel: Accept),
        new("dynptr/prune_slice_of_either_size", SocketFilter, Root, LocalDynptr + """
            r7 = *(u32 *)(r6 +0)
            r1 = r10
            r1 += -24
            r2 = 0
            r3 = 16
            if r7 > 0x5 goto slice
            r3 = 8
            slice:
            call bpf_dynptr_data
            if r0 == 0x0 goto out
            r0 = *(u64 *)(r0 +8)
            out:
            exit
            """, DynptrArrayMap, Kernel: Reject(13, "R0 min value is outside of the allowed memory range")),
        // callbacks: a dynptr of the caller's stack through the callback's context pointer
        new("dynptr/ringbuf_released_in_loop_callback", SocketFilter, BpfOnly, RingDynptr + """
            r1 = 1
            r2 = subprog[cb]
            r3 = r10
            r3 += -16
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r1 = r2
            r2 = 0
            call bpf_ringbuf_discard_dynptr
            r0 = 1
            exit
            """, RingBufMap, Kernel: Reject(22, "BPF_EXIT instruction in main prog would lead to reference leak"), Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("dynptr/ringbuf_made_and_released_in_loop_callback", SocketFilter, BpfOnly, """
            r1 = 2
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r1 = map[idx:0]
            r2 = 16
            r3 = 0
            r4 = r10
            r4 += -16
            call bpf_ringbuf_reserve_dynptr
            r1 = r10
            r1 += -16
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            r0 = 0
            exit
            """, RingBufMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("dynptr/local_read_in_loop_callback", SocketFilter, BpfOnly, LocalDynptr + """
            r1 = 3
            r2 = subprog[cb]
            r3 = r10
            r3 += -24
            r4 = 0
            call bpf_loop
            r0 = 0
            exit
            cb:
            r3 = r2
            r1 = r10
            r1 += -8
            r2 = 8
            r4 = 0
            r5 = 0
            call bpf_dynptr_read
            r0 = 0
            exit
            """, DynptrArrayMap, Kernel: Accept, Btf: Funcs(SkbMain, "static int cb(u64, void *)")),
        new("dynptr/ringbuf_tail_call_holding_it", SocketFilter, Root, "r6 = r1\n" + RingDynptr.Replace("map[idx:0]", "map[idx:1]", StringComparison.Ordinal) + """
            r1 = r6
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r1 = r10
            r1 += -16
            r2 = 0
            call bpf_ringbuf_discard_dynptr
            r0 = 0
            exit
            """, [new(BpfMapType.ProgArray, 4, 4, 4), new(BpfMapType.Ringbuf, 0, 0, 4096)], Kernel: Reject(22, "tail_call would lead to reference leak")),
    ];
}
