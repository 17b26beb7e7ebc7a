namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// The kernel's character classes (lib/ctype.c, Latin-1), which decide what format strings and number
/// parsing accept: 0xA0 is a space, 0xA1-0xBF, 0xD7 and 0xF7 are punctuation, the other bytes from 0xC0 letters.
/// </summary>
internal static class KernelCtype
{
    public static bool IsDigit(byte c) => c is >= (byte)'0' and <= (byte)'9';

    public static bool IsSpace(byte c) => c is (>= 9 and <= 13) or (byte)' ' or 0xA0;

    public static bool IsUpper(byte c) => c is (>= (byte)'A' and <= (byte)'Z') or (>= 0xC0 and <= 0xDE) && c != 0xD7;

    public static bool IsLower(byte c) => c is (>= (byte)'a' and <= (byte)'z') or (>= 0xDF and <= 0xFF) && c != 0xF7;

    public static bool IsAlnum(byte c) => IsDigit(c) || IsUpper(c) || IsLower(c);

    public static bool IsPunct(byte c) => c is (>= 0x21 and <= 0x2F) or (>= 0x3A and <= 0x40) or (>= 0x5B and <= 0x60)
        or (>= 0x7B and <= 0x7E) or (>= 0xA1 and <= 0xBF) or 0xD7 or 0xF7;

    /// <summary>isprint: letters, digits, punctuation and the space characters ' ' and 0xA0.</summary>
    public static bool IsPrint(byte c) => IsAlnum(c) || IsPunct(c) || c is (byte)' ' or 0xA0;

    public static bool IsXDigit(byte c) => IsDigit(c) || (c | 0x20) is >= (byte)'a' and <= (byte)'f';
}
