using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_SK_LOOKUP (kernel: sk_lookup_verifier_ops), which picks the listening socket for a new connection:
/// reads <c>struct bpf_sk_lookup</c> (72 bytes): sk is a socket or NULL (the one selected so far), the u32 fields
/// also in part, remote_port (a __be16) as 4 bytes or in part, the 2 bytes of padding after it in part; writes
/// nothing. Returns SK_DROP (0) or SK_PASS (1).
/// </summary>
internal sealed class SkLookupOps() : KernelVerifierOps(BpfProgType.SkLookup, Size)
{
    private const int Size = 72;
    private const int Sk = 0, Family = 8, Protocol = 12, RemoteIp4 = 16, RemoteIp6 = 20, RemotePort = 36, LocalIp4 = 40,
        LocalIp6 = 44, LocalPort = 60, IngressIfindex = 64;

    /// <inheritdoc/>
    public override RetvalRange? ReturnRange(uint expectedAttachType) => new RetvalRange(0, 1);

    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info)
    {
        // kernel: sk_lookup_is_valid_access
        if (off < 0 || off >= Size || off % size != 0 || type != BpfAccessType.Read)
            return false;
        if (off == Sk)
        {
            info.RegType = RegType.PtrToSocketOrNull;
            return size == sizeof(ulong);
        }
        if (CtxField.In(off, Family, 4) || CtxField.In(off, Protocol, 4) || CtxField.In(off, RemoteIp4, 4)
            || CtxField.In(off, LocalIp4, 4) || CtxField.In(off, RemoteIp6, 16) || CtxField.In(off, LocalIp6, 16)
            || CtxField.In(off, LocalPort, 4) || CtxField.In(off, IngressIfindex, 4))
        {
            info.CtxFieldSize = sizeof(uint);
            return CtxField.NarrowAccessOk(size, sizeof(uint));
        }
        if (CtxField.In(off, RemotePort, 2))
        {
            if (size == sizeof(uint))
                return true; // a 4-byte load of the 2-byte field, kept for old programs
            info.CtxFieldSize = sizeof(ushort);
            return CtxField.NarrowAccessOk(size, sizeof(ushort));
        }
        if (CtxField.In(off, RemotePort + 2, 2))
        {
            info.CtxFieldSize = sizeof(ushort); // the zero padding, readable for old programs
            return CtxField.NarrowAccessOk(size, sizeof(ushort));
        }
        return false;
    }
}
