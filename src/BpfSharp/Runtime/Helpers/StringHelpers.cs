using BpfSharp.Memory;
using static BpfSharp.Runtime.Helpers.BpfFunc;
using static BpfSharp.Runtime.Helpers.HelperArgs;

namespace BpfSharp.Runtime.Helpers;

/// <summary>The string helpers of kernel/bpf/helpers.c: bpf_snprintf, bpf_strncmp, bpf_strtol, bpf_strtoul.</summary>
public sealed unsafe class StringHelpers
{
    private readonly ProbeMemory _probe;

    /// <summary>Helpers whose %s / %pus conversions may also read <paramref name="probe"/>'s regions.</summary>
    public StringHelpers(ProbeMemory probe) => _probe = probe ?? throw new ArgumentNullException(nameof(probe));

    /// <summary>Registers snprintf, strncmp, strtol and strtoul under their kernel ids.</summary>
    public static void Register(HelperRegistry registry, HelperEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(env);
        var helpers = new StringHelpers(env.ProbeMemory);
        registry.Register(BPF_FUNC_snprintf, Name(BPF_FUNC_snprintf), helpers.Snprintf)
            .Register(BPF_FUNC_strncmp, Name(BPF_FUNC_strncmp), Strncmp)
            .Register(BPF_FUNC_strtol, Name(BPF_FUNC_strtol), Strtol)
            .Register(BPF_FUNC_strtoul, Name(BPF_FUNC_strtoul), Strtoul);
    }

    /// <summary>
    /// long bpf_snprintf(char *str, u32 str_size, const char *fmt, u64 *data, u32 data_len): formats fmt with the
    /// data_len / 8 (at most 12) arguments in data into str (at most str_size - 1 characters and a NUL). Returns
    /// the length of the whole text including its NUL (even if str was too small), or -EINVAL (data_len not a
    /// multiple of 8 or too long, a bad format, too few arguments) / -ENOSPC (arguments too large).
    /// </summary>
    public ulong Snprintf(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        uint size = (uint)r2, dataLength = (uint)r5;
        run.CheckAccess(r1, size, AccessKind.Store);
        ReadOnlySpan<byte> fmt = ConstString(run, r3);
        if (dataLength % 8 != 0 || dataLength > Bprintf.MaxVarargs * 8 || (dataLength != 0 && r4 == 0))
            return Errno(-Uapi.Errno.EINVAL);
        run.CheckAccess(r4, dataLength, AccessKind.Load);
        var args = new ReadOnlySpan<ulong>((void*)r4, (int)dataLength / 8);
        Span<byte> bin = stackalloc byte[Bprintf.MaxBinArgs];
        int err = Bprintf.Prepare(fmt, args, bin, run, _probe);
        if (err < 0)
            return Errno(err);
        var output = size == 0 ? default : new Span<byte>((void*)r1, (int)size - 1);
        int length = Bprintf.Format(fmt, bin, output);
        if (size != 0)
            ((byte*)r1)[Math.Min(length, (int)size - 1)] = 0;
        return (ulong)(length + 1);
    }

    /// <summary>
    /// long bpf_strncmp(const char *s1, u32 s1_sz, const char *s2): compares at most s1_sz bytes as the kernel's
    /// strncmp does (unsigned bytes, stopping at a NUL): 0 if equal, -1 if s1 sorts first, 1 otherwise.
    /// </summary>
    public static ulong Strncmp(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        uint size = (uint)r2;
        run.CheckAccess(r1, size, AccessKind.Load);
        ReadOnlySpan<byte> s2 = ConstString(run, r3);
        byte* s1 = (byte*)r1;
        for (int i = 0; i < size; i++)
        {
            byte c1 = s1[i], c2 = i < s2.Length ? s2[i] : (byte)0;
            if (c1 != c2)
                return c1 < c2 ? ulong.MaxValue : 1;
            if (c1 == 0)
                break;
        }
        return 0;
    }

    /// <summary>
    /// long bpf_strtol(const char *buf, size_t buf_len, u64 flags, long *res): parses a signed integer
    /// (flags = base 0, 8, 10 or 16); stores it in *res and returns the characters consumed, or -EINVAL / -ERANGE
    /// with *res = 0.
    /// </summary>
    public static ulong Strtol(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        ReadOnlySpan<byte> buf = Buffer(run, r1, r2, r4);
        *(long*)r4 = 0;
        int consumed = KernelStrtox.ParseSigned(buf, r3, out long value);
        if (consumed < 0)
            return Errno(consumed);
        *(long*)r4 = value;
        return (ulong)consumed;
    }

    /// <summary>
    /// long bpf_strtoul(const char *buf, size_t buf_len, u64 flags, unsigned long *res): as <see cref="Strtol"/>
    /// for an unsigned integer; a '-' sign gives -EINVAL.
    /// </summary>
    public static ulong Strtoul(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        ReadOnlySpan<byte> buf = Buffer(run, r1, r2, r4);
        *(ulong*)r4 = 0;
        int consumed = KernelStrtox.ParseUnsigned(buf, r3, out ulong value, out bool negative);
        if (consumed < 0)
            return Errno(consumed);
        if (negative)
            return Errno(-Uapi.Errno.EINVAL);
        *(ulong*)r4 = value;
        return (ulong)consumed;
    }

    // buf: ARG_PTR_TO_MEM | MEM_RDONLY of buf_len bytes; res: 8 writable bytes, aligned (ARG_PTR_TO_FIXED_SIZE_MEM | MEM_ALIGNED).
    private static ReadOnlySpan<byte> Buffer(RunContext run, ulong buf, ulong length, ulong result)
    {
        uint size = (uint)length;
        run.CheckAccess(buf, size, AccessKind.Load);
        run.CheckAccess(result, 8, AccessKind.Store);
        CheckAligned(run, result, 8);
        return new ReadOnlySpan<byte>((void*)buf, (int)size);
    }
}
