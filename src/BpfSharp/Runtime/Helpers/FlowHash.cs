using System.Buffers.Binary;
using BpfSharp.Maps;
using BpfSharp.ProgramTypes;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// The flow hash of a packet (kernel: __skb_get_hash: the flow dissector's keys, ordered so both directions of a flow
/// hash alike, then hashed). BpfSharp hashes the keys with jhash and a fixed seed: the kernel keys its hash with a
/// random boot-time secret, so its values are not reproducible anyway; what holds is that a flow always gets the same
/// non-zero hash.
/// </summary>
public static unsafe class FlowHash
{
    private const uint Seed = 0x6b7ab3d1;

    /// <summary>The hash of <paramref name="skb"/>'s flow; <paramref name="l4"/> tells whether ports went into it.</summary>
    public static uint Compute(SkBuff skb, out bool l4)
    {
        Span<uint> keys = stackalloc uint[10]; // proto, ports, then source and destination addresses (4 words each)
        keys.Clear();
        l4 = false;
        ReadOnlySpan<byte> l3 = skb.NetworkHeaderOffset is int nh && nh >= 0 && nh <= skb.Length ? skb.Packet[nh..] : default;
        int proto = -1, l4Offset = 0, addrLength = 0;
        ReadOnlySpan<byte> src = default, dst = default;
        switch (BinaryPrimitives.ReverseEndianness((ushort)skb.Protocol))
        {
            case 0x0800 when l3.Length >= 20 && l3[0] >> 4 == 4:
                proto = l3[9];
                addrLength = 4;
                src = l3.Slice(12, 4);
                dst = l3.Slice(16, 4);
                l4Offset = (l3[0] & 0xf) * 4;
                if ((BinaryPrimitives.ReadUInt16BigEndian(l3[6..]) & 0x3fff) != 0) proto = -proto - 2; // a fragment: no ports
                break;
            case 0x86dd when l3.Length >= 40:
                proto = l3[6];
                addrLength = 16;
                src = l3.Slice(8, 16);
                dst = l3.Slice(24, 16);
                l4Offset = 40;
                break;
        }
        if (addrLength > 0)
        {
            bool swap = src.SequenceCompareTo(dst) > 0;
            ReadOnlySpan<byte> a = swap ? dst : src, b = swap ? src : dst;
            for (int i = 0; i < addrLength / 4; i++)
            {
                keys[2 + i] = BinaryPrimitives.ReadUInt32LittleEndian(a[(i * 4)..]);
                keys[6 + i] = BinaryPrimitives.ReadUInt32LittleEndian(b[(i * 4)..]);
            }
            keys[0] = (uint)proto;
            if (proto is 6 or 17 or 132 or 136 && l3.Length >= l4Offset + 4)
            {
                ushort sport = BinaryPrimitives.ReadUInt16BigEndian(l3[l4Offset..]);
                ushort dport = BinaryPrimitives.ReadUInt16BigEndian(l3[(l4Offset + 2)..]);
                if (swap || (!swap && addrLength > 0 && src.SequenceEqual(dst) && sport > dport))
                    (sport, dport) = (dport, sport);
                keys[1] = (uint)sport << 16 | dport;
                l4 = true;
            }
        }
        keys[0] ^= skb.Protocol << 16;
        uint hash;
        fixed (uint* k = keys)
            hash = Jhash.Hash2(k, (uint)keys.Length, Seed);
        return hash == 0 ? 1 : hash;
    }
}
