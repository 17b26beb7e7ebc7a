using System.Globalization;

namespace BpfSharp.Cli;

/// <summary>Parses hex byte strings as the conformance suite writes them: pairs of digits, whitespace anywhere.</summary>
internal static class Hex
{
    /// <summary>Parses <paramref name="text"/> (e.g. <c>"b7  00 00 00"</c> or <c>"b7000000"</c>) into bytes.</summary>
    public static byte[] Parse(string text, string what)
    {
        var bytes = new List<byte>(text.Length / 2);
        int i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i])) { i++; continue; }
            if (i + 1 < text.Length && text[i] == '0' && text[i + 1] is 'x' or 'X') { i += 2; continue; }
            if (i + 1 >= text.Length || !IsHex(text[i]) || !IsHex(text[i + 1]))
                throw new UsageException($"{what}: invalid hex at character {i}: '{Excerpt(text, i)}'");
            bytes.Add(byte.Parse(text.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            i += 2;
        }
        return bytes.ToArray();
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static string Excerpt(string text, int at) => text.Substring(at, Math.Min(8, text.Length - at));
}
