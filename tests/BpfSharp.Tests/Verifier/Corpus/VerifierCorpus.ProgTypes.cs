using BpfSharp.Uapi;
using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// Whole programs of the program types beyond socket filters, tc, xdp, cgroup/skb and tracing: their contexts
// (include/uapi/linux/bpf.h: struct __sk_buff for sk_skb, lwt and the flow dissector; sk_msg_md: data 0,
// data_end 8, size 68, sk 72; bpf_sock_ops: op 0, reply 4, sk 184, skb_data 192, skb_data_end 200;
// bpf_sock: bound_dev_if 0, family 4, mark 16, src_ip4 24, src_port 44; bpf_sock_addr: user_ip4 4, user_ip6 8,
// user_port 24, sk 64; bpf_flow_keys: 56 bytes, nhoff 0; bpf_cgroup_dev_ctx: access_type 0, major 4, minor 8;
// bpf_sysctl: write 0, file_pos 4; bpf_sockopt: sk 0, optval 8, optval_end 16, level 24, optname 28, optlen 32,
// retval 36; sk_reuseport_md: data 0, data_end 8, len 16, eth_protocol 20, migrating_sk 48; bpf_sk_lookup: sk 0,
// family 8, remote_port 36; bpf_nf_ctx: state 0, skb 8), their expected attach types, return ranges, helpers by
// attach type, and the pointers their contexts give (sockets, flow keys, a tracepoint buffer).
internal static partial class VerifierCorpus
{
    private const uint Sleepable = 16; // BPF_F_SLEEPABLE

    private static uint At(BpfAttachType attach) => (uint)attach;

    private const string PacketByte = """
        r2 = *(u32 *)(r1 +76)
        r3 = *(u32 *)(r1 +80)
        r4 = r2
        r4 += 1
        if r4 > r3 goto out
        """;

