using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// Direct packet access (kernel: try_match_pkt_pointers, find_good_pkt_pointers, mark_pkt_end,
// is_pkt_ptr_branch_taken, check_packet_access, check_pkt_ptr_alignment, adjust_ptr_min_max_vals on packet
// pointers): every comparison form and order of a packet pointer with the end (and of data_meta with data),
// 32-bit comparisons, header parsers for Ethernet, VLAN, IPv4 with a variable IHL, IPv6, TCP (variable data
// offset) and UDP, reads and writes past the proven range, the 1 << 29 and MAX_PACKET_OFF limits, and alignment
// with BPF_F_STRICT_ALIGNMENT (packet data assumed NET_IP_ALIGN = 2 bytes past a 4-byte boundary).
internal static partial class VerifierCorpus
{
    /// <summary>tc: r2 = skb->data, r3 = skb->data_end.</summary>
    private const string ClsData = """
        r2 = *(u32 *)(r1 +76)
        r3 = *(u32 *)(r1 +80)
        """;

    /// <summary>XDP: r2 = data, r3 = data_end.</summary>
    private const string XdpData = """
        r2 = *(u32 *)(r1 +0)
        r3 = *(u32 *)(r1 +4)
        """;

    /// <summary>r4 = r2 + 14 (past the Ethernet header).</summary>
    private const string Eth = """
        r4 = r2
        r4 += 14
        """;

    /// <summary>
    /// Ethernet + IPv4 with a variable header length: 34 bytes checked, r5 = IHL * 4 (0..60), r4 = the IPv4
    /// payload (r2 + 14 + r5), r6 = r4 + 8 checked against the end (a UDP header).
    /// </summary>
    private const string Ipv4VarIhl = """
        r4 = r2
        r4 += 34
        if r4 > r3 goto out
        r5 = *(u8 *)(r2 +14)
        r5 &= 0xf
        r5 <<= 2
        r4 = r2
        r4 += 14
        r4 += r5
        r6 = r4
        r6 += 8
        if r6 > r3 goto out
        """;

    private static string Cls(string body) => $"{ClsData}\n{body}\n{Out}";

    private static string XdpProg(string body) => $"{XdpData}\n{body}\n{Out}";

