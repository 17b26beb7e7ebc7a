using BpfSharp.Memory;
using BpfSharp.ProgramTypes;
using BpfSharp.Uapi;
using static BpfSharp.Runtime.Helpers.BpfFunc;
using static BpfSharp.Runtime.Helpers.HelperArgs;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// The skb helpers whose meaning is local to the packet (kernel: net/core/filter.c): copying bytes in and out,
/// growing and shrinking the packet, its type and hash. Helpers that change the packet leave the context's
/// pointers and <c>len</c> current and the run's <see cref="RunContext.Packet"/> with them (the verifier has
/// invalidated the program's packet pointers across such calls).
/// </summary>
public static unsafe class SkbHelpers
{
    /// <summary>BPF_F_RECOMPUTE_CSUM: bpf_skb_store_bytes updates skb->csum.</summary>
    public const ulong BPF_F_RECOMPUTE_CSUM = 1;
    /// <summary>BPF_F_INVALIDATE_HASH: bpf_skb_store_bytes clears skb->hash.</summary>
    public const ulong BPF_F_INVALIDATE_HASH = 2;
    /// <summary>BPF_HDR_START_MAC: bpf_skb_load_bytes_relative counts from the link-layer header.</summary>
    public const ulong BPF_HDR_START_MAC = 0;
    /// <summary>BPF_HDR_START_NET: bpf_skb_load_bytes_relative counts from the network header.</summary>
    public const ulong BPF_HDR_START_NET = 1;

    /// <summary>Registers the skb helpers under their kernel ids.</summary>
    public static void Register(HelperRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(BPF_FUNC_skb_store_bytes, Name(BPF_FUNC_skb_store_bytes), SkbStoreBytes)
            .Register(BPF_FUNC_skb_load_bytes, Name(BPF_FUNC_skb_load_bytes), SkbLoadBytes)
            .Register(BPF_FUNC_skb_load_bytes_relative, Name(BPF_FUNC_skb_load_bytes_relative), SkbLoadBytesRelative)
            .Register(BPF_FUNC_skb_pull_data, Name(BPF_FUNC_skb_pull_data), SkbPullData)
            .Register(BPF_FUNC_skb_change_tail, Name(BPF_FUNC_skb_change_tail), SkbChangeTail)
            .Register(BPF_FUNC_skb_change_head, Name(BPF_FUNC_skb_change_head), SkbChangeHead)
            .Register(BPF_FUNC_skb_change_type, Name(BPF_FUNC_skb_change_type), SkbChangeType)
            .Register(BPF_FUNC_get_hash_recalc, Name(BPF_FUNC_get_hash_recalc), GetHashRecalc)
            .Register(BPF_FUNC_set_hash_invalid, Name(BPF_FUNC_set_hash_invalid), SetHashInvalid)
            .Register(BPF_FUNC_set_hash, Name(BPF_FUNC_set_hash), SetHash)
            .Register(BPF_FUNC_get_cgroup_classid, Name(BPF_FUNC_get_cgroup_classid), GetCgroupClassid);
    }

