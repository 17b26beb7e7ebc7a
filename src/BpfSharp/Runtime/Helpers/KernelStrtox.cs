using BpfSharp.Uapi;
using static BpfSharp.Runtime.Helpers.KernelCtype;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// The number parsing of bpf_strtol / bpf_strtoul (kernel/bpf/helpers.c __bpf_strtoull with lib/kstrtox.c):
/// leading white space, an optional '-', base 0 (auto: 0x… hex, 0… octal, else decimal), 8, 10 or 16 (which
/// accepts a 0x prefix), at most 63 characters after the sign; the result is the number of characters consumed.
/// </summary>
internal static class KernelStrtox
{
    /// <summary>BPF_STRTOX_BASE_MASK: the flags bits that carry the base.</summary>
    public const ulong BaseMask = 0x1F;

    private const int MaxDigits = 63; // char str[64] in __bpf_strtoull

    /// <summary>Parses an unsigned magnitude and sign: characters consumed, or -EINVAL / -ERANGE.</summary>
    public static int ParseUnsigned(ReadOnlySpan<byte> buf, ulong flags, out ulong result, out bool negative)
    {
        result = 0;
        negative = false;
        uint numberBase = (uint)(flags & BaseMask);
        if (buf.Length == 0 || numberBase is not (0 or 8 or 10 or 16) || (flags & ~BaseMask) != 0)
            return -Errno.EINVAL;
        int cur = 0;
        while (cur < buf.Length && IsSpace(buf[cur]))
            cur++;
        negative = cur < buf.Length && buf[cur] == '-';
        if (negative)
            cur++;
        int consumed = cur;
        if (cur == buf.Length)
            return -Errno.EINVAL;
        ReadOnlySpan<byte> str = buf.Slice(cur, Math.Min(buf.Length - cur, MaxDigits));

        // _parse_integer_fixup_radix
        int s = 0;
        if (numberBase == 0)
        {
            if (At(str, 0) == '0')
                numberBase = (At(str, 1) | 0x20) == 'x' && IsXDigit(At(str, 2)) ? 16u : 8u;
            else
                numberBase = 10;
        }
        if (numberBase == 16 && At(str, 0) == '0' && (At(str, 1) | 0x20) == 'x')
            s = 2;

        // _parse_integer: digits below the base; overflow is noted but parsing goes on
        bool overflow = false;
        int digits = 0;
        ulong value = 0;
        for (; s + digits < str.Length; digits++)
        {
            byte c = str[s + digits];
            uint lc = (uint)(c | 0x20), digit;
            if (IsDigit(c)) digit = (uint)(c - '0');
            else if (lc is >= 'a' and <= 'f') digit = lc - 'a' + 10;
            else break;
            if (digit >= numberBase) break;
            if ((value & (~0UL << 60)) != 0 && value > (ulong.MaxValue - digit) / numberBase)
                overflow = true;
            value = value * numberBase + digit;
        }
        if (overflow)
            return -Errno.ERANGE;
        if (digits == 0)
            return -Errno.EINVAL;
        result = value;
        return consumed + s + digits;
    }

    /// <summary>__bpf_strtoll: characters consumed and the signed value, or -EINVAL / -ERANGE.</summary>
    public static int ParseSigned(ReadOnlySpan<byte> buf, ulong flags, out long result)
    {
        result = 0;
        int consumed = ParseUnsigned(buf, flags, out ulong magnitude, out bool negative);
        if (consumed < 0)
            return consumed;
        if (negative)
        {
            if ((long)(0 - magnitude) > 0)
                return -Errno.ERANGE;
            result = (long)(0 - magnitude);
        }
        else
        {
            if ((long)magnitude < 0)
                return -Errno.ERANGE;
            result = (long)magnitude;
        }
        return consumed;
    }

    private static byte At(ReadOnlySpan<byte> text, int index) => (uint)index < (uint)text.Length ? text[index] : (byte)0;
}
