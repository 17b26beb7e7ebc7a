using BpfSharp.Memory;
using BpfSharp.ProgramTypes;
using static BpfSharp.Runtime.Helpers.BpfFunc;
using static BpfSharp.Runtime.Helpers.HelperArgs;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// The checksum helpers (kernel: net/core/filter.c): bpf_csum_diff on any memory, and the in-place updates of an
/// IPv4 header checksum (bpf_l3_csum_replace) or a TCP/UDP checksum (bpf_l4_csum_replace) in an skb, with the
/// kernel's x86-64 arithmetic (<see cref="InetChecksum"/>).
/// </summary>
public static unsafe class CsumHelpers
{
    /// <summary>BPF_F_HDR_FIELD_MASK: the size (0, 2, 4) of the field that changed.</summary>
    public const ulong BPF_F_HDR_FIELD_MASK = 0xf;
    /// <summary>BPF_F_PSEUDO_HDR: the field is part of the pseudo-header.</summary>
    public const ulong BPF_F_PSEUDO_HDR = 1 << 4;
    /// <summary>BPF_F_MARK_MANGLED_0: a zero checksum (UDP: none) stays zero, a computed zero becomes 0xffff.</summary>
    public const ulong BPF_F_MARK_MANGLED_0 = 1 << 5;
    /// <summary>BPF_F_MARK_ENFORCE: update even a zero checksum.</summary>
    public const ulong BPF_F_MARK_ENFORCE = 1 << 6;
    /// <summary>BPF_F_IPV6: the pseudo-header is IPv6's (it does not enter skb->csum).</summary>
    public const ulong BPF_F_IPV6 = 1 << 7;

    private const ushort CsumMangled0 = 0xffff; // kernel: CSUM_MANGLED_0

    /// <summary>Registers csum_diff, csum_update, l3_csum_replace and l4_csum_replace under their kernel ids.</summary>
    public static void Register(HelperRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(BPF_FUNC_csum_diff, Name(BPF_FUNC_csum_diff), CsumDiff)
            .Register(BPF_FUNC_csum_update, Name(BPF_FUNC_csum_update), CsumUpdate)
            .Register(BPF_FUNC_l3_csum_replace, Name(BPF_FUNC_l3_csum_replace), L3CsumReplace)
            .Register(BPF_FUNC_l4_csum_replace, Name(BPF_FUNC_l4_csum_replace), L4CsumReplace);
    }

    /// <summary>
    /// s64 bpf_csum_diff(__be32 *from, u32 from_size, __be32 *to, u32 to_size, __wsum seed): the one's-complement sum of
    /// to minus that of from, on top of seed, folded to 16 bits (seed alone, folded, when both sizes are 0).
    /// </summary>
    public static ulong CsumDiff(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        uint fromSize = (uint)r2, toSize = (uint)r4, seed = (uint)r5;
        run.CheckAccess(r1, fromSize, AccessKind.Load);
        run.CheckAccess(r3, toSize, AccessKind.Load);
        var from = new ReadOnlySpan<byte>((void*)r1, (int)fromSize);
        var to = new ReadOnlySpan<byte>((void*)r3, (int)toSize);
        if (fromSize != 0 && toSize != 0)
            return InetChecksum.From32To16(InetChecksum.Sub(InetChecksum.Partial(to, seed), InetChecksum.Partial(from, 0)));
        if (toSize != 0)
            return InetChecksum.From32To16(InetChecksum.Partial(to, seed));
        if (fromSize != 0)
            return InetChecksum.From32To16(~InetChecksum.Partial(from, ~seed));
        return InetChecksum.From32To16(seed);
    }

    /// <summary>s64 bpf_csum_update(skb, __wsum csum): adds csum to a CHECKSUM_COMPLETE skb's sum and returns it; -ENOTSUPP otherwise.</summary>
    public static ulong CsumUpdate(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        SkBuff skb = PacketArgs.Skb(run, r1);
        if (skb.IpSummed != SkbChecksum.Complete)
            return Errno(-Uapi.Errno.ENOTSUPP);
        skb.Csum = InetChecksum.Add(skb.Csum, (uint)r2);
        return skb.Csum;
    }

