using BpfSharp.Isa;
using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier.Corpus;

/// <summary>
/// One program of the verifier corpus: its name (<c>group/rule</c>), program type, the capabilities it is
/// loaded with, its text in the kernel's verifier-log syntax, the maps it names as <c>map[idx:N]</c>
/// (created before the load and passed through fd_array), the live kernel's verdict, and optionally the BTF and
/// func_info loaded with it (<see cref="CaseBtf"/>).
/// </summary>
internal sealed record VerifierCase(
    string Name,
    BpfProgType ProgType,
    CaseCaps Caps,
    string Asm,
    CaseMap[] Maps,
    CaseVerdict Kernel,
    uint ExpectedAttachType = 0,
    uint ProgFlags = 0,
    CaseBtf? Btf = null,
    string? AttachBtf = null)
{
    /// <summary>
    /// attach_btf_id: <see cref="AttachBtf"/> looked up in the running kernel's BTF (a <c>btf_trace_*</c> name as a
    /// typedef, any other as a function; <c>#N</c> is the id N itself); 0 without one.
    /// </summary>
    public uint AttachBtfId()
    {
        if (AttachBtf is null) return 0;
        if (AttachBtf.StartsWith('#')) return uint.Parse(AttachBtf[1..], System.Globalization.CultureInfo.InvariantCulture);
        BpfSharp.Elf.Btf.BtfBlob btf = BpfSharp.Elf.Btf.KernelBtf.Vmlinux ?? throw new InvalidOperationException($"{Name}: no kernel BTF");
        BpfSharp.Elf.Btf.BtfKind kind = AttachBtf.StartsWith("btf_trace_", StringComparison.Ordinal) ? BpfSharp.Elf.Btf.BtfKind.Typedef : BpfSharp.Elf.Btf.BtfKind.Func;
        return btf.FindByName(AttachBtf, kind) ?? throw new InvalidOperationException($"{Name}: no {kind} {AttachBtf} in the kernel's BTF");
    }

    /// <summary>The group the case belongs to: its name up to the first '/'.</summary>
    public string Group => Name[..Name.IndexOf('/', StringComparison.Ordinal)];

    /// <summary>The program, assembled without validation (several cases are malformed on purpose).</summary>
    public Instruction[] Instructions() => Assembler.Assemble(Asm, validate: false);

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>
/// A map a case creates before its load; <c>map[idx:N]</c> names the N-th. <see cref="Creator"/> is the capabilities
/// it is created with (root by default; array-based maps remember whether their creator had CAP_PERFMON).
/// </summary>
internal sealed record CaseMap(BpfMapType Type, uint KeySize, uint ValueSize, uint MaxEntries, uint Flags = 0,
    CaseCaps Creator = CaseCaps.Root);

/// <summary>
/// A verdict: <see cref="Errno"/> is 0 for an accepted program, else the positive errno of the failed load;
/// <see cref="ErrorLine"/> is <see cref="KernelVerifierLog.ErrorLine"/> of the log_level 1 log ("" when accepted).
/// </summary>
internal sealed record CaseVerdict(int Errno, string ErrorLine)
{
    /// <summary>The program loads.</summary>
    public static CaseVerdict Accept => new(0, "");

    /// <summary>The load fails with <paramref name="errno"/> and the log ends with <paramref name="line"/>.</summary>
    public static CaseVerdict Reject(int errno, string line) => new(errno, line);

    /// <summary>Not recorded yet: the recording test fills it in; the corpus tests refuse it.</summary>
    public static CaseVerdict Pending => new(-1, "(not recorded)");

    /// <summary>True for <see cref="Accept"/>.</summary>
    public bool Accepted => Errno == 0;

    /// <summary>True for <see cref="Pending"/>.</summary>
    public bool IsPending => Errno < 0;
}

/// <summary>The capabilities a case is loaded with.</summary>
internal enum CaseCaps
{
    /// <summary>Root: CAP_SYS_ADMIN and everything else.</summary>
    Root,
    /// <summary>CAP_BPF and CAP_NET_ADMIN only: bounded loops, but no pointer leaks (no CAP_PERFMON / CAP_SYS_ADMIN).</summary>
    BpfOnly,
    /// <summary>No capability (needs kernel.unprivileged_bpf_disabled = 0).</summary>
    Unprivileged,
}

/// <summary>What a <see cref="CaseCaps"/> means for our verifier.</summary>
internal static class CaseCapsExtensions
{
    /// <summary>The Linux capabilities of the loader.</summary>
    public static BpfCapabilities Capabilities(this CaseCaps caps) => caps switch
    {
        CaseCaps.Root => BpfCapabilities.All,
        CaseCaps.BpfOnly => BpfCapabilities.Bpf | BpfCapabilities.NetAdmin,
        _ => BpfCapabilities.None,
    };

    /// <summary>The privileges the verifier derives from them (allow_ptr_leaks, bpf_capable, ...).</summary>
    public static VerifierCapabilities VerifierCapabilities(this CaseCaps caps) =>
        BpfSharp.Verifier.VerifierCapabilities.From(caps.Capabilities());
}
