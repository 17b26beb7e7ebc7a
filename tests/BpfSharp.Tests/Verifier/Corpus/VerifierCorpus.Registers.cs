using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// Registers (kernel: check_reg_arg): reading a register never written, writing the read-only frame pointer,
// register numbers past r10, and the caller-saved r1-r5 that a helper call leaves unreadable.
internal static partial class VerifierCorpus
{
    private static VerifierCase[] Registers() =>
    [
        new("reg/read_uninit_r2", SocketFilter, Root, """
            r0 = r2
            exit
            """, NoMaps, Kernel: Reject(13, "R2 !read_ok")),
        new("reg/add_uninit_r9", SocketFilter, Root, """
            r0 = 0
            r0 += r9
            exit
            """, NoMaps, Kernel: Reject(13, "R9 !read_ok")),
        new("reg/store_uninit_r3", SocketFilter, Root, """
            *(u64 *)(r10 -8) = r3
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R3 !read_ok")),
        new("reg/load_through_uninit_r4", SocketFilter, Root, """
            r0 = *(u64 *)(r4 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "R4 !read_ok")),
        new("reg/compare_uninit_r7", SocketFilter, Root, """
            r0 = 0
            if r7 > 0x0 goto +0
            exit
            """, NoMaps, Kernel: Reject(13, "R7 !read_ok")),
        new("reg/mov32_uninit_r6", SocketFilter, Root, """
            w0 = w6
            exit
            """, NoMaps, Kernel: Reject(13, "R6 !read_ok")),
        new("reg/r0_uninit_at_exit", SocketFilter, Root, """
            r2 = r1
            exit
            """, NoMaps, Kernel: Reject(13, "R0 !read_ok")),
        new("reg/r0_set_at_exit", SocketFilter, Root, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("reg/r1_is_ctx_at_entry", SocketFilter, Root, """
            r0 = *(u32 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Accept),
        new("reg/mov_to_r10", SocketFilter, Root, """
            r10 = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "frame pointer is read only")),
        new("reg/add_to_r10", SocketFilter, Root, """
            r10 += -8
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "frame pointer is read only")),
        new("reg/mov32_to_r10", SocketFilter, Root, """
            w10 = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "frame pointer is read only")),
        new("reg/load_into_r10", SocketFilter, Root, """
            r10 = *(u32 *)(r1 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "frame pointer is read only")),
        new("reg/copy_of_r10", SocketFilter, Root, """
            r1 = r10
            r1 += -8
            *(u64 *)(r1 +0) = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("reg/r1_after_helper", SocketFilter, Root, """
            call bpf_get_prandom_u32
            r0 = r1
            exit
            """, NoMaps, Kernel: Reject(13, "R1 !read_ok")),
        new("reg/r5_after_helper", SocketFilter, Root, """
            r5 = 1
            call bpf_get_prandom_u32
            r0 = r5
            exit
            """, NoMaps, Kernel: Reject(13, "R5 !read_ok")),
        new("reg/r6_kept_across_helper", SocketFilter, Root, """
            r6 = 1
            call bpf_get_prandom_u32
            r0 = r6
            exit
            """, NoMaps, Kernel: Accept),
        new("reg/r9_ctx_kept_across_helper", SocketFilter, Root, """
            r9 = r1
            call bpf_get_prandom_u32
            r0 = *(u32 *)(r9 +0)
            exit
            """, NoMaps, Kernel: Accept),
        new("reg/r0_set_by_helper", SocketFilter, Root, """
            call bpf_get_prandom_u32
            exit
            """, NoMaps, Kernel: Accept),
        new("reg/src_r11", SocketFilter, Root, """
            bf b0 00 00 00 00 00 00
            exit
            """, NoMaps, Kernel: Reject(22, "R11 is invalid")),
        new("reg/dst_r12", SocketFilter, Root, """
            b7 0c 00 00 00 00 00 00
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "R12 is invalid")),
    ];
}
