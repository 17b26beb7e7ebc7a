namespace BpfSharp.Verifier;

/// <summary>
/// The four privileges the kernel derives from the loader's capabilities (kernel: env->allow_ptr_leaks,
/// bypass_spec_v1, bypass_spec_v4, bpf_capable). CAP_BPF gives <see cref="BpfCapable"/>; CAP_PERFMON gives the
/// other three; CAP_SYS_ADMIN gives all four.
/// </summary>
public readonly record struct VerifierCapabilities(bool AllowPtrLeaks, bool BypassSpecV1, bool BypassSpecV4, bool BpfCapable)
{
    /// <summary>A root (CAP_SYS_ADMIN) load: everything allowed.</summary>
    public static VerifierCapabilities Privileged => new(true, true, true, true) { SysAdmin = true };

    /// <summary>
    /// CAP_SYS_ADMIN (kernel: is_priv in bpf_check): the rewrites after verification drop dead code and no-op jumps
    /// (a <c>may_goto +0</c> among them) instead of sanitizing them.
    /// </summary>
    public bool SysAdmin { get; init; }

    /// <summary>A load without CAP_BPF, CAP_PERFMON or CAP_SYS_ADMIN.</summary>
    public static VerifierCapabilities Unprivileged => new(false, false, false, false);

    /// <summary>A load with CAP_BPF but not CAP_PERFMON: bounded loops and more, but no pointer leaks.</summary>
    public static VerifierCapabilities BpfOnly => new(false, false, false, true);

    /// <summary>The kernel's mapping from Linux capabilities (kernel: bpf_capable, perfmon_capable in bpf_check).</summary>
    public static VerifierCapabilities From(BpfCapabilities caps)
    {
        bool sysAdmin = (caps & BpfCapabilities.SysAdmin) != 0;
        bool bpf = sysAdmin || (caps & BpfCapabilities.Bpf) != 0;
        bool perfmon = sysAdmin || (caps & BpfCapabilities.Perfmon) != 0;
        return new VerifierCapabilities(perfmon, perfmon, perfmon, bpf) { SysAdmin = sysAdmin };
    }
}

/// <summary>The Linux capabilities that decide what a bpf() caller may do (CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN, CAP_SYS_ADMIN).</summary>
[Flags]
public enum BpfCapabilities
{
    /// <summary>An unprivileged caller.</summary>
    None = 0,
    /// <summary>CAP_BPF: load programs of every type, bounded loops, most maps.</summary>
    Bpf = 1,
    /// <summary>CAP_PERFMON: tracing program types, pointer leaks, speculation bypasses.</summary>
    Perfmon = 2,
    /// <summary>CAP_NET_ADMIN: networking program types (with CAP_BPF), cgroup skb programs.</summary>
    NetAdmin = 4,
    /// <summary>CAP_SYS_ADMIN: everything.</summary>
    SysAdmin = 8,
    /// <summary>A root caller.</summary>
    All = Bpf | Perfmon | NetAdmin | SysAdmin,
}
