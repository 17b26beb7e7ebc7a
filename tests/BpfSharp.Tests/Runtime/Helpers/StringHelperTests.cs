using BpfSharp.Isa;
using BpfSharp.Runtime;
using BpfSharp.Tests.Runtime.Engines;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Runtime.Helpers;

/// <summary>
/// bpf_snprintf, bpf_strtol, bpf_strtoul, bpf_strncmp: expected values from bpf-helpers(7) and the C
/// semantics of the kernel's vsnprintf / kstrtox / strncmp they are defined by.
/// </summary>
public class StringHelperTests
{
    public static TheoryData<string> Engines => EngineMatrix.Engines();

    // Memory layout: out at 0, fmt at 256, data (u64 args) at 512, string arguments from 1024.
    private const int Out = 0, Fmt = 256, Data = 512, Strings = 1024;

    // r0 = bpf_snprintf(mem + Out, size, mem + Fmt, mem + Data, dataLength)
    private static Instruction[] SnprintfProgram(int size, int dataLength) => Program(
        Mov64(R6, R1),
        Mov64(R1, R6), Mov64(R2, size), Mov64(R3, R6), Add64(R3, Fmt), Mov64(R4, R6), Add64(R4, Data), Mov64(R5, dataLength),
        Call(165), Exit());

    private static (long Result, string Text) Snprintf(HelperHarness h, string fmt, ulong[] args, int size = 128, int? dataLength = null, bool isChecked = true)
    {
        h.SetString(Fmt, fmt);
        for (int k = 0; k < args.Length; k++)
            h.SetU64(Data + 8 * k, args[k]);
        ulong r0 = h.Run(EngineMatrix.All[0].Name, isChecked, SnprintfProgram(size, dataLength ?? args.Length * 8));
        return ((long)r0, h.String(Out));
    }

