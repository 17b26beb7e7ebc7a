using System.Buffers.Binary;

namespace BpfSharp.Verifier;

public readonly partial struct Tnum
{
    /// <summary>Bitwise AND (kernel: tnum_and): a bit is known 1 if known 1 in both, unknown if possibly 1 in both.</summary>
    public static Tnum And(Tnum a, Tnum b)
    {
        ulong alpha = a.Value | a.Mask;
        ulong beta = b.Value | b.Mask;
        ulong v = a.Value & b.Value;
        return new Tnum(v, alpha & beta & ~v);
    }

    /// <summary>Bitwise OR (kernel: tnum_or): a known 1 in either side is a known 1.</summary>
    public static Tnum Or(Tnum a, Tnum b)
    {
        ulong v = a.Value | b.Value;
        ulong mu = a.Mask | b.Mask;
        return new Tnum(v, mu & ~v);
    }

    /// <summary>Bitwise XOR (kernel: tnum_xor): known where both sides are known.</summary>
    public static Tnum Xor(Tnum a, Tnum b)
    {
        ulong v = a.Value ^ b.Value;
        ulong mu = a.Mask | b.Mask;
        return new Tnum(v & ~mu, mu);
    }

    /// <summary>
    /// Left shift by a known amount (kernel: tnum_lshift); callers keep <paramref name="shift"/> below 64
    /// (like C, the amount is not reduced by the kernel; here it is taken modulo 64).
    /// </summary>
    public static Tnum Lshift(Tnum a, int shift) => new(a.Value << shift, a.Mask << shift);

    /// <summary>Logical right shift by a known amount below 64 (kernel: tnum_rshift).</summary>
    public static Tnum Rshift(Tnum a, int shift) => new(a.Value >> shift, a.Mask >> shift);

    /// <summary>
    /// Arithmetic right shift by a known amount (kernel: tnum_arshift). With <paramref name="insnBitness"/> 32
    /// the low 32 bits are shifted as a signed 32-bit number and the result is zero-extended (BPF_ALU
    /// semantics); otherwise the full 64 bits are shifted. The shift stays below the bitness.
    /// </summary>
    public static Tnum Arshift(Tnum a, int shift, int insnBitness)
    {
        if (insnBitness == 32)
            return new Tnum((uint)((int)(uint)a.Value >> shift), (uint)((int)(uint)a.Mask >> shift));
        return new Tnum((ulong)((long)a.Value >> shift), (ulong)((long)a.Mask >> shift));
    }

    /// <summary>Swaps the two low bytes, clearing the rest (kernel: tnum_bswap16).</summary>
    public static Tnum Bswap16(Tnum a) =>
        new(BinaryPrimitives.ReverseEndianness((ushort)a.Value), BinaryPrimitives.ReverseEndianness((ushort)a.Mask));

    /// <summary>Reverses the four low bytes, clearing the rest (kernel: tnum_bswap32).</summary>
    public static Tnum Bswap32(Tnum a) =>
        new(BinaryPrimitives.ReverseEndianness((uint)a.Value), BinaryPrimitives.ReverseEndianness((uint)a.Mask));

    /// <summary>Reverses all eight bytes (kernel: tnum_bswap64).</summary>
    public static Tnum Bswap64(Tnum a) =>
        new(BinaryPrimitives.ReverseEndianness(a.Value), BinaryPrimitives.ReverseEndianness(a.Mask));

    /// <summary>Bitwise AND (see <see cref="And"/>).</summary>
    public static Tnum operator &(Tnum a, Tnum b) => And(a, b);

    /// <summary>Bitwise OR (see <see cref="Or"/>).</summary>
    public static Tnum operator |(Tnum a, Tnum b) => Or(a, b);

    /// <summary>Bitwise XOR (see <see cref="Xor"/>).</summary>
    public static Tnum operator ^(Tnum a, Tnum b) => Xor(a, b);
}
