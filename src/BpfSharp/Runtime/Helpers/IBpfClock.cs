namespace BpfSharp.Runtime.Helpers;

/// <summary>The kernel clocks the time helpers read. <see cref="HostClock"/> reads the host's; <see cref="ManualClock"/> is set by hand (tests).</summary>
public interface IBpfClock
{
    /// <summary>CLOCK_MONOTONIC in ns (bpf_ktime_get_ns).</summary>
    ulong MonotonicNs { get; }
    /// <summary>CLOCK_BOOTTIME in ns: monotonic plus time suspended (bpf_ktime_get_boot_ns).</summary>
    ulong BootNs { get; }
    /// <summary>CLOCK_MONOTONIC_COARSE in ns: monotonic at tick resolution (bpf_ktime_get_coarse_ns).</summary>
    ulong CoarseNs { get; }
    /// <summary>CLOCK_TAI in ns (bpf_ktime_get_tai_ns).</summary>
    ulong TaiNs { get; }
    /// <summary>The jiffies counter (bpf_jiffies64).</summary>
    ulong Jiffies64 { get; }
}
