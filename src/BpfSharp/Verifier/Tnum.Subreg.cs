namespace BpfSharp.Verifier;

public readonly partial struct Tnum
{
    /// <summary>
    /// Keeps the low <paramref name="size"/> bytes, clearing the rest (kernel: tnum_cast). The kernel calls it
    /// with 1, 2 or 4; 8 and above keep the whole value.
    /// </summary>
    public static Tnum Cast(Tnum a, int size)
    {
        if (size >= 8)
            return a;
        ulong keep = (1UL << (size * 8)) - 1;
        return new Tnum(a.Value & keep, a.Mask & keep);
    }

    /// <summary>The low 32 bits, zero-extended (kernel: tnum_subreg).</summary>
    public Tnum Subreg() => Cast(this, 4);

    /// <summary>This tnum with the low 32 bits known 0 (kernel: tnum_clear_subreg).</summary>
    public Tnum ClearSubreg() => Lshift(Rshift(this, 32), 32);

    /// <summary>The high 32 bits of this tnum with the low 32 bits of <paramref name="subreg"/> (kernel: tnum_with_subreg).</summary>
    public Tnum WithSubreg(Tnum subreg) => Or(ClearSubreg(), subreg.Subreg());

    /// <summary>The high 32 bits of this tnum with the low 32 bits the constant <paramref name="value"/> (kernel: tnum_const_subreg).</summary>
    public Tnum ConstSubreg(uint value) => WithSubreg(Const(value));
}
