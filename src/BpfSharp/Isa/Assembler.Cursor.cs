namespace BpfSharp.Isa;

public static partial class Assembler
{
    /// <summary>Reads the tokens of one instruction; a mismatch is an unknown instruction.</summary>
    private sealed class Cursor(List<Token> tokens)
    {
        private int _pos;

        public bool AtEnd => _pos >= tokens.Count;

        public Token Peek(int ahead = 0) =>
            _pos + ahead < tokens.Count ? tokens[_pos + ahead] : new Token(TokenKind.End, "", 0);

        public Token Next()
        {
            Token t = Peek();
            if (_pos < tokens.Count) _pos++;
            return t;
        }

        public bool IsPunct(string text, int ahead = 0) => Peek(ahead) is { Kind: TokenKind.Punct } t && t.Text == text;

        public bool IsIdent(string text, int ahead = 0) => Peek(ahead) is { Kind: TokenKind.Ident } t && t.Text == text;

        public bool TryPunct(string text)
        {
            if (!IsPunct(text)) return false;
            _pos++;
            return true;
        }

        public bool TryIdent(string text)
        {
            if (!IsIdent(text)) return false;
            _pos++;
            return true;
        }

        public void Punct(string text)
        {
            if (!TryPunct(text)) throw Unknown();
        }

        public void Ident(string text)
        {
            if (!TryIdent(text)) throw Unknown();
        }

        public string AnyIdent() => Peek().Kind == TokenKind.Ident ? Next().Text : throw Unknown();

        public void End()
        {
            if (!AtEnd) throw Unknown();
        }

        /// <summary>A register r0-r10 or w0-w10: its number and whether it was written as w.</summary>
        public bool TryReg(out byte reg, out bool w)
        {
            if (!IsRegister(Peek(), out reg, out w)) return false;
            _pos++;
            return true;
        }

        public byte Reg(out bool w) => TryReg(out byte reg, out w) ? reg : throw Unknown();

        /// <summary>A 64-bit register rN (address bases, byte swaps, 64-bit immediates).</summary>
        public byte RReg()
        {
            byte reg = Reg(out bool w);
            if (w) throw new LineError($"w{reg} must be r{reg} here");
            return reg;
        }

        public bool IsRegAhead(int ahead = 0) => IsRegister(Peek(ahead), out _, out _);

        public bool IsNumberAhead() =>
            Peek().Kind == TokenKind.Number || ((IsPunct("-") || IsPunct("+")) && Peek(1).Kind == TokenKind.Number);

        /// <summary>A number with an optional + or - sign.</summary>
        public Int128 Number()
        {
            bool negative = TryPunct("-");
            if (!negative) TryPunct("+");
            Token t = Next();
            if (t.Kind != TokenKind.Number) throw Unknown();
            if (t.Value > (UInt128)Int128.MaxValue) throw new LineError($"number {t.Text} is too large");
            Int128 value = (Int128)t.Value;
            return negative ? -value : value;
        }
    }

    private static bool IsRegister(in Token t, out byte reg, out bool w)
    {
        reg = 0;
        w = false;
        if (t.Kind != TokenKind.Ident || t.Text.Length is < 2 or > 3 || t.Text[0] is not ('r' or 'w'))
            return false;
        if (t.Text == "r10" || t.Text == "w10")
            reg = 10;
        else if (t.Text.Length == 2 && char.IsAsciiDigit(t.Text[1]))
            reg = (byte)(t.Text[1] - '0');
        else
            return false;
        w = t.Text[0] == 'w';
        return true;
    }

    /// <summary>Builds a slot from raw fields (the byte overload; a literal 0 would also convert to <see cref="Reg"/>).</summary>
    private static Instruction Insn(byte code, byte dst, byte src, short off, int imm) => new(code, dst, src, off, imm);

    /// <summary>The text does not match any instruction form.</summary>
    private static LineError Unknown() => new(UnknownInstruction);

    private const string UnknownInstruction = "\0unknown";
}
