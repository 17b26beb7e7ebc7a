using BpfSharp.Elf.Btf;
using BpfSharp.Uapi;

namespace BpfSharp.Elf;

/// <summary>
/// How libbpf finds a program's attach_btf_id in the kernel's BTF from its section (libbpf:
/// libbpf_find_attach_btf_id, find_kernel_btf_id, btf_get_kernel_prefix_kind): <c>tp_btf/NAME</c> names the
/// typedef <c>btf_trace_NAME</c>, <c>lsm/NAME</c> the function <c>bpf_lsm_NAME</c>, <c>iter/NAME</c> the function
/// <c>bpf_iter_NAME</c>, and <c>fentry/</c>, <c>fexit/</c>, <c>fmod_ret/</c> the function NAME itself.
/// Kernel modules' BTF is not searched (only vmlinux).
/// </summary>
public static class AttachBtf
{
    /// <summary>True for the attach types whose programs name a kernel BTF type (libbpf: SEC_ATTACH_BTF).</summary>
    public static bool NeedsAttachBtfId(BpfProgType type, uint expectedAttachType) =>
        type is BpfProgType.Tracing or BpfProgType.Lsm
        && (BpfAttachType)expectedAttachType is BpfAttachType.TraceRawTp or BpfAttachType.TraceFentry
            or BpfAttachType.TraceFexit or BpfAttachType.ModifyReturn or BpfAttachType.TraceIter
            or BpfAttachType.LsmMac or BpfAttachType.LsmCgroup;

    /// <summary>The name prefix and BTF kind libbpf looks for with <paramref name="expectedAttachType"/> (btf_get_kernel_prefix_kind).</summary>
    public static (string Prefix, BtfKind Kind) PrefixKind(uint expectedAttachType) => (BpfAttachType)expectedAttachType switch
    {
        BpfAttachType.TraceRawTp => ("btf_trace_", BtfKind.Typedef),
        BpfAttachType.LsmMac or BpfAttachType.LsmCgroup => ("bpf_lsm_", BtfKind.Func),
        BpfAttachType.TraceIter => ("bpf_iter_", BtfKind.Func),
        _ => ("", BtfKind.Func),
    };

    /// <summary>
    /// The id of the type <paramref name="target"/> (the section's text after its prefix) names in
    /// <paramref name="vmlinux"/> for <paramref name="expectedAttachType"/>: 0 and the id, or -ESRCH (libbpf's
    /// errno) when there is no BTF or no such type.
    /// </summary>
    public static int Find(BtfBlob? vmlinux, uint expectedAttachType, string target, out uint id)
    {
        ArgumentNullException.ThrowIfNull(target);
        id = 0;
        if (vmlinux is null) return -Errno.ESRCH;
        (string prefix, BtfKind kind) = PrefixKind(expectedAttachType);
        if (vmlinux.FindByName(prefix + target, kind) is not { } found) return -Errno.ESRCH;
        id = found;
        return 0;
    }
}