    private static VerifierCase[] ProgTypes() =>
    [
        // sk_skb: __sk_buff without mark; packet pointers, read and write.
        new("progtypes/sk_skb_len", SkSkb, Root, """
            r0 = *(u32 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Accept),
        new("progtypes/sk_skb_mark_read", SkSkb, Root, """
            r0 = *(u32 *)(r1 +8)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=8 size=4")),
        new("progtypes/sk_skb_packet_write", SkSkb, Root, $"""
            {PacketByte}
            r5 = 1
            *(u8 *)(r2 +0) = r5
            out:
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept),
        new("progtypes/sk_skb_priority_write", SkSkb, BpfOnly, """
            r2 = 3
            *(u32 *)(r1 +32) = r2
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept),

        // sk_msg: sk_msg_md read whole, never written; sk is a socket.
        new("progtypes/sk_msg_size", SkMsg, Root, """
            r0 = *(u32 *)(r1 +68)
            exit
            """, NoMaps, Kernel: Accept),
        new("progtypes/sk_msg_size_u16", SkMsg, Root, """
            r0 = *(u16 *)(r1 +68)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=68 size=2")),
        new("progtypes/sk_msg_sk_family", SkMsg, Root, """
            r1 = *(u64 *)(r1 +72)
            r0 = *(u32 *)(r1 +4)
            exit
            """, NoMaps, Kernel: Accept),
        new("progtypes/sk_msg_sk_write", SkMsg, Root, """
            r1 = *(u64 *)(r1 +72)
            r2 = 0
            *(u32 *)(r1 +16) = r2
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "R1 cannot write into sock")),
        new("progtypes/sk_msg_sk_past_end", SkMsg, Root, """
            r1 = *(u64 *)(r1 +72)
            r0 = *(u32 *)(r1 +80)
            exit
            """, NoMaps, Kernel: Reject(13, "R1 invalid sock access off=80 size=4")),
        new("progtypes/sk_msg_data_write", SkMsg, Root, """
            r2 = *(u64 *)(r1 +0)
            r3 = *(u64 *)(r1 +8)
            r4 = r2
            r4 += 4
            if r4 > r3 goto out
            r5 = 0
            *(u32 *)(r2 +0) = r5
            out:
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept),

        // sock_ops: returns 0 or 1; sk may be NULL; skb_data is read only.
        new("progtypes/sock_ops_reply", SockOps, Root, """
            r2 = *(u32 *)(r1 +0)
            *(u32 *)(r1 +4) = r2
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept),
        new("progtypes/sock_ops_ret2", SockOps, Root, """
            r0 = 2
            exit
            """, NoMaps, Kernel: Reject(22, "At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]")),
        new("progtypes/sock_ops_sk_unchecked", SockOps, Root, """
            r1 = *(u64 *)(r1 +184)
            r0 = *(u32 *)(r1 +4)
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "R1 invalid mem access 'sock_or_null'")),
        new("progtypes/sock_ops_sk_checked", SockOps, Root, """
            r1 = *(u64 *)(r1 +184)
            if r1 == 0x0 goto out
            r2 = *(u32 *)(r1 +4)
            r2 = *(u16 *)(r1 +48)
            out:
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept),
        new("progtypes/sock_ops_sk_common_field", SockOps, Root, """
            r1 = *(u64 *)(r1 +184)
            if r1 == 0x0 goto out
            r2 = *(u8 *)(r1 +5)
            out:
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "R1 invalid sock access off=5 size=1")),
        new("progtypes/sock_ops_skb_data_write", SockOps, Root, """
            r2 = *(u64 *)(r1 +192)
            r3 = *(u64 *)(r1 +200)
            r4 = r2
            r4 += 1
            if r4 > r3 goto out
            r5 = 0
            *(u8 *)(r2 +0) = r5
            out:
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "cannot write into packet")),
        new("progtypes/sock_ops_cb_flags_set", SockOps, Root, """
            r2 = 0
            call bpf_sock_ops_cb_flags_set
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept),

        // cgroup/sock: bpf_sock; mark and friends written at socket creation, source addresses read after bind.
        new("progtypes/cgroup_sock_create_mark", CgroupSock, Root, """
            r2 = 7
            *(u32 *)(r1 +16) = r2
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: At(BpfAttachType.CgroupInetSockCreate)),
        new("progtypes/cgroup_sock_default_attach_mark", CgroupSock, Root, """
            r2 = 7
            *(u32 *)(r1 +16) = r2
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept),
        new("progtypes/cgroup_sock_post_bind_mark", CgroupSock, Root, """
            r2 = 7
            *(u32 *)(r1 +16) = r2
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=16 size=4"), ExpectedAttachType: At(BpfAttachType.CgroupInet4PostBind)),
        new("progtypes/cgroup_sock_post_bind4_src", CgroupSock, Root, """
            r2 = *(u32 *)(r1 +24)
            r3 = *(u16 *)(r1 +44)
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: At(BpfAttachType.CgroupInet4PostBind)),
        new("progtypes/cgroup_sock_post_bind6_src_ip4", CgroupSock, Root, """
            r2 = *(u32 *)(r1 +24)
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=24 size=4"), ExpectedAttachType: At(BpfAttachType.CgroupInet6PostBind)),
        new("progtypes/cgroup_sock_family_write", CgroupSock, Root, """
            r2 = 2
            *(u32 *)(r1 +4) = r2
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=4 size=4"), ExpectedAttachType: At(BpfAttachType.CgroupInetSockCreate)),
        new("progtypes/cgroup_sock_ret_unknown", CgroupSock, Root, """
            r0 = *(u32 *)(r1 +4)
            exit
            """, NoMaps, Kernel: Reject(22, "At program exit the register R0 has smin=0 smax=4294967295 should have been in [0, 1]"), ExpectedAttachType: At(BpfAttachType.CgroupInetSockRelease)),

        // cgroup/sock_addr: the address fields by hook, return ranges by hook, bpf_bind only at connect.
        new("progtypes/sock_addr_connect4_rewrite", CgroupSockAddr, Root, """
            r2 = 0x100007f
            *(u32 *)(r1 +4) = r2
            r2 = 0x5000
            *(u32 *)(r1 +24) = r2
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: At(BpfAttachType.CgroupInet4Connect)),
        new("progtypes/sock_addr_connect6_user_ip4", CgroupSockAddr, Root, """
            r2 = *(u32 *)(r1 +4)
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=4 size=4"), ExpectedAttachType: At(BpfAttachType.CgroupInet6Connect)),
        new("progtypes/sock_addr_connect6_wide", CgroupSockAddr, Root, """
            r2 = *(u64 *)(r1 +8)
            *(u64 *)(r1 +16) = r2
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: At(BpfAttachType.CgroupInet6Connect)),
        new("progtypes/sock_addr_connect6_wide_unaligned", CgroupSockAddr, Root, """
            r2 = *(u64 *)(r1 +12)
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=12 size=8"), ExpectedAttachType: At(BpfAttachType.CgroupInet6Connect)),
        new("progtypes/sock_addr_family_write", CgroupSockAddr, Root, """
            r2 = 2
            *(u32 *)(r1 +28) = r2
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=28 size=4"), ExpectedAttachType: At(BpfAttachType.CgroupInet4Connect)),
        new("progtypes/sock_addr_recvmsg_ret0", CgroupSockAddr, Root, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "At program exit the register R0 has smin=0 smax=0 should have been in [1, 1]"), ExpectedAttachType: At(BpfAttachType.CgroupUdp4Recvmsg)),
        new("progtypes/sock_addr_getpeername_unix_ret1", CgroupSockAddr, Root, """
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: At(BpfAttachType.CgroupUnixGetpeername)),
        new("progtypes/sock_addr_bind_ret3", CgroupSockAddr, Root, """
            r0 = 3
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: At(BpfAttachType.CgroupInet6Bind)),
        new("progtypes/sock_addr_connect_ret3", CgroupSockAddr, Root, """
            r0 = 3
            exit
            """, NoMaps, Kernel: Reject(22, "At program exit the register R0 has smin=3 smax=3 should have been in [0, 1]"), ExpectedAttachType: At(BpfAttachType.CgroupInet6Connect)),
        new("progtypes/sock_addr_no_attach", CgroupSockAddr, Root, """
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(22, "")),
        new("progtypes/sock_addr_bind_helper_at_connect", CgroupSockAddr, Root, """
            r2 = 0
            *(u64 *)(r10 -16) = r2
            *(u64 *)(r10 -8) = r2
            r2 = r10
            r2 += -16
            r3 = 16
            call bpf_bind
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: At(BpfAttachType.CgroupInet4Connect)),
        new("progtypes/sock_addr_bind_helper_at_sendmsg", CgroupSockAddr, Root, """
            r2 = 0
            *(u64 *)(r10 -16) = r2
            *(u64 *)(r10 -8) = r2
            r2 = r10
            r2 += -16
            r3 = 16
            call bpf_bind
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(22, "program of this type cannot use helper bpf_bind#64"), ExpectedAttachType: At(BpfAttachType.CgroupUdp4Sendmsg)),
        new("progtypes/sock_addr_sk_state", CgroupSockAddr, Root, """
            r1 = *(u64 *)(r1 +64)
            r2 = *(u32 *)(r1 +72)
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: At(BpfAttachType.CgroupInet4Connect)),

        // lwt: packet reads everywhere, writes only at xmit; mark, priority and cb[] written.
        new("progtypes/lwt_in_packet_read", LwtIn, Root, $"""
            {PacketByte}
            r5 = *(u8 *)(r2 +0)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("progtypes/lwt_out_packet_write", LwtOut, Root, $"""
            {PacketByte}
            r5 = 0
            *(u8 *)(r2 +0) = r5
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "cannot write into packet")),
        new("progtypes/lwt_xmit_packet_write", LwtXmit, Root, $"""
            {PacketByte}
            r5 = 0
            *(u8 *)(r2 +0) = r5
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("progtypes/lwt_seg6local_mark_write", LwtSeg6local, Root, """
            r2 = 1
            *(u32 *)(r1 +8) = r2
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("progtypes/lwt_in_family_read", LwtIn, Root, """
            r0 = *(u32 *)(r1 +88)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=88 size=4")),
        new("progtypes/lwt_out_push_encap", LwtOut, Root, """
            r2 = 0
            *(u64 *)(r10 -8) = r2
            r3 = r10
            r3 += -8
            r4 = 8
            call bpf_lwt_push_encap
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "program of this type cannot use helper bpf_lwt_push_encap#73")),
        new("progtypes/lwt_xmit_push_encap", LwtXmit, Root, """
            r2 = 0
            *(u64 *)(r10 -8) = r2
            r3 = r10
            r3 += -8
            r4 = 8
            call bpf_lwt_push_encap
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),

        // flow dissector: data, data_end and flow_keys only; the keys are written through their pointer.
        new("progtypes/flow_keys_write", FlowDissector, Root, """
            r2 = *(u64 *)(r1 +144)
            r3 = 14
            *(u16 *)(r2 +0) = r3
            *(u32 *)(r2 +52) = r3
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("progtypes/flow_keys_past_end", FlowDissector, Root, """
            r2 = *(u64 *)(r1 +144)
            r3 = 0
            *(u32 *)(r2 +56) = r3
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid access to flow keys off=56 size=4")),
        new("progtypes/flow_keys_offset_pointer", FlowDissector, Root, """
            r2 = *(u64 *)(r1 +144)
            r2 += 8
            r3 = *(u64 *)(r2 +40)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("progtypes/flow_keys_leak", FlowDissector, BpfOnly, """
            r2 = *(u64 *)(r1 +144)
            *(u64 *)(r2 +8) = r2
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R2 leaks addr into flow keys")),
        new("progtypes/flow_len_read", FlowDissector, Root, """
            r0 = *(u32 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=0 size=4")),
        new("progtypes/flow_packet_write", FlowDissector, Root, $"""
            {PacketByte}
            r5 = 0
            *(u8 *)(r2 +0) = r5
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "cannot write into packet")),
        new("progtypes/flow_load_bytes", FlowDissector, Root, """
            r2 = 0
            r3 = r10
            r3 += -8
            r4 = 8
            call bpf_skb_load_bytes
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),

        // cgroup/device: read only, 0 or 1; bpf_get_retval only with the device attach type.
        new("progtypes/device_access_type_u16", CgroupDevice, Root, """
            r2 = *(u16 *)(r1 +0)
            r3 = *(u32 *)(r1 +8)
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept),
        new("progtypes/device_minor_u16", CgroupDevice, Root, """
            r2 = *(u16 *)(r1 +8)
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=8 size=2")),
        new("progtypes/device_past_end", CgroupDevice, Root, """
            r2 = *(u64 *)(r1 +8)
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=8 size=8")),
        new("progtypes/device_ret2", CgroupDevice, Root, """
            r0 = 2
            exit
            """, NoMaps, Kernel: Reject(22, "At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]")),
        new("progtypes/device_get_retval", CgroupDevice, Root, """
            call bpf_get_retval
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: At(BpfAttachType.CgroupDevice)),
        new("progtypes/device_get_retval_no_attach", CgroupDevice, Root, """
            call bpf_get_retval
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(22, "program of this type cannot use helper bpf_get_retval#186")),

        // cgroup/sysctl: file_pos written, write read only; the sysctl helpers.
        new("progtypes/sysctl_file_pos", CgroupSysctl, Root, """
            r2 = *(u8 *)(r1 +4)
            *(u32 *)(r1 +4) = r2
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept),
        new("progtypes/sysctl_write_write", CgroupSysctl, Root, """
            r2 = 0
            *(u32 *)(r1 +0) = r2
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=0 size=4")),
        new("progtypes/sysctl_get_name", CgroupSysctl, Root, """
            r2 = r10
            r2 += -16
            r3 = 16
            r4 = 0
            call bpf_sysctl_get_name
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept),

        // cgroup/sockopt: retval exists at getsockopt, level and optname are written at setsockopt; the option
        // buffer is read and written directly.
        new("progtypes/sockopt_get_retval", CgroupSockopt, Root, """
            r2 = *(u32 *)(r1 +36)
            r2 = 0
            *(u32 *)(r1 +36) = r2
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: At(BpfAttachType.CgroupGetsockopt)),
        new("progtypes/sockopt_set_retval", CgroupSockopt, Root, """
            r2 = *(u32 *)(r1 +36)
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=36 size=4"), ExpectedAttachType: At(BpfAttachType.CgroupSetsockopt)),
        new("progtypes/sockopt_set_level", CgroupSockopt, Root, """
            r2 = 1
            *(u32 *)(r1 +24) = r2
            *(u32 *)(r1 +32) = r2
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: At(BpfAttachType.CgroupSetsockopt)),
        new("progtypes/sockopt_optval_write", CgroupSockopt, Root, """
            r2 = *(u64 *)(r1 +8)
            r3 = *(u64 *)(r1 +16)
            r4 = r2
            r4 += 4
            if r4 > r3 goto out
            r5 = 0
            *(u32 *)(r2 +0) = r5
            out:
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: At(BpfAttachType.CgroupGetsockopt)),
        new("progtypes/sockopt_optval_unchecked", CgroupSockopt, Root, """
            r2 = *(u64 *)(r1 +8)
            r5 = *(u8 *)(r2 +0)
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "R2 offset is outside of the packet"), ExpectedAttachType: At(BpfAttachType.CgroupGetsockopt)),
        new("progtypes/sockopt_sk_family", CgroupSockopt, Root, """
            r1 = *(u64 *)(r1 +0)
            r0 = *(u32 *)(r1 +4)
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: At(BpfAttachType.CgroupGetsockopt)),

        // sk_reuseport: read only; migrating_sk may be NULL; packet data read only.
        new("progtypes/reuseport_len_hash", SkReuseport, Root, """
            r2 = *(u8 *)(r1 +16)
            r3 = *(u32 *)(r1 +32)
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: At(BpfAttachType.SkReuseportSelect)),
        new("progtypes/reuseport_eth_protocol_u8", SkReuseport, Root, """
            r2 = *(u8 *)(r1 +20)
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=20 size=1"), ExpectedAttachType: At(BpfAttachType.SkReuseportSelect)),
        new("progtypes/reuseport_migrating_unchecked", SkReuseport, Root, """
            r1 = *(u64 *)(r1 +48)
            r2 = *(u32 *)(r1 +4)
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "R1 invalid mem access 'sock_common_or_null'"), ExpectedAttachType: At(BpfAttachType.SkReuseportSelectOrMigrate)),
        new("progtypes/reuseport_migrating_type", SkReuseport, Root, """
            r1 = *(u64 *)(r1 +48)
            if r1 == 0x0 goto out
            r2 = *(u32 *)(r1 +8)
            out:
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "R1 invalid sock_common access off=8 size=4"), ExpectedAttachType: At(BpfAttachType.SkReuseportSelectOrMigrate)),
        new("progtypes/reuseport_default_attach", SkReuseport, Root, """
            r1 = *(u64 *)(r1 +40)
            r2 = *(u32 *)(r1 +8)
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept),
        new("progtypes/reuseport_packet_write", SkReuseport, Root, """
            r2 = *(u64 *)(r1 +0)
            r3 = *(u64 *)(r1 +8)
            r4 = r2
            r4 += 1
            if r4 > r3 goto out
            r5 = 0
            *(u8 *)(r2 +0) = r5
            out:
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "cannot write into packet"), ExpectedAttachType: At(BpfAttachType.SkReuseportSelect)),

        // sk_lookup: SK_DROP or SK_PASS; sk may be NULL; bpf_sk_assign takes a socket or NULL.
        new("progtypes/sk_lookup_remote_port", SkLookup, Root, """
            r2 = *(u16 *)(r1 +36)
            r3 = *(u16 *)(r1 +38)
            r4 = *(u32 *)(r1 +36)
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: At(BpfAttachType.SkLookup)),
        new("progtypes/sk_lookup_write", SkLookup, Root, """
            r2 = 0
            *(u32 *)(r1 +60) = r2
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=60 size=4"), ExpectedAttachType: At(BpfAttachType.SkLookup)),
        new("progtypes/sk_lookup_ret2", SkLookup, Root, """
            r0 = 2
            exit
            """, NoMaps, Kernel: Reject(22, "At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]"), ExpectedAttachType: At(BpfAttachType.SkLookup)),
        new("progtypes/sk_lookup_no_attach", SkLookup, Root, """
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(22, "")),
        new("progtypes/sk_lookup_assign_null", SkLookup, Root, """
            r2 = 0
            r3 = 0
            call bpf_sk_assign
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: At(BpfAttachType.SkLookup)),
        new("progtypes/sk_lookup_sk_checked", SkLookup, Root, """
            r1 = *(u64 *)(r1 +0)
            if r1 == 0x0 goto out
            r2 = *(u32 *)(r1 +12)
            out:
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: At(BpfAttachType.SkLookup)),

        // raw_tp.w: the first argument is a writable buffer.
        new("progtypes/raw_tp_w_buffer_write", RawTracepointWritable, Root, """
            r2 = *(u64 *)(r1 +0)
            r3 = 0
            *(u32 *)(r2 +8) = r3
            r4 = *(u64 *)(r2 +16)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("progtypes/raw_tp_w_buffer_negative", RawTracepointWritable, Root, """
            r2 = *(u64 *)(r1 +0)
            r3 = *(u32 *)(r2 -4)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R2 invalid tracepoint buffer access: off=-4, size=4")),
        new("progtypes/raw_tp_w_buffer_variable", RawTracepointWritable, Root, """
            r2 = *(u64 *)(r1 +0)
            r3 = *(u64 *)(r1 +8)
            r3 &= 7
            r2 += r3
            r4 = *(u8 *)(r2 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R2 invalid variable buffer offset: off=0, var_off=(0x0; 0x7)")),
        new("progtypes/raw_tp_w_arg0_u32", RawTracepointWritable, Root, """
            r2 = *(u32 *)(r1 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=0 size=4")),

        // netfilter: trusted pointers to the hook state and the sk_buff; NF_DROP or NF_ACCEPT.
        new("progtypes/netfilter_state", Netfilter, Root, """
            r2 = *(u64 *)(r1 +0)
            r3 = *(u64 *)(r1 +8)
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: At(BpfAttachType.Netfilter)),
        new("progtypes/netfilter_ret2", Netfilter, Root, """
            r0 = 2
            exit
            """, NoMaps, Kernel: Reject(22, "At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]"), ExpectedAttachType: At(BpfAttachType.Netfilter)),
        new("progtypes/netfilter_write", Netfilter, Root, """
            r2 = 0
            *(u64 *)(r1 +0) = r2
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=0 size=8"), ExpectedAttachType: At(BpfAttachType.Netfilter)),
        new("progtypes/netfilter_no_attach", Netfilter, Root, """
            r0 = 1
            exit
            """, NoMaps, Kernel: Reject(22, "")),

        // syscall: sleepable only, the context is the caller's buffer, read and written.
        new("progtypes/syscall_ctx_rw", BpfProgType.Syscall, Root, """
            r2 = *(u64 *)(r1 +0)
            *(u64 *)(r1 +8) = r2
            r3 = *(u8 *)(r1 +4000)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ProgFlags: Sleepable),
        new("progtypes/syscall_ctx_negative", BpfProgType.Syscall, Root, """
            r2 = *(u64 *)(r1 -8)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=-8 size=8"), ProgFlags: Sleepable),
        new("progtypes/syscall_hash_map", BpfProgType.Syscall, Root, """
            r1 = map[idx:0]
            r2 = r10
            r2 += -8
            r3 = 0
            *(u64 *)(r10 -8) = r3
            call bpf_map_lookup_elem
            r0 = 0
            exit
            """, HashMap, Kernel: Accept, ProgFlags: Sleepable),
        new("progtypes/syscall_prog_array", BpfProgType.Syscall, Root, """
            r2 = map[idx:0]
            r0 = 0
            exit
            """, ProgArrayMap, Kernel: Reject(22, "Sleepable programs can only use array, hash, ringbuf and local storage maps"), ProgFlags: Sleepable),
        new("progtypes/syscall_perf_event_array", BpfProgType.Syscall, Root, """
            r2 = map[idx:0]
            r0 = 0
            exit
            """, PerfEventArrayMap, Kernel: Reject(22, "Sleepable programs can only use array, hash, ringbuf and local storage maps"), ProgFlags: Sleepable),
        new("progtypes/syscall_not_sleepable", BpfProgType.Syscall, Root, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "Syscall programs can only be sleepable")),
        new("progtypes/syscall_with_attach", BpfProgType.Syscall, Root, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, ""), ExpectedAttachType: At(BpfAttachType.CgroupInetEgress), ProgFlags: Sleepable),
        // Socket pointers of the older types, read through the new rules: __sk_buff.sk is a sock_common, the
        // helpers give full sockets and tcp_socks.
        new("progtypes/tc_skb_sk_family", SchedCls, Root, """
            r1 = *(u64 *)(r1 +168)
            if r1 == 0x0 goto out
            r2 = *(u32 *)(r1 +4)
            r2 = *(u16 *)(r1 +48)
            r2 = *(u32 *)(r1 +48)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("progtypes/tc_skb_sk_type", SchedCls, Root, """
            r1 = *(u64 *)(r1 +168)
            if r1 == 0x0 goto out
            r2 = *(u32 *)(r1 +8)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 invalid sock_common access off=8 size=4")),
        new("progtypes/tc_skb_sk_dst_port_pad", SchedCls, Root, """
            r1 = *(u64 *)(r1 +168)
            if r1 == 0x0 goto out
            r2 = *(u16 *)(r1 +50)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 invalid sock_common access off=50 size=2")),
        new("progtypes/tc_skb_sk_write", SchedCls, Root, """
            r1 = *(u64 *)(r1 +168)
            if r1 == 0x0 goto out
            r2 = 0
            *(u32 *)(r1 +4) = r2
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 cannot write into sock_common")),
        new("progtypes/tc_fullsock_mark", SchedCls, Root, """
            r1 = *(u64 *)(r1 +168)
            if r1 == 0x0 goto out
            call bpf_sk_fullsock
            if r0 == 0x0 goto out
            r2 = *(u32 *)(r0 +16)
            r2 = *(u8 *)(r0 +25)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("progtypes/tc_tcp_sock_bytes", SchedCls, Root, """
            r1 = *(u64 *)(r1 +168)
            if r1 == 0x0 goto out
            call bpf_tcp_sock
            if r0 == 0x0 goto out
            r2 = *(u64 *)(r0 +80)
            r2 = *(u32 *)(r0 +104)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("progtypes/tc_tcp_sock_bytes_u32", SchedCls, Root, """
            r1 = *(u64 *)(r1 +168)
            if r1 == 0x0 goto out
            call bpf_tcp_sock
            if r0 == 0x0 goto out
            r2 = *(u32 *)(r0 +80)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R0 invalid tcp_sock access off=80 size=4")),
        new("progtypes/tc_tcp_sock_past_end", SchedCls, Root, """
            r1 = *(u64 *)(r1 +168)
            if r1 == 0x0 goto out
            call bpf_tcp_sock
            if r0 == 0x0 goto out
            r2 = *(u32 *)(r0 +112)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R0 invalid tcp_sock access off=112 size=4")),
        new("progtypes/tc_sk_lookup_state", SchedCls, Root, """
            r2 = 0
            *(u64 *)(r10 -16) = r2
            *(u32 *)(r10 -8) = r2
            r2 = r10
            r2 += -16
            r3 = 12
            r4 = 0
            r5 = 0
            call bpf_sk_lookup_tcp
            if r0 == 0x0 goto out
            r2 = *(u32 *)(r0 +72)
            r1 = r0
            call bpf_sk_release
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("progtypes/tc_sk_lookup_unchecked", SchedCls, Root, """
            r2 = 0
            *(u64 *)(r10 -16) = r2
            *(u32 *)(r10 -8) = r2
            r2 = r10
            r2 += -16
            r3 = 12
            r4 = 0
            r5 = 0
            call bpf_sk_lookup_tcp
            r2 = *(u32 *)(r0 +72)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R0 invalid mem access 'sock_or_null'")),
    ];
}
