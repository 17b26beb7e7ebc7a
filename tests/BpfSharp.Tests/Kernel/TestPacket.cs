namespace BpfSharp.Tests.Kernel;

/// <summary>
/// The 64-byte Ethernet/IPv4/UDP frame the differential programs run on, and the view of it
/// that LD_ABS/LD_IND see in a socket filter's BPF_PROG_TEST_RUN.
/// </summary>
internal static class TestPacket
{
    /// <summary>Length of the Ethernet header that test_run pulls before a non-L2 program sees the skb.</summary>
    public const int EthHeaderLength = 14;

    /// <summary>
    /// The frame: Ethernet 02:00:00:00:00:02 -> 02:00:00:00:00:01 type IPv4; IPv4 10.0.0.1 -> 10.0.0.2,
    /// id 0x1234, DF, ttl 64, UDP, total length 50, header checksum 0x1485; UDP 12345 -> 53, length 30,
    /// checksum 0; 22 payload bytes 0xe0, 0xe1, ..., 0xf5.
    /// </summary>
    public static byte[] Frame()
    {
        byte[] frame =
        [
            0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x08, 0x00,
            0x45, 0x00, 0x00, 0x32, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x14, 0x85,
            0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
            0x30, 0x39, 0x00, 0x35, 0x00, 0x1e, 0x00, 0x00,
            .. new byte[22],
        ];
        for (int i = 0; i < 22; i++)
            frame[42 + i] = (byte)(0xe0 + i);
        return frame;
    }

    /// <summary>What LD_ABS offset 0 addresses: the frame after the Ethernet header (the IPv4 header on).</summary>
    public static byte[] SkbData() => Frame()[EthHeaderLength..];
}
