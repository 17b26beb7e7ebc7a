using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// BPF_ATOMIC beyond the read-modify-write operations (kernel: check_atomic, check_atomic_load,
// check_atomic_store, atomic_ptr_type_ok): load-acquire and store-release of every size on the stack, map values,
// the context and packets; their register rules; read-modify-write atomics of the sizes they do not have.
internal static partial class VerifierCorpus
{
    private static VerifierCase[] Atomic() =>
    [
        new("atomic/load_acquire_stack_sizes", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0x1234
            r1 = load_acquire((u8 *)(r10 -8))
            r2 = load_acquire((u16 *)(r10 -8))
            r3 = load_acquire((u32 *)(r10 -8))
            r0 = load_acquire((u64 *)(r10 -8))
            r0 += r1
            r0 += r2
            r0 += r3
            exit
            """, NoMaps, Kernel: Accept),
        new("atomic/store_release_stack_sizes", SocketFilter, Root, """
            r1 = 7
            store_release((u64 *)(r10 -8), r1)
            store_release((u32 *)(r10 -16), r1)
            store_release((u16 *)(r10 -24), r1)
            store_release((u8 *)(r10 -32), r1)
            r0 = *(u64 *)(r10 -8)
            r1 = *(u8 *)(r10 -32)
            r0 += r1
            exit
            """, NoMaps, Kernel: Accept),
        new("atomic/store_release_then_read_u8", SocketFilter, Root, """
            r1 = 7
            store_release((u8 *)(r10 -32), r1)
            r0 = *(u8 *)(r10 -32)
            exit
            """, NoMaps, Kernel: Accept),
        new("atomic/load_acquire_uninit_stack", SocketFilter, Root, """
            r0 = load_acquire((u64 *)(r10 -8))
            exit
            """, NoMaps, Kernel: Accept),
        new("atomic/load_acquire_partly_init_stack", SocketFilter, Root, """
            *(u32 *)(r10 -8) = 0
            r0 = load_acquire((u64 *)(r10 -8))
            exit
            """, NoMaps, Kernel: Accept),
        new("atomic/load_acquire_into_r10", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            r10 = load_acquire((u64 *)(r10 -8))
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "frame pointer is read only")),
        new("atomic/load_acquire_from_uninit_reg", SocketFilter, Root, """
            r0 = load_acquire((u64 *)(r2 +0))
            exit
            """, NoMaps, Kernel: Reject(13, "R2 !read_ok")),
        new("atomic/load_acquire_from_scalar", SocketFilter, Root, """
            r2 = 0
            r0 = load_acquire((u64 *)(r2 +0))
            exit
            """, NoMaps, Kernel: Reject(13, "R2 invalid mem access 'scalar'")),
        new("atomic/load_acquire_misaligned_stack", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            *(u64 *)(r10 -16) = 0
            r0 = load_acquire((u64 *)(r10 -12))
            exit
            """, NoMaps, Kernel: Reject(13, "misaligned stack access off 0+0+-12 size 8")),
        new("atomic/load_acquire_spilled_pointer", SocketFilter, Root, """
            *(u64 *)(r10 -8) = r1
            r1 = load_acquire((u64 *)(r10 -8))
            r0 = *(u32 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Accept),
        new("atomic/load_acquire_ctx", SocketFilter, Root, """
            r0 = load_acquire((u32 *)(r1 +0))
            exit
            """, NoMaps, Kernel: Reject(13, "BPF_ATOMIC loads from R1 ctx is not allowed")),
        new("atomic/store_release_ctx", SocketFilter, Root, """
            r2 = 0
            store_release((u32 *)(r1 +48), r2)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "BPF_ATOMIC stores into R1 ctx is not allowed")),
        new("atomic/load_acquire_map_value", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = load_acquire((u64 *)(r0 +8))
            r2 = load_acquire((u32 *)(r0 +12))
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("atomic/load_acquire_map_value_past_end", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = load_acquire((u64 *)(r0 +16))
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 min value is outside of the allowed memory range")),
        new("atomic/load_acquire_map_value_or_null", SocketFilter, Root, $"""
            {Lookup}
            r1 = load_acquire((u64 *)(r0 +0))
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 invalid mem access 'map_value_or_null'")),
        new("atomic/store_release_map_value", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = 3
            store_release((u64 *)(r0 +8), r1)
            store_release((u16 *)(r0 +2), r1)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("atomic/store_release_map_value_past_end", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = 3
            store_release((u32 *)(r0 +14), r1)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "misaligned value access off 0+0+14 size 4")),
        new("atomic/store_release_uninit_src", SocketFilter, Root, """
            store_release((u64 *)(r10 -8), r2)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R2 !read_ok")),
        new("atomic/store_release_pointer_to_stack", SocketFilter, Root, """
            store_release((u64 *)(r10 -8), r1)
            r1 = *(u64 *)(r10 -8)
            r0 = *(u32 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Accept),
        new("atomic/store_release_pointer_to_map_value", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            store_release((u64 *)(r0 +0), r10)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("atomic/store_release_pointer_to_map_value_unpriv", SocketFilter, Unprivileged, $"""
            {Lookup}
            if r0 == 0x0 goto out
            store_release((u64 *)(r0 +0), r10)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R10 leaks addr into map")),
        new("atomic/store_release_through_r10_base_not_stack", SocketFilter, Root, """
            r1 = 0
            store_release((u64 *)(r1 +0), r1)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 invalid mem access 'scalar'")),
        new("atomic/load_acquire_packet", SchedCls, Root, """
            r2 = *(u32 *)(r1 +76)
            r3 = *(u32 *)(r1 +80)
            r4 = r2
            r4 += 8
            if r4 > r3 goto out
            r0 = load_acquire((u64 *)(r2 +0))
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "misaligned packet access off 2+0+0+0 size 8")),
        new("atomic/store_release_packet", SchedCls, Root, """
            r2 = *(u32 *)(r1 +76)
            r3 = *(u32 *)(r1 +80)
            r4 = r2
            r4 += 8
            if r4 > r3 goto out
            r1 = 0
            store_release((u64 *)(r2 +0), r1)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "misaligned packet access off 2+0+0+0 size 8")),
        new("atomic/load_acquire_r10_unaligned_u16", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            r0 = load_acquire((u16 *)(r10 -7))
            exit
            """, NoMaps, Kernel: Reject(13, "misaligned stack access off 0+0+-7 size 2")),
        new("atomic/load_acquire_strict_unaligned_map", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = load_acquire((u32 *)(r0 +2))
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "misaligned value access off 0+0+2 size 4"), ProgFlags: 1),
        new("atomic/load_acquire_unaligned_map_default", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = load_acquire((u32 *)(r0 +2))
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "misaligned value access off 0+0+2 size 4")),
        new("atomic/add_u8_operand_size", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            r1 = 1
            lock *(u8 *)(r10 -8) += r1
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "invalid atomic operand size")),
        new("atomic/or_u16_operand_size", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            r1 = 1
            lock *(u16 *)(r10 -8) |= r1
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "invalid atomic operand size")),
        new("atomic/load_acquire_result_is_scalar_zero_ext", SocketFilter, Root, """
            r1 = -1
            *(u64 *)(r10 -8) = r1
            r0 = load_acquire((u8 *)(r10 -8))
            if r0 > 255 goto bad
            r0 = 0
            exit
            bad:
            r0 = *(u64 *)(r0 +0)
            exit
            """, NoMaps, Kernel: Accept),
        new("atomic/load_acquire_unpriv_stack", SocketFilter, Unprivileged, """
            *(u64 *)(r10 -8) = 0
            r0 = load_acquire((u64 *)(r10 -8))
            exit
            """, NoMaps, Kernel: Accept),
    ];
}
