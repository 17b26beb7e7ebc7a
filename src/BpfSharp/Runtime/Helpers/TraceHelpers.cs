using System.Text;
using BpfSharp.Memory;
using static BpfSharp.Runtime.Helpers.BpfFunc;
using static BpfSharp.Runtime.Helpers.HelperArgs;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// bpf_trace_printk and bpf_trace_vprintk (kernel/trace/bpf_trace.c): format with the kernel's rules
/// (<see cref="Bprintf"/>) and append the text, at most 1023 bytes, to the environment's <see cref="TracePipe"/>.
/// </summary>
public sealed unsafe class TraceHelpers
{
    /// <summary>MAX_TRACE_PRINTK_VARARGS: bpf_trace_printk's arguments (r3-r5).</summary>
    public const int TracePrintkArgs = 3;

    private readonly HelperEnvironment _env;

    /// <summary>Helpers writing to <paramref name="env"/>'s trace pipe.</summary>
    public TraceHelpers(HelperEnvironment env) => _env = env ?? throw new ArgumentNullException(nameof(env));

    /// <summary>Registers trace_printk and trace_vprintk under their kernel ids.</summary>
    public static void Register(HelperRegistry registry, HelperEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var helpers = new TraceHelpers(env);
        registry.Register(BPF_FUNC_trace_printk, Name(BPF_FUNC_trace_printk), helpers.TracePrintk)
            .Register(BPF_FUNC_trace_vprintk, Name(BPF_FUNC_trace_vprintk), helpers.TraceVprintk);
    }

    /// <summary>
    /// long bpf_trace_printk(const char *fmt, u32 fmt_size, ...): fmt must hold a NUL within fmt_size bytes;
    /// up to three arguments in r3-r5. Returns the length of the text (without NUL), or -EINVAL / -ENOSPC.
    /// </summary>
    public ulong TracePrintk(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        Span<ulong> args = [r3, r4, r5];
        return Print(run, r1, (uint)r2, args);
    }

    /// <summary>
    /// long bpf_trace_vprintk(const char *fmt, u32 fmt_size, const void *data, u32 data_len): as
    /// <see cref="TracePrintk"/> with data_len / 8 (at most 12) arguments in data; -EINVAL if data_len is not a
    /// multiple of 8 or too long.
    /// </summary>
    public ulong TraceVprintk(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        uint dataLength = (uint)r4;
        if (dataLength % 8 != 0 || dataLength > Bprintf.MaxVarargs * 8 || (dataLength != 0 && r3 == 0))
            return Errno(-Uapi.Errno.EINVAL);
        run.CheckAccess(r3, dataLength, AccessKind.Load);
        return Print(run, r1, (uint)r2, new ReadOnlySpan<ulong>((void*)r3, (int)dataLength / 8));
    }

    private ulong Print(RunContext run, ulong fmtAddress, uint fmtSize, ReadOnlySpan<ulong> args)
    {
        run.CheckAccess(fmtAddress, fmtSize, AccessKind.Load);
        var fmt = new ReadOnlySpan<byte>((void*)fmtAddress, (int)fmtSize);
        int nul = fmt.IndexOf((byte)0);
        if (nul < 0)
            return Errno(-Uapi.Errno.EINVAL);
        fmt = fmt[..nul];
        Span<byte> bin = stackalloc byte[Bprintf.MaxBinArgs];
        int err = Bprintf.Prepare(fmt, args, bin, run, _env.ProbeMemory);
        if (err < 0)
            return Errno(err);
        Span<byte> buffer = stackalloc byte[Bprintf.MaxBuf - 1];
        int length = Bprintf.Format(fmt, bin, buffer);
        string message = Encoding.Latin1.GetString(buffer[..Math.Min(length, buffer.Length)]);
        BpfTask task = _env.Task;
        _env.TracePipe.Write(new TraceRecord(_env.Clock.MonotonicNs, run.Cpu, task.Pid, task.Comm, message));
        return (ulong)length;
    }
}
