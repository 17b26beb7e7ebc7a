using System.Numerics;

namespace BpfSharp.Verifier;

/// <summary>
/// A tristate number (kernel: struct tnum, include/linux/tnum.h): what the verifier knows about
/// the bits of a 64-bit value. A bit set in <see cref="Mask"/> is unknown; every other bit is known
/// and equals the corresponding bit of <see cref="Value"/>. Invariant: <c>Value &amp; Mask == 0</c>.
/// The set of values a tnum stands for ("members") is every <c>x</c> with <c>(x &amp; ~Mask) == Value</c>.
/// </summary>
public readonly partial struct Tnum : IEquatable<Tnum>
{
    /// <summary>The known bits (bits set in <see cref="Mask"/> are always 0 here).</summary>
    public ulong Value { get; }

    /// <summary>The unknown bits.</summary>
    public ulong Mask { get; }

    /// <summary>Creates a tnum from its two fields (kernel: TNUM(v, m)); the caller keeps <c>value &amp; mask == 0</c>.</summary>
    public Tnum(ulong value, ulong mask)
    {
        Value = value;
        Mask = mask;
    }

    /// <summary>A completely unknown value (kernel: tnum_unknown).</summary>
    public static Tnum Unknown => new(0, ulong.MaxValue);

    /// <summary>A known constant (kernel: tnum_const).</summary>
    public static Tnum Const(ulong value) => new(value, 0);

    /// <summary>
    /// The smallest tnum holding every value in [<paramref name="min"/>, <paramref name="max"/>]
    /// (kernel: tnum_range): the bits above the highest bit where min and max differ are known.
    /// </summary>
    public static Tnum Range(ulong min, ulong max)
    {
        ulong chi = min ^ max;
        int bits = 64 - BitOperations.LeadingZeroCount(chi); // fls64
        if (bits > 63)
            return Unknown;
        ulong delta = (1UL << bits) - 1;
        return new Tnum(min & ~delta, delta);
    }

    /// <summary>True if every bit is known (kernel: tnum_is_const).</summary>
    public bool IsConst => Mask == 0;

    /// <summary>True if no bit is known (kernel: tnum_is_unknown).</summary>
    public bool IsUnknown => Mask == ulong.MaxValue;

    /// <summary>True if this is the known constant <paramref name="value"/> (kernel: tnum_equals_const).</summary>
    public bool EqualsConst(ulong value) => Mask == 0 && Value == value;

    /// <summary>True if the low 32 bits are all known (kernel: tnum_subreg_is_const).</summary>
    public bool SubregIsConst => Subreg().Mask == 0;

    /// <summary>True if the low 32 bits are the known constant <paramref name="value"/> (kernel: tnum_subreg_equals_const).</summary>
    public bool SubregEqualsConst(uint value) => Subreg().EqualsConst(value);

    /// <summary>
    /// True if every member is a multiple of <paramref name="size"/>, a power of two (kernel: tnum_is_aligned);
    /// size 0 counts as aligned.
    /// </summary>
    public bool IsAligned(ulong size) => size == 0 || ((Value | Mask) & (size - 1)) == 0;

    /// <summary>True if <paramref name="x"/> is a member of this tnum (same as <c>In(this, Const(x))</c>).</summary>
    public bool Contains(ulong x) => (x & ~Mask) == Value;

    /// <summary>True if both fields are equal (the kernel compares tnums field by field).</summary>
    public bool Equals(Tnum other) => Value == other.Value && Mask == other.Mask;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Tnum other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Value, Mask);

    /// <summary>Field-wise equality.</summary>
    public static bool operator ==(Tnum left, Tnum right) => left.Equals(right);

    /// <summary>Field-wise inequality.</summary>
    public static bool operator !=(Tnum left, Tnum right) => !left.Equals(right);
}
