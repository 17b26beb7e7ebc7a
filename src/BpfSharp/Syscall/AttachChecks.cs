using BpfSharp.Uapi;

namespace BpfSharp.Syscall;

/// <summary>
/// What PROG_LOAD checks about a program's type before verification: the expected attach type
/// (kernel: bpf_prog_load_fixup_attach_type, bpf_prog_load_check_attach) and the first rules of
/// check_attach_btf_id (who may be sleepable, who needs a BTF attach target).
/// </summary>
internal static class AttachChecks
{
    /// <summary>kernel: bpf_prog_load_fixup_attach_type. Old loaders leave expected_attach_type 0 for these types.</summary>
    public static uint Fixup(BpfProgType type, uint expected) => (type, expected) switch
    {
        (BpfProgType.CgroupSock, 0) => (uint)BpfAttachType.CgroupInetSockCreate,
        (BpfProgType.SkReuseport, 0) => (uint)BpfAttachType.SkReuseportSelect,
        _ => expected,
    };

    /// <summary>kernel: bpf_prog_load_check_attach, for programs without a BTF attach target.</summary>
    public static bool IsValid(BpfProgType type, uint expected) => type switch
    {
        BpfProgType.CgroupSock => (BpfAttachType)expected is BpfAttachType.CgroupInetSockCreate
            or BpfAttachType.CgroupInetSockRelease or BpfAttachType.CgroupInet4PostBind or BpfAttachType.CgroupInet6PostBind,
        BpfProgType.CgroupSockAddr => (BpfAttachType)expected is BpfAttachType.CgroupInet4Bind
            or BpfAttachType.CgroupInet6Bind or BpfAttachType.CgroupInet4Connect or BpfAttachType.CgroupInet6Connect
            or BpfAttachType.CgroupUnixConnect
            or BpfAttachType.CgroupInet4Getpeername or BpfAttachType.CgroupInet6Getpeername or BpfAttachType.CgroupUnixGetpeername
            or BpfAttachType.CgroupInet4Getsockname or BpfAttachType.CgroupInet6Getsockname or BpfAttachType.CgroupUnixGetsockname
            or BpfAttachType.CgroupUdp4Sendmsg or BpfAttachType.CgroupUdp6Sendmsg or BpfAttachType.CgroupUnixSendmsg
            or BpfAttachType.CgroupUdp4Recvmsg or BpfAttachType.CgroupUdp6Recvmsg or BpfAttachType.CgroupUnixRecvmsg,
        BpfProgType.CgroupSkb => (BpfAttachType)expected is BpfAttachType.CgroupInetIngress or BpfAttachType.CgroupInetEgress,
        BpfProgType.CgroupSockopt => (BpfAttachType)expected is BpfAttachType.CgroupSetsockopt or BpfAttachType.CgroupGetsockopt,
        BpfProgType.SkLookup => (BpfAttachType)expected == BpfAttachType.SkLookup,
        BpfProgType.SkReuseport => (BpfAttachType)expected is BpfAttachType.SkReuseportSelect
            or BpfAttachType.SkReuseportSelectOrMigrate,
        BpfProgType.Netfilter => (BpfAttachType)expected == BpfAttachType.Netfilter,
        BpfProgType.Syscall or BpfProgType.Ext => expected == 0,
        _ => true,
    };

    /// <summary>
    /// kernel: the start of check_attach_btf_id. 0, or -errno and the verifier's message:
    /// BPF_F_SLEEPABLE only for the types that may sleep, syscall programs only sleepable, and the
    /// types that attach to a BTF target other than tracing programs (LSM and freplace: not supported here) rejected.
    /// </summary>
    public static int CheckSleepable(BpfProgType type, uint progFlags, out string? message)
    {
        message = null;
        bool sleepable = (progFlags & ProgFlags.BPF_F_SLEEPABLE) != 0;
        if (type == BpfProgType.Syscall)
        {
            if (sleepable) return 0;
            message = "Syscall programs can only be sleepable";
            return -Errno.EINVAL;
        }
        if (sleepable && type is not (BpfProgType.Tracing or BpfProgType.Lsm or BpfProgType.Kprobe or BpfProgType.StructOps))
        {
            message = "Only fentry/fexit/fmod_ret, lsm, iter, uprobe, and struct_ops programs can be sleepable";
            return -Errno.EINVAL;
        }
        if (type == BpfProgType.StructOps)
            return -Errno.ENOTSUPP; // struct_ops targets are kernel structures: none here
        if (type is BpfProgType.Lsm or BpfProgType.Ext) // tracing programs' targets: TracingOps
        {
            message = "Tracing programs must provide btf_id";
            return -Errno.EINVAL;
        }
        return 0;
    }

    /// <summary>kernel: license_is_gpl_compatible.</summary>
    public static bool IsGplCompatible(string license) => license is "GPL" or "GPL v2" or "GPL and additional rights"
        or "Dual BSD/GPL" or "Dual MIT/GPL" or "Dual MPL/GPL";
}
