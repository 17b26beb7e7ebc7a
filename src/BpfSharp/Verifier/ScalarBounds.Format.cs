using System.Globalization;
using System.Text;

namespace BpfSharp.Verifier;

public partial struct ScalarBounds
{
    /// <summary>
    /// The kernel's log text for a scalar register (kernel: print_reg_state for SCALAR_VALUE, without id,
    /// precision mark or liveness): a constant prints as its number, anything else as
    /// <c>scalar(&lt;ranges&gt;,var_off=(0x..; 0x..))</c> with the ranges as <see cref="AppendRanges"/> writes them
    /// and var_off left out when it is unknown.
    /// </summary>
    public override readonly string ToString()
    {
        if (VarOff.IsConst)
            return SNum(VarOff.Value);
        var sb = new StringBuilder("scalar(");
        string sep = "";
        AppendRanges(sb, ref sep);
        if (!VarOff.IsUnknown)
            sb.Append(sep).Append("var_off=").Append(VarOff.ToString());
        return sb.Append(')').ToString();
    }

    /// <summary>
    /// Appends the bounds the way the kernel's print_scalar_ranges does: in the order smin, smax, umin, umax,
    /// smin32, smax32, umin32, umax32; a bound at its type's extreme is left out; a later bound two or more
    /// places on with the same value (and, for signed ones, the same sign) joins the earlier one as
    /// <c>smin=umin=...</c>. Numbers within [-32768, 32767] (signed) or up to 65535 (unsigned) print in
    /// decimal, others in hex; s32 bounds printed in hex show their 32-bit pattern. <paramref name="sep"/> is
    /// written before the first field and becomes "," once one is written.
    /// </summary>
    public readonly void AppendRanges(StringBuilder sb, ref string sep)
    {
        Span<ulong> vals = stackalloc ulong[8];
        Span<bool> omit = stackalloc bool[8];
        vals[0] = (ulong)SMin; omit[0] = SMin == long.MinValue;
        vals[1] = (ulong)SMax; omit[1] = SMax == long.MaxValue;
        vals[2] = UMin; omit[2] = UMin == 0;
        vals[3] = UMax; omit[3] = UMax == ulong.MaxValue;
        vals[4] = IsSNumDecimal(S32Min) ? (ulong)(long)S32Min : (uint)S32Min; omit[4] = S32Min == int.MinValue;
        vals[5] = IsSNumDecimal(S32Max) ? (ulong)(long)S32Max : (uint)S32Max; omit[5] = S32Max == int.MaxValue;
        vals[6] = U32Min; omit[6] = U32Min == 0;
        vals[7] = U32Max; omit[7] = U32Max == uint.MaxValue;

        for (int i = 0; i < 8; i++)
        {
            if (omit[i])
                continue;
            bool signed1 = IsSignedField(i);
            bool neg1 = signed1 && (long)vals[i] < 0;
            sb.Append(sep).Append(FieldNames[i]).Append('=');
            sep = ",";
            for (int j = i + 2; j < 8; j += 2)
            {
                if (omit[j] || vals[j] != vals[i])
                    continue;
                bool neg2 = IsSignedField(j) && (long)vals[j] < 0;
                if (neg2 != neg1)
                    continue;
                omit[j] = true;
                sb.Append(FieldNames[j]).Append('=');
            }
            sb.Append(signed1 ? SNum(vals[i]) : UNum(vals[i]));
        }
    }

    private static readonly string[] FieldNames = ["smin", "smax", "umin", "umax", "smin32", "smax32", "umin32", "umax32"];

    private static bool IsSignedField(int i) => FieldNames[i][0] == 's';

    private static bool IsSNumDecimal(long v) => v >= short.MinValue && v <= short.MaxValue;

    // kernel: verbose_snum / verbose_unum ("%lld"/"%llu" or "%#llx")
    private static string SNum(ulong v) =>
        IsSNumDecimal((long)v) ? ((long)v).ToString(CultureInfo.InvariantCulture) : Hex(v);

    private static string UNum(ulong v) =>
        v <= ushort.MaxValue ? v.ToString(CultureInfo.InvariantCulture) : Hex(v);
}
