using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace BpfSharp.Maps;

/// <summary>
/// The kernel's Jenkins hash (include/linux/jhash.h, Bob Jenkins' lookup3), bit for bit, so that
/// seed-zero maps (BPF_F_ZERO_SEED) hash exactly as the kernel does. The hash maps and the bloom
/// filter share it.
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
            a += Word(key);
            b += Word(key + 4);
            c += Word(key + 8);
            Mix(ref a, ref b, ref c);
            length -= 12;
            key += 12;
        }
        if (length == 0) return c;
        // The last block, 1 to 12 bytes, zero-padded: the kernel's byte-by-byte switch adds the same.
        byte* tail = stackalloc byte[12];
        new Span<byte>(tail, 12).Clear();
        Buffer.MemoryCopy(key, tail, 12, length);
        return Final(a + Word(tail), b + Word(tail + 4), c + Word(tail + 8));
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
        return Final(a, b, c);
    }

    /// <summary>jhash of a 4-byte key (the hash maps' fast path; equal to <see cref="Hash"/> of its bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hash4(uint k0, uint initval)
    {
        uint init = InitVal + 4 + initval;
        return Final(init + k0, init, init);
    }

    /// <summary>jhash of an 8-byte key (the hash maps' fast path; equal to <see cref="Hash"/> of its bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hash8(ulong k, uint initval)
    {
        uint init = InitVal + 8 + initval;
        return Final(init + (uint)k, init + (uint)(k >> 32), init);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Word(byte* p) => BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(p, 4));

    // kernel: __jhash_mix: mixes three 32-bit values reversibly.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mix(ref uint a, ref uint b, ref uint c)
    {
        a -= c; a ^= BitOperations.RotateLeft(c, 4); c += b;
        b -= a; b ^= BitOperations.RotateLeft(a, 6); a += c;
        c -= b; c ^= BitOperations.RotateLeft(b, 8); b += a;
        a -= c; a ^= BitOperations.RotateLeft(c, 16); c += b;
        b -= a; b ^= BitOperations.RotateLeft(a, 19); a += c;
        c -= b; c ^= BitOperations.RotateLeft(b, 4); b += a;
    }

    // kernel: __jhash_final: final mixing of three 32-bit values into c (by value, so they stay in registers).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Final(uint a, uint b, uint c)
    {
        c ^= b; c -= BitOperations.RotateLeft(b, 14);
        a ^= c; a -= BitOperations.RotateLeft(c, 11);
        b ^= a; b -= BitOperations.RotateLeft(a, 25);
        c ^= b; c -= BitOperations.RotateLeft(b, 16);
        a ^= c; a -= BitOperations.RotateLeft(c, 4);
        b ^= a; b -= BitOperations.RotateLeft(a, 14);
        c ^= b; c -= BitOperations.RotateLeft(b, 24);
        return c;
    }
}
