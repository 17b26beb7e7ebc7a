using System.Buffers.Binary;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// kernel: eth_type_trans for a packet received on the loopback device (address and broadcast address both
/// 00:00:00:00:00:00): the packet type from the destination address (ours: host; a group address, even
/// ff:ff:ff:ff:ff:ff: multicast; else other host) and the protocol from the EtherType (or the 802.3 / 802.2 guesses
/// of the kernel for a length field).
/// </summary>
public static class EthTypeTrans
{
    /// <summary>The Ethernet header length (kernel: ETH_HLEN).</summary>
    public const int HeaderLength = 14;

    /// <summary>PACKET_HOST, PACKET_BROADCAST, PACKET_MULTICAST, PACKET_OTHERHOST.</summary>
    public const uint PacketHost = 0, PacketBroadcast = 1, PacketMulticast = 2, PacketOtherHost = 3;

    /// <summary>
    /// The packet type and the protocol (network byte order, as <c>__sk_buff.protocol</c> reads it) of
    /// <paramref name="frame"/>, at least <see cref="HeaderLength"/> bytes starting at the Ethernet header.
    /// </summary>
    public static (uint PktType, uint Protocol) Classify(ReadOnlySpan<byte> frame)
    {
        ReadOnlySpan<byte> dest = frame[..6];
        uint pktType = PacketHost;
        if (dest.IndexOfAnyExcept((byte)0) >= 0)
        {
            pktType = (dest[0] & 1) == 0 ? PacketOtherHost : PacketMulticast; // never the device's broadcast address
        }
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        ushort protocol = type >= 0x0600 ? type // eth_proto_is_802_3: an EtherType
            : frame.Length >= HeaderLength + 2 && frame[HeaderLength] == 0xff && frame[HeaderLength + 1] == 0xff
                ? (ushort)0x0001 // ETH_P_802_3: raw 802.3 (IPX)
                : (ushort)0x0004; // ETH_P_802_2
        return (pktType, BinaryPrimitives.ReverseEndianness(protocol));
    }
}
