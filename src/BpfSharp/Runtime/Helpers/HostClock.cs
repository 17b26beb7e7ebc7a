using System.Diagnostics;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// The host's clocks as the kernel's: monotonic from <see cref="Stopwatch"/> (CLOCK_MONOTONIC on Linux),
/// boot time equal to it (a process cannot see suspended time without the kernel), coarse time and jiffies at
/// <see cref="Hz"/> ticks per second, jiffies starting at the kernel's INITIAL_JIFFIES, TAI from UTC plus
/// <see cref="TaiOffsetSeconds"/>. Thread-safe; no state.
/// </summary>
public sealed class HostClock : IBpfClock
{
    /// <summary>Creates a clock with <paramref name="hz"/> ticks per second (the kernel's CONFIG_HZ; Debian uses 250).</summary>
    public HostClock(int hz = 250)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hz, 1);
        Hz = hz;
    }

    /// <summary>Jiffies per second.</summary>
    public int Hz { get; }

    /// <summary>TAI minus UTC in seconds (37 since 2017).</summary>
    public int TaiOffsetSeconds { get; init; } = 37;

    /// <summary>The kernel's INITIAL_JIFFIES on 64-bit machines: (u32)(-300 * HZ), so 32-bit jiffies wrap five minutes after boot.</summary>
    public ulong InitialJiffies => (uint)(-300 * Hz);

    /// <inheritdoc/>
    public ulong MonotonicNs
    {
        get
        {
            long ticks = Stopwatch.GetTimestamp();
            return Stopwatch.Frequency == 1_000_000_000
                ? (ulong)ticks
                : (ulong)(Int128)((Int128)ticks * 1_000_000_000 / Stopwatch.Frequency);
        }
    }

    /// <inheritdoc/>
    public ulong BootNs => MonotonicNs;

    /// <inheritdoc/>
    public ulong CoarseNs
    {
        get
        {
            ulong tick = 1_000_000_000UL / (ulong)Hz;
            ulong now = MonotonicNs;
            return now - now % tick;
        }
    }

    /// <inheritdoc/>
    public ulong TaiNs => (ulong)((DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100) + (ulong)TaiOffsetSeconds * 1_000_000_000UL;

    /// <inheritdoc/>
    public ulong Jiffies64 => InitialJiffies + MonotonicNs / (1_000_000_000UL / (ulong)Hz);
}
