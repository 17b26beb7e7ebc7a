using System.Buffers.Binary;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Kernel;

// The lwt types (the skb runner), the flow dissector, sk_lookup and syscall programs, and the newer types without a
// test run.
internal static partial class PacketRunCases
{
    private const uint Sleepable = 16; // BPF_F_SLEEPABLE

    private static byte[] Ctx(int size, params (int Offset, ulong Value, int Size)[] fields)
    {
        byte[] ctx = new byte[size];
        foreach ((int off, ulong v, int width) in fields)
        {
            if (width == 8) BinaryPrimitives.WriteUInt64LittleEndian(ctx.AsSpan(off), v);
            else if (width == 2) BinaryPrimitives.WriteUInt16LittleEndian(ctx.AsSpan(off), (ushort)v);
            else if (width == 1) ctx[off] = (byte)v;
            else BinaryPrimitives.WriteUInt32LittleEndian(ctx.AsSpan(off), (uint)v);
        }
        return ctx;
    }

    private static IEnumerable<PacketRunCase> Lwt()
    {
        (string Name, int Offset, int Size)[] fields =
        [
            ("len", 0, 4), ("pkt_type", 4, 4), ("mark", 8, 4), ("protocol", 16, 4), ("priority", 32, 4), ("ifindex", 40, 4),
            ("cb0", 48, 4), ("hash", 68, 4), ("napi_id", 84, 4), ("gso_segs", 164, 4), ("gso_size", 176, 4), ("len_byte_1", 1, 1),
        ];
        foreach (BpfProgType type in (BpfProgType[])[BpfProgType.LwtIn, BpfProgType.LwtOut, BpfProgType.LwtXmit])
        {
            foreach ((string field, int off, int size) in fields)
                yield return Case($"{type} reads {field}", type, $"{Load(off, size)}|exit", Ipv4());
            yield return Case($"{type} reads ipv6 protocol", type, $"{Load(16, 4)}|exit", Ipv6());
            yield return Case($"{type} data_end - data", type, "r2 = *(u32 *)(r1 +76)|r3 = *(u32 *)(r1 +80)|r3 -= r2|r0 = r3|exit", Ipv4());
            yield return Case($"{type} reads the first packet byte", type,
                "r2 = *(u32 *)(r1 +76)|r3 = *(u32 *)(r1 +80)|r4 = r2|r4 += 1|r0 = 0|if r4 > r3 goto out|r0 = *(u8 *)(r2 +0)|out: exit", Ipv4());
            yield return Case($"{type} writes mark, priority and cb", type,
                "*(u32 *)(r1 +8) = 5|*(u32 *)(r1 +32) = 6|*(u32 *)(r1 +52) = 7|r0 = *(u32 *)(r1 +8)|exit", Ipv4())
                with { CtxIn = SkbCtx((8, 1, 4)), CtxOut = 192 };
            yield return Case($"{type} data_out", type, "r0 = 2|exit", Ipv4());
        }
        yield return Case("LwtXmit writes the packet directly", BpfProgType.LwtXmit,
            "r2 = *(u32 *)(r1 +76)|r3 = *(u32 *)(r1 +80)|r4 = r2|r4 += 4|r0 = 0|if r4 > r3 goto out|*(u16 *)(r2 +2) = 0x4321|r0 = 1|out: exit",
            Ipv4());
        foreach ((BpfProgType type, BpfAttachType attach) in ((BpfProgType, BpfAttachType)[])
        [
            (BpfProgType.LwtSeg6local, 0), (BpfProgType.SkSkb, 0), (BpfProgType.SkMsg, 0), (BpfProgType.SockOps, 0),
            (BpfProgType.CgroupSock, BpfAttachType.CgroupInetSockCreate), (BpfProgType.CgroupSockAddr, BpfAttachType.CgroupInet4Connect),
            (BpfProgType.CgroupDevice, 0), (BpfProgType.CgroupSysctl, 0), (BpfProgType.CgroupSockopt, BpfAttachType.CgroupGetsockopt),
            (BpfProgType.SkReuseport, BpfAttachType.SkReuseportSelect), (BpfProgType.RawTracepointWritable, 0),
        ])
            yield return Case($"{type} has no test run", type, "r0 = 1|exit", Ipv4()) with { ExpectedAttachType = (uint)attach };
    }

