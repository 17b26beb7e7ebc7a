namespace BpfSharp.Verifier;

public readonly partial struct Tnum
{
    /// <summary>
    /// The verifier log's form <c>(0x..; 0x..)</c> (kernel: tnum_strn, printf <c>"(%#llx; %#llx)"</c> as the
    /// kernel's printf prints it: the 0x prefix also for zero), e.g. <c>(0x0; 0xff)</c>.
    /// </summary>
    public override string ToString() => $"(0x{Value:x}; 0x{Mask:x})";

    /// <summary>The kernel's tnum_strn text (same as <see cref="ToString"/>).</summary>
    public string ToStrn() => ToString();

    /// <summary>
    /// The 64-character binary form, most significant bit first: <c>x</c> unknown, <c>1</c>/<c>0</c> known
    /// (kernel: tnum_sbin).
    /// </summary>
    public string ToSbin() => string.Create(64, this, static (span, t) =>
    {
        for (int i = 0; i < 64; i++)
        {
            int bit = 63 - i;
            span[i] = ((t.Mask >> bit) & 1) != 0 ? 'x' : ((t.Value >> bit) & 1) != 0 ? '1' : '0';
        }
    });
}
