using BpfSharp.Uapi;

namespace BpfSharp.Tests.Kernel;

// The __sk_buff types: what each field reads after the test run's setup, ctx_in/ctx_out, data_out, sizes.
internal static partial class PacketRunCases
{
    private static readonly (string Name, int Offset, int Size)[] Fields =
    [
        ("len", 0, 4), ("pkt_type", 4, 4), ("mark", 8, 4), ("queue_mapping", 12, 4), ("protocol", 16, 4), ("vlan_present", 20, 4),
        ("vlan_tci", 24, 4), ("vlan_proto", 28, 4), ("priority", 32, 4), ("ingress_ifindex", 36, 4), ("ifindex", 40, 4),
        ("tc_index", 44, 4), ("cb0", 48, 4), ("hash", 68, 4), ("tc_classid", 72, 4), ("napi_id", 84, 4), ("family", 88, 4),
        ("remote_ip4", 92, 4), ("local_ip4", 96, 4), ("remote_ip6_0", 100, 4), ("remote_ip6_3", 112, 4), ("local_ip6_3", 128, 4),
        ("remote_port", 132, 4), ("local_port", 136, 4), ("tstamp", 152, 8), ("wire_len", 160, 4), ("gso_segs", 164, 4),
        ("gso_size", 176, 4), ("tstamp_type", 180, 1), ("hwtstamp", 184, 8), ("len_low_byte", 0, 1), ("len_byte_1", 1, 1),
        ("len_high_half", 2, 2), ("protocol_high_half", 18, 2), ("protocol_byte_1", 17, 1), ("protocol_byte_3", 19, 1),
        ("pkt_type_byte_1", 5, 1), ("pkt_type_high_half", 6, 2), ("pkt_type_low_half", 4, 2), ("family_high_half", 90, 2),
        ("ifindex_byte_2", 42, 1),
    ];

    // Which types may read the field (kernel: the types' is_valid_access).
    private static bool Readable(BpfProgType type, int offset) => type switch
    {
        BpfProgType.SocketFilter => offset is not (72 or >= 88 and < 140 or 152 or 160 or 180 or 184),
        BpfProgType.SchedCls => offset is not (>= 88 and < 140),
        _ => offset is not (72 or 160 or 180), // cgroup/skb
    };

    private static string Load(int offset, int size, string dst = "r0") =>
        $"{dst} = *({(size == 8 ? "u64" : size == 1 ? "u8" : size == 2 ? "u16" : "u32")} *)(r1 +{offset})";

