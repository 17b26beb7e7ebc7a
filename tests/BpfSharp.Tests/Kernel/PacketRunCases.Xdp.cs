using BpfSharp.Uapi;

namespace BpfSharp.Tests.Kernel;

// XDP: xdp_md in and out, sizes, fragments, live frames, and the helpers that move the frame's bounds.
internal static partial class PacketRunCases
{
    private const BpfProgType X = BpfProgType.Xdp;

    // r0 = the helper's error, or 1000 + packet length + 100000 * metadata length
    private static string Adjust(string helper, int delta) =>
        $"r6 = r1|r2 = {delta}|call {helper}|if r0 != 0 goto out|r2 = *(u32 *)(r6 +0)|r3 = *(u32 *)(r6 +4)|r4 = *(u32 *)(r6 +8)|r0 = r3|r0 -= r2|r0 += 1000|r2 -= r4|r2 *= 100000|r0 += r2|out: exit";

    private const string XdpLength = "r2 = *(u32 *)(r1 +0)|r3 = *(u32 *)(r1 +4)|r0 = r3|r0 -= r2|exit";

    private static IEnumerable<PacketRunCase> Xdp()
    {
        yield return Case("XDP passes the frame", X, "r0 = 2|exit", Ipv4());
        yield return Case("XDP writes the packet directly", X,
            "r2 = *(u32 *)(r1 +0)|r3 = *(u32 *)(r1 +4)|r4 = r2|r4 += 14|r0 = 1|if r4 > r3 goto out|*(u32 *)(r2 +6) = 0x55667788|r0 = 3|out: exit", Ipv4());
        foreach ((string name, int off) in ((string, int)[])[("ingress_ifindex", 12), ("rx_queue_index", 16)])
        {
            yield return Case($"XDP reads {name}", X, $"r0 = *(u32 *)(r1 +{off})|exit", Ipv4());
            yield return Case($"XDP reads {name} with ingress_ifindex 1", X, $"r0 = *(u32 *)(r1 +{off})|exit", Ipv4()) with { CtxIn = XdpMd(ingress: 1) };
            yield return Case($"XDP reads {name} with a zero context", X, $"r0 = *(u32 *)(r1 +{off})|exit", Ipv4()) with { CtxIn = XdpMd(), CtxOut = 24 };
        }
        var contexts = new (string Name, byte[] Ctx, int Size)[]
        {
            ("plain", XdpMd(), 64), ("short data_end", XdpMd(end: 63), 64), ("data_end past data_in", XdpMd(end: 65), 64),
            ("data_meta set", XdpMd(meta: 1), 64), ("4 bytes of metadata", XdpMd(data: 4), 64), ("32 bytes of metadata", XdpMd(data: 32), 64),
            ("216 bytes of metadata", XdpMd(data: 216, end: 300), 300), ("220 bytes of metadata", XdpMd(data: 220, end: 300), 300),
            ("unaligned metadata", XdpMd(data: 2), 64), ("data past data_end", XdpMd(data: 64), 64), ("ingress 1", XdpMd(ingress: 1), 64),
            ("ingress 1 queue 1", XdpMd(ingress: 1, queue: 1), 64), ("queue without ingress", XdpMd(queue: 1), 64),
            ("no such ingress", XdpMd(ingress: 100000), 64), ("egress", XdpMd(egress: 1), 64), ("linear 20", XdpMd(end: 20), 64),
            ("linear 0", XdpMd(end: 0), 64), ("meta 8 linear 12", XdpMd(data: 8, end: 12), 20), ("meta 8 linear 20", XdpMd(data: 8, end: 20), 20),
            ("meta 8 linear 22", XdpMd(data: 8, end: 22), 22), ("meta 32 end 3520", XdpMd(data: 32, end: 3520), 3600),
            ("meta 32 end 3600", XdpMd(data: 32, end: 3600), 3600),
        };
        foreach ((string name, byte[] ctx, int size) in contexts)
            yield return Case($"XDP ctx_in {name}", X, XdpLength, Sized(size)) with { CtxIn = ctx, CtxOut = 24 };
        yield return Case("XDP ctx_in of 20 bytes", X, XdpLength, Ipv4()) with { CtxIn = XdpMd()[..20], CtxOut = 24 };
        yield return Case("XDP ctx_in with a dirty tail", X, XdpLength, Ipv4()) with { CtxIn = [.. XdpMd(), 1, 0, 0, 0] };
        yield return Case("XDP ctx_out alone", X, XdpLength, Ipv4()) with { CtxOut = 24 };
        yield return Case("XDP ctx_out too small", X, XdpLength, Ipv4()) with { CtxIn = XdpMd(), CtxOut = 8 };
        foreach (int size in (int[])[0, 13, 14, 3520, 3521, 5000, 3520 + 4096 * 17, 3520 + 4096 * 17 + 1])
            yield return Case($"XDP data_in of {size}", X, XdpLength, Sized(size)) with { DataOut = 80000 };
        yield return Case("XDP data_size_out below the fragments", X, XdpLength, Sized(5000)) with { DataSizeOut = 1000 };
        yield return Case("XDP data_size_out within the fragments", X, XdpLength, Sized(5000)) with { DataSizeOut = 4000 };
        yield return Case("XDP data_size_out within the linear part", X, XdpLength, Sized(5000)) with { DataSizeOut = 3000 + 1480 };
        yield return Case("XDP flags BPF_F_TEST_RUN_ON_CPU", X, XdpLength, Ipv4()) with { Flags = 1 };
        yield return Case("XDP unknown flag", X, XdpLength, Ipv4()) with { Flags = 4 };
        yield return Case("XDP cpu without flags", X, XdpLength, Ipv4()) with { Cpu = 1 };
        yield return Case("XDP batch_size without live frames", X, XdpLength, Ipv4()) with { BatchSize = 1 };
        yield return Case("XDP live frames", X, "r0 = 1|exit", Ipv4()) with { Flags = 2, Repeat = 3 };
        yield return Case("XDP live frames with data_out", X, "r0 = 1|exit", Ipv4()) with { Flags = 2 };
        yield return Case("XDP live frames with ctx and data_out", X, "r0 = 1|exit", Ipv4()) with { Flags = 2, CtxIn = XdpMd() };
        yield return Case("XDP live frames with ctx and no outputs", X, "r0 = 1|exit", Ipv4()) with { Flags = 2, CtxIn = XdpMd(), DataOut = 0 };
        yield return Case("XDP live frames batch 256", X, "r0 = 1|exit", Ipv4()) with { Flags = 2, BatchSize = 256 };
        yield return Case("XDP live frames batch 257", X, "r0 = 1|exit", Ipv4()) with { Flags = 2, BatchSize = 257 };
        yield return Case("XDP devmap program", X, XdpLength, Ipv4()) with { ExpectedAttachType = (uint)BpfAttachType.XdpDevmap };
    }

