namespace BpfSharp.Verifier;

public readonly partial struct Tnum
{
    /// <summary>Sum of two tnums, modulo 2^64 (kernel: tnum_add).</summary>
    public static Tnum Add(Tnum a, Tnum b)
    {
        ulong sm = a.Mask + b.Mask;
        ulong sv = a.Value + b.Value;
        ulong sigma = sm + sv;
        // Bits where the all-unknowns-set sum and the all-unknowns-clear sum differ may carry either way.
        ulong mu = (sigma ^ sv) | a.Mask | b.Mask;
        return new Tnum(sv & ~mu, mu);
    }

    /// <summary>Difference <c>a - b</c>, modulo 2^64 (kernel: tnum_sub).</summary>
    public static Tnum Sub(Tnum a, Tnum b)
    {
        ulong dv = a.Value - b.Value;
        ulong alpha = dv + a.Mask; // largest minuend, smallest subtrahend
        ulong beta = dv - b.Mask;  // smallest minuend, largest subtrahend
        ulong mu = (alpha ^ beta) | a.Mask | b.Mask;
        return new Tnum(dv & ~mu, mu);
    }

    /// <summary>Two's-complement negation <c>0 - a</c> (kernel: tnum_neg).</summary>
    public static Tnum Neg(Tnum a) => Sub(Const(0), a);

    /// <summary>
    /// Product modulo 2^64 by long multiplication over the bits of <paramref name="a"/> (kernel: tnum_mul,
    /// the 2025 form): a known 1 adds the shifted <paramref name="b"/>, an unknown bit takes the union of
    /// adding and not adding it, a known 0 adds nothing.
    /// </summary>
    public static Tnum Mul(Tnum a, Tnum b)
    {
        Tnum acc = Const(0);
        while (a.Value != 0 || a.Mask != 0)
        {
            if ((a.Value & 1) != 0)
                acc = Add(acc, b);
            else if ((a.Mask & 1) != 0)
                acc = Union(acc, Add(acc, b));
            a = Rshift(a, 1);
            b = Lshift(b, 1);
        }
        return acc;
    }

    /// <summary>Sum (see <see cref="Add"/>).</summary>
    public static Tnum operator +(Tnum a, Tnum b) => Add(a, b);

    /// <summary>Difference (see <see cref="Sub"/>).</summary>
    public static Tnum operator -(Tnum a, Tnum b) => Sub(a, b);

    /// <summary>Negation (see <see cref="Neg"/>).</summary>
    public static Tnum operator -(Tnum a) => Neg(a);

    /// <summary>Product (see <see cref="Mul"/>).</summary>
    public static Tnum operator *(Tnum a, Tnum b) => Mul(a, b);
}
