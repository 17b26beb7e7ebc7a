using System.Buffers.Binary;
using System.Numerics;

namespace BpfSharp.Maps;

/// <summary>
/// The kernel's Jenkins hash (include/linux/jhash.h, Bob Jenkins' lookup3), bit for bit, so that
/// seed-zero maps (BPF_F_ZERO_SEED) hash exactly as the kernel does.
/// </summary>
public static unsafe class Jhash
{
    /// <summary>JHASH_INITVAL, the arbitrary initial value.</summary>
    public const uint InitVal = 0xdeadbeef;

    /// <summary>kernel: jhash: hashes <paramref name="length"/> bytes (any alignment; words read little-endian as on x86).</summary>
    public static uint Hash(byte* key, uint length, uint initval)
    {
        uint a, b, c;
        a = b = c = InitVal + length + initval;
        while (length > 12)
        {
            a += BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(key, 4));
            b += BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(key + 4, 4));
            c += BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(key + 8, 4));
            Mix(ref a, ref b, ref c);
            length -= 12;
            key += 12;
        }
        if (length == 0) return c;
        // The last block, 1 to 12 bytes, added byte by byte.
        for (uint i = length; i > 0; i--)
        {
            uint add = (uint)key[i - 1] << (int)(8 * ((i - 1) & 3));
            if (i > 8) c += add;
            else if (i > 4) b += add;
            else a += add;
        }
        Final(ref a, ref b, ref c);
        return c;
    }

    /// <summary>kernel: jhash2: hashes <paramref name="length"/> u32 words.</summary>
    public static uint Hash2(uint* key, uint length, uint initval)
    {
        uint a, b, c;
        a = b = c = InitVal + (length << 2) + initval;
        while (length > 3)
        {
            a += key[0];
            b += key[1];
            c += key[2];
            Mix(ref a, ref b, ref c);
            length -= 3;
            key += 3;
        }
        if (length == 0) return c;
        if (length == 3) c += key[2];
        if (length >= 2) b += key[1];
        a += key[0];
        Final(ref a, ref b, ref c);
        return c;
    }

    // kernel: __jhash_mix
    private static void Mix(ref uint a, ref uint b, ref uint c)
    {
        a -= c; a ^= BitOperations.RotateLeft(c, 4); c += b;
        b -= a; b ^= BitOperations.RotateLeft(a, 6); a += c;
        c -= b; c ^= BitOperations.RotateLeft(b, 8); b += a;
        a -= c; a ^= BitOperations.RotateLeft(c, 16); c += b;
        b -= a; b ^= BitOperations.RotateLeft(a, 19); a += c;
        c -= b; c ^= BitOperations.RotateLeft(b, 4); b += a;
    }

    // kernel: __jhash_final
    private static void Final(ref uint a, ref uint b, ref uint c)
    {
        c ^= b; c -= BitOperations.RotateLeft(b, 14);
        a ^= c; a -= BitOperations.RotateLeft(c, 11);
        b ^= a; b -= BitOperations.RotateLeft(a, 25);
        c ^= b; c -= BitOperations.RotateLeft(b, 16);
        a ^= c; a -= BitOperations.RotateLeft(c, 4);
        b ^= a; b -= BitOperations.RotateLeft(a, 14);
        c ^= b; c -= BitOperations.RotateLeft(b, 24);
    }
}
