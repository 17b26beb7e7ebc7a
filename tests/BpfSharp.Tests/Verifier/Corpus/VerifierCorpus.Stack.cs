using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// The stack (kernel: check_stack_write_fixed_off, check_stack_read_fixed_off, check_stack_access_within_bounds,
// check_ptr_alignment): bounds [fp-512, fp), access sizes, initialization (privileged loaders may read
// uninitialized stack, CAP_BPF alone may not), spill and fill of pointers and scalars, alignment.
internal static partial class VerifierCorpus
{
    private static VerifierCase[] Stack() =>
    [
        new("stack/write8_read8", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 1
            r0 = *(u64 *)(r10 -8)
            exit
            """, NoMaps, Kernel: Accept),
        new("stack/write4_read4", SocketFilter, BpfOnly, """
            *(u32 *)(r10 -4) = 1
            r0 = *(u32 *)(r10 -4)
            exit
            """, NoMaps, Kernel: Accept),
        new("stack/write2_read2", SocketFilter, BpfOnly, """
            *(u16 *)(r10 -2) = 1
            r0 = *(u16 *)(r10 -2)
            exit
            """, NoMaps, Kernel: Accept),
        new("stack/write1_read1", SocketFilter, BpfOnly, """
            *(u8 *)(r10 -1) = 1
            r0 = *(u8 *)(r10 -1)
            exit
            """, NoMaps, Kernel: Accept),
        new("stack/write8_read4", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 1
            r0 = *(u32 *)(r10 -8)
            exit
            """, NoMaps, Kernel: Accept),
        new("stack/write4_read8_bpfonly", SocketFilter, BpfOnly, """
            *(u32 *)(r10 -8) = 1
            r0 = *(u64 *)(r10 -8)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack off -8+4 size 8")),
        new("stack/write4_read8_root", SocketFilter, Root, """
            *(u32 *)(r10 -8) = 1
            r0 = *(u64 *)(r10 -8)
            exit
            """, NoMaps, Kernel: Accept),
        new("stack/write1_read2_bpfonly", SocketFilter, BpfOnly, """
            *(u8 *)(r10 -2) = 1
            r0 = *(u16 *)(r10 -2)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack off -2+1 size 2")),
        new("stack/read_uninit_root", SocketFilter, Root, """
            r0 = *(u64 *)(r10 -8)
            exit
            """, NoMaps, Kernel: Accept),
        new("stack/read_uninit_bpfonly", SocketFilter, BpfOnly, """
            r0 = *(u64 *)(r10 -8)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R10 off=-8 size=8")),
        new("stack/read_uninit_unpriv", SocketFilter, Unprivileged, """
            r0 = *(u64 *)(r10 -8)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R10 off=-8 size=8")),
        new("stack/write_at_fp", SocketFilter, Root, """
            *(u64 *)(r10 +0) = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid write to stack R10 off=0 size=8")),
        new("stack/write_above_fp", SocketFilter, Root, """
            *(u64 *)(r10 +8) = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid write to stack R10 off=8 size=8")),
        new("stack/read_above_fp", SocketFilter, Root, """
            r0 = *(u64 *)(r10 +8)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R10 off=8 size=8")),
        new("stack/write_read_fp_minus_512", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -512) = 0
            r0 = *(u64 *)(r10 -512)
            exit
            """, NoMaps, Kernel: Accept),
        new("stack/write_fp_minus_520", SocketFilter, Root, """
            *(u64 *)(r10 -520) = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid write to stack R10 off=-520 size=8")),
        new("stack/read_fp_minus_520", SocketFilter, Root, """
            r0 = *(u64 *)(r10 -520)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R10 off=-520 size=8")),
        new("stack/write_u8_fp_minus_513", SocketFilter, Root, """
            *(u8 *)(r10 -513) = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid write to stack R10 off=-513 size=1")),
        new("stack/misaligned_u64", SocketFilter, Root, """
            *(u64 *)(r10 -12) = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "misaligned stack access off 0+0+-12 size 8")),
        new("stack/misaligned_u32", SocketFilter, Root, """
            *(u32 *)(r10 -6) = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "misaligned stack access off 0+0+-6 size 4")),
        new("stack/misaligned_u16", SocketFilter, Root, """
            *(u16 *)(r10 -3) = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "misaligned stack access off 0+0+-3 size 2")),
        new("stack/misaligned_straddles_fp", SocketFilter, Root, """
            *(u64 *)(r10 -4) = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "misaligned stack access off 0+0+-4 size 8")),
        new("stack/u8_at_odd_offset", SocketFilter, BpfOnly, """
            *(u8 *)(r10 -3) = 0
            r0 = *(u8 *)(r10 -3)
            exit
            """, NoMaps, Kernel: Accept),
        new("stack/misaligned_u64_any_alignment", SocketFilter, Root, """
            *(u64 *)(r10 -12) = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "misaligned stack access off 0+0+-12 size 8"), ProgFlags: 2),
        new("stack/spill_fill_ctx", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = r1
            r2 = *(u64 *)(r10 -8)
            r0 = *(u32 *)(r2 +0)
            exit
            """, NoMaps, Kernel: Accept),
        new("stack/spill_fill_scalar", SocketFilter, BpfOnly, """
            r1 = 42
            *(u64 *)(r10 -8) = r1
            r0 = *(u64 *)(r10 -8)
            exit
            """, NoMaps, Kernel: Accept),
        new("stack/spill_fill_map_value", SocketFilter, BpfOnly, $"""
            {Lookup}
            if r0 == 0x0 goto out
            *(u64 *)(r10 -16) = r0
            r1 = *(u64 *)(r10 -16)
            r2 = *(u64 *)(r1 +8)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("stack/spill_ptr_overwrite_byte_root", SocketFilter, Root, """
            *(u64 *)(r10 -8) = r1
            *(u8 *)(r10 -8) = 0
            r2 = *(u64 *)(r10 -8)
            r0 = *(u32 *)(r2 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "R2 invalid mem access 'scalar'")),
        new("stack/spill_ptr_overwrite_byte_bpfonly", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = r1
            *(u8 *)(r10 -8) = 0
            r2 = *(u64 *)(r10 -8)
            r0 = *(u32 *)(r2 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "attempt to corrupt spilled pointer on stack")),
        new("stack/spill_ptr_overwrite_whole", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = r1
            *(u64 *)(r10 -8) = 0
            r0 = *(u64 *)(r10 -8)
            exit
            """, NoMaps, Kernel: Accept),
        new("stack/spill_ptr_fill_u32_root", SocketFilter, Root, """
            *(u64 *)(r10 -8) = r1
            r0 = *(u32 *)(r10 -8)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid size of register fill")),
        new("stack/spill_ptr_fill_u32_bpfonly", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = r1
            r0 = *(u32 *)(r10 -8)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid size of register fill")),
        new("stack/spill_ptr_as_u32", SocketFilter, Root, """
            *(u32 *)(r10 -8) = r1
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid size of register spill")),
        new("stack/atomic_add", SocketFilter, BpfOnly, """
            *(u64 *)(r10 -8) = 0
            r1 = 1
            lock *(u64 *)(r10 -8) += r1
            r0 = *(u64 *)(r10 -8)
            exit
            """, NoMaps, Kernel: Accept),
        new("stack/atomic_add_uninit_bpfonly", SocketFilter, BpfOnly, """
            r1 = 1
            lock *(u64 *)(r10 -8) += r1
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid read from stack R10 off=-8 size=8")),
    ];
}
