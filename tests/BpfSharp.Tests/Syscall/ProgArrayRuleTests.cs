using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Syscall;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Syscall;

/// <summary>
/// PROG_ARRAY through bpf(): the programs sharing an array must be compatible (kernel:
/// bpf_prog_map_compatible, checked on update and, for programs using the array, at load by
/// bpf_check_tail_call), and the array empties itself when user space's last reference goes
/// (map_release_uref), which frees a program that tail-calls through an array holding itself.
/// </summary>
public unsafe class ProgArrayRuleTests
{
    private const int TailCall = 12; // bpf_tail_call

    /// <summary>A program of <paramref name="type"/> that tail-calls slot 0 of <paramref name="array"/> (or only names it), then returns 1.</summary>
    private static int LoadUsing(IBpfTarget t, int array, BpfProgType type = BpfProgType.SocketFilter, uint flags = 0,
        uint expectedAttachType = 0, bool tailCall = true)
    {
        Instruction[] insns = tailCall
            ? Asm.Program(Asm.LdMapFd(R2, array), Asm.Mov64(R3, 0), Asm.Call(TailCall), Asm.Mov64(R0, 1), Asm.Exit())
            : Asm.Program(Asm.LdMapFd(R1, array), Asm.Mov64(R0, 1), Asm.Exit());
        return Load(t, insns, type, flags, expectedAttachType);
    }

    /// <summary><c>r0 = 0; exit</c> as a program of <paramref name="type"/>.</summary>
    private static int LoadTrivial(IBpfTarget t, BpfProgType type, uint flags = 0, uint expectedAttachType = 0) =>
        Load(t, [Asm.Mov64(R0, 0), Asm.Exit()], type, flags, expectedAttachType);

    private static int Load(IBpfTarget t, Instruction[] insns, BpfProgType type, uint flags, uint expectedAttachType)
    {
        fixed (Instruction* p = insns)
        fixed (byte* license = "GPL\0"u8)
        {
            BpfAttr attr = default;
            attr.ProgLoad.ProgType = (uint)type;
            attr.ProgLoad.InsnCnt = (uint)insns.Length;
            attr.ProgLoad.Insns = (ulong)p;
            attr.ProgLoad.License = (ulong)license;
            attr.ProgLoad.ProgFlags = flags;
            attr.ProgLoad.ExpectedAttachType = expectedAttachType;
            int fd = t.Bpf(BpfCommand.ProgLoad, ref attr);
            return fd;
        }
    }

    private static int ProgArray(IBpfTarget t, uint maxEntries = 4) => t.CreateMap(BpfMapType.ProgArray, 4, 4, maxEntries);

    private static int Put(IBpfTarget t, int array, uint slot, int program) => t.Update(array, slot, (uint)program);

    private static int Checked(int fd)
    {
        Assert.True(fd >= 0, Errno.Name(fd));
        return fd;
    }

    internal sealed record Rule(string Name, int Expected, Func<IBpfTarget, int> Run);

    private const uint CgroupInetIngress = 0, CgroupInetEgress = 1;

