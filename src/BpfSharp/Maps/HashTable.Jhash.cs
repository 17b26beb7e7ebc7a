using System.Numerics;
using System.Runtime.CompilerServices;

namespace BpfSharp.Maps;

public abstract unsafe partial class HashTable
{
    /// <summary>The arbitrary initial value of Bob Jenkins' lookup3 hash (kernel: JHASH_INITVAL).</summary>
    private const uint JhashInitval = 0xdeadbeef;

    /// <summary>
    /// jhash (Bob Jenkins' lookup3, include/linux/jhash.h) of <paramref name="length"/> bytes with
    /// seed <paramref name="initval"/>; words are read little-endian. The kernel's hash tables use
    /// jhash2 for keys whose size is a multiple of 4, which gives the same value on little-endian.
    /// </summary>
    internal static uint Jhash(byte* key, uint length, uint initval)
    {
        uint a, b, c;
        a = b = c = JhashInitval + length + initval;
        while (length > 12)
        {
            a += Unsafe.ReadUnaligned<uint>(key);
            b += Unsafe.ReadUnaligned<uint>(key + 4);
            c += Unsafe.ReadUnaligned<uint>(key + 8);
            // __jhash_mix: mixes three 32-bit values reversibly.
            a -= c; a ^= BitOperations.RotateLeft(c, 4); c += b;
            b -= a; b ^= BitOperations.RotateLeft(a, 6); a += c;
            c -= b; c ^= BitOperations.RotateLeft(b, 8); b += a;
            a -= c; a ^= BitOperations.RotateLeft(c, 16); c += b;
            b -= a; b ^= BitOperations.RotateLeft(a, 19); a += c;
            c -= b; c ^= BitOperations.RotateLeft(b, 4); b += a;
            length -= 12;
            key += 12;
        }
        if (length == 0) return c;
        // The last 1..12 bytes, zero-padded, as three little-endian words.
        uint* tail = stackalloc uint[3] { 0, 0, 0 };
        Buffer.MemoryCopy(key, tail, 12, length);
        return Final(a + tail[0], b + tail[1], c + tail[2]);
    }

    /// <summary>jhash of a 4-byte key (jhash_1word form of the general function).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Jhash4(uint k0, uint initval)
    {
        uint init = JhashInitval + 4 + initval;
        return Final(init + k0, init, init);
    }

    /// <summary>jhash of an 8-byte key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Jhash8(ulong k, uint initval)
    {
        uint init = JhashInitval + 8 + initval;
        return Final(init + (uint)k, init + (uint)(k >> 32), init);
    }

    /// <summary>__jhash_final: final mixing of three 32-bit values into c (by value, so they stay in registers).</summary>
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
