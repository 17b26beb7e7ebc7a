using System.Buffers.Binary;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Kernel;

/// <summary>The table of <see cref="PacketRunDifferentialTests"/>: the cases of every program type, by name.</summary>
internal static partial class PacketRunCases
{
    private static readonly Lazy<Dictionary<string, PacketRunCase>> All = new(() =>
    {
        var all = new Dictionary<string, PacketRunCase>();
        foreach (IEnumerable<PacketRunCase> group in (IEnumerable<PacketRunCase>[])[SkbFields(), SkbContexts(), SkbHelpers(), Xdp(), XdpHelpers(), Others(), Lwt(), FlowDissector(), SkLookup(), Syscall(), Netfilter()])
        {
            foreach (PacketRunCase c in group)
                all.Add(c.Name, c);
        }
        return all;
    });

    public static IReadOnlyDictionary<string, PacketRunCase> ByName => All.Value;

    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (string name in All.Value.Keys) names.Add(name);
        return names;
    }

    // The frames: IPv4/UDP to another host (TestPacket), the same to a broadcast, multicast or our (all-zero) address,
    // an IPv6/UDP frame, and 802.3 frames with a length instead of an EtherType.
    private static byte[] Ipv4() => TestPacket.Frame();

    private static byte[] WithDest(byte[] frame, params byte[] dest)
    {
        byte[] f = (byte[])frame.Clone();
        dest.CopyTo(f, 0);
        return f;
    }

    private static byte[] Ipv6()
    {
        byte[] f = new byte[14 + 40 + 8 + 6];
        f[12] = 0x86; f[13] = 0xdd;
        f[14] = 0x60; f[19] = 14; f[20] = 17; f[21] = 64; // payload length 14, UDP, hop limit 64
        f[22] = 0x20; f[23] = 0x01; f[24] = 0x0d; f[25] = 0xb8; f[37] = 1; // 2001:db8::1
        f[38] = 0x20; f[39] = 0x01; f[40] = 0x0d; f[41] = 0xb8; f[53] = 2; // 2001:db8::2
        f[54] = 0x12; f[55] = 0x34; f[56] = 0x00; f[57] = 0x35; f[59] = 14;
        return f;
    }

    private static byte[] Ieee8023(bool raw)
    {
        byte[] f = new byte[60];
        f[12] = 0x00; f[13] = 46; // a length
        if (raw) { f[14] = 0xff; f[15] = 0xff; }
        return f;
    }

    private static byte[] Sized(int size)
    {
        byte[] f = new byte[size];
        for (int i = 0; i < size; i++) f[i] = (byte)(i * 7 + 3);
        if (size >= 14) { f[12] = 0x08; f[13] = 0x00; }
        return f;
    }

    private static byte[] SkbCtx(params (int Offset, ulong Value, int Size)[] fields)
    {
        byte[] ctx = new byte[192];
        foreach ((int off, ulong v, int size) in fields)
        {
            if (size == 8) BinaryPrimitives.WriteUInt64LittleEndian(ctx.AsSpan(off), v);
            else if (size == 1) ctx[off] = (byte)v;
            else BinaryPrimitives.WriteUInt32LittleEndian(ctx.AsSpan(off), (uint)v);
        }
        return ctx;
    }

    private static byte[] XdpMd(uint data = 0, uint end = 64, uint meta = 0, uint ingress = 0, uint queue = 0, uint egress = 0)
    {
        byte[] ctx = new byte[24];
        uint[] v = [data, end, meta, ingress, queue, egress];
        for (int i = 0; i < 6; i++) BinaryPrimitives.WriteUInt32LittleEndian(ctx.AsSpan(i * 4), v[i]);
        return ctx;
    }

    private static PacketRunCase Case(string name, BpfProgType type, string program, byte[]? data) => new(name, type, program, data);
}
