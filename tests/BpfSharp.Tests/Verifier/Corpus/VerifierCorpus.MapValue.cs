using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// Map values (kernel: check_map_access, check_mem_region_access, check_map_access_type, and
// resolve_pseudo_ldimm64 for map[idx:N][0]+off): accesses within value_size, past it, at negative offsets,
// at bounded and unbounded variable offsets; direct value loads of array maps; BPF_F_RDONLY_PROG and
// BPF_F_WRONLY_PROG. The maps hold 16-byte values.
internal static partial class VerifierCorpus
{
    private static VerifierCase[] MapValue() =>
    [
        new("map/read_u64_at_0", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u64 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("map/read_u64_at_8", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u64 *)(r0 +8)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("map/read_u64_at_16", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u64 *)(r0 +16)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 min value is outside of the allowed memory range")),
        new("map/read_u64_at_12", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u64 *)(r0 +12)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 min value is outside of the allowed memory range")),
        new("map/read_u8_at_15", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u8 *)(r0 +15)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("map/read_u8_at_16", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u8 *)(r0 +16)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 min value is outside of the allowed memory range")),
        new("map/read_u8_at_minus_1", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u8 *)(r0 -1)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 min value is outside of the allowed memory range")),
        new("map/write_u32_at_12", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = 1
            *(u32 *)(r0 +12) = r1
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("map/write_u32_at_16", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = 1
            *(u32 *)(r0 +16) = r1
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 min value is outside of the allowed memory range")),
        new("map/write_imm_u64_at_8", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            *(u64 *)(r0 +8) = 7
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("map/write_imm_u64_at_minus_8", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            *(u64 *)(r0 -8) = 7
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 min value is outside of the allowed memory range")),
        new("map/variable_offset_in_bounds", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u8 *)(r0 +0)
            r1 &= 7
            r0 += r1
            r1 = *(u64 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("map/variable_offset_past_end", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u8 *)(r0 +0)
            r1 &= 15
            r0 += r1
            r1 = *(u64 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 max value is outside of the allowed memory range")),
        new("map/variable_offset_unbounded", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u64 *)(r0 +0)
            r0 += r1
            r1 = *(u8 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(22, "math between map_value pointer and register with unbounded min value is not allowed")),
        new("map/variable_offset_maybe_negative", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u64 *)(r0 +0)
            if r1 s> 0x8 goto out
            r0 += r1
            r1 = *(u8 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(22, "math between map_value pointer and register with unbounded min value is not allowed")),
        new("map/direct_value_read", SocketFilter, Root, """
            r1 = map[idx:0][0]+8
            r0 = *(u64 *)(r1 +0)
            exit
            """, GlobalDataMap, Kernel: Accept),
        new("map/direct_value_write", SocketFilter, Root, """
            r1 = map[idx:0][0]+0
            *(u64 *)(r1 +0) = 1
            r0 = 0
            exit
            """, GlobalDataMap, Kernel: Accept),
        new("map/direct_value_read_past_end", SocketFilter, Root, """
            r1 = map[idx:0][0]+8
            r0 = *(u64 *)(r1 +8)
            exit
            """, GlobalDataMap, Kernel: Reject(13, "R1 min value is outside of the allowed memory range")),
        new("map/direct_value_offset_past_end", SocketFilter, Root, """
            r1 = map[idx:0][0]+16
            r0 = 0
            exit
            """, GlobalDataMap, Kernel: Reject(22, "invalid access to map value pointer, value_size=16 off=16")),
        new("map/direct_value_of_four_entry_array", SocketFilter, Root, """
            r1 = map[idx:0][0]+0
            r0 = 0
            exit
            """, ArrayMap, Kernel: Reject(524, "invalid access to map value pointer, value_size=16 off=0")),
        new("map/direct_value_of_hash_map", SocketFilter, Root, """
            r1 = map[idx:0][0]+0
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(22, "no direct value access support for this map type")),
        new("map/rdonly_prog_read", SocketFilter, Root, $"""
            {ArrayLookup}
            if r0 == 0x0 goto out
            r1 = *(u64 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, ReadOnlyArrayMap, Kernel: Accept),
        new("map/rdonly_prog_write", SocketFilter, Root, $"""
            {ArrayLookup}
            if r0 == 0x0 goto out
            *(u64 *)(r0 +0) = 1
            out:
            r0 = 0
            exit
            """, ReadOnlyArrayMap, Kernel: Reject(13, "write into map forbidden, value_size=16 off=0 size=8")),
        new("map/rdonly_prog_direct_write", SocketFilter, Root, """
            r1 = map[idx:0][0]+0
            *(u64 *)(r1 +0) = 1
            r0 = 0
            exit
            """, ReadOnlyGlobalDataMap, Kernel: Reject(13, "write into map forbidden, value_size=16 off=0 size=8")),
        new("map/rdonly_prog_update_from_helper", SocketFilter, Root, """
            *(u32 *)(r10 -4) = 0
            *(u64 *)(r10 -24) = 0
            *(u64 *)(r10 -16) = 0
            r1 = map[idx:0]
            r2 = r10
            r2 += -4
            r3 = r10
            r3 += -24
            r4 = 0
            call bpf_map_update_elem
            r0 = 0
            exit
            """, ReadOnlyArrayMap, Kernel: Reject(13, "write into map forbidden")),
        new("map/wronly_prog_write", SocketFilter, Root, $"""
            {ArrayLookup}
            if r0 == 0x0 goto out
            *(u64 *)(r0 +0) = 1
            out:
            r0 = 0
            exit
            """, WriteOnlyArrayMap, Kernel: Accept),
        new("map/wronly_prog_read", SocketFilter, Root, $"""
            {ArrayLookup}
            if r0 == 0x0 goto out
            r1 = *(u64 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, WriteOnlyArrayMap, Kernel: Reject(13, "read from map forbidden, value_size=16 off=0 size=8")),
        new("map/array_const_key_without_null_check", SocketFilter, Root, $"""
            {ArrayLookup}
            r1 = *(u64 *)(r0 +0)
            r0 = 0
            exit
            """, ArrayMap, Kernel: Accept),
        new("map/array_key_out_of_range_without_null_check", SocketFilter, Root, """
            *(u32 *)(r10 -4) = 7
            r2 = r10
            r2 += -4
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            r1 = *(u64 *)(r0 +0)
            r0 = 0
            exit
            """, ArrayMap, Kernel: Reject(13, "R0 invalid mem access 'map_value_or_null'")),
        new("map/value_as_key", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r2 = r0
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("map/value_atomic_add", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = 1
            lock *(u64 *)(r0 +8) += r1
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("map/value_atomic_add_past_end", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = 1
            lock *(u64 *)(r0 +16) += r1
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 min value is outside of the allowed memory range")),
    ];
}
