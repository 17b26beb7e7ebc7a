using BpfSharp.Uapi;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// Which helpers a program of a given type may call: the answer of the type's <c>get_func_proto</c>
/// (<c>sk_filter_func_proto</c>, <c>tc_cls_act_func_proto</c>, <c>xdp_func_proto</c>, <c>sock_addr_func_proto</c>, ...,
/// falling back to <c>bpf_base_func_proto</c> / <c>bpf_sk_base_func_proto</c> / <c>bpf_tracing_func_proto</c>), for
/// the expected attach type the program is loaded with where the type's answer depends on it (cgroup/sock_addr's
/// bpf_bind and bpf_setsockopt, the cgroup types' bpf_get_retval / bpf_set_retval, ...). The verifier rejects a call
/// to a helper this table does not allow with <c>program of this type cannot use helper bpf_xxx#N</c>.
/// The privileged table was recorded from the live Linux 6.18 kernel (see HelperAvailability.g.cs).
/// </summary>
public static partial class HelperAvailability
{
    /// <summary>The highest helper id in <c>enum bpf_func_id</c> (the list is final at 211; newer features are kfuncs).</summary>
    public const int MaxHelperId = 211;

    /// <summary>True when <paramref name="type"/> has a recorded table (the other types answer false for every helper).</summary>
    public static bool IsCovered(BpfProgType type) => !Recorded(type, 0).IsEmpty;

    /// <summary>
    /// True when a program of <paramref name="type"/>, loaded with its default expected attach type, may call helper
    /// <paramref name="helperId"/>: see <see cref="IsAllowed(BpfProgType, uint, int, bool)"/>.
    /// </summary>
    public static bool IsAllowed(BpfProgType type, int helperId, bool privileged = true) =>
        IsAllowed(type, 0, helperId, privileged);

    /// <summary>
    /// True when a program of <paramref name="type"/> loaded with <paramref name="expectedAttachType"/> may call
    /// helper <paramref name="helperId"/>. An attach type the table was not recorded for (0 where the type needs
    /// one) answers as the type's default: the first attach type recorded (BPF_CGROUP_INET_SOCK_CREATE for
    /// cgroup/sock, as the kernel's bpf_prog_load_fixup_attach_type makes 0). <paramref name="privileged"/> means
    /// the loader has CAP_BPF and CAP_PERFMON (as root does); without them the helpers
    /// <c>bpf_base_func_proto</c> / <c>bpf_sk_base_func_proto</c> give only to <c>bpf_capable</c> /
    /// <c>perfmon_capable</c> loaders are removed (see <see cref="IsCapabilityGated"/>).
    /// Ids outside 1..<see cref="MaxHelperId"/> and uncovered types answer false.
    /// </summary>
    public static bool IsAllowed(BpfProgType type, uint expectedAttachType, int helperId, bool privileged = true)
    {
        if (helperId <= 0 || helperId > MaxHelperId) return false;
        ReadOnlySpan<ulong> bits = Recorded(type, expectedAttachType);
        if (bits.IsEmpty) return false;
        if ((bits[helperId >> 6] & (1UL << (helperId & 63))) == 0 && !TrampolineOnly(type, expectedAttachType, helperId)) return false;
        return privileged || !IsCapabilityGated(helperId);
    }

    /// <summary>
    /// True for the helpers the 6.18 kernel hands out only to a bpf_capable (CAP_BPF) or perfmon_capable
    /// (CAP_PERFMON) loader: the second and third switch of <c>bpf_base_func_proto</c> (kernel/bpf/helpers.c) and
    /// the <c>bpf_skc_to_*</c> casts of <c>bpf_sk_base_func_proto</c> (net/core/filter.c). Taken from the kernel
    /// source, not measured: this machine runs with kernel.unprivileged_bpf_disabled=2, so an unprivileged load
    /// cannot be tried. Only socket filters and cgroup/skb programs can be loaded without CAP_BPF at all.
    /// </summary>
    public static bool IsCapabilityGated(int helperId) =>
        (uint)helperId <= MaxHelperId && (CapabilityGatedBits[helperId >> 6] & (1UL << (helperId & 63))) != 0;

    /// <summary>
    /// kernel: the helpers tracing_prog_func_proto gives only to programs with a trampoline (bpf_prog_has_trampoline:
    /// fentry, fexit, fmod_ret): bpf_get_func_arg, bpf_get_func_ret, bpf_get_func_arg_cnt. Their table is the tp_btf one
    /// recorded plus these, from the kernel source: this machine's kernel has no BPF trampolines and refuses such
    /// programs before verification, so it cannot be recorded.
    /// </summary>
    private static bool TrampolineOnly(BpfProgType type, uint expectedAttachType, int helperId) =>
        type == BpfProgType.Tracing
        && (BpfAttachType)expectedAttachType is BpfAttachType.TraceFentry or BpfAttachType.TraceFexit or BpfAttachType.ModifyReturn
        && helperId is 183 or 184 or 185;
}