    internal static readonly Rule[] Rules =
    [
        new("same type twice", 0, t =>
        {
            int a = ProgArray(t);
            Assert.Equal(0, Put(t, a, 0, Checked(LoadTrivial(t, BpfProgType.SocketFilter))));
            return Put(t, a, 1, Checked(LoadTrivial(t, BpfProgType.SocketFilter)));
        }),
        new("socket filter, then XDP", -Errno.EINVAL, t =>
        {
            int a = ProgArray(t);
            Assert.Equal(0, Put(t, a, 0, Checked(LoadTrivial(t, BpfProgType.SocketFilter))));
            return Put(t, a, 1, Checked(LoadTrivial(t, BpfProgType.Xdp)));
        }),
        new("XDP, then socket filter", -Errno.EINVAL, t =>
        {
            int a = ProgArray(t);
            Assert.Equal(0, Put(t, a, 0, Checked(LoadTrivial(t, BpfProgType.Xdp))));
            return Put(t, a, 1, Checked(LoadTrivial(t, BpfProgType.SocketFilter)));
        }),
        new("the owner stays after its program is deleted", -Errno.EINVAL, t =>
        {
            int a = ProgArray(t);
            Assert.Equal(0, Put(t, a, 0, Checked(LoadTrivial(t, BpfProgType.SocketFilter))));
            Assert.Equal(0, t.Delete(a, 0));
            return Put(t, a, 0, Checked(LoadTrivial(t, BpfProgType.Xdp)));
        }),
        new("XDP, then XDP with BPF_F_XDP_HAS_FRAGS", -Errno.EINVAL, t =>
        {
            int a = ProgArray(t);
            Assert.Equal(0, Put(t, a, 0, Checked(LoadTrivial(t, BpfProgType.Xdp))));
            return Put(t, a, 1, Checked(LoadTrivial(t, BpfProgType.Xdp, ProgFlags.BPF_F_XDP_HAS_FRAGS)));
        }),
        new("XDP with frags twice", 0, t =>
        {
            int a = ProgArray(t);
            Assert.Equal(0, Put(t, a, 0, Checked(LoadTrivial(t, BpfProgType.Xdp, ProgFlags.BPF_F_XDP_HAS_FRAGS))));
            return Put(t, a, 1, Checked(LoadTrivial(t, BpfProgType.Xdp, ProgFlags.BPF_F_XDP_HAS_FRAGS)));
        }),
        new("cgroup_skb ingress, then egress", -Errno.EINVAL, t =>
        {
            int a = ProgArray(t);
            Assert.Equal(0, Put(t, a, 0, Checked(LoadTrivial(t, BpfProgType.CgroupSkb, expectedAttachType: CgroupInetIngress))));
            return Put(t, a, 1, Checked(LoadTrivial(t, BpfProgType.CgroupSkb, expectedAttachType: CgroupInetEgress)));
        }),
        new("a socket filter using the array fixes the owner at load", -Errno.EINVAL, t =>
        {
            int a = ProgArray(t);
            Checked(LoadUsing(t, a));
            return Put(t, a, 0, Checked(LoadTrivial(t, BpfProgType.Xdp)));
        }),
        new("loading XDP that uses an array of socket filters", -Errno.EINVAL, t =>
        {
            int a = ProgArray(t);
            Assert.Equal(0, Put(t, a, 0, Checked(LoadTrivial(t, BpfProgType.SocketFilter))));
            return LoadUsing(t, a, BpfProgType.Xdp);
        }),
        new("loading XDP that only names an array of socket filters", -Errno.EINVAL, t =>
        {
            int a = ProgArray(t);
            Assert.Equal(0, Put(t, a, 0, Checked(LoadTrivial(t, BpfProgType.SocketFilter))));
            return LoadUsing(t, a, BpfProgType.Xdp, tailCall: false);
        }),
        new("loading a socket filter that uses an array of socket filters", 0, t =>
        {
            int a = ProgArray(t);
            Assert.Equal(0, Put(t, a, 0, Checked(LoadTrivial(t, BpfProgType.SocketFilter))));
            return Math.Min(0, LoadUsing(t, a));
        }),
        new("a map fd as a program", -Errno.EINVAL, t => Put(t, ProgArray(t), 0, t.CreateArray())),
        new("stdin as a program", -Errno.EINVAL, t => Put(t, ProgArray(t), 0, 0)),
        new("a program that tail-calls through the array holds itself", 0, t =>
        {
            int a = ProgArray(t);
            return Put(t, a, 0, Checked(LoadUsing(t, a)));
        }),
        new("the last fd of the array going empties it", -Errno.ENOENT, t =>
        {
            int a = ProgArray(t);
            Checked(LoadUsing(t, a)); // keeps the array alive, but is no user reference
            Assert.Equal(0, Put(t, a, 0, Checked(LoadTrivial(t, BpfProgType.SocketFilter))));
            Assert.Equal(0, t.MapInfo(a, out BpfMapInfo info));
            Assert.Equal(0, t.Close(a));
            BpfAttr byId = default;
            byId.GetId.MapId = info.Id;
            int again = Checked(t.Bpf(BpfCommand.MapGetFdById, ref byId));
            // The kernel empties the array from a work item: give it a moment to run.
            int rc = 0;
            for (int i = 0; i < 200 && (rc = t.Lookup(again, 0, out _)) == 0; i++) Thread.Sleep(10);
            return rc;
        }),
    ];

    private static readonly Dictionary<string, Rule> ByName = Rules.ToDictionary(r => r.Name);