    private static IEnumerable<PacketRunCase> SkbFields()
    {
        var frames = new (string Name, byte[] Frame)[]
        {
            ("ipv4", Ipv4()), ("broadcast", WithDest(Ipv4(), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)),
            ("multicast", WithDest(Ipv4(), 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01)), ("to_us", WithDest(Ipv4(), 0, 0, 0, 0, 0, 0)),
            ("ipv6", Ipv6()), ("802.3", Ieee8023(raw: true)), ("802.2", Ieee8023(raw: false)),
        };
        foreach (BpfProgType type in (BpfProgType[])[BpfProgType.SocketFilter, BpfProgType.SchedCls, BpfProgType.CgroupSkb])
        {
            foreach ((string field, int off, int size) in Fields)
            {
                if (!Readable(type, off)) continue;
                // cgroup/skb returns 0 or 1: the field travels out in cb[1] of ctx_out
                string program = type == BpfProgType.CgroupSkb
                    ? $"{Load(off, size, "r2")}|*(u32 *)(r1 +52) = r2|r0 = 1|exit"
                    : $"{Load(off, size)}|exit";
                foreach ((string frameName, byte[] frame) in frames)
                {
                    if (frameName != "ipv4" && field is not ("len" or "pkt_type" or "protocol" or "family" or "remote_ip6_3" or "local_ip6_3"))
                        continue;
                    bool withCtx = type == BpfProgType.CgroupSkb;
                    yield return Case($"{type} reads {field} of {frameName}", type, program, frame) with { CtxIn = withCtx ? new byte[192] : null, CtxOut = withCtx ? 192 : 0 };
                    if (field is "wire_len" or "len" && !withCtx)
                        yield return Case($"{type} reads {field} of {frameName} with a context", type, program, frame) with { CtxIn = new byte[192], CtxOut = 192 };
                }
            }
        }
        const string packetLength = "r2 = *(u32 *)(r1 +76)|r3 = *(u32 *)(r1 +80)|r3 -= r2";
        yield return Case("SchedCls data_end - data", BpfProgType.SchedCls, $"{packetLength}|r0 = r3|exit", Ipv4());
        yield return Case("SchedCls data_meta is data", BpfProgType.SchedCls,
            "r2 = *(u32 *)(r1 +76)|r3 = *(u32 *)(r1 +140)|r0 = 1|if r2 == r3 goto out|r0 = 0|out: exit", Ipv4());
        yield return Case("CgroupSkb data_end - data", BpfProgType.CgroupSkb, $"{packetLength}|*(u32 *)(r1 +52) = r3|r0 = 1|exit", Ipv4())
            with { CtxIn = new byte[192], CtxOut = 192 };
        yield return Case("CgroupSkb reads the first byte at data", BpfProgType.CgroupSkb,
            "r2 = *(u32 *)(r1 +76)|r3 = *(u32 *)(r1 +80)|r4 = r2|r4 += 1|r0 = 1|if r4 > r3 goto out|r5 = *(u8 *)(r2 +0)|*(u32 *)(r1 +52) = r5|out: exit",
            Ipv4()) with { CtxIn = new byte[192], CtxOut = 192 };
        yield return Case("SchedCls writes the packet directly", BpfProgType.SchedCls,
            "r2 = *(u32 *)(r1 +76)|r3 = *(u32 *)(r1 +80)|r4 = r2|r4 += 40|r0 = 0|if r4 > r3 goto out|*(u16 *)(r2 +38) = 0x4321|r0 = *(u8 *)(r2 +14)|out: exit",
            Ipv4());
        yield return Case("SchedCls bounds check fails past the packet", BpfProgType.SchedCls,
            "r2 = *(u32 *)(r1 +76)|r3 = *(u32 *)(r1 +80)|r4 = r2|r4 += 65|r0 = 7|if r4 > r3 goto out|r0 = 1|out: exit", Ipv4());
        yield return Case("SocketFilter ld_abs reads the network header", BpfProgType.SocketFilter, "r6 = r1|r0 = *(u32 *)skb[12]|exit", Ipv4());
        yield return Case("SchedCls ld_abs reads the Ethernet header", BpfProgType.SchedCls, "r6 = r1|r0 = *(u16 *)skb[12]|exit", Ipv4());
        yield return Case("SocketFilter ld_abs past the packet returns 0", BpfProgType.SocketFilter, "r6 = r1|r0 = *(u8 *)skb[50]|exit", Ipv4());
        // Classic BPF's negative offsets: SKF_LL_OFF (-0x200000) + n reads the link-layer header, SKF_NET_OFF
        // (-0x100000) + n the network header, wherever the skb's data starts.
        foreach (BpfProgType type in (BpfProgType[])[BpfProgType.SocketFilter, BpfProgType.SchedCls])
        {
            yield return Case($"{type} ld_abs at SKF_LL_OFF reads the Ethernet type", type, "r6 = r1|r0 = *(u16 *)skb[-2097140]|exit", Ipv4());
            yield return Case($"{type} ld_abs at SKF_NET_OFF reads the IP protocol", type, "r6 = r1|r0 = *(u8 *)skb[-1048567]|exit", Ipv4());
            yield return Case($"{type} ld_ind at SKF_LL_OFF keeps r7", type, "r6 = r1|r7 = 1|r0 = *(u32 *)skb[r7 -2097152]|r0 = r7|exit", Ipv4());
            yield return Case($"{type} ld_abs past the packet from SKF_NET_OFF returns 0", type, "r6 = r1|r0 = *(u32 *)skb[-1047576]|r0 = 9|exit", Ipv4());
            yield return Case($"{type} ld_abs below SKF_LL_OFF returns 0", type, "r6 = r1|r0 = *(u8 *)skb[-2097153]|r0 = 9|exit", Ipv4());
        }
        yield return Case("SchedCls bpf_sk_lookup_tcp finds no socket", BpfProgType.SchedCls,
            "r2 = 0|*(u64 *)(r10 -8) = r2|*(u64 *)(r10 -16) = r2|*(u64 *)(r10 -24) = r2|*(u64 *)(r10 -32) = r2|*(u64 *)(r10 -40) = r2"
            + "|r2 = r10|r2 += -40|r3 = 36|r4 = 0|r5 = 0|call bpf_sk_lookup_tcp|if r0 == 0x0 goto +4|r1 = r0|call bpf_sk_release|r0 = 1|exit|r0 = 2|exit", Ipv4());
    }