    private static IEnumerable<PacketRunCase> FlowDissector()
    {
        const BpfProgType fd = BpfProgType.FlowDissector;
        const string ret0 = "r0 = 0|exit";
        const string keys = "r2 = *(u64 *)(r1 +144)";
        yield return Case("flow_dissector keys as the run starts them", fd, ret0, Ipv4());
        yield return Case("flow_dissector keys of an IPv6 frame", fd, ret0, Ipv6());
        yield return Case("flow_dissector nhoff past the packet is clamped", fd, $"{keys}|*(u16 *)(r2 +0) = 300|*(u16 *)(r2 +2) = 20|r0 = 0|exit", Ipv4());
        yield return Case("flow_dissector nhoff below the Ethernet header is clamped", fd, $"{keys}|*(u16 *)(r2 +0) = 5|*(u16 *)(r2 +2) = 3|r0 = 0|exit", Ipv4());
        yield return Case("flow_dissector thoff below nhoff is clamped", fd, $"{keys}|*(u16 *)(r2 +0) = 34|*(u16 *)(r2 +2) = 20|r0 = 0|exit", Ipv4());
        yield return Case("flow_dissector parses the IPv4 header", fd,
            $"{keys}|r3 = *(u32 *)(r1 +76)|r4 = *(u32 *)(r1 +80)|r5 = r3|r5 += 34|r0 = 2|if r5 > r4 goto out|" +
            "r6 = *(u8 *)(r3 +23)|*(u8 *)(r2 +9) = r6|r6 = *(u32 *)(r3 +26)|*(u32 *)(r2 +16) = r6|r6 = *(u32 *)(r3 +30)|*(u32 *)(r2 +20) = r6|" +
            "*(u16 *)(r2 +2) = 34|*(u16 *)(r2 +4) = 8|r0 = 0|out: exit", Ipv4());
        yield return Case("flow_dissector returns BPF_DROP", fd, "r0 = 2|exit", Ipv4());
        yield return Case("flow_dissector sees the flags of ctx_in", fd, $"{keys}|r0 = *(u32 *)(r2 +48)|exit", Ipv4())
            with { CtxIn = Ctx(56, (48, 5, 4)), CtxOut = 56 };
        yield return Case("flow_dissector ctx_in with nhoff set", fd, ret0, Ipv4()) with { CtxIn = Ctx(56, (0, 14, 2)) };
        yield return Case("flow_dissector ctx_in with flow_label set", fd, ret0, Ipv4()) with { CtxIn = Ctx(56, (52, 1, 4)) };
        yield return Case("flow_dissector short ctx_in", fd, ret0, Ipv4()) with { CtxIn = new byte[20], CtxOut = 56 };
        yield return Case("flow_dissector ctx_out alone", fd, ret0, Ipv4()) with { CtxOut = 56 };
        yield return Case("flow_dissector ctx_out too small", fd, ret0, Ipv4()) with { CtxIn = Ctx(56, (48, 1, 4)), CtxOut = 40 };
        yield return Case("flow_dissector keys are reset each run", fd,
            $"{keys}|r3 = *(u16 *)(r2 +0)|r3 += 1|*(u16 *)(r2 +0) = r3|r0 = r3|exit", Ipv4()) with { Repeat = 3 };
        foreach (int size in (int[])[0, 13, 14, 4096, 4097])
            yield return Case($"flow_dissector data_in of {size}", fd, ret0, Sized(size));
        yield return Case("flow_dissector data_out too small", fd, ret0, Ipv4()) with { DataOut = 64, DataSizeOut = 20 };
        yield return Case("flow_dissector without data_out", fd, ret0, Ipv4()) with { DataOut = 0 };
        yield return Case("flow_dissector flags", fd, ret0, Ipv4()) with { Flags = 1 };
        yield return Case("flow_dissector cpu", fd, ret0, Ipv4()) with { Cpu = 1 };
        yield return Case("flow_dissector batch_size", fd, ret0, Ipv4()) with { BatchSize = 1 };
    }

