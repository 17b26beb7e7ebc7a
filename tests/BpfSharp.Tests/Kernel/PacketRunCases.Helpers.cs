using BpfSharp.Uapi;

namespace BpfSharp.Tests.Kernel;

// The skb helpers: bytes in and out, checksums, size changes, type, hash, redirect.
internal static partial class PacketRunCases
{
    private const BpfProgType Tc = BpfProgType.SchedCls;

    private static string LoadBytes(uint offset, uint len, string helper = "bpf_skb_load_bytes", string extra = "") =>
        $"r2 = {offset}|r3 = r10|r3 += -8|r4 = {len}|{extra}call {helper}|r1 = *(u32 *)(r10 -8)|r0 += r1|exit";

    private static string StoreBytes(uint offset, uint len, ulong flags) =>
        $"r2 = 0x11223344|*(u32 *)(r10 -4) = r2|r2 = {offset}|r3 = r10|r3 += -4|r4 = {len}|r5 = {flags}|call bpf_skb_store_bytes|exit";

    private static string CallThenLen(string helper, ulong a, ulong b) =>
        $"r6 = r1|r2 = {a} ll|r3 = {b} ll|call {helper}|if r0 != 0 goto out|r0 = *(u32 *)(r6 +0)|r0 += 1000|out: exit";

