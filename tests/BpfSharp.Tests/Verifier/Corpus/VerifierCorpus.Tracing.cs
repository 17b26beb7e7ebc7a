using BpfSharp.Uapi;
using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// BPF_PROG_TYPE_TRACING programs attached by attach_btf_id to the running kernel's functions and raw tracepoints
// (the id looked up by name in /sys/kernel/btf/vmlinux when the case is built): the u64 argument context checked
// against the BTF prototype (btf_ctx_access), PTR_TO_BTF_ID arguments and loads through them (btf_struct_walk:
// scalars, pointer members, nested structs, bitfields, out-of-struct and write refusals, offsets), trust flags
// (tp_btf arguments, bpf_get_current_task_btf, the vmlinux *__safe_* lists), nullable tracepoint arguments, fexit
// and fmod_ret return values, and the attach-target checks (bpf_check_attach_target).
// Offsets are this kernel's (6.18 x86-64 vmlinux): struct sock: __sk_common.skc_family 16 (u16), skc_reuse bits
// 152..155, skc_prot 40, sk_socket 288, size 784; struct task_struct: stack 32 (void *), mm 1136, pid 1264,
// real_parent 1280, group_leader 1328, comm 1752 (char[16]); struct file: private_data 24, f_inode 32.
internal static partial class VerifierCorpus
{
    private static uint Fentry => At(BpfAttachType.TraceFentry);
    private static uint Fexit => At(BpfAttachType.TraceFexit);
    private static uint FmodRet => At(BpfAttachType.ModifyReturn);
    private static uint TpBtf => At(BpfAttachType.TraceRawTp);

    private const string SkArg = "r1 = *(u64 *)(r1 +0)";

