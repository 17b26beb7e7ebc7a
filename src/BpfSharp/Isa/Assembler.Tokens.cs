namespace BpfSharp.Isa;

public static partial class Assembler
{
    private enum TokenKind : byte { End, Ident, Number, Punct }

    /// <summary>One token of an instruction's text; numbers carry their magnitude (signs are separate tokens).</summary>
    private readonly record struct Token(TokenKind Kind, string Text, UInt128 Value);

    // Longest first: the tokenizer takes the first operator the text starts with.
    private static readonly string[] s_operators =
    [
        "s>>=", "<<=", ">>=", "s/=", "s%=", "s>=", "s<=", "s>", "s<",
        "+=", "-=", "*=", "/=", "|=", "&=", "%=", "^=", "==", "!=", ">=", "<=",
        ">", "<", "=", "&", "*", "(", ")", "[", "]", ",", "+", "-", ":", "#",
    ];

    /// <summary>Splits an instruction's text into identifiers, unsigned numbers and operators; whitespace only separates.</summary>
    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>(16);
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            if (char.IsAsciiDigit(c))
            {
                int start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                    i++;
                string literal = text[start..i];
                if (!TryParseNumber(literal, out UInt128 value))
                    throw new LineError($"invalid number '{literal}'");
                tokens.Add(new Token(TokenKind.Number, literal, value));
                continue;
            }
            // The signed operators (s>, s>>=, s/=, ...) start with the letter s.
            if (c == 's' && i + 1 < text.Length && text[i + 1] is '>' or '<' or '/' or '%')
            {
                string? signedOp = MatchOperator(text, i);
                if (signedOp is not null)
                {
                    tokens.Add(new Token(TokenKind.Punct, signedOp, 0));
                    i += signedOp.Length;
                    continue;
                }
            }
            if (IsIdentStart(c))
            {
                int start = i;
                while (i < text.Length && IsIdentPart(text[i]))
                    i++;
                tokens.Add(new Token(TokenKind.Ident, text[start..i], 0));
                continue;
            }
            string? op = MatchOperator(text, i) ?? throw new LineError($"unexpected character '{c}'");
            tokens.Add(new Token(TokenKind.Punct, op, 0));
            i += op.Length;
        }
        return tokens;
    }

    private static string? MatchOperator(string text, int at)
    {
        foreach (string op in s_operators)
        {
            if (string.CompareOrdinal(text, at, op, 0, op.Length) == 0)
                return op;
        }
        return null;
    }

    internal static bool IsIdentStart(char c) => char.IsAsciiLetter(c) || c is '_' or '.' or '$';

    internal static bool IsIdentPart(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '$';

    /// <summary>Parses an unsigned decimal or 0x-hex literal up to 128 bits.</summary>
    private static bool TryParseNumber(string literal, out UInt128 value)
    {
        value = 0;
        bool hex = literal.Length > 2 && literal[0] == '0' && literal[1] is 'x' or 'X';
        int start = hex ? 2 : 0;
        uint radix = hex ? 16u : 10u;
        for (int i = start; i < literal.Length; i++)
        {
            int digit = HexDigit(literal[i]);
            if (digit < 0 || digit >= radix)
                return false;
            if (value > (UInt128.MaxValue - (uint)digit) / radix)
                return false;
            value = value * radix + (uint)digit;
        }
        return literal.Length > start;
    }

    private static int HexDigit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>A fault in one line; <see cref="Assemble(string, bool)"/> adds the line number and text.</summary>
    private sealed class LineError(string message) : Exception(message);
}
