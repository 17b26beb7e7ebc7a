using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// ALU on scalars (kernel: check_alu_op): division by a zero immediate, shift counts past the width,
// reserved fields, byte swaps, sign-extending moves, and a scalar used as a pointer.
internal static partial class VerifierCorpus
{
    private static VerifierCase[] Alu() =>
    [
        new("alu/add_sub_mul", SocketFilter, Root, """
            r0 = 1
            r0 += 2
            r0 -= 1
            r0 *= 3
            exit
            """, NoMaps, Kernel: Accept),
        new("alu/div_imm_zero", SocketFilter, Root, """
            r0 = 1
            r0 /= 0
            exit
            """, NoMaps, Kernel: Reject(22, "div by zero")),
        new("alu/mod_imm_zero", SocketFilter, Root, """
            r0 = 1
            r0 %= 0
            exit
            """, NoMaps, Kernel: Reject(22, "div by zero")),
        new("alu/div32_imm_zero", SocketFilter, Root, """
            w0 = 1
            w0 /= 0
            exit
            """, NoMaps, Kernel: Reject(22, "div by zero")),
        new("alu/div_reg_zero", SocketFilter, Root, """
            r1 = 0
            r0 = 1
            r0 /= r1
            exit
            """, NoMaps, Kernel: Accept),
        new("alu/sdiv_imm", SocketFilter, Root, """
            r0 = 7
            r0 s/= -3
            exit
            """, NoMaps, Kernel: Accept),
        new("alu/lsh_imm_64", SocketFilter, Root, """
            r0 = 1
            r0 <<= 64
            exit
            """, NoMaps, Kernel: Reject(22, "invalid shift 64")),
        new("alu/rsh32_imm_32", SocketFilter, Root, """
            w0 = 1
            w0 >>= 32
            exit
            """, NoMaps, Kernel: Reject(22, "invalid shift 32")),
        new("alu/arsh_imm_64", SocketFilter, Root, """
            r0 = 1
            r0 s>>= 64
            exit
            """, NoMaps, Kernel: Reject(22, "invalid shift 64")),
        new("alu/lsh_imm_63", SocketFilter, Root, """
            r0 = 1
            r0 <<= 63
            exit
            """, NoMaps, Kernel: Accept),
        new("alu/lsh_reg_unknown", SocketFilter, Root, """
            r2 = *(u32 *)(r1 +0)
            r0 = 1
            r0 <<= r2
            exit
            """, NoMaps, Kernel: Accept),
        new("alu/neg", SocketFilter, Root, """
            r0 = 5
            r0 = -r0
            exit
            """, NoMaps, Kernel: Accept),
        new("alu/byte_swaps", SocketFilter, Root, """
            r0 = 0x1234
            r0 = be16 r0
            r0 = le32 r0
            r0 = bswap64 r0
            exit
            """, NoMaps, Kernel: Accept),
        new("alu/end_bad_width", SocketFilter, Root, """
            r0 = 1
            dc 00 00 00 08 00 00 00
            exit
            """, NoMaps, Kernel: Reject(22, "BPF_END uses reserved fields")),
        new("alu/mov_imm_reserved_off", SocketFilter, Root, """
            b7 00 01 00 00 00 00 00
            exit
            """, NoMaps, Kernel: Reject(22, "BPF_MOV uses reserved fields")),
        new("alu/add_imm_reserved_src", SocketFilter, Root, """
            r0 = 0
            07 10 00 00 01 00 00 00
            exit
            """, NoMaps, Kernel: Reject(22, "BPF_ALU uses reserved fields")),
        new("alu/unknown_alu64_op", SocketFilter, Root, """
            r0 = 0
            e7 00 00 00 01 00 00 00
            exit
            """, NoMaps, Kernel: Reject(22, "unknown opcode e7")),
        new("alu/movsx", SocketFilter, Root, """
            r1 = 0xff
            r0 = (s8)r1
            exit
            """, NoMaps, Kernel: Accept),
        new("alu/mov32_zero_extends", SocketFilter, Root, """
            r0 = -1
            w0 = w0
            exit
            """, NoMaps, Kernel: Accept),
        new("alu/scalar_as_pointer", SocketFilter, Root, """
            r0 = 1
            r0 = *(u64 *)(r0 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "R0 invalid mem access 'scalar'")),
        new("alu/scalar_store_target", SocketFilter, Root, """
            r1 = 0
            *(u64 *)(r1 +0) = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 invalid mem access 'scalar'")),
    ];
}