    private static IEnumerable<PacketRunCase> SkLookup()
    {
        const BpfProgType sl = BpfProgType.SkLookup;
        uint attach = (uint)BpfAttachType.SkLookup;
        byte[] v4 = Ctx(72, (8, 2, 4), (12, 6, 4), (16, 0x0100000a, 4), (36, 0x3412, 2), (40, 0x0200000a, 4), (60, 80, 4));
        byte[] v6 = Ctx(72, (8, 10, 4), (12, 17, 4), (20, 0xb80d0120, 4), (32, 0x01000000, 4), (44, 0xb80d0120, 4), (56, 0x02000000, 4), (60, 53, 4));
        string Is(int off, int size, ulong value) => $"{Load(off, size, "r2")}|r0 = 0|if r2 != 0x{value:x} goto out|r0 = 1|out: exit";
        PacketRunCase C(string name, string program, byte[]? ctx) => Case(name, sl, program, null)
            with { ExpectedAttachType = attach, CtxIn = ctx, CtxOut = ctx is null ? 0 : 72, DataOut = 0 };
        yield return C("sk_lookup passes", "r0 = 1|exit", v4);
        yield return C("sk_lookup drops", "r0 = 0|exit", v4);
        yield return C("sk_lookup reads the family", Is(8, 4, 2), v4);
        yield return C("sk_lookup reads the protocol", Is(12, 4, 6), v4);
        yield return C("sk_lookup reads remote_ip4", Is(16, 4, 0x0100000a), v4);
        yield return C("sk_lookup reads local_ip4 byte 3", Is(43, 1, 2), v4);
        yield return C("sk_lookup reads remote_port as 4 bytes", Is(36, 4, 0x3412), v4);
        yield return C("sk_lookup reads remote_port as 2 bytes", Is(36, 2, 0x3412), v4);
        yield return C("sk_lookup reads the padding after remote_port", Is(38, 2, 0), Ctx(72, (8, 2, 4), (38, 0xffff, 2)));
        yield return C("sk_lookup reads local_port", Is(60, 4, 80), v4);
        yield return C("sk_lookup reads local_port byte 1", Is(61, 1, 0), v4);
        yield return C("sk_lookup reads no IPv6 address of an IPv4 lookup", Is(20, 4, 0), Ctx(72, (8, 2, 4), (20, 7, 4)));
        yield return C("sk_lookup reads remote_ip6 of an IPv6 lookup", Is(20, 4, 0xb80d0120), v6);
        yield return C("sk_lookup reads local_ip6 word 3 of an IPv6 lookup", Is(56, 4, 0x02000000), v6);
        yield return C("sk_lookup reads no IPv4 address of an IPv6 lookup", Is(16, 4, 0), Ctx(72, (8, 10, 4), (16, 7, 4)));
        yield return C("sk_lookup reads a family of 16 bits", Is(8, 4, 2), Ctx(72, (8, 0x10002, 4)));
        yield return C("sk_lookup reads a protocol of 16 bits", Is(12, 4, 0x11), Ctx(72, (8, 2, 4), (12, 0x50011, 4)));
        yield return C("sk_lookup reads no socket", Is(0, 8, 0), v4);
        yield return C("sk_lookup reads ingress_ifindex", Is(64, 4, 0), v4);
        yield return C("sk_lookup without ctx_in", "r0 = 1|exit", null);
        yield return C("sk_lookup with sk set", "r0 = 1|exit", Ctx(72, (8, 2, 4), (0, 1, 8)));
        yield return C("sk_lookup with ingress_ifindex set", "r0 = 1|exit", Ctx(72, (8, 2, 4), (64, 1, 4)));
        yield return C("sk_lookup with the tail set", "r0 = 1|exit", Ctx(72, (8, 2, 4), (68, 1, 4)));
        yield return C("sk_lookup with local_port 65535", Is(60, 4, 65535), Ctx(72, (8, 2, 4), (60, 65535, 4)));
        yield return C("sk_lookup with local_port 65536", "r0 = 1|exit", Ctx(72, (8, 2, 4), (60, 65536, 4)));
        yield return C("sk_lookup with family AF_UNIX", "r0 = 1|exit", Ctx(72, (8, 1, 4)));
        yield return C("sk_lookup with a short ctx_in", "r0 = 1|exit", Ctx(12, (8, 2, 4)));
        yield return C("sk_lookup with a long ctx_in", "r0 = 1|exit", Ctx(80, (8, 2, 4)));
        yield return C("sk_lookup ctx_out too small", "r0 = 1|exit", v4) with { CtxOut = 16 };
        yield return C("sk_lookup repeat", "r0 = 1|exit", v4) with { Repeat = 4 };
        yield return C("sk_lookup with data_in", "r0 = 1|exit", v4) with { Data = Ipv4() };
        yield return C("sk_lookup with data_out", "r0 = 1|exit", v4) with { DataOut = 64 };
        yield return C("sk_lookup with flags", "r0 = 1|exit", v4) with { Flags = 1 };
    }

