using System.Text;

namespace BpfSharp.Verifier;

/// <summary>
/// The verifier's log buffer (kernel: struct bpf_verifier_log): text appended by <see cref="Write"/>, with
/// positions the walk rewinds to (kernel: bpf_vlog_reset) so that at log level 1 only the failing path's trace
/// survives. Size limits are applied when the text is copied to the caller.
/// </summary>
internal sealed class VerifierLog
{
    /// <summary>Log level 1: the trace of the walked path (kernel: BPF_LOG_LEVEL1).</summary>
    public const uint Level1 = 1;
    /// <summary>Log level 2: every instruction and state (kernel: BPF_LOG_LEVEL2).</summary>
    public const uint Level2 = 2;
    /// <summary>Statistics (kernel: BPF_LOG_STATS).</summary>
    public const uint Stats = 4;

    private readonly StringBuilder _sb = new();

    public VerifierLog(uint level) => Level = level;

    /// <summary>The level bits.</summary>
    public uint Level { get; }

    /// <summary>True if any trace is written (level 1 or 2).</summary>
    public bool Enabled => (Level & (Level1 | Level2)) != 0;

    /// <summary>True at level 2.</summary>
    public bool Level2On => (Level & Level2) != 0;

    /// <summary>The current end of the text (kernel: end_pos).</summary>
    public int EndPos => _sb.Length;

    public StringBuilder Builder => _sb;

    /// <summary>Appends text (kernel: verbose); written whatever the level, as the kernel's error lines are.</summary>
    public void Write(string text) => _sb.Append(text);

    /// <summary>Rewinds to <paramref name="pos"/> (kernel: bpf_vlog_reset).</summary>
    public void Reset(int pos)
    {
        if (pos < _sb.Length)
            _sb.Length = pos;
    }

    public override string ToString() => _sb.ToString();
}
