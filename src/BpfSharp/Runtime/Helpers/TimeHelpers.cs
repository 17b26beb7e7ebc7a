using static BpfSharp.Runtime.Helpers.BpfFunc;

namespace BpfSharp.Runtime.Helpers;

/// <summary>The clock helpers (kernel/bpf/helpers.c), reading the environment's <see cref="IBpfClock"/>.</summary>
public sealed class TimeHelpers
{
    private readonly IBpfClock _clock;

    /// <summary>Helpers reading <paramref name="clock"/>.</summary>
    public TimeHelpers(IBpfClock clock) => _clock = clock ?? throw new ArgumentNullException(nameof(clock));

    /// <summary>Registers ktime_get_ns, ktime_get_boot_ns, ktime_get_coarse_ns, ktime_get_tai_ns and jiffies64 under their kernel ids.</summary>
    public static void Register(HelperRegistry registry, HelperEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(env);
        var helpers = new TimeHelpers(env.Clock);
        registry.Register(BPF_FUNC_ktime_get_ns, Name(BPF_FUNC_ktime_get_ns), helpers.KtimeGetNs, HelperFlags.Pure)
            .Register(BPF_FUNC_ktime_get_boot_ns, Name(BPF_FUNC_ktime_get_boot_ns), helpers.KtimeGetBootNs, HelperFlags.Pure)
            .Register(BPF_FUNC_ktime_get_coarse_ns, Name(BPF_FUNC_ktime_get_coarse_ns), helpers.KtimeGetCoarseNs, HelperFlags.Pure)
            .Register(BPF_FUNC_ktime_get_tai_ns, Name(BPF_FUNC_ktime_get_tai_ns), helpers.KtimeGetTaiNs, HelperFlags.Pure)
            .Register(BPF_FUNC_jiffies64, Name(BPF_FUNC_jiffies64), helpers.Jiffies64, HelperFlags.Pure);
    }

    /// <summary>u64 bpf_ktime_get_ns(void): CLOCK_MONOTONIC.</summary>
    public ulong KtimeGetNs(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => _clock.MonotonicNs;
    /// <summary>u64 bpf_ktime_get_boot_ns(void): CLOCK_BOOTTIME.</summary>
    public ulong KtimeGetBootNs(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => _clock.BootNs;
    /// <summary>u64 bpf_ktime_get_coarse_ns(void): CLOCK_MONOTONIC_COARSE.</summary>
    public ulong KtimeGetCoarseNs(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => _clock.CoarseNs;
    /// <summary>u64 bpf_ktime_get_tai_ns(void): CLOCK_TAI.</summary>
    public ulong KtimeGetTaiNs(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => _clock.TaiNs;
    /// <summary>u64 bpf_jiffies64(void).</summary>
    public ulong Jiffies64(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => _clock.Jiffies64;
}
