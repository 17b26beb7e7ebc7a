using System.Buffers.Binary;
using System.Numerics;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// The Internet checksum arithmetic the packet helpers use, as the kernel computes it on x86-64 (include/net/checksum.h,
/// arch/x86/lib/csum-partial_64.c): 32-bit partial sums (<c>__wsum</c>) read in host (little-endian) order,
/// folded to 16-bit checksums (<c>__sum16</c>) the way the kernel folds them, so results match bit for bit.
/// </summary>
public static class InetChecksum
{
    /// <summary>kernel: csum_partial. The 32-bit one's-complement sum of <paramref name="data"/> added to <paramref name="sum"/>.</summary>
    public static uint Partial(ReadOnlySpan<byte> data, uint sum)
    {
        ulong t = sum;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
            t = Add64(t, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        if (i < data.Length)
        {
            Span<byte> trail = stackalloc byte[8];
            trail.Clear();
            data[i..].CopyTo(trail);
            t = Add64(t, BinaryPrimitives.ReadUInt64LittleEndian(trail));
        }
        return (uint)((t + BitOperations.RotateRight(t, 32)) >> 32); // kernel: csum_finalize_sum
    }

    /// <summary>kernel: csum_add. One's-complement addition of two partial sums.</summary>
    public static uint Add(uint a, uint b)
    {
        uint r = a + b;
        return r + (r < b ? 1u : 0u);
    }

    /// <summary>kernel: csum_sub.</summary>
    public static uint Sub(uint a, uint b) => Add(a, ~b);

    /// <summary>kernel: csum_block_add. Adds the sum of a block that starts at byte <paramref name="offset"/> (odd offsets swap its bytes).</summary>
    public static uint BlockAdd(uint sum, uint block, int offset) =>
        Add(sum, (offset & 1) != 0 ? BitOperations.RotateRight(block, 8) : block);

    /// <summary>kernel: csum_block_sub.</summary>
    public static uint BlockSub(uint sum, uint block, int offset) =>
        Add(sum, ~((offset & 1) != 0 ? BitOperations.RotateRight(block, 8) : block));

    /// <summary>kernel: csum_fold (x86-64). The 16-bit checksum (complemented) of a partial sum.</summary>
    public static ushort Fold(uint sum)
    {
        ulong t = (ulong)(sum & 0xffff0000) + (sum << 16);
        uint r = (uint)t + 0xffff + (uint)(t >> 32);
        return (ushort)(~r >> 16);
    }

    /// <summary>kernel: csum_from32to16. Folds a partial sum to 16 bits without complementing it.</summary>
    public static ushort From32To16(uint sum)
    {
        sum += (sum >> 16) | (sum << 16);
        return (ushort)(sum >> 16);
    }

    /// <summary>kernel: csum_replace2. Updates <paramref name="check"/> for a 16-bit field changing from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static ushort Replace2(ushort check, ushort from, ushort to) =>
        (ushort)~Csum16Add(Csum16Add((ushort)~check, (ushort)~from), to);

    /// <summary>kernel: csum_replace4. Updates <paramref name="check"/> for a 32-bit field changing from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static ushort Replace4(ushort check, uint from, uint to) =>
        Fold(Add(Sub(~(uint)check, from), to));

    /// <summary>kernel: csum_replace_by_diff. Updates <paramref name="check"/> by the partial sum <paramref name="diff"/>.</summary>
    public static ushort ReplaceByDiff(ushort check, uint diff) => Fold(Add(diff, ~(uint)check));

    /// <summary>
    /// kernel: inet_proto_csum_replace4 on a packet whose checksum is not CHECKSUM_PARTIAL: <paramref name="check"/>
    /// after a 32-bit field changed from <paramref name="from"/> to <paramref name="to"/>, through the 8-byte
    /// csum_partial of { ~from, to }.
    /// </summary>
    public static ushort ProtoReplace4(ushort check, uint from, uint to) => Fold(Partial8(~from, to, ~(uint)check));

    /// <summary>The 8-byte csum_partial of { ~from, to } on top of <paramref name="sum"/> (kernel: the diff[] of inet_proto_csum_replace4).</summary>
    public static uint Diff4(uint from, uint to, uint sum) => Partial8(~from, to, sum);

    private static uint Partial8(uint a, uint b, uint sum)
    {
        Span<byte> block = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(block, a);
        BinaryPrimitives.WriteUInt32LittleEndian(block[4..], b);
        return Partial(block, sum);
    }

    private static ushort Csum16Add(ushort a, ushort b)
    {
        int r = a + b;
        return (ushort)(r + (r >> 16));
    }

    private static ulong Add64(ulong a, ulong b)
    {
        ulong r = a + b;
        return r + (r < b ? 1ul : 0ul);
    }
}
