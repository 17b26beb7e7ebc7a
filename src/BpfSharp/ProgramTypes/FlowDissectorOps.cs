using BpfSharp.Uapi;
using BpfSharp.Verifier;
using static BpfSharp.ProgramTypes.SkBuffLayout;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_FLOW_DISSECTOR (kernel: flow_dissector_verifier_ops): of <c>struct __sk_buff</c> only data and
/// data_end (packet pointers, read only) and flow_keys (a pointer to the <c>struct bpf_flow_keys</c> the program
/// fills in) may be read; nothing written. Any return value (the kernel reads BPF_OK / BPF_DROP).
/// </summary>
internal sealed class FlowDissectorOps() : KernelVerifierOps(BpfProgType.FlowDissector, SkBuffLayout.Size)
{
    /// <summary>sizeof(struct bpf_flow_keys): what a program may read and write through its flow_keys pointer.</summary>
    public const int FlowKeysSize = 56;

    /// <inheritdoc/>
    public override bool MayReadPacketData => true;

    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info)
    {
        // kernel: flow_dissector_is_valid_access
        if (off < 0 || off >= SkBuffLayout.Size || off % size != 0 || type == BpfAccessType.Write)
            return false;
        if (CtxField.In(off, Data, 4))
        {
            info.RegType = RegType.PtrToPacket;
            return size == sizeof(uint) && !info.IsLdsx;
        }
        if (CtxField.In(off, DataEnd, 4))
        {
            info.RegType = RegType.PtrToPacketEnd;
            return size == sizeof(uint) && !info.IsLdsx;
        }
        if (CtxField.In(off, FlowKeys, 8))
        {
            info.RegType = RegType.PtrToFlowKeys;
            return size == sizeof(ulong);
        }
        return false;
    }
}
