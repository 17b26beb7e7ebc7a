using System.Buffers.Binary;
using BpfSharp.Uapi;
using static BpfSharp.Runtime.Helpers.KernelCtype;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// The printf of bpf_trace_printk, bpf_trace_vprintk and bpf_snprintf, with the kernel's rules
/// (kernel/bpf/helpers.c bpf_bprintf_prepare, then lib/vsprintf.c bstr_printf): the format is checked whole
/// first (printable ASCII; conversions %d %i %u %x %X with l/ll, %c, %s, %p, %pK %px %ps %pS %pB, %pks %pus,
/// %pI4 %pi4 %pI6 %pi6; flags 0 + - space and a width; no precision; one argument per conversion), strings
/// and IP addresses are copied out of memory without faulting into a 512-byte argument buffer, then the text
/// is produced. Our deviations: plain %p and %pK print the address (the kernel prints a hash), and symbols
/// (%ps %pS %pB) print as 0x-prefixed addresses (no kallsyms here).
/// </summary>
internal static unsafe class Bprintf
{
    /// <summary>MAX_BPRINTF_VARARGS: arguments bpf_snprintf and bpf_trace_vprintk take at most.</summary>
    public const int MaxVarargs = 12;
    /// <summary>MAX_BPRINTF_BIN_ARGS: bytes of the binary argument buffer.</summary>
    public const int MaxBinArgs = 512;
    /// <summary>MAX_BPRINTF_BUF: bytes of trace_printk's output buffer (including the NUL).</summary>
    public const int MaxBuf = 1024;

    /// <summary>
    /// kernel: bpf_bprintf_prepare. Checks <paramref name="fmt"/> (the bytes before its NUL) against
    /// <paramref name="args"/> and fills <paramref name="bin"/> (at least <see cref="MaxBinArgs"/> bytes).
    /// Returns 0, -EINVAL (bad format, too few arguments) or -ENOSPC (argument buffer full).
    /// </summary>
    public static int Prepare(ReadOnlySpan<byte> fmt, ReadOnlySpan<ulong> args, Span<byte> bin, RunContext run, ProbeMemory probe)
    {
        int numSpec = 0, pos = 0;
        Span<byte> ip = stackalloc byte[16];
        for (int i = 0; i < fmt.Length; i++)
        {
            byte c = fmt[i];
            if ((!IsPrint(c) && !IsSpace(c)) || c > 127)
                return -Errno.EINVAL;
            if (c != '%')
                continue;
            if (At(fmt, i + 1) == '%')
            {
                i++;
                continue;
            }
            if (numSpec >= args.Length)
                return -Errno.EINVAL;
            i++;
            while (At(fmt, i) is (byte)'0' or (byte)'+' or (byte)'-' or (byte)' ')
                i++;
            if (At(fmt, i) is >= (byte)'1' and <= (byte)'9')
            {
                i++;
                while (IsDigit(At(fmt, i)))
                    i++;
            }
            ulong arg = args[numSpec];
            ProbeSpace space = ProbeSpace.Kernel;
            int size;
            if (At(fmt, i) == 'p')
            {
                byte next = At(fmt, i + 1);
                if (next is (byte)'k' or (byte)'u' && At(fmt, i + 2) == 's')
                {
                    space = next == 'u' ? ProbeSpace.User : ProbeSpace.Kernel;
                    i += 2;
                    goto String;
                }
                if (next == 0 || IsSpace(next) || IsPunct(next) || next is (byte)'K' or (byte)'x' or (byte)'s' or (byte)'S')
                {
                    i++;
                    size = 8;
                    goto Scalar;
                }
                if (next == 'B')
                {
                    pos = PutText(bin, pos, SymbolText(arg), clamp: true);
                    i++;
                    numSpec++;
                    continue;
                }
                if (next is not ((byte)'i' or (byte)'I') || At(fmt, i + 2) is not ((byte)'4' or (byte)'6'))
                    return -Errno.EINVAL;
                i += 2;
                int ipSize = At(fmt, i) == '4' ? 4 : 16;
                if (MaxBinArgs - pos < ipSize)
                    return -Errno.ENOSPC;
                fixed (byte* p = ip)
                    NofaultMemory.Copy(run, probe, ProbeSpace.Kernel, p, arg, (uint)ipSize);
                pos = PutText(bin, pos, IpText(ip[..ipSize], leadingZeros: next == 'i'), clamp: true);
                numSpec++;
                continue;
            }
            if (At(fmt, i) == 's')
                goto String;
            if (At(fmt, i) == 'c')
            {
                if (pos == MaxBinArgs)
                    return -Errno.ENOSPC;
                bin[pos++] = (byte)arg;
                numSpec++;
                continue;
            }
            size = 4;
            if (At(fmt, i) == 'l') { size = 8; i++; }
            if (At(fmt, i) == 'l') { size = 8; i++; }
            if (At(fmt, i) is not ((byte)'i' or (byte)'d' or (byte)'u' or (byte)'x' or (byte)'X'))
                return -Errno.EINVAL;

        Scalar:
            pos = (pos + 3) & ~3;
            if (MaxBinArgs - pos < size)
                return -Errno.ENOSPC;
            if (size == 8)
                BinaryPrimitives.WriteUInt64LittleEndian(bin[pos..], arg);
            else
                BinaryPrimitives.WriteUInt32LittleEndian(bin[pos..], (uint)arg);
            pos += size;
            numSpec++;
            continue;

        String:
            byte after = At(fmt, i + 1);
            if (after != 0 && !IsSpace(after) && !IsPunct(after))
                return -Errno.EINVAL;
            if (pos == MaxBinArgs)
                return -Errno.ENOSPC;
            int copied;
            fixed (byte* p = bin)
                copied = NofaultMemory.CopyString(run, probe, space, p + pos, arg, (uint)(MaxBinArgs - pos));
            if (copied < 0)
            {
                bin[pos] = 0;
                copied = 1;
            }
            pos += copied;
            numSpec++;
        }
        return 0;
    }

