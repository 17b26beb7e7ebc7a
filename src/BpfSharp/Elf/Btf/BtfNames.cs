namespace BpfSharp.Elf.Btf;

/// <summary>
/// Which strings the kernel accepts as names (kernel/bpf/btf.c btf_name_valid_identifier and
/// btf_name_valid_section), with the kernel's Latin-1 ctype classes.
/// </summary>
internal static class BtfNames
{
    /// <summary>
    /// An identifier: a letter, '_' or '.', then letters, digits, '_' or '.', at most
    /// <see cref="BtfConstants.MaxNameLength"/> characters.
    /// </summary>
    public static bool IsValidIdentifier(ReadOnlySpan<byte> name)
    {
        if (name.Length == 0 || !IdentifierChar(name[0], first: true)) return false;
        if (name.Length > BtfConstants.MaxNameLength) return false;
        for (int i = 1; i < name.Length; i++)
            if (!IdentifierChar(name[i], first: false)) return false;
        return true;
    }

    /// <summary>A DATASEC name: one to <see cref="BtfConstants.MaxNameLength"/> printable characters.</summary>
    public static bool IsValidSection(ReadOnlySpan<byte> name)
    {
        if (name.Length == 0 || name.Length > BtfConstants.MaxNameLength) return false;
        foreach (byte c in name)
            if (!IsPrint(c)) return false;
        return true;
    }

    private static bool IdentifierChar(byte c, bool first) =>
        (first ? IsAlpha(c) : IsAlpha(c) || IsDigit(c)) || c == '_' || c == '.';

    private static bool IsDigit(byte c) => c is >= (byte)'0' and <= (byte)'9';

    // The kernel's lib/ctype.c: ASCII letters, and Latin-1 letters 0xc0-0xff except 0xd7 and 0xf7.
    private static bool IsAlpha(byte c) =>
        c is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z'
            || (c >= 0xc0 && c != 0xd7 && c != 0xf7);

    // Printable: ASCII 0x20-0x7e and Latin-1 0xa0-0xff.
    private static bool IsPrint(byte c) => c is >= 0x20 and <= 0x7e || c >= 0xa0;
}
