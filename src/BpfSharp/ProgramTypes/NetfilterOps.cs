using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_NETFILTER (kernel: netfilter_verifier_ops, net/netfilter/nf_bpf_link.c): the context is
/// <c>struct bpf_nf_ctx</c> (the hook state and the sk_buff pointers, 16 bytes), each read whole as a trusted
/// pointer to the kernel's <c>struct nf_hook_state</c> / <c>struct sk_buff</c> (PTR_TO_BTF_ID | PTR_TRUSTED);
/// nothing written. Returns NF_DROP (0) or NF_ACCEPT (1).
/// </summary>
/// <remarks>
/// The pointers are typed by the kernel's BTF, which BpfSharp does not have: the loaded register carries no BTF id,
/// so reading through it is refused (a program can still pass them on or compare them).
/// </remarks>
internal sealed class NetfilterOps() : KernelVerifierOps(BpfProgType.Netfilter, Size)
{
    private const int Size = 16;
    private const int State = 0, Skb = 8;

    /// <inheritdoc/>
    public override RetvalRange? ReturnRange(uint expectedAttachType) => new RetvalRange(0, 1);

    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info)
    {
        // kernel: nf_is_valid_access
        if (off < 0 || off >= Size || off % size != 0 || type == BpfAccessType.Write)
            return false;
        if (!CtxField.In(off, State, 8) && !CtxField.In(off, Skb, 8))
            return false;
        if (size != sizeof(ulong))
            return false;
        info.RegType = RegType.PtrToBtfId | RegType.PtrTrusted;
        return true;
    }
}
