using System.Numerics;

namespace BpfSharp.Verifier;

public readonly partial struct Tnum
{
    /// <summary>
    /// A tnum for the values that are members of both <paramref name="a"/> and <paramref name="b"/>
    /// (kernel: tnum_intersect). Where a and b know a bit differently the result says 1 (the kernel's
    /// documented choice); the real intersection is then empty.
    /// </summary>
    public static Tnum Intersect(Tnum a, Tnum b)
    {
        ulong v = a.Value | b.Value;
        ulong mu = a.Mask & b.Mask;
        return new Tnum(v & ~mu, mu);
    }

    /// <summary>
    /// The smallest tnum holding every member of <paramref name="a"/> and of <paramref name="b"/>
    /// (kernel: tnum_union): unknown where either is unknown or where they disagree.
    /// </summary>
    public static Tnum Union(Tnum a, Tnum b)
    {
        ulong v = a.Value & b.Value;
        ulong mu = (a.Value ^ b.Value) | a.Mask | b.Mask;
        return new Tnum(v & ~mu, mu);
    }

    /// <summary>True if every member of <paramref name="b"/> is a member of <paramref name="a"/> (kernel: tnum_in).</summary>
    public static bool In(Tnum a, Tnum b)
    {
        if ((b.Mask & ~a.Mask) != 0)
            return false;
        return a.Value == (b.Value & ~a.Mask);
    }

    /// <summary>True if <paramref name="a"/> and <paramref name="b"/> agree on every bit both know, i.e. share a member (kernel: tnum_overlap).</summary>
    public static bool Overlap(Tnum a, Tnum b)
    {
        ulong mu = ~a.Mask & ~b.Mask;
        return (a.Value & mu) == (b.Value & mu);
    }

    /// <summary>
    /// The smallest member of <paramref name="t"/> greater than <paramref name="z"/> (kernel: tnum_step);
    /// the largest member when <paramref name="z"/> is at or above it, the smallest when <paramref name="z"/> is below it.
    /// </summary>
    public static ulong Step(Tnum t, ulong z)
    {
        ulong tmax = t.Value | t.Mask;
        if (z >= tmax)
            return tmax;
        if (z < t.Value)
            return t.Value;
        // Members are Value + s for the submasks s of Mask; find the smallest submask s > d.
        ulong d = z - t.Value;
        // Bits of d outside the mask cannot be kept: set everything below the highest of them,
        // and every non-mask bit, so that +1 carries into the next mask bit above.
        int high = 64 - BitOperations.LeadingZeroCount(d & ~t.Mask); // below 64 since d < Mask
        ulong below = (1UL << high) - 1;
        ulong next = ((d | below | ~t.Mask) + 1) & t.Mask;
        return t.Value | next;
    }
}
