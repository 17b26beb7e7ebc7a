using BpfSharp.Elf;
using BpfSharp.Elf.Btf;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Elf;

/// <summary>
/// attach_btf_id as libbpf finds it from a program's section (find_kernel_btf_id): tp_btf/NAME is the typedef
/// btf_trace_NAME, lsm/NAME the function bpf_lsm_NAME, iter/NAME the function bpf_iter_NAME, fentry/fexit/fmod_ret
/// the function itself, all in the running kernel's BTF; a missing name is -ESRCH with libbpf's message.
/// </summary>
public class AttachBtfTests
{
    private static BtfBlob Vmlinux()
    {
        Skip.If(KernelBtf.Vmlinux is null, $"no kernel BTF at {KernelBtf.Path}");
        return KernelBtf.Vmlinux!;
    }

    [SkippableTheory]
    [InlineData(BpfAttachType.TraceRawTp, "sched_switch", "btf_trace_sched_switch", BtfKind.Typedef)]
    [InlineData(BpfAttachType.TraceFentry, "tcp_v4_connect", "tcp_v4_connect", BtfKind.Func)]
    [InlineData(BpfAttachType.TraceFexit, "tcp_v4_connect", "tcp_v4_connect", BtfKind.Func)]
    [InlineData(BpfAttachType.ModifyReturn, "security_file_open", "security_file_open", BtfKind.Func)]
    [InlineData(BpfAttachType.LsmMac, "file_open", "bpf_lsm_file_open", BtfKind.Func)]
    [InlineData(BpfAttachType.TraceIter, "task", "bpf_iter_task", BtfKind.Func)]
    public void The_section_names_the_kernel_type(BpfAttachType attach, string target, string name, BtfKind kind)
    {
        BtfBlob btf = Vmlinux();
        Assert.Equal(0, AttachBtf.Find(btf, (uint)attach, target, out uint id));
        Assert.Equal(btf.FindByName(name, kind), id);
        Assert.Equal(name, btf.NameOf(id));
    }

    [SkippableFact]
    public void A_missing_name_or_kernel_btf_is_esrch()
    {
        BtfBlob btf = Vmlinux();
        Assert.Equal(-Errno.ESRCH, AttachBtf.Find(btf, (uint)BpfAttachType.TraceRawTp, "no_such_tracepoint", out _));
        Assert.Equal(-Errno.ESRCH, AttachBtf.Find(btf, (uint)BpfAttachType.TraceRawTp, "tcp_v4_connect", out _)); // a function, no typedef
        Assert.Equal(-Errno.ESRCH, AttachBtf.Find(null, (uint)BpfAttachType.TraceFentry, "tcp_v4_connect", out _));
    }

    [Theory]
    [InlineData(BpfProgType.Tracing, BpfAttachType.TraceFentry, true)]
    [InlineData(BpfProgType.Tracing, BpfAttachType.TraceRawTp, true)]
    [InlineData(BpfProgType.Lsm, BpfAttachType.LsmMac, true)]
    [InlineData(BpfProgType.Tracing, (BpfAttachType)0, false)]
    [InlineData(BpfProgType.RawTracepoint, (BpfAttachType)0, false)]
    [InlineData(BpfProgType.Kprobe, BpfAttachType.TraceKprobeMulti, false)]
    public void Which_programs_need_an_attach_btf_id(BpfProgType type, BpfAttachType attach, bool needs) =>
        Assert.Equal(needs, AttachBtf.NeedsAttachBtfId(type, (uint)attach));

    // A program of an object turned into a tp_btf program: the collection finds its target as libbpf does.
    [SkippableTheory]
    [InlineData("sched_switch", 0)]
    [InlineData("no_such_tracepoint", Errno.ESRCH)]
    [InlineData("", Errno.EINVAL)]
    public void A_collection_resolves_the_target_of_a_tp_btf_program(string target, int errno)
    {
        Vmlinux();
        CollectionSpec spec = ObjectReaderTests.Spec("elf_subprogs.o");
        ProgramSpec p = spec.Programs["first"];
        (p.Type, p.ExpectedAttachType, p.AttachTarget) = (BpfProgType.Tracing, (uint)BpfAttachType.TraceRawTp, target);
        using var system = new BpfSystem();
        var options = new CollectionOptions { Programs = ["first"] };
        if (errno == 0)
        {
            using Collection c = Collection.Load(spec, system, options);
            Assert.True(c.Programs.ContainsKey("first"));
            return;
        }
        BpfException e = Assert.Throws<BpfException>(() => Collection.Load(spec, system, options));
        Assert.Equal(errno, e.Errno);
        Assert.Contains(target.Length == 0 ? "no BTF-based attach target is specified"
            : $"prog 'first': failed to find kernel BTF type ID of '{target}': -3", e.Message, StringComparison.Ordinal);
    }
}