    /// <summary>
    /// long bpf_l3_csum_replace(skb, u32 offset, u64 from, u64 to, u64 flags): updates the checksum at offset for a
    /// field of flags &amp; BPF_F_HDR_FIELD_MASK bytes (2, 4; 0: to is a csum_diff) changing from from to to.
    /// -EINVAL for other flags or sizes, -EFAULT for an odd offset, one above 0xffff, or past the packet.
    /// </summary>
    public static ulong L3CsumReplace(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        SkBuff skb = PacketArgs.Skb(run, r1);
        uint offset = (uint)r2;
        if ((r5 & ~BPF_F_HDR_FIELD_MASK) != 0)
            return Errno(-Uapi.Errno.EINVAL);
        if (offset > 0xffff || (offset & 1) != 0 || offset + 2 > (uint)skb.Length)
            return Errno(-Uapi.Errno.EFAULT);
        ushort* check = (ushort*)((byte*)skb.Data + offset);
        switch (r5 & BPF_F_HDR_FIELD_MASK)
        {
            case 0:
                if (r3 != 0) return Errno(-Uapi.Errno.EINVAL);
                *check = InetChecksum.ReplaceByDiff(*check, (uint)r4);
                break;
            case 2:
                *check = InetChecksum.Replace2(*check, (ushort)r3, (ushort)r4);
                break;
            case 4:
                *check = InetChecksum.Replace4(*check, (uint)r3, (uint)r4);
                break;
            default:
                return Errno(-Uapi.Errno.EINVAL);
        }
        Changed(run, skb);
        return 0;
    }

    /// <summary>
    /// long bpf_l4_csum_replace(skb, u32 offset, u64 from, u64 to, u64 flags): as bpf_l3_csum_replace for a transport
    /// checksum, with BPF_F_PSEUDO_HDR (also update skb->csum for CHECKSUM_COMPLETE), BPF_F_MARK_MANGLED_0 and
    /// BPF_F_MARK_ENFORCE (UDP's zero checksum), BPF_F_IPV6.
    /// </summary>
    public static ulong L4CsumReplace(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        SkBuff skb = PacketArgs.Skb(run, r1);
        uint offset = (uint)r2;
        ulong flags = r5;
        bool pseudo = (flags & BPF_F_PSEUDO_HDR) != 0, mangled0 = (flags & BPF_F_MARK_MANGLED_0) != 0;
        bool enforce = (flags & BPF_F_MARK_ENFORCE) != 0, ipv6 = (flags & BPF_F_IPV6) != 0;
        if ((flags & ~(BPF_F_MARK_MANGLED_0 | BPF_F_MARK_ENFORCE | BPF_F_PSEUDO_HDR | BPF_F_HDR_FIELD_MASK | BPF_F_IPV6)) != 0)
            return Errno(-Uapi.Errno.EINVAL);
        if (offset > 0xffff || (offset & 1) != 0 || offset + 2 > (uint)skb.Length)
            return Errno(-Uapi.Errno.EFAULT);
        ushort* check = (ushort*)((byte*)skb.Data + offset);
        if (mangled0 && !enforce && *check == 0)
        {
            Changed(run, skb);
            return 0;
        }
        switch (flags & BPF_F_HDR_FIELD_MASK)
        {
            case 0:
                if (r3 != 0) return Errno(-Uapi.Errno.EINVAL);
                ProtoReplaceByDiff(skb, check, (uint)r4, pseudo, ipv6);
                break;
            case 2:
                ProtoReplace4(skb, check, (ushort)r3, (ushort)r4, pseudo);
                break;
            case 4:
                ProtoReplace4(skb, check, (uint)r3, (uint)r4, pseudo);
                break;
            default:
                return Errno(-Uapi.Errno.EINVAL);
        }
        if (mangled0 && *check == 0)
            *check = CsumMangled0;
        Changed(run, skb);
        return 0;
    }

    // kernel: inet_proto_csum_replace4 (and _replace2, which widens its 16-bit values)
    private static void ProtoReplace4(SkBuff skb, ushort* check, uint from, uint to, bool pseudo)
    {
        if (skb.IpSummed != SkbChecksum.Partial)
        {
            *check = InetChecksum.ProtoReplace4(*check, from, to);
            if (skb.IpSummed == SkbChecksum.Complete && pseudo)
                skb.Csum = ~InetChecksum.Diff4(from, to, ~skb.Csum);
        }
        else if (pseudo)
        {
            *check = (ushort)~InetChecksum.Fold(InetChecksum.Diff4(from, to, *check));
        }
    }

    // kernel: inet_proto_csum_replace_by_diff
    private static void ProtoReplaceByDiff(SkBuff skb, ushort* check, uint diff, bool pseudo, bool ipv6)
    {
        if (skb.IpSummed != SkbChecksum.Partial)
        {
            *check = InetChecksum.ReplaceByDiff(*check, diff);
            if (skb.IpSummed == SkbChecksum.Complete && pseudo && !ipv6)
                skb.Csum = ~InetChecksum.Add(diff, ~skb.Csum);
        }
        else if (pseudo)
        {
            *check = (ushort)~InetChecksum.Fold(InetChecksum.Add(diff, *check));
        }
    }

    // kernel: bpf_try_make_writable recomputes the data pointers.
    private static void Changed(RunContext run, SkBuff skb)
    {
        skb.ComputeDataPointers();
        run.SyncPacket();
    }
}