    private static IEnumerable<PacketRunCase> SkbHelpers()
    {
        foreach ((uint off, uint len) in ((uint, uint)[])[(12, 4), (60, 4), (61, 4), (0, 8), (0x80000000, 4)])
        {
            yield return Case($"skb_load_bytes {off}+{len}", Tc, LoadBytes(off, len), Ipv4());
            yield return Case($"skb_load_bytes {off}+{len} in a socket filter", BpfProgType.SocketFilter, LoadBytes(off, len), Ipv4());
        }
        foreach ((uint hdr, uint off, uint len) in ((uint, uint, uint)[])[(0, 0, 8), (1, 0, 4), (1, 12, 4), (1, 46, 4), (1, 47, 4), (0, 60, 4), (2, 0, 4), (1, 0x10000, 4)])
        {
            string program = LoadBytes(off, len, "bpf_skb_load_bytes_relative", $"r5 = {hdr}|");
            yield return Case($"skb_load_bytes_relative hdr {hdr} {off}+{len}", Tc, program, Ipv4());
            yield return Case($"skb_load_bytes_relative hdr {hdr} {off}+{len} in a socket filter", BpfProgType.SocketFilter, program, Ipv4());
            yield return Case($"skb_load_bytes_relative hdr {hdr} {off}+{len} in cgroup/skb", BpfProgType.CgroupSkb,
                $"r6 = r1|{LoadBytes(off, len, "bpf_skb_load_bytes_relative", $"r5 = {hdr}|").Replace("|exit", "")}|*(u32 *)(r6 +52) = r0|r0 = 1|exit", Ipv4())
                with { CtxIn = new byte[192], CtxOut = 192 };
        }
        foreach ((uint off, uint len, ulong flags) in ((uint, uint, ulong)[])[(30, 4, 0), (30, 4, 3), (31, 4, 1), (60, 4, 2), (61, 4, 0), (30, 4, 4), (0x80000000, 4, 0)])
            yield return Case($"skb_store_bytes {off}+{len} flags {flags}", Tc, StoreBytes(off, len, flags), Ipv4());
        // IPv4 header checksum at 24 (ttl+proto word at 22, addresses at 26 and 30); UDP checksum at 40 (0: none)
        foreach ((ulong from, ulong to, ulong flags, uint off) in ((ulong, ulong, ulong, uint)[])[
            (0x1140, 0x113f, 2, 24), (0x0100000a, 0x0300000a, 4, 24), (0, 0x12345, 0, 24), (1, 2, 0, 24), (1, 2, 3, 24),
            (1, 2, 2, 25), (1, 2, 2, 64), (1, 2, 2, 62), (1, 2, 0x12, 24), (0xffff, 0, 2, 24), (0x11400000, 0x113f0000, 4, 24)])
            yield return Case($"l3_csum_replace {from:x}->{to:x} flags {flags:x} at {off}", Tc,
                $"r2 = {off}|r3 = {from} ll|r4 = {to} ll|r5 = {flags}|call bpf_l3_csum_replace|exit", Ipv4());
        foreach ((ulong from, ulong to, ulong flags, byte[] frame) in ((ulong, ulong, ulong, byte[])[])[
            (0x0100000a, 0x0300000a, 0x14, Ipv4()), (0x0100000a, 0x0300000a, 0x34, Ipv4()), (0x0100000a, 0x0300000a, 0x74, Ipv4()),
            (0x3930, 0x3a30, 0x02, Ipv4()), (0, 0x12345, 0x10, Ipv4()), (0, 0x12345, 0x90, Ipv4()), (0x0100000a, 0x0300000a, 0x94, Ipv4()),
            (1, 2, 0x104, Ipv4()), (1, 2, 0x13, Ipv4()), (0x0100000a, 0x0300000a, 0x34, UdpChecksum(0x1234)), (0x0100000a, 0x0100000a, 0x34, UdpChecksum(0xffff))])
            yield return Case($"l4_csum_replace {from:x}->{to:x} flags {flags:x} on checksum {frame[40]:x2}{frame[41]:x2}", Tc,
                $"r2 = 40|r3 = {from} ll|r4 = {to} ll|r5 = {flags}|call bpf_l4_csum_replace|exit", frame);
        foreach (ulong len in (ulong[])[100, 64, 20, 14, 13, 0, 16064, 16065, 0x100000000])
            yield return Case($"skb_change_tail {len}", Tc, CallThenLen("bpf_skb_change_tail", len, 0), Ipv4()) with { DataOut = 20000 };
        yield return Case("skb_change_tail with flags", Tc, CallThenLen("bpf_skb_change_tail", 100, 1), Ipv4());
        foreach (ulong room in (ulong[])[14, 0, 100, 16000, 16001, 0xffffffff])
            yield return Case($"skb_change_head {room}", Tc, CallThenLen("bpf_skb_change_head", room, 0), Ipv4()) with { DataOut = 20000 };
        yield return Case("skb_change_head with flags", Tc, CallThenLen("bpf_skb_change_head", 14, 2), Ipv4());
        yield return Case("skb_change_head then relative loads", Tc,
            "r6 = r1|r2 = 4|r3 = 0|call bpf_skb_change_head|r1 = r6|r2 = 0|r3 = r10|r3 += -8|r4 = 8|r5 = 0|call bpf_skb_load_bytes_relative|r0 = *(u32 *)(r10 -4)|exit", Ipv4());
        foreach (ulong len in (ulong[])[0, 10, 64, 65])
            yield return Case($"skb_pull_data {len}", Tc, $"r2 = {len}|call bpf_skb_pull_data|exit", Ipv4());
        foreach (ulong type in (ulong[])[0, 3, 4])
            yield return Case($"skb_change_type {type}", Tc, CallThenLen("bpf_skb_change_type", type, 0).Replace("r0 = *(u32 *)(r6 +0)", "r0 = *(u32 *)(r6 +4)"), Ipv4());
        yield return Case("set_hash then hash and get_hash_recalc", Tc,
            "r6 = r1|r2 = 0x1234|call bpf_set_hash|r1 = r6|call bpf_get_hash_recalc|r7 = *(u32 *)(r6 +68)|r0 += r7|exit", Ipv4());
        yield return Case("get_hash_recalc sets the hash field", Tc,
            "r6 = r1|call bpf_get_hash_recalc|r7 = *(u32 *)(r6 +68)|r8 = r0|r0 = 1|if r7 == r8 goto out|r0 = 0|out: exit", Ipv4());
        yield return Case("get_hash_recalc is stable", Tc,
            "r6 = r1|call bpf_get_hash_recalc|r7 = r0|r1 = r6|call bpf_get_hash_recalc|r8 = r0|r0 = 1|if r7 == r8 goto out|r0 = 0|out: exit", Ipv4());
        yield return Case("set_hash_invalid clears the hash", Tc,
            "r6 = r1|r2 = 0x1234|call bpf_set_hash|r1 = r6|call bpf_set_hash_invalid|r0 = *(u32 *)(r6 +68)|exit", Ipv4());
        yield return Case("skb_store_bytes invalidates the hash", Tc,
            "r6 = r1|r2 = 0x1234|call bpf_set_hash|r1 = r6|" + StoreBytes(30, 4, 2).Replace("|exit", "") + "|r0 = *(u32 *)(r6 +68)|exit", Ipv4());
        foreach ((ulong ifindex, ulong flags) in ((ulong, ulong)[])[(5, 0), (5, 1), (5, 2), (7, 0x80000000)])
            yield return Case($"tc redirect {ifindex} flags {flags:x}", Tc, $"r1 = {ifindex}|r2 = {flags} ll|call bpf_redirect|exit", Ipv4());
        yield return Case("get_cgroup_classid", Tc, "call bpf_get_cgroup_classid|exit", Ipv4());
        foreach (BpfProgType type in (BpfProgType[])[Tc, BpfProgType.Xdp])
        {
            foreach ((int from, int to, uint seed) in ((int, int, uint)[])[(4, 4, 0), (8, 8, 0), (0, 8, 0), (8, 0, 0), (0, 4, 0x1234), (4, 0, 0x1234), (0, 0, 77), (8, 8, 0x7fffffff), (3, 4, 0), (0, 0, 0x87654321), (8, 4, 0xffffffff)])
                yield return Case($"{type} csum_diff {from} {to} {seed:x}", type,
                    $"r6 = 0x1234567889abcdef ll|*(u64 *)(r10 -8) = r6|r6 = 0xfedcba9876543210 ll|*(u64 *)(r10 -16) = r6|r1 = r10|r1 += -8|r2 = {from}|r3 = r10|r3 += -16|r4 = {to}|r5 = {seed} ll|call bpf_csum_diff|exit",
                    Ipv4());
        }
    }

    private static byte[] UdpChecksum(ushort sum)
    {
        byte[] f = Ipv4();
        f[40] = (byte)(sum >> 8);
        f[41] = (byte)sum;
        return f;
    }
}