    /// <summary>
    /// kernel: bstr_printf. Formats <paramref name="fmt"/> with the arguments <see cref="Prepare"/> put in
    /// <paramref name="bin"/>, writing at most <paramref name="output"/>.Length bytes (no NUL); returns the
    /// length the whole text has (which may be more).
    /// </summary>
    public static int Format(ReadOnlySpan<byte> fmt, ReadOnlySpan<byte> bin, Span<byte> output)
    {
        var w = new Writer(output);
        int pos = 0;
        for (int i = 0; i < fmt.Length; i++)
        {
            byte c = fmt[i];
            if (c != '%')
            {
                w.Put(c);
                continue;
            }
            if (At(fmt, i + 1) == '%')
            {
                w.Put((byte)'%');
                i++;
                continue;
            }
            i++;
            var spec = new Spec();
            for (; ; i++)
            {
                byte f = At(fmt, i);
                if (f == '0') spec.Zero = true;
                else if (f == '+') spec.Plus = true;
                else if (f == '-') spec.Left = true;
                else if (f == ' ') spec.Space = true;
                else break;
            }
            while (IsDigit(At(fmt, i)))
                spec.Width = Math.Max(spec.Width, 0) * 10 + (At(fmt, i++) - '0');

            byte conv = At(fmt, i);
            if (conv == 'p')
            {
                byte ext = At(fmt, i + 1);
                if (!IsAlnum(ext) || ext is (byte)'x' or (byte)'K')
                {
                    // %p, %px, %pK: the address as 16 hex digits (unless a width is given)
                    ulong address = ReadU64(bin, ref pos);
                    if (spec.Width < 0) { spec.Width = 16; spec.Zero = true; }
                    Number(ref w, address, 16, upper: false, signed: false, spec);
                }
                else if (ext is (byte)'s' or (byte)'S')
                {
                    ulong address = ReadU64(bin, ref pos);
                    w.PutText(SymbolText(address));
                }
                else
                {
                    // pre-formatted in Prepare: %pks %pus %pB %pI4 %pi4 %pI6 %pi6
                    ReadOnlySpan<byte> text = ReadString(bin, ref pos);
                    foreach (byte b in text) w.Put(b);
                }
                while (IsAlnum(At(fmt, i + 1)))
                    i++;
                continue;
            }
            if (conv == 's')
            {
                ReadOnlySpan<byte> text = ReadString(bin, ref pos);
                Pad(ref w, text.Length, spec, before: true);
                foreach (byte b in text) w.Put(b);
                Pad(ref w, text.Length, spec, before: false);
                continue;
            }
            if (conv == 'c')
            {
                byte ch = pos < bin.Length ? bin[pos] : (byte)0;
                pos++;
                Pad(ref w, 1, spec, before: true);
                w.Put(ch);
                Pad(ref w, 1, spec, before: false);
                continue;
            }
            int size = 4;
            if (At(fmt, i) == 'l') { size = 8; i++; }
            if (At(fmt, i) == 'l') { size = 8; i++; }
            conv = At(fmt, i);
            ulong value = size == 8 ? ReadU64(bin, ref pos) : ReadU32(bin, ref pos);
            bool signed = conv is (byte)'d' or (byte)'i';
            if (signed && size == 4)
                value = (ulong)(long)(int)(uint)value;
            Number(ref w, value, conv is (byte)'x' or (byte)'X' ? 16u : 10u, upper: conv == 'X', signed, spec);
        }
        return w.Length;
    }

