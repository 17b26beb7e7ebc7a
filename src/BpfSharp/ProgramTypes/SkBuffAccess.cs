using BpfSharp.Verifier;
using static BpfSharp.ProgramTypes.SkBuffLayout;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// The <c>struct __sk_buff</c> rules every skb program type ends in (kernel: bpf_skb_is_valid_access,
/// net/core/filter.c); the types' own rules (<see cref="SocketFilterOps"/>, <see cref="TcClsActOps"/>,
/// <see cref="CgroupSkbOps"/>) run first and narrow what may be written.
/// </summary>
internal static class SkBuffAccess
{
    /// <summary>
    /// <see cref="IsValid"/> for the types whose data and data_end fields load packet pointers (no data_meta): those
    /// loads get PTR_TO_PACKET and PTR_TO_PACKET_END.
    /// </summary>
    public static bool IsValidWithPacketPointers(int off, int size, BpfAccessType type, ref CtxAccessInfo info)
    {
        if (CtxField.In(off, Data, 4))
            info.RegType = RegType.PtrToPacket;
        else if (CtxField.In(off, DataEnd, 4))
            info.RegType = RegType.PtrToPacketEnd;
        return IsValid(off, size, type, ref info);
    }

    /// <summary>Whether the access passes the common __sk_buff rules; sets the field size of a narrow load.</summary>
    public static bool IsValid(int off, int size, BpfAccessType type, ref CtxAccessInfo info)
    {
        const int sizeDefault = sizeof(uint);
        if (off < 0 || off >= SkBuffLayout.Size || off % size != 0)
            return false;

        if (CtxField.In(off, Cb, CbSize))
            return off + size <= Cb + CbSize; // any size, read or write, within cb[]
        if (CtxField.In(off, Data, 4) || CtxField.In(off, DataMeta, 4) || CtxField.In(off, DataEnd, 4))
            return !info.IsLdsx && size == sizeDefault;
        if (CtxField.InTill(off, RemoteIp6, LocalIp6, 16) || CtxField.In(off, RemoteIp4, 4) || CtxField.In(off, LocalIp4, 4))
            return size == sizeDefault;
        if (CtxField.In(off, FlowKeys, 8))
            return false; // flow dissector programs only
        if (CtxField.In(off, Hwtstamp, 8))
            return type == BpfAccessType.Read && size == sizeof(ulong);
        if (CtxField.In(off, Tstamp, 8))
            return size == sizeof(ulong);
        if (CtxField.In(off, Sk, 8))
        {
            if (type == BpfAccessType.Write || size != sizeof(ulong))
                return false;
            info.RegType = RegType.PtrToSockCommonOrNull;
            return true;
        }
        if (off >= TstampType && off < Hwtstamp)
            return false; // tstamp_type (tc only) and the padding after it

        // Every other field is a __u32: written whole, read whole or in part (narrow loads).
        if (type == BpfAccessType.Write)
            return size == sizeDefault;
        info.CtxFieldSize = sizeDefault;
        return CtxField.NarrowAccessOk(size, sizeDefault);
    }
}
