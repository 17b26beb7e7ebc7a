using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// Alignment (kernel: check_ptr_alignment, check_pkt_ptr_alignment, check_generic_ptr_alignment). x86-64
// has efficient unaligned access, so only BPF_F_STRICT_ALIGNMENT (prog_flags 1) makes map value, ctx and
// packet accesses strict; packet data is then assumed to start 2 bytes past a 4-byte boundary (NET_IP_ALIGN).
// BPF_F_ANY_ALIGNMENT is 2.
internal static partial class VerifierCorpus
{
    /// <summary>prog_flags BPF_F_STRICT_ALIGNMENT.</summary>
    private const uint Strict = 1;

    /// <summary>r2 = data, r3 = data_end, and 8 bytes of packet checked; jumps to "out" when shorter.</summary>
    private const string Packet8 = """
        r2 = *(u32 *)(r1 +76)
        r3 = *(u32 *)(r1 +80)
        r4 = r2
        r4 += 8
        if r4 > r3 goto out
        """;

    private static VerifierCase[] Align() =>
    [
        new("align/map_u64_at_4", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            *(u64 *)(r0 +4) = 0
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept),
        new("align/map_u64_at_4_strict", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            *(u64 *)(r0 +4) = 0
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "misaligned value access off 0+0+4 size 8"), ProgFlags: Strict),
        new("align/map_u64_at_4_any_alignment", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            *(u64 *)(r0 +4) = 0
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept, ProgFlags: 2),
        new("align/map_u32_at_4_strict", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u32 *)(r0 +4)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept, ProgFlags: Strict),
        new("align/map_u32_at_2_strict", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u32 *)(r0 +2)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "misaligned value access off 0+0+2 size 4"), ProgFlags: Strict),
        new("align/map_u16_at_2_strict", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u16 *)(r0 +2)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept, ProgFlags: Strict),
        new("align/map_variable_offset_strict", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u8 *)(r0 +0)
            r1 &= 4
            r0 += r1
            r1 = *(u32 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Accept, ProgFlags: Strict),
        new("align/map_odd_variable_offset_strict", SocketFilter, Root, $"""
            {Lookup}
            if r0 == 0x0 goto out
            r1 = *(u8 *)(r0 +0)
            r1 &= 5
            r0 += r1
            r1 = *(u32 *)(r0 +0)
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "misaligned value access off (0x0; 0x5)+0+0 size 4"), ProgFlags: Strict),
        new("align/pkt_u32_at_0", SchedCls, Root, $"""
            {Packet8}
            r0 = *(u32 *)(r2 +0)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("align/pkt_u32_at_0_strict", SchedCls, Root, $"""
            {Packet8}
            r0 = *(u32 *)(r2 +0)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "misaligned packet access off 2+0+0+0 size 4"), ProgFlags: Strict),
        new("align/pkt_u32_at_2_strict", SchedCls, Root, $"""
            {Packet8}
            r0 = *(u32 *)(r2 +2)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ProgFlags: Strict),
        new("align/pkt_u16_at_1_strict", SchedCls, Root, $"""
            {Packet8}
            r0 = *(u16 *)(r2 +1)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "misaligned packet access off 2+0+0+1 size 2"), ProgFlags: Strict),
        new("align/pkt_u8_at_1_strict", SchedCls, Root, $"""
            {Packet8}
            r0 = *(u8 *)(r2 +1)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ProgFlags: Strict),
        new("align/xdp_pkt_u32_at_0_strict", Xdp, Root, """
            r2 = *(u32 *)(r1 +0)
            r3 = *(u32 *)(r1 +4)
            r4 = r2
            r4 += 8
            if r4 > r3 goto out
            r0 = *(u32 *)(r2 +0)
            out:
            r0 = 2
            exit
            """, NoMaps, Kernel: Reject(13, "misaligned packet access off 2+0+0+0 size 4"), ProgFlags: Strict),
        new("align/ctx_u32_strict", SocketFilter, Root, """
            r0 = *(u32 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Accept, ProgFlags: Strict),
        new("align/stack_u64_strict", SocketFilter, Root, """
            *(u64 *)(r10 -8) = 0
            r0 = *(u64 *)(r10 -8)
            exit
            """, NoMaps, Kernel: Accept, ProgFlags: Strict),
    ];
}