    private static byte At(ReadOnlySpan<byte> text, int index) => (uint)index < (uint)text.Length ? text[index] : (byte)0;

    private struct Spec
    {
        public bool Left, Plus, Space, Zero;
        public int Width;

        public Spec() => Width = -1;
    }

    private ref struct Writer(Span<byte> destination)
    {
        private readonly Span<byte> _destination = destination;
        public int Length;

        public void Put(byte b)
        {
            if (Length < _destination.Length) _destination[Length] = b;
            Length++;
        }

        public void PutText(string text)
        {
            foreach (char ch in text) Put((byte)ch);
        }
    }

    // kernel: number() of lib/vsprintf.c, without precision.
    private static void Number(ref Writer w, ulong value, uint numberBase, bool upper, bool signed, Spec spec)
    {
        if (spec.Left) spec.Zero = false;
        int width = spec.Width;
        byte sign = 0;
        if (signed)
        {
            if ((long)value < 0) { sign = (byte)'-'; value = 0 - value; width--; }
            else if (spec.Plus) { sign = (byte)'+'; width--; }
            else if (spec.Space) { sign = (byte)' '; width--; }
        }
        Span<byte> digits = stackalloc byte[24];
        int n = 0;
        string alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
        do
        {
            digits[n++] = (byte)alphabet[(int)(value % numberBase)];
            value /= numberBase;
        } while (value != 0);
        width -= n;
        if (!spec.Zero && !spec.Left)
            while (--width >= 0) w.Put((byte)' ');
        if (sign != 0) w.Put(sign);
        if (!spec.Left)
            while (--width >= 0) w.Put(spec.Zero ? (byte)'0' : (byte)' ');
        while (n > 0) w.Put(digits[--n]);
        while (--width >= 0) w.Put((byte)' ');
    }

    // Space padding of %s and %c: before the text unless left-justified, after it otherwise.
    private static void Pad(ref Writer w, int length, Spec spec, bool before)
    {
        if (before == spec.Left) return;
        for (int k = length; k < spec.Width; k++) w.Put((byte)' ');
    }

    private static ulong ReadU32(ReadOnlySpan<byte> bin, ref int pos)
    {
        pos = (pos + 3) & ~3;
        ulong value = pos + 4 <= bin.Length ? BinaryPrimitives.ReadUInt32LittleEndian(bin[pos..]) : 0;
        pos += 4;
        return value;
    }

    private static ulong ReadU64(ReadOnlySpan<byte> bin, ref int pos)
    {
        pos = (pos + 3) & ~3;
        ulong value = pos + 8 <= bin.Length ? BinaryPrimitives.ReadUInt64LittleEndian(bin[pos..]) : 0;
        pos += 8;
        return value;
    }

    private static ReadOnlySpan<byte> ReadString(ReadOnlySpan<byte> bin, ref int pos)
    {
        if (pos >= bin.Length) { pos++; return default; }
        ReadOnlySpan<byte> rest = bin[pos..];
        int nul = rest.IndexOf((byte)0);
        if (nul < 0) nul = rest.Length;
        pos += nul + 1;
        return rest[..nul];
    }

    // Writes text and its NUL at pos (cut to the space left); returns the new position.
    private static int PutText(Span<byte> bin, int pos, string text, bool clamp)
    {
        int room = MaxBinArgs - pos;
        if (room <= 0) return clamp ? MaxBinArgs : pos;
        int n = Math.Min(text.Length, room - 1);
        for (int k = 0; k < n; k++) bin[pos + k] = (byte)text[k];
        bin[pos + n] = 0;
        return Math.Min(pos + text.Length + 1, MaxBinArgs);
    }

    private static string SymbolText(ulong address) => "0x" + address.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    // %pI4 1.2.3.4, %pi4 001.002.003.004, %pI6 0001:0002:...:0008, %pi6 32 hex digits.
    private static string IpText(ReadOnlySpan<byte> ip, bool leadingZeros)
    {
        var text = new System.Text.StringBuilder(40);
        if (ip.Length == 4)
        {
            for (int k = 0; k < 4; k++)
            {
                if (k > 0) text.Append('.');
                text.Append(ip[k].ToString(leadingZeros ? "D3" : "D", System.Globalization.CultureInfo.InvariantCulture));
            }
            return text.ToString();
        }
        for (int k = 0; k < 16; k += 2)
        {
            if (k > 0 && !leadingZeros) text.Append(':');
            text.Append(ip[k].ToString("x2", System.Globalization.CultureInfo.InvariantCulture))
                .Append(ip[k + 1].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }
}
