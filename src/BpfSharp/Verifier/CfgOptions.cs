namespace BpfSharp.Verifier;

/// <summary>
/// What the first verifier pass may allow, as the kernel decides it from the loader's capabilities
/// (<c>env-&gt;bpf_capable</c>, i.e. CAP_BPF or CAP_SYS_ADMIN, and the same test in BPF_PROG_LOAD).
/// </summary>
/// <param name="BpfCapable">
/// The kernel's <c>bpf_capable</c>: back-edges pass <c>check_cfg</c> (bounded loops are left to the
/// path walk), BPF-to-BPF calls and callback addresses are allowed, and the load limit is
/// <see cref="Cfg.ComplexityLimitInsns"/> instead of <see cref="Cfg.MaxInsns"/>.
/// </param>
public readonly record struct CfgOptions(bool BpfCapable)
{
    /// <summary>A CAP_BPF (or root) loader.</summary>
    public static CfgOptions Privileged => new(true);

    /// <summary>A loader without CAP_BPF: no loops, no subprograms, at most 4096 instructions.</summary>
    public static CfgOptions Unprivileged => new(false);

    /// <summary>True when <c>check_cfg</c> lets a back-edge through (the kernel: <c>env-&gt;bpf_capable</c>).</summary>
    public bool AllowBackEdges => BpfCapable;

    /// <summary>The most instructions BPF_PROG_LOAD accepts for this loader.</summary>
    public int InsnLimit => BpfCapable ? Cfg.ComplexityLimitInsns : Cfg.MaxInsns;
}