    private static IEnumerable<PacketRunCase> XdpHelpers()
    {
        foreach (int delta in (int[])[-216, -217, -1, 0, 1, 50, 51, 64])
            yield return Case($"xdp_adjust_head {delta}", X, Adjust("bpf_xdp_adjust_head", delta), Sized(64));
        foreach (int delta in (int[])[-208, -209])
            yield return Case($"xdp_adjust_head {delta} with 8 bytes of metadata", X, Adjust("bpf_xdp_adjust_head", delta), Sized(64)) with { CtxIn = XdpMd(data: 8), CtxOut = 24 };
        foreach (int delta in (int[])[-50, -51, -64, 0, 1, 3456, 3457])
            yield return Case($"xdp_adjust_tail {delta}", X, Adjust("bpf_xdp_adjust_tail", delta), Sized(64));
        foreach (int delta in (int[])[-4, -8, -32, -36, -216, -220, -2, 4, 1, 0])
            yield return Case($"xdp_adjust_meta {delta}", X, Adjust("bpf_xdp_adjust_meta", delta), Sized(64)) with { CtxOut = 24 };
        yield return Case("xdp_adjust_meta back to none", X, Adjust("bpf_xdp_adjust_meta", 8), Sized(64)) with { CtxIn = XdpMd(data: 8), CtxOut = 24 };
        yield return Case("xdp_adjust_head repeats on one frame", X, Adjust("bpf_xdp_adjust_head", 10), Sized(64)) with { Repeat = 3 };
        yield return Case("xdp_adjust_tail repeats on one frame", X, Adjust("bpf_xdp_adjust_tail", 10), Sized(64)) with { Repeat = 3 };
        int frags = 3520 + 4096 + 80;
        foreach (int delta in (int[])[-1, -80, -81, -4176, -4177, -7000, -7682, -7683, 1, 4016, 4017])
            yield return Case($"xdp_adjust_tail {delta} with fragments", X, Adjust("bpf_xdp_adjust_tail", delta), Sized(frags)) with { DataOut = 20000 };
        yield return Case("xdp_adjust_tail grows a full fragment", X, Adjust("bpf_xdp_adjust_tail", 1), Sized(3520 + 4096));
        yield return Case("xdp_adjust_head with fragments", X, Adjust("bpf_xdp_adjust_head", -10), Sized(3600));
        yield return Case("xdp_get_buff_len with fragments", X, "call bpf_xdp_get_buff_len|exit", Sized(frags));
        foreach ((ulong ifindex, ulong flags) in ((ulong, ulong)[])[(5, 0), (5, 1)])
            yield return Case($"XDP redirect {ifindex} flags {flags}", X, $"r1 = {ifindex}|r2 = {flags}|call bpf_redirect|exit", Ipv4());
    }
}