    private static VerifierCase[] TracingPrograms() =>
    [
        // The context: fentry/tcp_v4_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len).
        new("tracing/fentry_empty", Tracing, Root, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(1, ""), ExpectedAttachType: Fentry, AttachBtf: "tcp_v4_connect"),
        new("tracing/ctx_ptr_arg", Tracing, Root, $"""
            {SkArg}
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/ctx_int_arg", Tracing, Root, """
            r2 = *(u64 *)(r1 +8)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/ctx_int_arg_narrow", Tracing, Root, """
            r2 = *(u32 *)(r1 +8)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/ctx_ptr_arg_narrow", Tracing, Root, """
            r2 = *(u32 *)(r1 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=0 size=4"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/ctx_off_not_multiple_of_8", Tracing, Root, """
            r2 = *(u32 *)(r1 +4)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=4 size=4"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/ctx_no_return_value", Tracing, Root, """
            r2 = *(u64 *)(r1 +24)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=24 size=8"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/ctx_past_the_args", Tracing, Root, """
            r2 = *(u64 *)(r1 +40)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=40 size=8"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/ctx_ctx_end", Tracing, Root, """
            r2 = *(u64 *)(r1 +96)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=96 size=8"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/ctx_ctx_write", Tracing, Root, """
            r2 = 0
            *(u64 *)(r1 +8) = r2
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=8 size=8"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/ctx_scalar_arg_deref", Tracing, Root, """
            r2 = *(u64 *)(r1 +8)
            r0 = *(u8 *)(r2 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R2 invalid mem access 'scalar'"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),

        // Loads through the struct sock argument.
        new("tracing/sock_family", Tracing, Root, $"""
            {SkArg}
            r0 = *(u16 *)(r1 +16)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/sock_family_via_const_offset", Tracing, Root, $"""
            {SkArg}
            r1 += 16
            r0 = *(u16 *)(r1 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/sock_nested_struct_start", Tracing, Root, $"""
            {SkArg}
            r0 = *(u64 *)(r1 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/sock_bitfield", Tracing, Root, $"""
            {SkArg}
            r0 = *(u8 *)(r1 +19)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/sock_pointer_member", Tracing, Root, $"""
            {SkArg}
            r2 = *(u64 *)(r1 +288)
            r0 = *(u64 *)(r2 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "access beyond the end of member state (mend:4) in struct socket with off 0 size 8"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/sock_pointer_member_narrow", Tracing, Root, $"""
            {SkArg}
            r2 = *(u32 *)(r1 +288)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "cannot access ptr member sk_socket with moff 288 in struct sock with off 288 size 4"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/sock_prot_then_deref", Tracing, Root, $"""
            {SkArg}
            r2 = *(u64 *)(r1 +40)
            r0 = *(u64 *)(r2 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/sock_write", Tracing, Root, $"""
            {SkArg}
            r2 = 2
            *(u16 *)(r1 +16) = r2
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "only read is supported"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/sock_beyond_struct", Tracing, Root, $"""
            {SkArg}
            r0 = *(u8 *)(r1 +784)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "access beyond struct sock at off 784 size 1"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/sock_negative_offset", Tracing, Root, $"""
            {SkArg}
            r1 += -8
            r0 = *(u64 *)(r1 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 is ptr_sock invalid negative access: off=-8"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/sock_variable_offset", Tracing, Root, """
            r3 = *(u64 *)(r1 +8)
            r1 = *(u64 *)(r1 +0)
            r3 &= 7
            r1 += r3
            r0 = *(u8 *)(r1 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 is ptr_sock invalid variable offset: off=0, var_off=(0x0; 0x7)"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/sock_pointer_multiply", Tracing, Root, $"""
            {SkArg}
            r1 *= 2
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 pointer arithmetic with *= operator prohibited"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/sock_null_check", Tracing, Root, $"""
            {SkArg}
            if r1 == 0 goto out
            r0 = *(u16 *)(r1 +16)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/sock_spill_fill", Tracing, Root, $"""
            {SkArg}
            *(u64 *)(r10 -8) = r1
            r2 = *(u64 *)(r10 -8)
            r0 = *(u16 *)(r2 +16)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/sock_probe_read_kernel", Tracing, Root, $"""
            {SkArg}
            r3 = r1
            r1 = r10
            r1 += -8
            r2 = 8
            call bpf_probe_read_kernel
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/sock_store_in_map", Tracing, Root, $"""
            {SkArg}
            r6 = r1
            r1 = 0
            *(u32 *)(r10 -4) = r1
            r2 = r10
            r2 += -4
            r1 = map[idx:0]
            call bpf_map_lookup_elem
            if r0 == 0 goto out
            *(u64 *)(r0 +0) = r6
            out:
            r0 = 0
            exit
            """, ArrayMap, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),

        // An argument walked from an untrusted fentry argument: wake_up_new_task(struct task_struct *p).
        new("tracing/task_arg_real_parent_pid", Tracing, Root, """
            r1 = *(u64 *)(r1 +0)
            r2 = *(u64 *)(r1 +1280)
            r0 = *(u32 *)(r2 +1264)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_process_fork"),
        new("tracing/task_arg_comm_beyond_member", Tracing, Root, """
            r1 = *(u64 *)(r1 +0)
            r0 = *(u64 *)(r1 +1764)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "access beyond the end of member comm (mend:1768) in struct task_struct with off 1764 size 8"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_process_fork"),
        new("tracing/task_arg_comm_word", Tracing, Root, """
            r1 = *(u64 *)(r1 +0)
            r0 = *(u64 *)(r1 +1752)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_process_fork"),

        // bpf_get_current_task_btf: a trusted task_struct.
        new("tracing/current_task_pid", Tracing, Root, """
            call bpf_get_current_task_btf
            r0 = *(u32 *)(r0 +1264)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/current_task_real_parent", Tracing, Root, """
            call bpf_get_current_task_btf
            r1 = *(u64 *)(r0 +1280)
            r0 = *(u32 *)(r1 +1264)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/current_task_mm", Tracing, Root, """
            call bpf_get_current_task_btf
            r1 = *(u64 *)(r0 +1136)
            r0 = *(u64 *)(r1 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "access beyond struct (anon) at off 0 size 8"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/current_task_void_pointer", Tracing, Root, """
            call bpf_get_current_task_btf
            r1 = *(u64 *)(r0 +32)
            r0 = *(u8 *)(r1 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/current_task_write", Tracing, Root, """
            call bpf_get_current_task_btf
            r1 = 1
            *(u32 *)(r0 +1264) = r1
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "only read is supported"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_inet_sock_set_state"),
        new("tracing/current_task_kprobe", Kprobe, Root, """
            call bpf_get_current_task_btf
            r0 = *(u32 *)(r0 +1264)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),

        // tp_btf: trusted arguments; raw_tp_null_args makes some nullable.
        new("tracing/tp_btf_sched_switch_next_pid", Tracing, Root, """
            r2 = *(u64 *)(r1 +16)
            r0 = *(u32 *)(r2 +1264)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_switch"),
        new("tracing/tp_btf_returns_anything", Tracing, Root, """
            r0 = 5
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_switch"),
        new("tracing/tp_btf_past_the_args", Tracing, Root, """
            r2 = *(u64 *)(r1 +32)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=32 size=8"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_switch"),
        new("tracing/tp_btf_prev_real_parent", Tracing, Root, """
            r2 = *(u64 *)(r1 +8)
            r3 = *(u64 *)(r2 +1280)
            r0 = *(u32 *)(r3 +1264)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_switch"),
        new("tracing/tp_btf_nullable_unchecked", Tracing, Root, """
            r2 = *(u64 *)(r1 +24)
            r0 = *(u8 *)(r2 +16)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R2 invalid mem access 'trusted_ptr_or_null_'"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_kfree_skb"),
        new("tracing/tp_btf_nullable_checked", Tracing, Root, """
            r2 = *(u64 *)(r1 +24)
            if r2 == 0 goto out
            r0 = *(u8 *)(r2 +16)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_kfree_skb"),
        new("tracing/tp_btf_tcp_send_reset_sk_unchecked", Tracing, Root, """
            r2 = *(u64 *)(r1 +0)
            r0 = *(u16 *)(r2 +16)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R2 invalid mem access 'trusted_ptr_or_null_'"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_tcp_send_reset"),

        // fexit and fmod_ret: the return value after the arguments.
        new("tracing/fexit_int_return", Tracing, Root, """
            r2 = *(u64 *)(r1 +24)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(1, ""), ExpectedAttachType: Fexit, AttachBtf: "tcp_v4_connect"),
        new("tracing/fexit_void_return", Tracing, Root, """
            r2 = *(u64 *)(r1 +16)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(1, ""), ExpectedAttachType: Fexit, AttachBtf: "tcp_rcv_established"),
        new("tracing/fmod_ret_security_hook", Tracing, Root, """
            r2 = *(u64 *)(r1 +8)
            r0 = -1
            exit
            """, NoMaps, Kernel: Reject(1, ""), ExpectedAttachType: FmodRet, AttachBtf: "security_file_open"),

        // Walking on: what a trusted argument's pointer members give (task_struct__safe_rcu: real_parent; mm: plain).
        new("tracing/task_mm_then_deref", Tracing, Root, """
            r1 = *(u64 *)(r1 +8)
            r2 = *(u64 *)(r1 +1136)
            r0 = *(u64 *)(r2 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "access beyond struct (anon) at off 0 size 8"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_process_fork"),
        new("tracing/task_real_parent_then_mm", Tracing, Root, """
            r1 = *(u64 *)(r1 +8)
            r2 = *(u64 *)(r1 +1280)
            r3 = *(u64 *)(r2 +1136)
            r0 = *(u64 *)(r3 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "access beyond struct (anon) at off 0 size 8"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_process_fork"),
        new("tracing/task_void_pointer_member", Tracing, Root, """
            r1 = *(u64 *)(r1 +8)
            r2 = *(u64 *)(r1 +32)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_process_fork"),
        new("tracing/task_pid_u64_across_tgid", Tracing, Root, """
            r1 = *(u64 *)(r1 +8)
            r0 = *(u64 *)(r1 +1264)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "access beyond the end of member pid (mend:1268) in struct task_struct with off 1264 size 8"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_process_fork"),
        new("tracing/task_trusted_not_null", Tracing, Root, """
            r1 = *(u64 *)(r1 +8)
            if r1 != 0 goto ok
            r0 = *(u64 *)(r1 +0)
            ok:
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_process_fork"),
        new("tracing/task_ptr_leak_to_stack_read", Tracing, Root, """
            r1 = *(u64 *)(r1 +8)
            r1 += 1264
            r0 = *(u32 *)(r1 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_process_fork"),

        // fentry, fexit and fmod_ret need BPF trampolines.

        // Helpers taking a socket as PTR_TO_BTF_ID (bpf_get_socket_ptr_cookie_proto): struct sock holds sock_common.
        new("tracing/socket_cookie_of_sock", Tracing, Root, """
            r1 = *(u64 *)(r1 +0)
            call bpf_get_socket_cookie
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_tcp_destroy_sock"),
        new("tracing/socket_cookie_of_task", Tracing, Root, """
            r1 = *(u64 *)(r1 +8)
            call bpf_get_socket_cookie
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 is of type task_struct but sock_common is expected"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_switch"),
        new("tracing/socket_cookie_of_sock_plus_16", Tracing, Root, """
            r1 = *(u64 *)(r1 +0)
            r1 += 16
            call bpf_get_socket_cookie
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 is of type sock but sock_common is expected"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_tcp_destroy_sock"),

        // Arrays, unions and other loads (task_struct.files 1824; files_struct.fd_array 160, struct file *[];
        // file: the union of f_path at 64, whose dentry is at 72).
        new("tracing/files_fd_array_element", Tracing, Root, """
            r1 = *(u64 *)(r1 +8)
            r2 = *(u64 *)(r1 +1824)
            r3 = *(u64 *)(r2 +176)
            r0 = *(u32 *)(r3 +40)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_process_fork"),
        new("tracing/files_fd_array_misaligned", Tracing, Root, """
            r1 = *(u64 *)(r1 +8)
            r2 = *(u64 *)(r1 +1824)
            r3 = *(u64 *)(r2 +180)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "cannot access ptr member fd_array with moff 176 in struct files_struct with off 180 size 8"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_process_fork"),
        new("tracing/file_path_in_union", Tracing, Root, """
            r1 = *(u64 *)(r1 +8)
            r2 = *(u64 *)(r1 +1824)
            r3 = *(u64 *)(r2 +176)
            r4 = *(u64 *)(r3 +72)
            r0 = *(u64 *)(r4 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "access beyond the end of member d_flags (mend:4) in struct dentry with off 0 size 8"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_process_fork"),
        new("tracing/files_nested_struct_word", Tracing, Root, """
            r1 = *(u64 *)(r1 +8)
            r2 = *(u64 *)(r1 +1824)
            r0 = *(u64 *)(r2 +40)
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "access beyond the end of member max_fds (mend:4) in struct fdtable with off 0 size 8"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_process_fork"),
        new("tracing/task_sign_extending_load", Tracing, Root, """
            r1 = *(u64 *)(r1 +8)
            r0 = *(s16 *)(r1 +1264)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_process_fork"),
        new("tracing/task_atomic_add", Tracing, Root, """
            r1 = *(u64 *)(r1 +8)
            r2 = 1
            lock *(u32 *)(r1 +1264) += r2
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "only read is supported"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_process_fork"),
        new("tracing/task_store_imm", Tracing, Root, """
            r1 = *(u64 *)(r1 +8)
            *(u32 *)(r1 +1264) = 1
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "only read is supported"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_process_fork"),
        new("tracing/task_ptr_compare", Tracing, Root, """
            r2 = *(u64 *)(r1 +8)
            r3 = *(u64 *)(r1 +16)
            if r2 == r3 goto out
            r0 = *(u32 *)(r3 +1264)
            out:
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "invalid bpf_context access off=16 size=8"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_process_fork"),

        // Helpers taking ARG_PTR_TO_BTF_ID: the pointer's type is checked against the helper's struct.
        new("tracing/task_stack_of_current", Kprobe, Root, """
            call bpf_get_current_task_btf
            r1 = r0
            r2 = r10
            r2 += -64
            r3 = 64
            r4 = 0
            call bpf_get_task_stack
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("tracing/task_pt_regs_of_current", Kprobe, Root, """
            call bpf_get_current_task_btf
            r1 = r0
            call bpf_task_pt_regs
            r0 = *(u64 *)(r0 +0)
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("tracing/task_stack_of_scalar", Kprobe, Root, """
            r1 = 0
            r2 = r10
            r2 += -64
            r3 = 64
            r4 = 0
            call bpf_get_task_stack
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 type=scalar expected=ptr_, trusted_ptr_, rcu_ptr_")),
        new("tracing/sock_from_file_of_task", Tracing, Root, """
            r1 = *(u64 *)(r1 +8)
            call bpf_sock_from_file
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 is of type task_struct but file is expected"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_process_fork"),
        new("tracing/sock_from_file_of_walked_file", Tracing, Root, """
            r1 = *(u64 *)(r1 +8)
            r2 = *(u64 *)(r1 +1824)
            r1 = *(u64 *)(r2 +176)
            call bpf_sock_from_file
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_process_fork"),
        new("tracing/task_pt_regs_of_untrusted", Tracing, Root, """
            r1 = *(u64 *)(r1 +8)
            r2 = *(u64 *)(r1 +1824)
            r3 = *(u64 *)(r2 +176)
            r1 = *(u64 *)(r3 +72)
            call bpf_task_pt_regs
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(13, "R1 type=untrusted_ptr_ expected=ptr_, trusted_ptr_, rcu_ptr_"), ExpectedAttachType: TpBtf, AttachBtf: "btf_trace_sched_process_fork"),

        // The attach target (bpf_check_attach_target).
        new("tracing/no_btf_id", Tracing, Root, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "Tracing programs must provide btf_id"), ExpectedAttachType: TpBtf),
        new("tracing/tp_btf_on_trace_function", Tracing, Root, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "attach_btf_id 47584 is not a typedef"), ExpectedAttachType: TpBtf, AttachBtf: "__bpf_trace_sched_switch"),
        new("tracing/tp_btf_on_function", Tracing, Root, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "attach_btf_id 114556 is not a typedef"), ExpectedAttachType: TpBtf, AttachBtf: "tcp_v4_connect"),
        new("tracing/tp_btf_on_other_typedef", Tracing, Root, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "attach_btf_id 35 points to wrong type name u32"), ExpectedAttachType: TpBtf, AttachBtf: "#35"),
        new("tracing/btf_id_out_of_range", Tracing, Root, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, "attach_btf_id 999999 is invalid"), ExpectedAttachType: TpBtf, AttachBtf: "#999999"),
        new("tracing/btf_id_above_max", Tracing, Root, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, ""), ExpectedAttachType: TpBtf, AttachBtf: "#2000000"),
        new("tracing/fentry_denied", Tracing, Root, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(1, ""), ExpectedAttachType: Fentry, AttachBtf: "migrate_disable"),
        new("tracing/no_expected_attach_type", Tracing, Root, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, ""), AttachBtf: "tcp_v4_connect"),
        new("tracing/btf_id_for_kprobe", Kprobe, Root, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Reject(22, ""), AttachBtf: "tcp_v4_connect"),
    ];
}