    public static readonly TheoryData<string, string, ulong[], string> Formats = new()
    {
        { "%d of a negative int", "%d", [unchecked((ulong)-5)], "-5" },
        { "%d takes the low 32 bits", "%d", [0x1_0000_0002], "2" },
        { "%u of -1 as int", "%u", [ulong.MaxValue], "4294967295" },
        { "%i is %d", "%i", [unchecked((ulong)-7)], "-7" },
        { "%ld", "%ld", [unchecked((ulong)long.MinValue)], "-9223372036854775808" },
        { "%lu", "%lu", [ulong.MaxValue], "18446744073709551615" },
        { "%lld and %llu", "%lld %llu", [unchecked((ulong)-1), 1], "-1 1" },
        { "%x", "%x", [255], "ff" },
        { "%X", "%X", [255], "FF" },
        { "%lx", "%lx", [0xdead_beef_cafe], "deadbeefcafe" },
        { "%llx", "%llx", [ulong.MaxValue], "ffffffffffffffff" },
        { "width", "[%5d]", [42], "[   42]" },
        { "left-justified", "[%-5d]", [42], "[42   ]" },
        { "zero padding after the sign", "[%05d]", [unchecked((ulong)-42)], "[-0042]" },
        { "minus beats zero", "[%-05d]", [42], "[42   ]" },
        { "plus sign", "%+d", [5], "+5" },
        { "space sign", "% d", [5], " 5" },
        { "no sign for unsigned", "%+u", [5], "5" },
        { "zero-padded hex", "%08x", [0xbeef], "0000beef" },
        { "%c", "%c%c", [(ulong)'o', (ulong)'k'], "ok" },
        { "%c width", "[%3c][%-3c]", [(ulong)'a', (ulong)'b'], "[  a][b  ]" },
        { "percent", "100%%", [], "100%" },
        { "text only", "hello", [], "hello" },
        { "%px", "%px", [0x1234], "0000000000001234" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Snprintf_formats_like_the_kernel(string name, string fmt, ulong[] args, string expected)
    {
        _ = name;
        using var h = new HelperHarness();
        var (result, text) = Snprintf(h, fmt, args);
        Assert.Equal(expected, text);
        Assert.Equal(expected.Length + 1, result); // the length including the NUL
    }

    [Fact]
    public void Snprintf_s_copies_strings_and_pads_them()
    {
        using var h = new HelperHarness();
        h.SetString(Strings, "hi");
        h.SetString(Strings + 16, "there");
        var (result, text) = Snprintf(h, "[%4s][%-6s]", [h.Address(Strings), h.Address(Strings + 16)]);
        Assert.Equal("[  hi][there ]", text);
        Assert.Equal(15, result);
    }

    [Fact]
    public void Snprintf_s_of_an_unreadable_pointer_prints_nothing()
    {
        using var h = new HelperHarness();
        var (result, text) = Snprintf(h, "<%s>", [0x10]);
        Assert.Equal("<>", text);
        Assert.Equal(3, result);
    }

    [Fact]
    public void Snprintf_ip_addresses()
    {
        using var h = new HelperHarness();
        h.Memory.Span[Strings] = 192; h.Memory.Span[Strings + 1] = 168; h.Memory.Span[Strings + 2] = 0; h.Memory.Span[Strings + 3] = 1;
        for (int k = 0; k < 16; k++) h.Memory.Span[Strings + 16 + k] = (byte)(k == 1 ? 1 : k == 15 ? 2 : 0);
        var (_, text) = Snprintf(h, "%pI4 %pi4 %pI6 %pi6", [h.Address(Strings), h.Address(Strings), h.Address(Strings + 16), h.Address(Strings + 16)]);
        Assert.Equal("192.168.0.1 192.168.000.001 0001:0000:0000:0000:0000:0000:0000:0002 00010000000000000000000000000002", text);
    }

    [Theory]
    [InlineData(4, "123", 7)]  // "123456" cut to 3 characters and a NUL
    [InlineData(7, "123456", 7)]
    [InlineData(1, "", 7)]
    public void Snprintf_truncates_and_returns_the_full_length(int size, string expected, long result)
    {
        using var h = new HelperHarness();
        h.Memory.Span[..16].Fill(0xAA);
        var (r, text) = Snprintf(h, "%d", [123456], size);
        Assert.Equal(expected, text);
        Assert.Equal(result, r);
        Assert.Equal(0xAA, h.Memory.Span[size]); // nothing written past str_size
    }

    [Fact]
    public void Snprintf_with_size_0_writes_nothing()
    {
        using var h = new HelperHarness();
        h.SetString(Fmt, "%d");
        h.SetU64(Data, 42);
        h.Memory.Span[0] = 0xAA;
        // str = NULL, str_size = 0 (ARG_PTR_TO_MEM_OR_NULL)
        ulong r0 = h.Run(EngineMatrix.All[0].Name, true, Program(
            Mov64(R6, R1), Mov64(R1, 0), Mov64(R2, 0), Mov64(R3, R6), Add64(R3, Fmt), Mov64(R4, R6), Add64(R4, Data), Mov64(R5, 8), Call(165), Exit()));
        Assert.Equal(3ul, r0);
        Assert.Equal(0xAA, h.Memory.Span[0]);
    }

    public static readonly TheoryData<string, string, int, int> Errors = new()
    {
        { "a conversion without an argument", "%d %d", 8, -Errno.EINVAL },
        { "an unknown conversion", "%q", 8, -Errno.EINVAL },
        { "precision", "%.2d", 8, -Errno.EINVAL },
        { "h length", "%hd", 8, -Errno.EINVAL },
        { "%lc", "%lc", 8, -Errno.EINVAL },
        { "# flag", "%#x", 8, -Errno.EINVAL },
        { "%s followed by a letter", "%sx", 8, -Errno.EINVAL },
        { "%p with an unknown extension", "%pq", 8, -Errno.EINVAL },
        { "a non-printable character", "a\u0001b", 0, -Errno.EINVAL },
        { "a non-ASCII character", "caf\u00e9", 0, -Errno.EINVAL },
        { "data_len not a multiple of 8", "%d", 7, -Errno.EINVAL },
        { "more than 12 arguments", "%d", 13 * 8, -Errno.EINVAL },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Snprintf_rejects_what_the_kernel_rejects(string name, string fmt, int dataLength, int expected)
    {
        _ = name;
        using var h = new HelperHarness();
        h.Memory.Span[0] = 0xAA;
        var (result, _) = Snprintf(h, fmt, new ulong[13], dataLength: dataLength);
        Assert.Equal(expected, result);
        Assert.Equal(0xAA, h.Memory.Span[0]); // nothing written
    }

    [Fact]
    public void Snprintf_strings_share_a_512_byte_argument_buffer()
    {
        using var h = new HelperHarness(memorySize: 8192);
        string long299 = new('x', 299);
        for (int k = 0; k < 3; k++)
            h.SetString(Strings + 512 * k, long299);
        ulong[] args = [h.Address(Strings), h.Address(Strings + 512), h.Address(Strings + 1024)];
        // 300 bytes for the first, the 212 left for the second (cut to 211 characters): nothing left for a third.
        Assert.Equal(-Errno.ENOSPC, Snprintf(h, "%s%s%s", args).Result);
        var (result, _) = Snprintf(h, "%s%s", args, size: 1);
        Assert.Equal(299 + 211 + 1, result);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Checked_snprintf_output_outside_the_run_faults(string engine)
    {
        using var h = new HelperHarness();
        h.SetString(Fmt, "x");
        var ex = Assert.Throws<BpfRuntimeException>(() => h.Run(engine, true, Program(
            Mov64(R6, R1), Mov64(R1, 64), Mov64(R2, 8), Mov64(R3, R6), Add64(R3, Fmt), Mov64(R4, 0), Mov64(R5, 0), Call(165), Exit())));
        Assert.Equal(FaultKind.OutOfBounds, ex.Kind);
    }

    // r0 = bpf_strtol/strtoul(mem + 256, length, flags, mem + 0)
    private static (long Result, ulong Value) Strto(int id, string text, int length, int flags)
    {
        using var h = new HelperHarness();
        h.SetString(256, text, nul: false);
        h.SetU64(0, 0xAAAA);
        ulong r0 = h.Run(EngineMatrix.All[0].Name, true, Program(
            Mov64(R6, R1), Mov64(R1, R6), Add64(R1, 256), Mov64(R2, length), Mov64(R3, flags), Mov64(R4, R6), Call(id), Exit()));
        return ((long)r0, h.U64(0));
    }

    public static readonly TheoryData<string, string, int, long, long> Strtols = new()
    {
        { "decimal", "123", 10, 3, 123 },
        { "auto base decimal", "123", 0, 3, 123 },
        { "leading space and minus", "  -42abc", 10, 5, -42 },
        { "auto base hex", "0x1f", 0, 4, 31 },
        { "hex prefix in base 16", "0x1f", 16, 4, 31 },
        { "hex without prefix", "1fz", 16, 2, 31 },
        { "auto base octal", "017", 0, 3, 15 },
        { "octal stops at 8", "08", 0, 1, 0 },
        { "0x without digits is octal 0", "0xg", 0, 1, 0 },
        { "0x prefix without digits in base 16", "0xg", 16, -Errno.EINVAL, 0 },
        { "no digits", "abc", 10, -Errno.EINVAL, 0 },
        { "only spaces", "   ", 10, -Errno.EINVAL, 0 },
        { "only a minus", "-", 10, -Errno.EINVAL, 0 },
        { "plus is not a sign", "+5", 10, -Errno.EINVAL, 0 },
        { "LLONG_MAX", "9223372036854775807", 10, 19, long.MaxValue },
        { "past LLONG_MAX", "9223372036854775808", 10, -Errno.ERANGE, 0 },
        { "LLONG_MIN", "-9223372036854775808", 10, 20, long.MinValue },
        { "below LLONG_MIN", "-9223372036854775809", 10, -Errno.ERANGE, 0 },
        { "u64 overflow", "18446744073709551616", 10, -Errno.ERANGE, 0 },
        { "base 2 is not allowed", "101", 2, -Errno.EINVAL, 0 },
        { "flags above the base mask", "1", 0x20 | 10, -Errno.EINVAL, 0 },
        { "non-breaking space 0xA0 is white space", "\u00a07", 10, 2, 7 },
    };

    [Theory]
    [MemberData(nameof(Strtols))]
    public void Strtol_parses_like_the_kernel(string name, string text, int flags, long result, long value)
    {
        _ = name;
        var (r, v) = Strto(105, text, text.Length, flags);
        Assert.Equal(result, r);
        Assert.Equal((ulong)value, v); // *res is 0 on error
    }

    [Fact]
    public void Strtol_reads_only_buf_len_bytes()
    {
        Assert.Equal((3L, 123ul), Strto(105, "12345", 3, 10));
    }

    public static readonly TheoryData<string, string, int, long, ulong> Strtouls = new()
    {
        { "ULLONG_MAX", "18446744073709551615", 10, 20, ulong.MaxValue },
        { "octal", "0777", 0, 4, 511 },
        { "a minus sign is EINVAL", "-1", 10, -Errno.EINVAL, 0 },
        { "hex", "FFff", 16, 4, 0xffff },
    };

    [Theory]
    [MemberData(nameof(Strtouls))]
    public void Strtoul_parses_like_the_kernel(string name, string text, int flags, long result, ulong value)
    {
        _ = name;
        var (r, v) = Strto(106, text, text.Length, flags);
        Assert.Equal(result, r);
        Assert.Equal(value, v);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Checked_strtol_result_must_be_aligned(string engine)
    {
        using var h = new HelperHarness();
        h.SetString(256, "1");
        var ex = Assert.Throws<BpfRuntimeException>(() => h.Run(engine, true, Program(
            Mov64(R6, R1), Mov64(R1, R6), Add64(R1, 256), Mov64(R2, 1), Mov64(R3, 10), Mov64(R4, R6), Add64(R4, 4), Call(105), Exit())));
        Assert.Equal(FaultKind.InvalidHelperArgument, ex.Kind);
    }

    public static readonly TheoryData<string, string, int, string, long> Strncmps = new()
    {
        { "equal", "abc", 3, "abc", 0 },
        { "less", "abc", 3, "abd", -1 },
        { "greater", "abd", 3, "abc", 1 },
        { "only s1_sz bytes count", "abcx", 3, "abcy", 0 },
        { "s1 ends first", "ab\0", 3, "abc", -1 },
        { "s2 ends first", "abc", 3, "ab", 1 },
        { "bytes compare unsigned", "\u00ff", 1, "a", 1 },
        { "stops at a common NUL", "a\0x", 3, "a", 0 },
    };

    [Theory]
    [MemberData(nameof(Strncmps))]
    public void Strncmp_compares_like_the_kernel(string name, string s1, int size, string s2, long expected)
    {
        _ = name;
        using var h = new HelperHarness();
        h.SetString(256, s1, nul: false);
        h.SetString(512, s2);
        ulong r0 = h.Run(EngineMatrix.All[0].Name, true, Program(
            Mov64(R6, R1), Mov64(R1, R6), Add64(R1, 256), Mov64(R2, size), Mov64(R3, R6), Add64(R3, 512), Call(182), Exit()));
        Assert.Equal(expected, (long)r0);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Checked_strncmp_needs_a_terminated_s2(string engine)
    {
        using var h = new HelperHarness(memorySize: 64);
        h.Memory.Span.Fill((byte)'a'); // no NUL anywhere in the region
        var ex = Assert.Throws<BpfRuntimeException>(() => h.Run(engine, true, Program(
            Mov64(R6, R1), Mov64(R2, 1), Mov64(R3, R6), Call(182), Exit())));
        Assert.Equal(FaultKind.InvalidHelperArgument, ex.Kind);
    }
}
