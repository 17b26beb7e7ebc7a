using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// ALU on pointers (kernel: adjust_ptr_min_max_vals, adjust_reg_min_max_vals): which pointer types take
// arithmetic at all, which operators, pointer +/- pointer, 32-bit ALU and neg on pointers, partial copies,
// and the modified-ctx rule of check_ctx_access.
internal static partial class VerifierCorpus
{
    private static VerifierCase[] PointerArith() =>
    [
        new("ptr/stack_add_const", SocketFilter, Root, """
            r1 = r10
            r1 += -8
            *(u64 *)(r1 +0) = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("ptr/stack_sub_const", SocketFilter, Root, """
            r1 = r10
            r1 -= 16
            *(u64 *)(r1 +8) = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 subtraction from stack pointer prohibited")),
        new("ptr/map_ptr_add", SocketFilter, Root, """
            r1 = map[idx:0]
            r1 += 8
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R1 pointer arithmetic on map_ptr prohibited")),
        new("ptr/map_value_or_null_add", SocketFilter, Root, $"""
            {Lookup}
            r0 += 8
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 pointer arithmetic on map_value_or_null prohibited, null-check it first")),
        new("ptr/map_value_add_const", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r0 += 8
            r1 = *(u64 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("ptr/pkt_end_add", SchedCls, Root, """
            r2 = *(u32 *)(r1 +80)
            r2 += 1
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R2 pointer arithmetic on pkt_end prohibited")),
        new("ptr/pkt_add_const", SchedCls, Root, """
            r2 = *(u32 *)(r1 +76)
            r2 += 14
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("ptr/ctx_add_const_unused", SocketFilter, Root, """
            r1 += 4
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("ptr/ctx_add_const_then_load", SocketFilter, Root, """
            r1 += 4
            r0 = *(u32 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "dereference of modified ctx ptr R1 off=4 disallowed")),
        new("ptr/ctx_add_const_then_store", SchedCls, Root, """
            r1 += 8
            r2 = 1
            *(u32 *)(r1 +0) = r2
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "dereference of modified ctx ptr R1 off=8 disallowed")),
        new("ptr/ctx_add_variable_then_load", SocketFilter, Root, """
            r2 = *(u32 *)(r1 +0)
            r2 &= 4
            r1 += r2
            r0 = *(u32 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "variable ctx access var_off=(0x0; 0x4) disallowed")),
        new("ptr/ptr_add_ptr", SocketFilter, Root, """
            r1 = r10
            r1 += r10
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 pointer += pointer prohibited")),
        new("ptr/ptr_sub_ptr_root", SocketFilter, Root, """
            r1 = r10
            r1 -= r10
            r0 = r1
            exit
            """, NoMaps, Kernel: Accept),
        new("ptr/ptr_sub_ptr_bpfonly", SocketFilter, BpfOnly, """
            r1 = r10
            r1 -= r10
            r0 = r1
            exit
            """, NoMaps, Kernel: Reject(13, "R1 pointer -= pointer prohibited")),
        new("ptr/ptr_and_imm", SocketFilter, Root, """
            r1 = r10
            r1 &= -8
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 bitwise operator &= on pointer prohibited")),
        new("ptr/ptr_or_reg", SocketFilter, Root, """
            r2 = 1
            r1 = r10
            r1 |= r2
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 bitwise operator |= on pointer prohibited")),
        new("ptr/ptr_mul", SocketFilter, Root, """
            r1 = r10
            r1 *= 2
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 pointer arithmetic with *= operator prohibited")),
        new("ptr/ptr_lsh", SocketFilter, Root, """
            r1 = r10
            r1 <<= 1
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 pointer arithmetic with <<= operator prohibited")),
        new("ptr/ptr_div", SocketFilter, Root, """
            r1 = r10
            r1 /= 2
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 pointer arithmetic with /= operator prohibited")),
        new("ptr/ptr_add32", SocketFilter, Root, """
            r1 = r10
            w1 += 8
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 32-bit pointer arithmetic prohibited")),
        new("ptr/ptr_neg_root", SocketFilter, Root, """
            r1 = r10
            r1 = -r1
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("ptr/ptr_neg_bpfonly", SocketFilter, BpfOnly, """
            r1 = r10
            r1 = -r1
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 pointer arithmetic prohibited")),
        new("ptr/scalar_minus_ptr", SocketFilter, Root, """
            r0 = 0
            r0 -= r10
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R0 tried to subtract pointer from scalar")),
        new("ptr/scalar_plus_ptr", SocketFilter, Root, """
            r1 = -8
            r1 += r10
            *(u64 *)(r1 +0) = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("ptr/mov32_ptr_root", SocketFilter, Root, """
            w1 = w10
            r0 = r1
            exit
            """, NoMaps, Kernel: Accept),
        new("ptr/mov32_ptr_bpfonly", SocketFilter, BpfOnly, """
            w1 = w10
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R10 partial copy of pointer")),
        new("ptr/stack_add_variable_root", SocketFilter, Root, """
            r2 = *(u32 *)(r1 +0)
            r2 &= 8
            r1 = r10
            r1 += -16
            r1 += r2
            *(u64 *)(r1 +0) = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("ptr/stack_add_variable_bpfonly", SocketFilter, BpfOnly, """
            r2 = *(u32 *)(r1 +0)
            r2 &= 8
            r1 = r10
            r1 += -16
            r1 += r2
            *(u64 *)(r1 +0) = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 variable stack access prohibited for !root, var_off=(0x0; 0x8) off=-16")),
        new("ptr/map_ptr_sub", SocketFilter, Root, """
            r1 = map[idx:0]
            r1 -= 8
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R1 pointer arithmetic on map_ptr prohibited")),
    ];
}
