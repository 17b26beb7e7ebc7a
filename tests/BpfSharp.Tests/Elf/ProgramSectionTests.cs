using BpfSharp.Elf;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Elf;

/// <summary>Section names read by libbpf's SEC() conventions (libbpf's section_defs table).</summary>
public class ProgramSectionTests
{
    public static TheoryData<string, BpfProgType, uint, uint, string> Cases => new()
    {
        { "socket", BpfProgType.SocketFilter, 0, 0, "" },
        { "xdp", BpfProgType.Xdp, (uint)BpfAttachType.Xdp, 0, "" },
        { "xdp.frags", BpfProgType.Xdp, (uint)BpfAttachType.Xdp, ProgFlags.BPF_F_XDP_HAS_FRAGS, "" },
        { "xdp/devmap", BpfProgType.Xdp, (uint)BpfAttachType.XdpDevmap, 0, "" },
        { "tc", BpfProgType.SchedCls, 0, 0, "" },
        { "classifier", BpfProgType.SchedCls, 0, 0, "" },
        { "tc/ingress", BpfProgType.SchedCls, (uint)BpfAttachType.TcxIngress, 0, "" },
        { "tcx/egress", BpfProgType.SchedCls, (uint)BpfAttachType.TcxEgress, 0, "" },
        { "action", BpfProgType.SchedAct, 0, 0, "" },
        { "kprobe/do_sys_open", BpfProgType.Kprobe, 0, 0, "do_sys_open" },
        { "kretprobe/vfs_read", BpfProgType.Kprobe, 0, 0, "vfs_read" },
        { "kprobe", BpfProgType.Kprobe, 0, 0, "" },
        { "uprobe.s/bin:func", BpfProgType.Kprobe, 0, ProgFlags.BPF_F_SLEEPABLE, "bin:func" },
        { "kprobe.multi/vfs_*", BpfProgType.Kprobe, (uint)BpfAttachType.TraceKprobeMulti, 0, "vfs_*" },
        { "tracepoint/syscalls/sys_enter_openat", BpfProgType.Tracepoint, 0, 0, "syscalls/sys_enter_openat" },
        { "tp/sched/sched_switch", BpfProgType.Tracepoint, 0, 0, "sched/sched_switch" },
        { "raw_tp/sys_enter", BpfProgType.RawTracepoint, 0, 0, "sys_enter" },
        { "raw_tracepoint.w/x", BpfProgType.RawTracepointWritable, 0, 0, "x" },
        { "perf_event", BpfProgType.PerfEvent, 0, 0, "" },
        { "cgroup_skb/ingress", BpfProgType.CgroupSkb, (uint)BpfAttachType.CgroupInetIngress, 0, "" },
        { "cgroup_skb/egress", BpfProgType.CgroupSkb, (uint)BpfAttachType.CgroupInetEgress, 0, "" },
        { "cgroup/skb", BpfProgType.CgroupSkb, 0, 0, "" },
        { "cgroup/connect4", BpfProgType.CgroupSockAddr, (uint)BpfAttachType.CgroupInet4Connect, 0, "" },
        { "fentry/do_unlinkat", BpfProgType.Tracing, (uint)BpfAttachType.TraceFentry, 0, "do_unlinkat" },
        { "lsm.s/file_open", BpfProgType.Lsm, (uint)BpfAttachType.LsmMac, ProgFlags.BPF_F_SLEEPABLE, "file_open" },
        { "syscall", BpfProgType.Syscall, 0, ProgFlags.BPF_F_SLEEPABLE, "" },
        { "sk_msg", BpfProgType.SkMsg, (uint)BpfAttachType.SkMsgVerdict, 0, "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reads_the_section_as_libbpf(string name, BpfProgType type, uint attach, uint flags, string target)
    {
        Assert.True(ProgramSection.TryParse(name, out ProgramSection s));
        Assert.Equal(new ProgramSection(type, attach, flags, target), s);
    }

    [Theory]
    [InlineData("xdpfoo")]          // an exact name with a suffix
    [InlineData("socket/x")]        // exact names take no '/...'
    [InlineData("kprobex/f")]       // a '+' name followed by something other than '/'
    [InlineData(".text")]
    [InlineData("")]
    public void Other_names_are_not_program_sections(string name) =>
        Assert.False(ProgramSection.TryParse(name, out _));
}
