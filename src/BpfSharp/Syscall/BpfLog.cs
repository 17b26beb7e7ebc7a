using System.Text;
using BpfSharp.Uapi;

namespace BpfSharp.Syscall;

/// <summary>
/// The log buffer of PROG_LOAD (log_level, log_size, log_buf) and BTF_LOAD: attribute checks
/// (kernel: bpf_vlog_init) and writing the text at the end of the command (bpf_vlog_finalize).
/// Minimal until the verifier owns the log: the text is written once; one that does not fit is
/// cut to the buffer (its end is kept, or its beginning with BPF_LOG_FIXED) and the command fails
/// with -ENOSPC.
/// </summary>
internal static unsafe class BpfLog
{
    /// <summary>BPF_LOG_LEVEL1.</summary>
    public const uint Level1 = 1;
    /// <summary>BPF_LOG_FIXED: keep the beginning of a log that does not fit (else the end).</summary>
    public const uint Fixed = 8;
    /// <summary>BPF_LOG_MASK: BPF_LOG_LEVEL1 | BPF_LOG_LEVEL2 | BPF_LOG_STATS | BPF_LOG_FIXED.</summary>
    public const uint LevelMask = 0xf;

    /// <summary>kernel: bpf_verifier_log_attr_valid. 0 or -EINVAL.</summary>
    public static int Validate(uint level, ulong buffer, uint size)
    {
        if ((buffer != 0) != (size != 0)) return -Errno.EINVAL; // buffer and size come together
        if (buffer != 0 && level == 0) return -Errno.EINVAL; // a buffer without a level means nothing
        if ((level & ~LevelMask) != 0) return -Errno.EINVAL;
        if (size > uint.MaxValue >> 2) return -Errno.EINVAL;
        return 0;
    }

    /// <summary>
    /// Writes <paramref name="text"/> NUL-terminated into the log, if there is one; 0, or -ENOSPC
    /// if it had to be cut.
    /// </summary>
    public static int Write(uint level, ulong buffer, uint size, string text)
    {
        if (level == 0 || buffer == 0 || size == 0) return 0;
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var log = new Span<byte>((void*)buffer, (int)size);
        if (bytes.Length < log.Length)
        {
            bytes.CopyTo(log);
            log[bytes.Length] = 0;
            return 0;
        }
        int keep = log.Length - 1;
        ReadOnlySpan<byte> kept = (level & Fixed) != 0 ? bytes.AsSpan(0, keep) : bytes.AsSpan(bytes.Length - keep);
        kept.CopyTo(log);
        log[keep] = 0;
        return -Errno.ENOSPC;
    }
}
