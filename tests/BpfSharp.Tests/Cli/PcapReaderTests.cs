using System.Buffers.Binary;
using BpfSharp.Cli.Pcap;

namespace BpfSharp.Tests.Cli;

/// <summary>The classic libpcap file format as pcap-savefile(5) describes it.</summary>
public class PcapReaderTests
{
    // A file header then one record per packet, in the given byte order and magic.
    private static byte[] Capture(uint magic, bool bigEndian, params byte[][] packets)
    {
        var s = new MemoryStream();
        void U32(uint v) { Span<byte> b = stackalloc byte[4]; if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, v); else BinaryPrimitives.WriteUInt32LittleEndian(b, v); s.Write(b); }
        void U16(ushort v) { Span<byte> b = stackalloc byte[2]; if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b, v); else BinaryPrimitives.WriteUInt16LittleEndian(b, v); s.Write(b); }
        U32(magic); U16(2); U16(4); U32(0); U32(0); U32(65535); U32(1);
        foreach (byte[] p in packets)
        {
            U32(1); U32(2); U32((uint)p.Length); U32((uint)p.Length + 10);
            s.Write(p);
        }
        return s.ToArray();
    }

    [Theory]
    [InlineData(0xa1b2c3d4u, false, false)]
    [InlineData(0xa1b2c3d4u, true, false)]
    [InlineData(0xa1b23c4du, false, true)]
    [InlineData(0xa1b23c4du, true, true)]
    public void Reads_both_byte_orders_and_timestamp_resolutions(uint magic, bool bigEndian, bool nano)
    {
        using var r = new PcapReader(new MemoryStream(Capture(magic, bigEndian, [1, 2, 3], [4, 5])));
        Assert.Equal((1u, (ushort)2, (ushort)4, 65535u, nano), (r.LinkType, r.VersionMajor, r.VersionMinor, r.SnapLength, r.NanosecondTimestamps));
        Assert.True(r.TryRead(out ReadOnlySpan<byte> p, out uint original));
        Assert.Equal(new byte[] { 1, 2, 3 }, p.ToArray());
        Assert.Equal(13u, original);
        Assert.True(r.TryRead(out p, out _));
        Assert.Equal(new byte[] { 4, 5 }, p.ToArray());
        Assert.False(r.TryRead(out _, out _));
    }

    [Fact]
    public void Bad_files_are_refused_with_the_reason()
    {
        Assert.Contains("bad magic", Assert.Throws<InvalidDataException>(() => new PcapReader(new MemoryStream(new byte[24]))).Message);
        byte[] ng = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(ng, 0x0a0d0d0a);
        Assert.Contains("pcapng", Assert.Throws<InvalidDataException>(() => new PcapReader(new MemoryStream(ng))).Message);
        Assert.Contains("shorter than", Assert.Throws<InvalidDataException>(() => new PcapReader(new MemoryStream(new byte[3]))).Message);

        byte[] full = Capture(0xa1b2c3d4, false, new byte[100]);
        using var cut = new PcapReader(new MemoryStream(full[..^10]));
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => cut.TryRead(out _, out _)).Message);

        byte[] huge = Capture(0xa1b2c3d4, false, new byte[4]);
        BinaryPrimitives.WriteUInt32LittleEndian(huge.AsSpan(24 + 8), 0x7fffffff);
        using var lying = new PcapReader(new MemoryStream(huge));
        Assert.Contains("claims", Assert.Throws<InvalidDataException>(() => lying.TryRead(out _, out _)).Message);
    }

    [Fact]
    public void The_demo_capture_holds_2000_ethernet_frames()
    {
        using var r = new PcapReader(File.OpenRead(DemoFiles.Pcap));
        Assert.Equal(PcapReader.LinkTypeEthernet, r.LinkType);
        int count = 0;
        while (r.TryRead(out ReadOnlySpan<byte> p, out _))
        {
            Assert.InRange(p.Length, 60, 1514);
            count++;
        }
        Assert.Equal(2000, count);
    }
}

/// <summary>The demo's files in examples/packets (copied next to the test assembly).</summary>
internal static class DemoFiles
{
    public static string Pcap => Path.Combine(AppContext.BaseDirectory, "examples", "sample.pcap");
    public static string Object => Path.Combine(AppContext.BaseDirectory, "examples", "count_protocols.o");
}
