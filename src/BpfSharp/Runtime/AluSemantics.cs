using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace BpfSharp.Runtime;

/// <summary>
/// The arithmetic of RFC 9669 section 4 where it differs from plain C# operators: division and
/// modulo by zero, signed overflow, shift masking, sign-extending moves, byte swaps. Operands
/// and results are register values; every 32-bit form returns its result zero-extended to 64 bits.
/// Every engine (interpreter, JIT) uses these so that they agree.
/// </summary>
/// <remarks>
/// The 32-bit division and remainder are never inlined: inlined into JIT-compiled programs, RyuJIT (.NET 10, x64)
/// gave some of them a result with a non-zero upper half (the randomized differential test, Release builds). Called,
/// each is compiled on its own and is correct.
/// </remarks>
public static class AluSemantics
{
    /// <summary>div64: dst / src, unsigned; 0 when src is 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Div64(ulong dst, ulong src) => src == 0 ? 0 : dst / src;

    /// <summary>div32: (u32)dst / (u32)src; 0 when the divisor is 0.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Div32(ulong dst, ulong src) => (uint)src == 0 ? 0 : (uint)dst / (uint)src;

    /// <summary>mod64: dst % src, unsigned; dst unchanged when src is 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mod64(ulong dst, ulong src) => src == 0 ? dst : dst % src;

    /// <summary>mod32: (u32)dst % (u32)src; (u32)dst when the divisor is 0.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Mod32(ulong dst, ulong src) => (uint)src == 0 ? (uint)dst : (uint)dst % (uint)src;

    /// <summary>sdiv64: signed division truncating toward zero; 0 when src is 0; LLONG_MIN / -1 is LLONG_MIN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SDiv64(ulong dst, ulong src)
    {
        long s = (long)src;
        if (s == 0) return 0;
        if (s == -1) return 0 - dst; // wraps: -LLONG_MIN == LLONG_MIN
        return (ulong)((long)dst / s);
    }

    /// <summary>sdiv32: signed 32-bit division; 0 when the divisor is 0; INT_MIN / -1 is INT_MIN.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong SDiv32(ulong dst, ulong src)
    {
        int s = (int)src;
        if (s == 0) return 0;
        if (s == -1) return 0u - (uint)dst;
        return (uint)((int)dst / s);
    }

    /// <summary>smod64: remainder with the dividend's sign (C truncation); dst when src is 0; x % -1 is 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SMod64(ulong dst, ulong src)
    {
        long s = (long)src;
        if (s == 0) return dst;
        if (s == -1) return 0;
        return (ulong)((long)dst % s);
    }

    /// <summary>smod32: signed 32-bit remainder; (u32)dst when the divisor is 0; x % -1 is 0.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong SMod32(ulong dst, ulong src)
    {
        int s = (int)src;
        if (s == 0) return (uint)dst;
        if (s == -1) return 0;
        return (uint)((int)dst % s);
    }

    /// <summary>lsh64: shift amount masked to 6 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Lsh64(ulong dst, ulong src) => dst << (int)(src & 63);

    /// <summary>rsh64: logical, shift amount masked to 6 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Rsh64(ulong dst, ulong src) => dst >> (int)(src & 63);

    /// <summary>arsh64: arithmetic, shift amount masked to 6 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Arsh64(ulong dst, ulong src) => (ulong)((long)dst >> (int)(src & 63));

    /// <summary>lsh32: shift amount masked to 5 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Lsh32(ulong dst, ulong src) => (uint)dst << (int)(src & 31);

    /// <summary>rsh32: logical, shift amount masked to 5 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Rsh32(ulong dst, ulong src) => (uint)dst >> (int)(src & 31);

    /// <summary>arsh32: arithmetic on the low 32 bits, shift amount masked to 5 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Arsh32(ulong dst, ulong src) => (uint)((int)dst >> (int)(src & 31));

    /// <summary>movsx64: src's low <paramref name="bits"/> (8, 16 or 32) sign-extended to 64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MovSx64(ulong src, int bits) => bits switch
    {
        8 => (ulong)(long)(sbyte)src,
        16 => (ulong)(long)(short)src,
        _ => (ulong)(long)(int)src,
    };

    /// <summary>movsx32: src's low <paramref name="bits"/> (8 or 16) sign-extended to 32, then zero-extended.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MovSx32(ulong src, int bits) => bits == 8 ? (uint)(int)(sbyte)src : (uint)(int)(short)src;

    /// <summary>bswap16/32/64 (ALU64 END): reverse the low <paramref name="bits"/> bits' bytes, zero-extended.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Bswap(ulong dst, int bits) => bits switch
    {
        16 => BinaryPrimitives.ReverseEndianness((ushort)dst),
        32 => BinaryPrimitives.ReverseEndianness((uint)dst),
        _ => BinaryPrimitives.ReverseEndianness(dst),
    };

    /// <summary>Truncation to the low <paramref name="bits"/> bits, zero-extended (le on a little-endian host; le64 is the identity).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Truncate(ulong dst, int bits) => bits switch
    {
        16 => (ushort)dst,
        32 => (uint)dst,
        _ => dst,
    };

    /// <summary>ALU END BPF_TO_LE (htole16/32/64) on this host.</summary>
    public static ulong ToLe(ulong dst, int bits) => BitConverter.IsLittleEndian ? Truncate(dst, bits) : Bswap(dst, bits);

    /// <summary>ALU END BPF_TO_BE (htobe16/32/64) on this host.</summary>
    public static ulong ToBe(ulong dst, int bits) => BitConverter.IsLittleEndian ? Bswap(dst, bits) : Truncate(dst, bits);
}