    public static TheoryData<string, string> Rows()
    {
        var rows = new TheoryData<string, string>();
        foreach (string target in Targets.Names)
            foreach (Rule rule in Rules)
                rows.Add(target, rule.Name);
        return rows;
    }

    [SkippableTheory]
    [MemberData(nameof(Rows))]
    public void Prog_array_rule_holds(string target, string rule)
    {
        using IBpfTarget t = Targets.Create(target);
        Assert.Equal(Errno.Name(ByName[rule].Expected), Errno.Name(ByName[rule].Run(t)));
    }

    // ---- lifetimes (ours: the objects can be watched) ----

    private static T Object<T>(OurTarget t, int fd) where T : BpfObject
    {
        Assert.Equal(0, t.System.GetObject(fd, out BpfObject? obj));
        obj!.Release(); // keep the managed object only
        return Assert.IsAssignableFrom<T>(obj);
    }

    /// <summary>A prog array holding, in slot 0, a program that tail-calls through it.</summary>
    private static (int Array, int Program, ProgArray ArrayObject, LoadedProgram ProgramObject) Cycle(OurTarget t)
    {
        int a = ProgArray(t);
        int p = Checked(LoadUsing(t, a));
        Assert.Equal(0, Put(t, a, 0, p));
        return (a, p, Object<ProgArray>(t, a), Object<LoadedProgram>(t, p));
    }

    [Fact]
    public void A_program_in_a_prog_array_it_tail_calls_through_is_freed_once_user_space_closes_everything()
    {
        using var t = new OurTarget();
        var (a, p, array, program) = Cycle(t);
        Assert.Equal(2, program.RefCount); // its fd and the slot
        Assert.Equal(2, array.RefCount);   // its fd and the program

        Assert.Equal(0, t.TestRun(p, new byte[64], out TestRunAttr run)); // tail-calls itself until the limit, then returns 1
        Assert.Equal(1u, run.Retval);

        Assert.Equal(0, t.Close(a));       // the last user reference: the array empties
        Assert.Null(array.GetProgram(0));
        Assert.False(array.IsFreed);       // the program still uses it
        Assert.Equal(1, program.RefCount);
        Assert.Equal(0, t.Close(p));
        Assert.True(program.IsFreed);
        Assert.True(array.IsFreed);
        Assert.Equal(0, t.System.Maps.Count);
    }

    [Fact]
    public void Closing_the_program_first_frees_both_when_the_array_goes()
    {
        using var t = new OurTarget();
        var (a, p, array, program) = Cycle(t);
        Assert.Equal(0, t.Close(p));
        Assert.False(program.IsFreed);     // the slot holds it
        Assert.Equal(0, t.Close(a));
        Assert.True(program.IsFreed);
        Assert.True(array.IsFreed);
    }

    [Fact]
    public void Dispose_frees_a_program_and_the_prog_array_holding_it()
    {
        var t = new OurTarget();
        var (_, _, array, program) = Cycle(t);
        t.Dispose();
        Assert.True(program.IsFreed);
        Assert.True(array.IsFreed);
        Assert.Equal(0, t.System.Maps.Count);
    }

    [Fact]
    public void A_pinned_prog_array_keeps_its_programs_until_unpinned()
    {
        using var t = new OurTarget();
        var (a, p, array, program) = Cycle(t);
        Assert.Equal(0, t.Pin(a, "/sys/fs/bpf/pa"));
        Assert.Equal(0, t.Close(a));
        Assert.Equal(0, t.Close(p));
        Assert.Same(program, array.GetProgram(0));
        Assert.False(program.IsFreed);
        Assert.Equal(0, t.System.Unpin("/sys/fs/bpf/pa"));
        Assert.True(program.IsFreed);
        Assert.True(array.IsFreed);
    }

    [Fact]
    public void A_slot_emptied_while_a_run_is_in_progress_is_released_when_the_run_ends()
    {
        using var t = new OurTarget();
        var (a, p, array, program) = Cycle(t);
        Assert.Equal(0, t.Close(p));
        using (t.System.Epochs.Enter()) // a run on this thread: the program may still be in use
        {
            Assert.Equal(0, t.Delete(a, 0));
            Assert.Null(array.GetProgram(0));
            Assert.False(program.IsFreed);
        }
        Assert.True(program.IsFreed);
        Assert.Equal(0, t.System.Epochs.PendingCount);
    }
}
