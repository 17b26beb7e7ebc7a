using BpfSharp.Uapi;
using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// The context of each program type (kernel: check_ctx_access and the type's is_valid_access): offsets,
// sizes, narrow loads, writes, stores of immediates and atomics into ctx, LD_ABS, and direct packet access
// through data/data_end. Offsets: struct __sk_buff (len 0, mark 8, priority 32, cb[0..4] 48-67,
// tc_classid 72, data 76, data_end 80, family 88, 192 bytes), struct xdp_md (data 0, data_end 4,
// data_meta 8, ingress_ifindex 12, rx_queue_index 16, egress_ifindex 20, 24 bytes), x86-64 struct pt_regs
// (168 bytes), and a tracepoint's record (its first 8 bytes are the common fields).
internal static partial class VerifierCorpus
{
    private static VerifierCase[] Ctx() =>
    [
        // Socket filter.
        new("ctx/sk_len_u32", SocketFilter, Root, """
            r0 = *(u32 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/sk_len_u64", SocketFilter, Root, """
            r0 = *(u64 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=0 size=8")),
        new("ctx/sk_len_u8", SocketFilter, Root, """
            r0 = *(u8 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/sk_len_u8_at_3", SocketFilter, Root, """
            r0 = *(u8 *)(r1 +3)
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/sk_len_u16_at_1", SocketFilter, Root, """
            r0 = *(u16 *)(r1 +1)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=1 size=2")),
        new("ctx/sk_mark_read", SocketFilter, Root, """
            r0 = *(u32 *)(r1 +8)
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/sk_len_write", SocketFilter, Root, """
            r2 = 0
            *(u32 *)(r1 +0) = r2
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=0 size=4")),
        new("ctx/sk_mark_write", SocketFilter, Root, """
            r2 = 0
            *(u32 *)(r1 +8) = r2
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=8 size=4")),
        new("ctx/sk_cb0_write", SocketFilter, Root, """
            r2 = 0
            *(u32 *)(r1 +48) = r2
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/sk_cb4_write", SocketFilter, Root, """
            r2 = 0
            *(u32 *)(r1 +64) = r2
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/sk_cb4_write_u64", SocketFilter, Root, """
            r2 = 0
            *(u64 *)(r1 +64) = r2
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=64 size=8")),
        new("ctx/sk_cb0_store_imm", SocketFilter, Root, """
            *(u32 *)(r1 +48) = 0
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/sk_cb0_atomic_add", SocketFilter, Root, """
            r2 = 1
            lock *(u32 *)(r1 +48) += r2
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "BPF_ATOMIC stores into R1 ctx is not allowed")),
        new("ctx/sk_data_read", SocketFilter, Root, """
            r0 = *(u32 *)(r1 +76)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=76 size=4")),
        new("ctx/sk_read_past_end", SocketFilter, Root, """
            r0 = *(u32 *)(r1 +192)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=192 size=4")),
        new("ctx/sk_read_negative", SocketFilter, Root, """
            r0 = *(u32 *)(r1 -4)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=-4 size=4")),
        new("ctx/sk_ld_abs", SocketFilter, Root, """
            r6 = r1
            r0 = *(u8 *)skb[0]
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/sk_ld_abs_r6_not_ctx", SocketFilter, Root, """
            r6 = 0
            r0 = *(u8 *)skb[0]
            exit
            """, NoMaps, Kernel: Reject(22, "at the time of BPF_LD_ABS|IND R6 != pointer to skb")),
        new("ctx/xdp_ld_abs", Xdp, Root, """
            r6 = r1
            r0 = *(u8 *)skb[0]
            exit
            """, NoMaps, Kernel: Reject(22, "BPF_LD_[ABS|IND] instructions not allowed for this program type")),

        // Traffic control classifier.
        new("ctx/cls_data_and_data_end", SchedCls, Root, """
            r2 = *(u32 *)(r1 +76)
            r3 = *(u32 *)(r1 +80)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/cls_data_u16", SchedCls, Root, """
            r2 = *(u16 *)(r1 +76)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=76 size=2")),
        new("ctx/cls_mark_write", SchedCls, Root, """
            r2 = 0
            *(u32 *)(r1 +8) = r2
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/cls_priority_write", SchedCls, Root, """
            r2 = 0
            *(u32 *)(r1 +32) = r2
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/cls_tc_classid_write", SchedCls, Root, """
            r2 = 0
            *(u32 *)(r1 +72) = r2
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/cls_len_write", SchedCls, Root, """
            r2 = 0
            *(u32 *)(r1 +0) = r2
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=0 size=4")),
        new("ctx/cls_data_write", SchedCls, Root, """
            r2 = 0
            *(u32 *)(r1 +76) = r2
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=76 size=4")),
        new("ctx/cls_family_read", SchedCls, Root, """
            r0 = *(u32 *)(r1 +88)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=88 size=4")),
        new("ctx/cls_pkt_read_unchecked", SchedCls, Root, """
            r2 = *(u32 *)(r1 +76)
            r0 = *(u8 *)(r2 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("ctx/cls_pkt_read_checked", SchedCls, Root, """
            r2 = *(u32 *)(r1 +76)
            r3 = *(u32 *)(r1 +80)
            r4 = r2
            r4 += 14
            if r4 > r3 goto out
            r0 = *(u16 *)(r2 +12)
            exit
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/cls_pkt_read_past_check", SchedCls, Root, """
            r2 = *(u32 *)(r1 +76)
            r3 = *(u32 *)(r1 +80)
            r4 = r2
            r4 += 14
            if r4 > r3 goto out
            r0 = *(u16 *)(r2 +13)
            exit
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),
        new("ctx/cls_pkt_write_checked", SchedCls, Root, """
            r2 = *(u32 *)(r1 +76)
            r3 = *(u32 *)(r1 +80)
            r4 = r2
            r4 += 1
            if r4 > r3 goto out
            *(u8 *)(r2 +0) = 1
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),

        // XDP.
        new("ctx/xdp_data_fields", Xdp, Root, """
            r2 = *(u32 *)(r1 +0)
            r3 = *(u32 *)(r1 +4)
            r4 = *(u32 *)(r1 +8)
            r0 = 2
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/xdp_ifindex_and_queue", Xdp, Root, """
            r2 = *(u32 *)(r1 +12)
            r0 = *(u32 *)(r1 +16)
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/xdp_egress_ifindex", Xdp, Root, """
            r0 = *(u32 *)(r1 +20)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=20 size=4")),
        new("ctx/xdp_egress_ifindex_devmap", Xdp, Root, """
            r0 = *(u32 *)(r1 +20)
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: (uint)BpfAttachType.XdpDevmap),
        new("ctx/xdp_data_write", Xdp, Root, """
            r2 = 0
            *(u32 *)(r1 +0) = r2
            r0 = 2
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=0 size=4")),
        new("ctx/xdp_data_u64", Xdp, Root, """
            r2 = *(u64 *)(r1 +0)
            r0 = 2
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=0 size=8")),
        new("ctx/xdp_read_past_end", Xdp, Root, """
            r0 = *(u32 *)(r1 +24)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=24 size=4")),
        new("ctx/xdp_ifindex_u16", Xdp, Root, """
            r0 = *(u16 *)(r1 +12)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=12 size=2")),
        new("ctx/xdp_pkt_read_checked", Xdp, Root, """
            r2 = *(u32 *)(r1 +0)
            r3 = *(u32 *)(r1 +4)
            r4 = r2
            r4 += 4
            if r4 > r3 goto out
            r0 = *(u32 *)(r2 +0)
            exit
            out:
            r0 = 2
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/xdp_pkt_read_unchecked", Xdp, Root, """
            r2 = *(u32 *)(r1 +0)
            r0 = *(u32 *)(r2 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet")),

        // Kprobe (struct pt_regs).
        new("ctx/kprobe_read_first", Kprobe, Root, """
            r0 = *(u64 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/kprobe_read_last", Kprobe, Root, """
            r0 = *(u64 *)(r1 +160)
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/kprobe_read_past_end", Kprobe, Root, """
            r0 = *(u64 *)(r1 +168)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=168 size=8")),
        new("ctx/kprobe_read_u32", Kprobe, Root, """
            r0 = *(u32 *)(r1 +4)
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/kprobe_read_misaligned", Kprobe, Root, """
            r0 = *(u64 *)(r1 +4)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=4 size=8")),
        new("ctx/kprobe_write", Kprobe, Root, """
            r2 = 0
            *(u64 *)(r1 +0) = r2
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=0 size=8")),
        new("ctx/kprobe_read_negative", Kprobe, Root, """
            r0 = *(u64 *)(r1 -8)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=-8 size=8")),

        // Tracepoint.
        new("ctx/tp_read_at_8", Tracepoint, Root, """
            r0 = *(u64 *)(r1 +8)
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/tp_read_u32_at_12", Tracepoint, Root, """
            r0 = *(u32 *)(r1 +12)
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/tp_read_common_fields", Tracepoint, Root, """
            r0 = *(u64 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=0 size=8")),
        new("ctx/tp_read_misaligned", Tracepoint, Root, """
            r0 = *(u64 *)(r1 +12)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=12 size=8")),
        new("ctx/tp_write", Tracepoint, Root, """
            r2 = 0
            *(u64 *)(r1 +8) = r2
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=8 size=8")),

        // cgroup skb.
        new("ctx/cgskb_len_read", CgroupSkb, Root, """
            r0 = *(u32 *)(r1 +0)
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/cgskb_data_read", CgroupSkb, Root, """
            r2 = *(u32 *)(r1 +76)
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/cgskb_mark_write", CgroupSkb, Root, """
            r2 = 0
            *(u32 *)(r1 +8) = r2
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept),
        // Without CAP_BPF a cgroup skb program may not read data/data_end nor write tstamp (cg_skb_is_valid_access).
        new("ctx/cgskb_data_read_unpriv", CgroupSkb, Unprivileged, """
            r2 = *(u32 *)(r1 +76)
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=76 size=4")),
        new("ctx/cgskb_tstamp_write_unpriv", CgroupSkb, Unprivileged, """
            r2 = 0
            *(u64 *)(r1 +152) = r2
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=152 size=8")),
        new("ctx/cgskb_mark_write_unpriv", CgroupSkb, Unprivileged, """
            r2 = 0
            *(u32 *)(r1 +8) = r2
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept),
        new("ctx/cgskb_len_write", CgroupSkb, Root, """
            r2 = 0
            *(u32 *)(r1 +0) = r2
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=0 size=4")),
    ];
}