    private static IEnumerable<PacketRunCase> Syscall()
    {
        const BpfProgType sc = BpfProgType.Syscall;
        PacketRunCase C(string name, string program, byte[]? ctx) => Case(name, sc, program, null)
            with { ProgFlags = Sleepable, CtxIn = ctx, DataOut = 0 };
        const string rw = "r2 = *(u64 *)(r1 +0)|r2 += 1|*(u64 *)(r1 +8) = r2|r0 = *(u32 *)(r1 +0)|exit";
        yield return C("syscall reads and writes its context", rw, Ctx(16, (0, 41, 8)));
        yield return C("syscall with a longer context", rw, Ctx(100, (0, 41, 8), (99, 1, 1)));
        yield return C("syscall with a context shorter than it reads", rw, Ctx(12));
        yield return C("syscall without a context", "r0 = 7|exit", null);
        yield return C("syscall without the context it reads", rw, null);
        yield return C("syscall with a context of 65535 bytes", "r0 = 3|exit", new byte[65535]);
        yield return C("syscall with a context of 65536 bytes", "r0 = 3|exit", new byte[65536]);
        yield return C("syscall with data_in", "r0 = 7|exit", null) with { Data = Ipv4() };
        yield return C("syscall with data_out", "r0 = 7|exit", null) with { DataOut = 64 };
        yield return C("syscall with ctx_out", "r0 = 7|exit", Ctx(16)) with { CtxOut = 16 };
        yield return C("syscall with repeat", "r0 = 7|exit", null) with { Repeat = 1 };
        yield return C("syscall with flags", "r0 = 7|exit", null) with { Flags = 1 };
        yield return C("syscall with cpu", "r0 = 7|exit", null) with { Cpu = 1 };
        yield return C("syscall with batch_size", "r0 = 7|exit", null) with { BatchSize = 1 };
    }
    private static IEnumerable<PacketRunCase> Netfilter()
    {
        const BpfProgType nf = BpfProgType.Netfilter;
        uint attach = (uint)BpfAttachType.Netfilter;
        PacketRunCase C(string name, string program, byte[] data) => Case(name, nf, program, data) with { ExpectedAttachType = attach };
        const string accept = "r0 = 1|exit";
        yield return C("netfilter accepts", accept, Ipv4());
        yield return C("netfilter drops", "r0 = 0|exit", Ipv4());
        yield return C("netfilter has its state and skb", "r2 = *(u64 *)(r1 +0)|r3 = *(u64 *)(r1 +8)|r0 = 0|if r2 == 0x0 goto out|if r3 == 0x0 goto out|r0 = 1|out: exit", Ipv4());
        foreach (int size in (int[])[20, 33, 34, 3712, 3713])
            yield return C($"netfilter data_in of {size}", accept, Sized(size));
        yield return C("netfilter IPv6 frame at the default IPv4 hook", accept, Ipv6());
        yield return C("netfilter IPv6 frame at an IPv6 hook", accept, Ipv6()) with { CtxIn = Ctx(48, (0, 1, 1), (1, 10, 1)) };
        yield return C("netfilter short IPv6 frame at an IPv6 hook", accept, Ipv6()[..50]) with { CtxIn = Ctx(48, (0, 1, 1), (1, 10, 1)) };
        yield return C("netfilter IPv4 frame at an IPv6 hook", accept, Ipv4()) with { CtxIn = Ctx(48, (0, 1, 1), (1, 10, 1)) };
        yield return C("netfilter IPv4 frame at the IPv6 local-out hook", accept, Ipv4()) with { CtxIn = Ctx(48, (0, 3, 1), (1, 10, 1)) };
        yield return C("netfilter 802.3 frame", accept, Ieee8023(raw: true));
        yield return C("netfilter 802.3 frame at pre-routing", accept, Ieee8023(raw: true)) with { CtxIn = Ctx(48, (0, 0, 1), (1, 2, 1)) };
        yield return C("netfilter IPv6 frame at the IPv4 pre-routing hook", accept, Ipv6()) with { CtxIn = Ctx(48, (0, 0, 1), (1, 2, 1)) };
        yield return C("netfilter 33 bytes at pre-routing", accept, Sized(33)) with { CtxIn = Ctx(48, (0, 0, 1), (1, 2, 1)) };
        yield return C("netfilter 34 bytes at pre-routing", accept, Sized(34)) with { CtxIn = Ctx(48, (0, 0, 1), (1, 2, 1)) };
        yield return C("netfilter ctx_in at pre-routing", accept, Ipv4()) with { CtxIn = Ctx(48, (0, 0, 1), (1, 2, 1)) };
        yield return C("netfilter ctx_in with hook 200", accept, Ipv4()) with { CtxIn = Ctx(48, (0, 200, 1), (1, 2, 1)) };
        yield return C("netfilter ctx_in with pf 7", accept, Ipv4()) with { CtxIn = Ctx(48, (1, 7, 1)) };
        yield return C("netfilter ctx_in with pf 0", accept, Ipv4()) with { CtxIn = Ctx(48) };
        yield return C("netfilter ctx_in with the in device set", accept, Ipv4()) with { CtxIn = Ctx(48, (1, 2, 1), (8, 1, 8)) };
        yield return C("netfilter ctx_in with okfn set", accept, Ipv4()) with { CtxIn = Ctx(48, (1, 2, 1), (40, 1, 8)) };
        yield return C("netfilter ctx_in with the padding set", accept, Ipv4()) with { CtxIn = Ctx(48, (1, 2, 1), (4, 9, 1)) };
        yield return C("netfilter short ctx_in", accept, Ipv4()) with { CtxIn = Ctx(2, (1, 2, 1)) };
        yield return C("netfilter long ctx_in with a zero tail", accept, Ipv4()) with { CtxIn = Ctx(64, (1, 2, 1)) };
        yield return C("netfilter long ctx_in with a dirty tail", accept, Ipv4()) with { CtxIn = Ctx(64, (1, 2, 1), (60, 1, 1)) };
        yield return C("netfilter ctx_out", accept, Ipv4()) with { CtxIn = Ctx(48, (1, 2, 1)), CtxOut = 48 };
        yield return C("netfilter repeat", accept, Ipv4()) with { Repeat = 3 };
        yield return C("netfilter without data_out", accept, Ipv4()) with { DataOut = 0 };
        yield return C("netfilter flags", accept, Ipv4()) with { Flags = 1 };
        yield return C("netfilter cpu", accept, Ipv4()) with { Cpu = 1 };
        yield return C("netfilter batch_size", accept, Ipv4()) with { BatchSize = 1 };
    }
}
