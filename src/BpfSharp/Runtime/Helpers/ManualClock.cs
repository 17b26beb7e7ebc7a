namespace BpfSharp.Runtime.Helpers;

/// <summary>A clock whose readings are set by hand, for tests and replay. Thread-safe.</summary>
public sealed class ManualClock : IBpfClock
{
    private long _monotonic, _boot, _coarse, _tai, _jiffies;

    /// <inheritdoc/>
    public ulong MonotonicNs { get => (ulong)Volatile.Read(ref _monotonic); set => Volatile.Write(ref _monotonic, (long)value); }
    /// <inheritdoc/>
    public ulong BootNs { get => (ulong)Volatile.Read(ref _boot); set => Volatile.Write(ref _boot, (long)value); }
    /// <inheritdoc/>
    public ulong CoarseNs { get => (ulong)Volatile.Read(ref _coarse); set => Volatile.Write(ref _coarse, (long)value); }
    /// <inheritdoc/>
    public ulong TaiNs { get => (ulong)Volatile.Read(ref _tai); set => Volatile.Write(ref _tai, (long)value); }
    /// <inheritdoc/>
    public ulong Jiffies64 { get => (ulong)Volatile.Read(ref _jiffies); set => Volatile.Write(ref _jiffies, (long)value); }
}