    /// <summary>
    /// long bpf_skb_store_bytes(skb, u32 offset, const void *from, u32 len, u64 flags): copies len bytes to the packet at
    /// offset. -EINVAL for unknown flags, -EFAULT past the packet; BPF_F_RECOMPUTE_CSUM keeps a CHECKSUM_COMPLETE sum
    /// current, BPF_F_INVALIDATE_HASH clears the hash.
    /// </summary>
    public static ulong SkbStoreBytes(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        SkBuff skb = PacketArgs.Skb(run, r1);
        uint offset = (uint)r2, len = (uint)r4;
        run.CheckAccess(r3, len, AccessKind.Load);
        if ((r5 & ~(BPF_F_RECOMPUTE_CSUM | BPF_F_INVALIDATE_HASH)) != 0)
            return Errno(-Uapi.Errno.EINVAL);
        if (offset > int.MaxValue || (ulong)offset + len > (ulong)skb.Length)
            return Errno(-Uapi.Errno.EFAULT); // kernel: bpf_try_make_writable fails past the packet
        Span<byte> target = skb.Packet.Slice((int)offset, (int)len);
        var from = new ReadOnlySpan<byte>((void*)r3, (int)len);
        bool csum = (r5 & BPF_F_RECOMPUTE_CSUM) != 0 && skb.IpSummed == SkbChecksum.Complete;
        if (csum)
            skb.Csum = InetChecksum.BlockSub(skb.Csum, InetChecksum.Partial(target, 0), (int)offset); // __skb_postpull_rcsum
        from.CopyTo(target);
        if (csum)
            skb.Csum = InetChecksum.BlockAdd(skb.Csum, InetChecksum.Partial(target, 0), (int)offset); // __skb_postpush_rcsum
        if ((r5 & BPF_F_INVALIDATE_HASH) != 0)
            ClearHash(skb);
        Changed(run, skb);
        return 0;
    }

    /// <summary>long bpf_skb_load_bytes(skb, u32 offset, void *to, u32 len): 0, or -EFAULT (to zeroed) if the bytes are not all in the packet.</summary>
    public static ulong SkbLoadBytes(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        SkBuff skb = PacketArgs.Skb(run, r1);
        uint offset = (uint)r2, len = (uint)r4;
        run.CheckAccess(r3, len, AccessKind.Store);
        var to = new Span<byte>((void*)r3, (int)len);
        if (offset > int.MaxValue || (ulong)offset + len > (ulong)skb.Length)
        {
            to.Clear();
            return Errno(-Uapi.Errno.EFAULT);
        }
        skb.Packet.Slice((int)offset, (int)len).CopyTo(to);
        return 0;
    }

    /// <summary>
    /// long bpf_skb_load_bytes_relative(skb, u32 offset, void *to, u32 len, u32 start_header): as bpf_skb_load_bytes, but
    /// offset counts from the link-layer (BPF_HDR_START_MAC) or network (BPF_HDR_START_NET) header; -EFAULT (to zeroed)
    /// for an offset above 0xffff, another start_header, an unset header, or bytes past the packet.
    /// </summary>
    public static ulong SkbLoadBytesRelative(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        SkBuff skb = PacketArgs.Skb(run, r1);
        uint offset = (uint)r2, len = (uint)r4;
        run.CheckAccess(r3, len, AccessKind.Store);
        var to = new Span<byte>((void*)r3, (int)len);
        int? start = (uint)r5 switch
        {
            (uint)BPF_HDR_START_MAC => skb.MacHeaderOffset,
            (uint)BPF_HDR_START_NET => skb.NetworkHeaderOffset,
            _ => null,
        };
        // kernel: ptr = start + offset must end by the tail; the header may lie before data (a pulled header)
        long from = start.GetValueOrDefault() + (long)offset;
        if (offset > 0xffff || start is null || from + len > skb.Length || skb.Headroom + from < 0)
        {
            to.Clear();
            return Errno(-Uapi.Errno.EFAULT);
        }
        new ReadOnlySpan<byte>((byte*)skb.Data + from, (int)len).CopyTo(to);
        return 0;
    }

    /// <summary>long bpf_skb_pull_data(skb, u32 len): 0 (the packet is linear), or -ENOMEM for more than the packet.</summary>
    public static ulong SkbPullData(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        SkBuff skb = PacketArgs.Skb(run, r1);
        uint len = (uint)r2;
        int err = len > (uint)skb.Length ? -Uapi.Errno.ENOMEM : 0;
        Changed(run, skb);
        return Errno(err);
    }