    private static VerifierCase[] Packet() =>
    [
        // pkt vs pkt_end: every form and order, and the side of the branch that proves the range.
        new("packet/jgt_fallthrough", SchedCls, Root, Cls($"{Eth}\nif r4 > r3 goto out\nr0 = *(u16 *)(r2 +12)"), NoMaps, Kernel: Accept),
        new("packet/jgt_fallthrough_past_range", SchedCls, Root, Cls($"{Eth}\nif r4 > r3 goto out\nr0 = *(u16 *)(r2 +13)"), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/end_jlt_fallthrough", SchedCls, Root, Cls($"{Eth}\nif r3 < r4 goto out\nr0 = *(u16 *)(r2 +12)"), NoMaps, Kernel: Accept),
        new("packet/jge_fallthrough_right_open", SchedCls, Root, Cls($"{Eth}\nif r4 >= r3 goto out\nr0 = *(u8 *)(r2 +14)"), NoMaps, Kernel: Accept),
        new("packet/jge_fallthrough_past_range", SchedCls, Root, Cls($"{Eth}\nif r4 >= r3 goto out\nr0 = *(u8 *)(r2 +15)"), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/end_jle_fallthrough", SchedCls, Root, Cls($"{Eth}\nif r3 <= r4 goto out\nr0 = *(u8 *)(r2 +14)"), NoMaps, Kernel: Accept),
        new("packet/jle_taken", SchedCls, Root, Cls($"{Eth}\nif r4 <= r3 goto ok\ngoto out\nok:\nr0 = *(u16 *)(r2 +12)"), NoMaps, Kernel: Accept),
        new("packet/jle_taken_past_range", SchedCls, Root, Cls($"{Eth}\nif r4 <= r3 goto ok\ngoto out\nok:\nr0 = *(u8 *)(r2 +14)"), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/end_jge_taken", SchedCls, Root, Cls($"{Eth}\nif r3 >= r4 goto ok\ngoto out\nok:\nr0 = *(u16 *)(r2 +12)"), NoMaps, Kernel: Accept),
        new("packet/jlt_taken_right_open", SchedCls, Root, Cls($"{Eth}\nif r4 < r3 goto ok\ngoto out\nok:\nr0 = *(u8 *)(r2 +14)"), NoMaps, Kernel: Accept),
        new("packet/end_jgt_taken", SchedCls, Root, Cls($"{Eth}\nif r3 > r4 goto ok\ngoto out\nok:\nr0 = *(u8 *)(r2 +14)"), NoMaps, Kernel: Accept),
        new("packet/jlt_wrong_side", SchedCls, Root, Cls($"{Eth}\nif r4 < r3 goto out\nr0 = *(u8 *)(r2 +0)"), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/jgt_wrong_side", SchedCls, Root, Cls($"{Eth}\nif r4 > r3 goto ok\ngoto out\nok:\nr0 = *(u8 *)(r2 +0)"), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/jeq_proves_nothing", SchedCls, Root, Cls($"{Eth}\nif r4 == r3 goto out\nr0 = *(u8 *)(r2 +0)"), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/jne_proves_nothing", SchedCls, Root, Cls($"{Eth}\nif r4 != r3 goto out\nr0 = *(u8 *)(r2 +0)"), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/jsgt_proves_nothing", SchedCls, Root, Cls($"{Eth}\nif r4 s> r3 goto out\nr0 = *(u8 *)(r2 +0)"), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/jmp32_jgt_root", SchedCls, Root, Cls($"{Eth}\nif w4 > w3 goto out\nr0 = *(u16 *)(r2 +12)"), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/jmp32_jlt_root", SchedCls, Root, Cls($"{Eth}\nif w3 < w4 goto out\nr0 = *(u16 *)(r2 +12)"), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/jmp32_jgt_bpfonly", SchedCls, BpfOnly, Cls($"{Eth}\nif w4 > w3 goto out\nr0 = *(u16 *)(r2 +12)"), NoMaps, Kernel: Reject(13, "R4 pointer comparison prohibited")),
        new("packet/jgt_bpfonly", SchedCls, BpfOnly, Cls($"{Eth}\nif r4 > r3 goto out\nr0 = *(u16 *)(r2 +12)"), NoMaps, Kernel: Accept),
        new("packet/data_itself_jgt", SchedCls, Root, Cls("if r2 > r3 goto out\nr0 = *(u8 *)(r2 +0)"), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/data_itself_jge", SchedCls, Root, Cls("if r2 >= r3 goto out\nr0 = *(u8 *)(r2 +0)"), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/compare_with_imm", SchedCls, Root, Cls("if r2 == 0x0 goto out\nr0 = *(u8 *)(r2 +0)"), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/end_compared_with_end", SchedCls, Root, Cls("r4 = r3\nif r4 > r3 goto out\nr0 = *(u8 *)(r2 +0)"), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/xdp_jgt_fallthrough", Xdp, Root, XdpProg($"{Eth}\nif r4 > r3 goto out\nr0 = *(u16 *)(r2 +12)"), NoMaps, Kernel: Accept),
        new("packet/xdp_end_jge_taken", Xdp, Root, XdpProg($"{Eth}\nif r3 >= r4 goto ok\ngoto out\nok:\nr0 = *(u16 *)(r2 +12)"), NoMaps, Kernel: Accept),

        // The range, its holders and its limits.
        new("packet/read_before_start", SchedCls, Root, Cls($"{Eth}\nif r4 > r3 goto out\nr0 = *(u8 *)(r2 -1)"), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/read_back_from_checked_pointer", SchedCls, Root, Cls($"{Eth}\nif r4 > r3 goto out\nr0 = *(u8 *)(r4 -1)"), NoMaps, Kernel: Accept),
        new("packet/read_at_checked_pointer", SchedCls, Root, Cls($"{Eth}\nif r4 > r3 goto out\nr0 = *(u8 *)(r4 +0)"), NoMaps, Kernel: Reject(13, "R4 offset is outside of the packet")),
        new("packet/range_spreads_to_copy", SchedCls, Root, Cls($"r5 = r2\n{Eth}\nif r4 > r3 goto out\nr0 = *(u32 *)(r5 +8)"), NoMaps, Kernel: Accept),
        new("packet/range_not_for_other_id", SchedCls, Root, Cls($"""
            r5 = *(u8 *)(r1 +0)
            r5 &= 0x7
            r6 = r2
            r6 += r5
            {Eth}
            if r4 > r3 goto out
            r0 = *(u8 *)(r6 +0)
            """), NoMaps, Kernel: Reject(13, "R6 offset is outside of the packet")),
        new("packet/second_check_widens", SchedCls, Root, Cls($"{Eth}\nif r4 > r3 goto out\nr4 += 20\nif r4 > r3 goto out\nr0 = *(u8 *)(r2 +33)"), NoMaps, Kernel: Accept),
        new("packet/second_check_widens_past", SchedCls, Root, Cls($"{Eth}\nif r4 > r3 goto out\nr4 += 20\nif r4 > r3 goto out\nr0 = *(u8 *)(r2 +34)"), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/decreasing_order_reads", SchedCls, Root, Cls("r4 = r2\nr4 += 34\nif r4 > r3 goto out\nr0 = *(u32 *)(r4 -8)\nr0 = *(u16 *)(r4 -22)"), NoMaps, Kernel: Accept),
        new("packet/const_add_after_check", SchedCls, Root, Cls($"{Eth}\nif r4 > r3 goto out\nr2 += 4\nr0 = *(u8 *)(r2 +9)"), NoMaps, Kernel: Accept),
        new("packet/const_add_after_check_past", SchedCls, Root, Cls($"{Eth}\nif r4 > r3 goto out\nr2 += 4\nr0 = *(u8 *)(r2 +10)"), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/var_add_after_check_loses_range", SchedCls, Root, Cls($"""
            {Eth}
            if r4 > r3 goto out
            r5 = *(u8 *)(r2 +0)
            r5 &= 0x3
            r2 += r5
            r0 = *(u8 *)(r2 +0)
            """), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/write_checked", SchedCls, Root, Cls($"{Eth}\nif r4 > r3 goto out\nr0 = 0\n*(u16 *)(r2 +12) = r0"), NoMaps, Kernel: Accept),
        new("packet/write_past_range", SchedCls, Root, Cls($"{Eth}\nif r4 > r3 goto out\n*(u32 *)(r2 +12) = 0"), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/xdp_write_checked", Xdp, Root, XdpProg($"{Eth}\nif r4 > r3 goto out\n*(u32 *)(r2 +0) = 0"), NoMaps, Kernel: Accept),
        new("packet/cgroup_skb_write", CgroupSkb, Root, """
            r2 = *(u32 *)(r1 +76)
            r3 = *(u32 *)(r1 +80)
            r4 = r2
            r4 += 14
            if r4 > r3 goto out
            *(u8 *)(r2 +0) = 0
            out:
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "cannot write into packet")),
        new("packet/read_through_pointer_beyond_end", SchedCls, Root, Cls($"{Eth}\nif r4 > r3 goto over\ngoto out\nover:\nr0 = *(u8 *)(r4 -1)"), NoMaps, Kernel: Reject(22, "R4 offset is outside of the packet")),

        // Branches decided by an earlier comparison with the end (is_pkt_ptr_branch_taken).
        new("packet/dead_jle_beyond_end", SchedCls, Root, Cls($"""
            {Eth}
            if r4 > r3 goto over
            goto out
            over:
            if r4 <= r3 goto bad
            goto out
            bad:
            r0 = *(u64 *)(r9 +0)
            """), NoMaps, Kernel: Accept),
        new("packet/dead_jlt_at_end", SchedCls, Root, Cls($"""
            {Eth}
            if r3 <= r4 goto at
            goto out
            at:
            if r4 < r3 goto bad
            goto out
            bad:
            r0 = *(u64 *)(r9 +0)
            """), NoMaps, Kernel: Accept),
        new("packet/live_jgt_at_end", SchedCls, Root, Cls($"""
            {Eth}
            if r3 <= r4 goto at
            goto out
            at:
            if r4 > r3 goto bad
            goto out
            bad:
            r0 = *(u64 *)(r9 +0)
            """), NoMaps, Kernel: Reject(13, "R9 !read_ok")),

        // Header parsers.
        new("packet/eth_ipv4_udp_fixed", SchedCls, Root, Cls("""
            r4 = r2
            r4 += 42
            if r4 > r3 goto out
            r5 = *(u16 *)(r2 +12)
            if r5 != 0x8 goto out
            r5 = *(u8 *)(r2 +23)
            if r5 != 0x11 goto out
            r0 = *(u16 *)(r2 +36)
            """), NoMaps, Kernel: Accept),
        new("packet/eth_ipv4_udp_fixed_short_check", SchedCls, Root, Cls("""
            r4 = r2
            r4 += 34
            if r4 > r3 goto out
            r5 = *(u8 *)(r2 +23)
            if r5 != 0x11 goto out
            r0 = *(u16 *)(r2 +36)
            """), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/ipv4_var_ihl_udp", SchedCls, Root, Cls($"{Ipv4VarIhl}\nr0 = *(u16 *)(r4 +2)"), NoMaps, Kernel: Accept),
        new("packet/ipv4_var_ihl_read_past", SchedCls, Root, Cls($"{Ipv4VarIhl}\nr0 = *(u16 *)(r4 +8)"), NoMaps, Kernel: Reject(13, "R4 offset is outside of the packet")),
        new("packet/ipv4_var_ihl_unmasked", SchedCls, Root, Cls("""
            r4 = r2
            r4 += 34
            if r4 > r3 goto out
            r5 = *(u8 *)(r2 +14)
            r5 <<= 2
            r4 = r2
            r4 += 14
            r4 += r5
            r6 = r4
            r6 += 8
            if r6 > r3 goto out
            r0 = *(u16 *)(r4 +2)
            """), NoMaps, Kernel: Accept),
        new("packet/ipv4_var_ihl_u16_length", SchedCls, Root, Cls("""
            r4 = r2
            r4 += 34
            if r4 > r3 goto out
            r5 = *(u16 *)(r2 +16)
            r4 = r2
            r4 += 14
            r4 += r5
            r6 = r4
            r6 += 8
            if r6 > r3 goto out
            r0 = *(u16 *)(r4 +2)
            """), NoMaps, Kernel: Reject(13, "R4 offset is outside of the packet")),
        new("packet/ipv4_var_ihl_u32_length", SchedCls, Root, Cls("""
            r4 = r2
            r4 += 34
            if r4 > r3 goto out
            r5 = *(u32 *)(r2 +16)
            r4 = r2
            r4 += 14
            r4 += r5
            r6 = r4
            r6 += 8
            if r6 > r3 goto out
            r0 = *(u16 *)(r4 +2)
            """), NoMaps, Kernel: Reject(13, "R4 offset is outside of the packet")),
        new("packet/ipv4_var_ihl_minimum_checked", SchedCls, Root, Cls("""
            r4 = r2
            r4 += 34
            if r4 > r3 goto out
            r5 = *(u8 *)(r2 +14)
            r5 &= 0xf
            r5 <<= 2
            if r5 < 0x14 goto out
            r4 = r2
            r4 += 14
            r4 += r5
            r6 = r4
            r6 += 8
            if r6 > r3 goto out
            r0 = *(u16 *)(r4 +2)
            r0 = *(u8 *)(r4 -11)
            """), NoMaps, Kernel: Accept),
        new("packet/ipv4_var_ihl_tcp_doff", SchedCls, Root, Cls($"""
            {Ipv4VarIhl}
            r6 = r4
            r6 += 20
            if r6 > r3 goto out
            r7 = *(u8 *)(r4 +12)
            r7 >>= 4
            r7 <<= 2
            r4 += r7
            r6 = r4
            r6 += 4
            if r6 > r3 goto out
            r0 = *(u32 *)(r4 +0)
            """), NoMaps, Kernel: Accept),
        new("packet/ipv4_var_ihl_tcp_doff_unchecked", SchedCls, Root, Cls($"""
            {Ipv4VarIhl}
            r6 = r4
            r6 += 20
            if r6 > r3 goto out
            r7 = *(u8 *)(r4 +12)
            r7 >>= 4
            r7 <<= 2
            r4 += r7
            r0 = *(u32 *)(r4 +0)
            """), NoMaps, Kernel: Reject(13, "R4 offset is outside of the packet")),
        new("packet/ipv4_var_ihl_check_on_copy_before_add", SchedCls, Root, Cls("""
            r4 = r2
            r4 += 34
            if r4 > r3 goto out
            r5 = *(u8 *)(r2 +14)
            r5 &= 0xf
            r5 <<= 2
            r4 = r2
            r4 += 14
            r6 = r4
            r6 += 8
            r4 += r5
            if r6 > r3 goto out
            r0 = *(u16 *)(r4 +2)
            """), NoMaps, Kernel: Reject(13, "R4 offset is outside of the packet")),
        new("packet/eth_ipv6_tcp", SchedCls, Root, Cls("""
            r4 = r2
            r4 += 74
            if r4 > r3 goto out
            r5 = *(u16 *)(r2 +12)
            if r5 != 0xdd86 goto out
            r5 = *(u8 *)(r2 +20)
            if r5 != 0x6 goto out
            r0 = *(u16 *)(r2 +56)
            r0 = *(u8 *)(r2 +67)
            """), NoMaps, Kernel: Accept),
        new("packet/eth_ipv6_tcp_read_past", SchedCls, Root, Cls("""
            r4 = r2
            r4 += 54
            if r4 > r3 goto out
            r5 = *(u8 *)(r2 +20)
            if r5 != 0x6 goto out
            r0 = *(u8 *)(r2 +67)
            """), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/eth_ipv6_pointer_chain", SchedCls, Root, Cls("""
            r4 = r2
            r4 += 14
            r5 = r4
            r5 += 40
            r6 = r5
            r6 += 8
            if r6 > r3 goto out
            r0 = *(u8 *)(r4 +6)
            r0 = *(u16 *)(r5 +2)
            """), NoMaps, Kernel: Accept),
        new("packet/eth_vlan_ipv4", SchedCls, Root, Cls("""
            r4 = r2
            r4 += 38
            if r4 > r3 goto out
            r5 = *(u16 *)(r2 +12)
            if r5 != 0x81 goto out
            r5 = *(u16 *)(r2 +16)
            if r5 != 0x8 goto out
            r0 = *(u8 *)(r2 +27)
            """), NoMaps, Kernel: Accept),
        new("packet/xdp_ipv4_var_ihl_udp", Xdp, Root, XdpProg($"{Ipv4VarIhl}\nr0 = *(u16 *)(r4 +2)"), NoMaps, Kernel: Accept),
        new("packet/xdp_ipv4_var_ihl_read_past", Xdp, Root, XdpProg($"{Ipv4VarIhl}\nr0 = *(u32 *)(r4 +6)"), NoMaps, Kernel: Reject(13, "R4 offset is outside of the packet")),
        new("packet/xdp_eth_ipv6_udp", Xdp, Root, XdpProg("""
            r4 = r2
            r4 += 62
            if r4 > r3 goto out
            r5 = *(u8 *)(r2 +20)
            if r5 != 0x11 goto out
            r0 = *(u16 *)(r2 +56)
            """), NoMaps, Kernel: Accept),
        new("packet/doc_style_udp_parser", SchedCls, Root, Cls("""
            r4 = r2
            r4 += 42
            if r4 > r3 goto out
            r5 = *(u16 *)(r2 +12)
            if r5 != 0x8 goto out
            r5 = *(u8 *)(r2 +23)
            if r5 != 0x11 goto out
            r5 = *(u8 *)(r2 +14)
            if r5 != 0x45 goto out
            r5 = *(u16 *)(r2 +36)
            if r5 == 0x3500 goto out
            r5 = *(u16 *)(r2 +34)
            """), NoMaps, Kernel: Accept),

        // Arithmetic on packet pointers: variable offsets, subtraction, the limits.
        new("packet/var_offset_range_spreads", SchedCls, Root, Cls("""
            r4 = *(u8 *)(r1 +0)
            r4 &= 0xff
            r2 += r4
            r5 = r2
            r5 += 8
            if r5 > r3 goto out
            r0 = *(u8 *)(r2 +4)
            """), NoMaps, Kernel: Accept),
        new("packet/sub_var_from_pointer", SchedCls, Root, Cls($"""
            {Eth}
            if r4 > r3 goto out
            r5 = *(u8 *)(r2 +0)
            r5 &= 0x7
            r4 -= r5
            r0 = *(u8 *)(r4 +0)
            """), NoMaps, Kernel: Reject(13, "R4 min value is negative, either use unsigned index or do a if (index >=0) check.")),
        new("packet/sub_const_from_checked_pointer", SchedCls, Root, Cls($"{Eth}\nif r4 > r3 goto out\nr4 -= 4\nr0 = *(u32 *)(r4 +0)"), NoMaps, Kernel: Accept),
        new("packet/end_minus_data_root", SchedCls, Root, Cls("r4 = r3\nr4 -= r2\nr0 = r4"), NoMaps, Kernel: Accept),
        new("packet/end_minus_data_bpfonly", SchedCls, BpfOnly, Cls("r4 = r3\nr4 -= r2\nr0 = r4"), NoMaps, Kernel: Reject(13, "R4 pointer -= pointer prohibited")),
        new("packet/add_unbounded", SchedCls, Root, Cls($"{Eth}\nif r4 > r3 goto out\nr5 = *(u64 *)(r2 +0)\nr2 += r5"), NoMaps, Kernel: Reject(22, "math between pkt pointer and register with unbounded min value is not allowed")),
        new("packet/add_u32_then_check", SchedCls, Root, Cls($"""
            {Eth}
            if r4 > r3 goto out
            r5 = *(u32 *)(r2 +0)
            r2 += r5
            r4 = r2
            r4 += 8
            if r4 > r3 goto out
            r0 = *(u8 *)(r2 +0)
            """), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/add_imm_1_shl_29", SchedCls, Root, Cls("r2 += 0x20000000\nr0 = 0"), NoMaps, Kernel: Reject(22, "math between pkt pointer and 536870912 is not allowed")),
        new("packet/fixed_offset_reaches_1_shl_29", SchedCls, Root, Cls("r2 += 0x10000000\nr2 += 0x10000000\nr0 = 0"), NoMaps, Kernel: Reject(22, "pkt pointer offset 536870912 is not allowed")),
        new("packet/add_reg_const_1_shl_29", SchedCls, Root, Cls("r5 = 0x20000000\nr2 += r5\nr0 = 0"), NoMaps, Kernel: Reject(22, "math between pkt pointer and 536870912 is not allowed")),
        new("packet/max_packet_off_check", SchedCls, Root, Cls("r4 = r2\nr4 += 0xffff\nif r4 > r3 goto out\nr0 = *(u8 *)(r4 -1)"), NoMaps, Kernel: Accept),
        new("packet/beyond_max_packet_off_check", SchedCls, Root, Cls("r4 = r2\nr4 += 0x10000\nif r4 > r3 goto out\nr0 = *(u8 *)(r4 -1)"), NoMaps, Kernel: Reject(13, "R4 offset is outside of the packet")),
        new("packet/sign_extended_length", SchedCls, Root, Cls($"""
            {Eth}
            if r4 > r3 goto out
            r5 = *(u32 *)(r2 +0)
            r5 <<= 32
            r5 s>>= 32
            r2 += r5
            """), NoMaps, Kernel: Reject(22, "value -2147483648 makes pkt pointer be out of bounds")),
        new("packet/negative_var_add", SchedCls, Root, Cls($"""
            {Eth}
            if r4 > r3 goto out
            r5 = *(u8 *)(r2 +0)
            r5 -= 8
            r2 += r5
            r4 = r2
            r4 += 8
            if r4 > r3 goto out
            r0 = *(u8 *)(r2 +0)
            """), NoMaps, Kernel: Reject(13, "R2 min value is negative, either use unsigned index or do a if (index >=0) check.")),
        new("packet/var_ihl_bpfonly", SchedCls, BpfOnly, Cls($"{Ipv4VarIhl}\nr0 = *(u16 *)(r4 +2)"), NoMaps, Kernel: Reject(13, "R4 has pointer with unsupported alu operation, pointer arithmetic with it prohibited for !root")),
        new("packet/fixed_parse_bpfonly", Xdp, BpfOnly, XdpProg("r4 = r2\nr4 += 42\nif r4 > r3 goto out\nr0 = *(u16 *)(r2 +36)"), NoMaps, Kernel: Accept),
        new("packet/xdp_adjust_head_invalidates", Xdp, Root, XdpProg($"""
            {Eth}
            if r4 > r3 goto out
            r6 = r2
            r2 = 0
            call bpf_xdp_adjust_head
            r0 = *(u8 *)(r6 +0)
            """), NoMaps, Kernel: Reject(13, "R6 invalid mem access 'scalar'")),

        // data_meta: the metadata in front of the packet, bounded by data.
        new("packet/meta_checked_against_data", SchedCls, Root, Cls("""
            r2 = *(u32 *)(r1 +140)
            r3 = *(u32 *)(r1 +76)
            r4 = r2
            r4 += 4
            if r4 > r3 goto out
            r0 = *(u32 *)(r2 +0)
            """), NoMaps, Kernel: Accept),
        new("packet/meta_read_past", SchedCls, Root, Cls("""
            r2 = *(u32 *)(r1 +140)
            r3 = *(u32 *)(r1 +76)
            r4 = r2
            r4 += 4
            if r4 > r3 goto out
            r0 = *(u32 *)(r2 +4)
            """), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/meta_against_end", SchedCls, Root, Cls("""
            r2 = *(u32 *)(r1 +140)
            r3 = *(u32 *)(r1 +80)
            r4 = r2
            r4 += 4
            if r4 > r3 goto out
            r0 = *(u32 *)(r2 +0)
            """), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/meta_data_jlt", SchedCls, Root, Cls("""
            r2 = *(u32 *)(r1 +140)
            r3 = *(u32 *)(r1 +76)
            r4 = r2
            r4 += 4
            if r3 < r4 goto out
            r0 = *(u32 *)(r2 +0)
            """), NoMaps, Kernel: Accept),
        new("packet/meta_against_moved_data", SchedCls, Root, Cls("""
            r2 = *(u32 *)(r1 +140)
            r3 = *(u32 *)(r1 +76)
            r3 += 1
            r4 = r2
            r4 += 4
            if r4 > r3 goto out
            r0 = *(u32 *)(r2 +0)
            """), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("packet/meta_write", SchedCls, Root, Cls("""
            r2 = *(u32 *)(r1 +140)
            r3 = *(u32 *)(r1 +76)
            r4 = r2
            r4 += 8
            if r4 > r3 goto out
            *(u64 *)(r2 +0) = 0
            """), NoMaps, Kernel: Accept),
        new("packet/xdp_meta_checked", Xdp, Root, XdpProg("""
            r2 = *(u32 *)(r1 +8)
            r3 = *(u32 *)(r1 +0)
            r4 = r2
            r4 += 4
            if r4 > r3 goto out
            r0 = *(u32 *)(r2 +0)
            """), NoMaps, Kernel: Accept),
        new("packet/xdp_meta_unchecked", Xdp, Root, XdpProg("""
            r2 = *(u32 *)(r1 +8)
            r0 = *(u8 *)(r2 +0)
            """), NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),

        // Alignment: data is taken as NET_IP_ALIGN (2) bytes past a 4-byte boundary.
        new("packet/strict_u32_after_eth", SchedCls, Root, Cls("r4 = r2\nr4 += 34\nif r4 > r3 goto out\nr0 = *(u32 *)(r2 +14)"), NoMaps, Kernel: Accept, ProgFlags: Strict),
        new("packet/strict_u32_ip_saddr", SchedCls, Root, Cls("r4 = r2\nr4 += 34\nif r4 > r3 goto out\nr0 = *(u32 *)(r2 +26)"), NoMaps, Kernel: Accept, ProgFlags: Strict),
        new("packet/strict_u32_at_12", SchedCls, Root, Cls("r4 = r2\nr4 += 34\nif r4 > r3 goto out\nr0 = *(u32 *)(r2 +12)"), NoMaps, Kernel: Reject(13, "misaligned packet access off 2+0+0+12 size 4"), ProgFlags: Strict),
        new("packet/strict_u64_at_14", SchedCls, Root, Cls("r4 = r2\nr4 += 34\nif r4 > r3 goto out\nr0 = *(u64 *)(r2 +14)"), NoMaps, Kernel: Accept, ProgFlags: Strict),
        new("packet/strict_u64_at_18", SchedCls, Root, Cls("r4 = r2\nr4 += 34\nif r4 > r3 goto out\nr0 = *(u64 *)(r2 +18)"), NoMaps, Kernel: Reject(13, "misaligned packet access off 2+0+0+18 size 8"), ProgFlags: Strict),
        new("packet/strict_u16_through_moved_pointer", SchedCls, Root, Cls("r4 = r2\nr4 += 34\nif r4 > r3 goto out\nr2 += 13\nr0 = *(u16 *)(r2 +0)"), NoMaps, Kernel: Reject(13, "misaligned packet access off 2+0+13+0 size 2"), ProgFlags: Strict),
        new("packet/strict_var_ihl_u32", SchedCls, Root, Cls($"{Ipv4VarIhl}\nr0 = *(u32 *)(r4 +0)"), NoMaps, Kernel: Accept, ProgFlags: Strict),
        new("packet/strict_var_ihl_u64", SchedCls, Root, Cls($"{Ipv4VarIhl}\nr0 = *(u64 *)(r4 +0)"), NoMaps, Kernel: Reject(13, "misaligned packet access off 2+(0x0; 0x3c)+14+0 size 8"), ProgFlags: Strict),
        new("packet/strict_var_ihl_u16_at_2", SchedCls, Root, Cls($"{Ipv4VarIhl}\nr0 = *(u16 *)(r4 +2)"), NoMaps, Kernel: Accept, ProgFlags: Strict),
        new("packet/strict_var_unshifted", SchedCls, Root, Cls("""
            r4 = r2
            r4 += 34
            if r4 > r3 goto out
            r5 = *(u8 *)(r2 +14)
            r5 &= 0xf
            r4 = r2
            r4 += 14
            r4 += r5
            r6 = r4
            r6 += 8
            if r6 > r3 goto out
            r0 = *(u16 *)(r4 +0)
            """), NoMaps, Kernel: Reject(13, "misaligned packet access off 2+(0x0; 0xf)+14+0 size 2"), ProgFlags: Strict),
        new("packet/not_strict_var_unshifted", SchedCls, Root, Cls("""
            r4 = r2
            r4 += 34
            if r4 > r3 goto out
            r5 = *(u8 *)(r2 +14)
            r5 &= 0xf
            r4 = r2
            r4 += 14
            r4 += r5
            r6 = r4
            r6 += 8
            if r6 > r3 goto out
            r0 = *(u16 *)(r4 +0)
            """), NoMaps, Kernel: Accept),
        new("packet/strict_tcp_doff_u32", SchedCls, Root, Cls($"""
            {Ipv4VarIhl}
            r6 = r4
            r6 += 20
            if r6 > r3 goto out
            r7 = *(u8 *)(r4 +12)
            r7 >>= 4
            r7 <<= 2
            r4 += r7
            r6 = r4
            r6 += 4
            if r6 > r3 goto out
            r0 = *(u32 *)(r4 +0)
            """), NoMaps, Kernel: Accept, ProgFlags: Strict),
        new("packet/strict_meta_u32", SchedCls, Root, Cls("""
            r2 = *(u32 *)(r1 +140)
            r3 = *(u32 *)(r1 +76)
            r4 = r2
            r4 += 4
            if r4 > r3 goto out
            r0 = *(u32 *)(r2 +0)
            """), NoMaps, Kernel: Reject(13, "misaligned packet access off 2+0+0+0 size 4"), ProgFlags: Strict),
        new("packet/strict_meta_u16_at_2", SchedCls, Root, Cls("""
            r2 = *(u32 *)(r1 +140)
            r3 = *(u32 *)(r1 +76)
            r4 = r2
            r4 += 4
            if r4 > r3 goto out
            r0 = *(u16 *)(r2 +2)
            """), NoMaps, Kernel: Accept, ProgFlags: Strict),
        new("packet/strict_xdp_var_ihl_u32", Xdp, Root, XdpProg($"{Ipv4VarIhl}\nr0 = *(u32 *)(r4 +4)"), NoMaps, Kernel: Accept, ProgFlags: Strict),
        new("packet/strict_and_any_alignment", SchedCls, Root, Cls("r4 = r2\nr4 += 34\nif r4 > r3 goto out\nr0 = *(u32 *)(r2 +12)"), NoMaps, Kernel: Accept, ProgFlags: 3),
        new("packet/strict_write_u32_at_12", SchedCls, Root, Cls("r4 = r2\nr4 += 34\nif r4 > r3 goto out\n*(u32 *)(r2 +12) = 0"), NoMaps, Kernel: Reject(13, "misaligned packet access off 2+0+0+12 size 4"), ProgFlags: Strict),
    ];
}