    private static IEnumerable<PacketRunCase> SkbContexts()
    {
        const string ret0 = "r0 = 0|exit";
        // every 4 bytes of __sk_buff set to 1 in ctx_in: refused unless the field may be set
        for (int off = 0; off < 192; off += 4)
            yield return Case($"SchedCls ctx_in with byte {off} set", BpfProgType.SchedCls, ret0, Ipv4()) with { CtxIn = SkbCtx((off, 1, 1)), CtxOut = 192 };
        yield return Case("SchedCls ctx_in with the tstamp_type padding set", BpfProgType.SchedCls, ret0, Ipv4()) with { CtxIn = SkbCtx((181, 1, 1)) };
        byte[] all = SkbCtx((8, 7, 4), (32, 9, 4), (36, 5, 4), (40, 1, 4), (48, 0xaabbccdd, 4), (64, 0x11223344, 4), (152, 123456789012, 8),
            (160, 100, 4), (164, 3, 4), (176, 1400, 4), (184, 99, 8));
        yield return Case("SchedCls ctx_out returns the fields set", BpfProgType.SchedCls, ret0, Ipv4()) with { CtxIn = all, CtxOut = 192 };
        yield return Case("SocketFilter ctx_out returns the fields set", BpfProgType.SocketFilter, ret0, Ipv4()) with { CtxIn = all, CtxOut = 192 };
        yield return Case("SchedCls ctx_out alone", BpfProgType.SchedCls, ret0, Ipv4()) with { CtxOut = 192 };
        yield return Case("SchedCls ctx_out too small", BpfProgType.SchedCls, ret0, Ipv4()) with { CtxIn = all, CtxOut = 100 };
        yield return Case("SchedCls ctx_out larger", BpfProgType.SchedCls, ret0, Ipv4()) with { CtxIn = all, CtxOut = 200 };
        yield return Case("SchedCls short ctx_in", BpfProgType.SchedCls, ret0, Ipv4()) with { CtxIn = all[..20], CtxOut = 192 };
        yield return Case("SchedCls ctx_in with a zero tail", BpfProgType.SchedCls, ret0, Ipv4()) with { CtxIn = [.. all, .. new byte[100]] };
        yield return Case("SchedCls ctx_in with a dirty tail", BpfProgType.SchedCls, ret0, Ipv4()) with { CtxIn = [.. all, .. new byte[99], 1] };
        foreach (uint wire in (uint[])[63, 64, 65, 65536, 65537])
            yield return Case($"SchedCls wire_len {wire}", BpfProgType.SchedCls, "r0 = *(u32 *)(r1 +160)|exit", Ipv4()) with { CtxIn = SkbCtx((160, wire, 4)), CtxOut = 192 };
        foreach (uint segs in (uint[])[65535, 65536])
            yield return Case($"SchedCls gso_segs {segs}", BpfProgType.SchedCls, ret0, Ipv4()) with { CtxIn = SkbCtx((164, segs, 4)) };
        foreach (uint ifindex in (uint[])[1, 100000])
            yield return Case($"SchedCls ifindex {ifindex}", BpfProgType.SchedCls, "r0 = *(u32 *)(r1 +40)|exit", Ipv4()) with { CtxIn = SkbCtx((40, ifindex, 4)) };
        yield return Case("SchedCls reads mark, priority and cb from ctx_in", BpfProgType.SchedCls,
            "r0 = *(u32 *)(r1 +8)|r2 = *(u32 *)(r1 +32)|r0 += r2|r2 = *(u32 *)(r1 +64)|r0 += r2|r2 = *(u32 *)(r1 +36)|r0 += r2|exit", Ipv4()) with { CtxIn = all };
        yield return Case("SchedCls writes mark, priority, tc_index, tc_classid, cb and tstamp", BpfProgType.SchedCls,
            "*(u32 *)(r1 +8) = 11|*(u32 *)(r1 +32) = 12|*(u32 *)(r1 +44) = 13|*(u32 *)(r1 +72) = 14|*(u32 *)(r1 +56) = 15|r2 = 16|*(u64 *)(r1 +152) = r2|r0 = *(u32 *)(r1 +44)|r2 = *(u32 *)(r1 +72)|r0 += r2|exit",
            Ipv4()) with { CtxIn = all, CtxOut = 192 };
        foreach ((string field, int off) in ((string, int)[])[("tc_index", 44), ("tc_classid", 72), ("queue_mapping", 12), ("mark", 8)])
        {
            if (field != "queue_mapping") // the kernel skips such a store (NO_QUEUE_MAPPING); ours truncates it (see CtxRewrite)
                yield return Case($"SchedCls stores a wide {field} from a register", BpfProgType.SchedCls,
                    $"r2 = 0x12345|*(u32 *)(r1 +{off}) = r2|r0 = *(u32 *)(r1 +{off})|exit", Ipv4());
            yield return Case($"SchedCls stores a wide {field} constant", BpfProgType.SchedCls,
                $"*(u32 *)(r1 +{off}) = 0x12345|r0 = *(u32 *)(r1 +{off})|exit", Ipv4());
            yield return Case($"SchedCls stores a small {field} constant", BpfProgType.SchedCls,
                $"*(u32 *)(r1 +{off}) = 0x1234|r0 = *(u16 *)(r1 +{off + 2})|exit", Ipv4());
        }
        yield return Case("SchedCls repeat shares the skb", BpfProgType.SchedCls,
            "r2 = *(u32 *)(r1 +48)|r2 += 1|*(u32 *)(r1 +48) = r2|r0 = r2|exit", Ipv4()) with { CtxIn = new byte[192], CtxOut = 192, Repeat = 5 };
        foreach (int size in (int[])[0, 13, 14, 3712, 3713])
        {
            yield return Case($"SocketFilter data_in of {size}", BpfProgType.SocketFilter, "r0 = *(u32 *)(r1 +0)|exit", Sized(size));
            yield return Case($"SchedCls data_in of {size}", BpfProgType.SchedCls, "r0 = *(u32 *)(r1 +0)|exit", Sized(size));
        }
        yield return Case("SchedCls data_out too small", BpfProgType.SchedCls, ret0, Ipv4()) with { DataOut = 64, DataSizeOut = 20 };
        yield return Case("SocketFilter data_out too small", BpfProgType.SocketFilter, ret0, Ipv4()) with { DataOut = 64, DataSizeOut = 20 };
        yield return Case("SchedCls without data_out", BpfProgType.SchedCls, ret0, Ipv4()) with { DataOut = 0 };
        yield return Case("SchedCls flags", BpfProgType.SchedCls, ret0, Ipv4()) with { Flags = 1 };
        yield return Case("SchedCls cpu", BpfProgType.SchedCls, ret0, Ipv4()) with { Cpu = 1 };
        yield return Case("SchedCls batch_size", BpfProgType.SchedCls, ret0, Ipv4()) with { BatchSize = 1 };
        yield return Case("CgroupSkb data_out zeroes the Ethernet header", BpfProgType.CgroupSkb, "r0 = 1|exit", Ipv4());
        yield return Case("SchedAct data_out", BpfProgType.SchedAct, "r0 = 2|exit", Ipv4());
    }
}