    /// <summary>
    /// long bpf_skb_change_tail(skb, u32 len, u64 flags): grows (with zeros) or trims the packet to len. -EINVAL for flags,
    /// a length above BPF_SKB_MAX_LEN or below the network header's offset.
    /// </summary>
    public static ulong SkbChangeTail(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        SkBuff skb = PacketArgs.Skb(run, r1);
        uint len = (uint)r2;
        if (r3 != 0 || len > SkBuff.MaxLength || len < MinLength(skb))
            return Errno(-Uapi.Errno.EINVAL);
        if (len < (uint)skb.Length && skb.IpSummed == SkbChecksum.Complete)
            skb.Csum = InetChecksum.BlockSub(skb.Csum, InetChecksum.Partial(skb.Packet[(int)len..], 0), (int)len); // pskb_trim_rcsum
        skb.Resize((int)len);
        Changed(run, skb);
        return 0;
    }

    /// <summary>
    /// long bpf_skb_change_head(skb, u32 len, u64 flags): prepends len zeroed bytes and makes them the link-layer header.
    /// -EINVAL for flags or a length above BPF_SKB_MAX_LEN.
    /// </summary>
    public static ulong SkbChangeHead(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        SkBuff skb = PacketArgs.Skb(run, r1);
        uint room = (uint)r2;
        uint newLen = (uint)skb.Length + room;
        if (r3 != 0 || newLen > SkBuff.MaxLength || newLen < (uint)skb.Length)
            return Errno(-Uapi.Errno.EINVAL);
        skb.Push((int)room);
        skb.ResetMacHeader();
        Changed(run, skb);
        return 0;
    }

    /// <summary>long bpf_skb_change_type(skb, u32 type): sets pkt_type; -EINVAL unless both the old and the new type are PACKET_HOST..PACKET_OTHERHOST.</summary>
    public static ulong SkbChangeType(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        SkBuff skb = PacketArgs.Skb(run, r1);
        uint type = (uint)r2;
        if (skb.PktType > EthTypeTrans.PacketOtherHost || type > EthTypeTrans.PacketOtherHost)
            return Errno(-Uapi.Errno.EINVAL);
        skb.PktType = type;
        return 0;
    }

    /// <summary>
    /// u32 bpf_get_hash_recalc(skb): skb->hash, computed from the flow (addresses, protocol, ports) if none is set.
    /// The value is this runtime's own flow hash: the kernel's is keyed by a random boot-time secret.
    /// </summary>
    public static ulong GetHashRecalc(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        SkBuff skb = PacketArgs.Skb(run, r1);
        if (!skb.HashValid)
        {
            skb.Hash = FlowHash.Compute(skb, out bool l4);
            skb.HashValid = true;
            skb.L4Hash = l4;
        }
        return skb.Hash;
    }

    /// <summary>void bpf_set_hash_invalid(skb): clears skb->hash (returns 0).</summary>
    public static ulong SetHashInvalid(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        ClearHash(PacketArgs.Skb(run, r1));
        return 0;
    }

    /// <summary>long bpf_set_hash(skb, u32 hash): sets skb->hash as a layer-4 software hash (returns 0).</summary>
    public static ulong SetHash(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        SkBuff skb = PacketArgs.Skb(run, r1);
        skb.Hash = (uint)r2;
        skb.HashValid = true;
        skb.L4Hash = true;
        return 0;
    }

    /// <summary>u32 bpf_get_cgroup_classid(skb): 0, the net_cls class of the root cgroup (no class is ever set here).</summary>
    public static ulong GetCgroupClassid(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        PacketArgs.Skb(run, r1);
        return 0;
    }

    // kernel: __bpf_skb_min_len: the packet may not shrink into the network header (no transport header is set).
    private static uint MinLength(SkBuff skb) => (uint)skb.NetworkHeaderOffset.GetValueOrDefault();

    // kernel: skb_clear_hash
    private static void ClearHash(SkBuff skb)
    {
        skb.Hash = 0;
        skb.HashValid = false;
        skb.L4Hash = false;
    }

    // kernel: bpf_compute_data_pointers after a helper that may change packet data.
    private static void Changed(RunContext run, SkBuff skb)
    {
        skb.ComputeDataPointers();
        run.SyncPacket();
    }
}
