using BpfSharp.Cli.Pcap;
using BpfSharp.Elf;
using BpfSharp.Isa;
using BpfSharp.Tests.Cli;
using BpfSharp.Tests.Support;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Hosting;

/// <summary>
/// Packet hooks: XDP, tc, socket and cgroup/skb programs fired on frames the host supplies, with the same staging as
/// BPF_PROG_TEST_RUN (which the differential suite holds to the kernel's), and the kernel's multi-program rules.
/// </summary>
public class PacketHookTests
{
    // Ethernet (IPv4) + IPv4 (UDP) + UDP + payload.
    private static readonly byte[] Udp = Convert.FromHexString(
        "0000000000020000000000010800" + "4500003200004000401100007f0000017f000001" + "303930390018000068656c6c6f20776f726c64"
        + "000000000000000000000000");

    private static readonly byte[] Tcp = Udp.Select((b, i) => i == 23 ? (byte)6 : b).ToArray();

    [Fact]
    public void Each_frame_gets_the_verdict_and_packet_a_test_run_gives()
    {
        using var system = new BpfSystem();
        using Collection c = Collection.Load(CollectionSpec.Load(TestPrograms.PathOf("elf_packet.o")), system);
        foreach (var (type, program) in new[] { (BpfProgType.Xdp, "xdp_udp_drop"), (BpfProgType.SchedCls, "tc_mark"), (BpfProgType.CgroupSkb, "cg_allow") })
        {
            using var hook = new PacketHook(system, type, program);
            using BpfLink link = hook.Attach(c.Programs[program]);
            foreach (byte[] frame in new[] { Udp, Tcp })
            {
                var hookOut = new byte[256];
                PacketVerdict v = hook.Fire(frame, hookOut);
                var runOut = new byte[256];
                BpfProgramRunResult r = c.Programs[program].TestRun(frame, runOut);
                Assert.Equal(r.Retval, (uint)v.Result);
                // The hook hands back the whole frame; a test run of a type that does not see the link layer zeroes its header.
                int skip = type == BpfProgType.CgroupSkb ? 14 : 0;
                Assert.Equal(runOut.AsSpan(skip, r.DataSize - skip).ToArray(), hookOut.AsSpan(skip, v.PacketLength - skip).ToArray());
                Assert.Equal(frame, hookOut[..v.PacketLength]);
            }
        }
        Assert.Equal(1ul, Fire(system, c, BpfProgType.Xdp, "xdp_udp_drop", Udp)); // XDP_DROP
        Assert.Equal(2ul, Fire(system, c, BpfProgType.Xdp, "xdp_udp_drop", Tcp)); // XDP_PASS
    }

    private static ulong Fire(BpfSystem system, Collection c, BpfProgType type, string program, byte[] frame)
    {
        using var hook = new PacketHook(system, type);
        using BpfLink link = hook.Attach(c.Programs[program]);
        return hook.Fire(frame).Result;
    }

    [Fact]
    public void Xdp_programs_run_while_they_pass_as_libxdp_chains_them()
    {
        using var system = new BpfSystem();
        using Collection c = Collection.Load(CollectionSpec.Load(TestPrograms.PathOf("elf_multi_prog.o")), system);
        using var hook = new PacketHook(system, BpfProgType.Xdp);
        using (hook.Attach(c.Programs["pass"]))
        using (hook.Attach(c.Programs["tx"]))
            Assert.Equal(3ul, hook.Fire(Udp).Result); // pass, then tx decides
        using (hook.Attach(c.Programs["drop"]))
        using (hook.Attach(c.Programs["tx"]))
        {
            var results = new ulong[2];
            var into = new ResultsInto(results);
            PacketVerdict all = hook.Fire(Udp, ref into); // a caller's aggregator sees every program
            Assert.Equal((2, 3ul), (into.Count, all.Result));
            Assert.Equal(1ul, hook.Fire(Udp).Result); // the default stops at the first action other than XDP_PASS
        }
    }

    [Fact]
    public void Tc_programs_continue_on_unspec_and_report_redirects()
    {
        using var system = new BpfSystem();
        using var next = BpfProgram.Load(system, BpfProgType.SchedCls, Program(Mov64(R0, -1), Exit())); // TC_ACT_UNSPEC
        using var redirect = BpfProgram.Load(system, BpfProgType.SchedCls, Program(
            Mov64(R1, 1), Mov64(R2, 0), Call(23 /* bpf_redirect */), Exit())); // returns TC_ACT_REDIRECT
        using var hook = new PacketHook(system, BpfProgType.SchedCls);
        using BpfLink a = hook.Attach(next), b = hook.Attach(redirect);
        PacketVerdict v = hook.Fire(Udp);
        Assert.Equal(7ul, v.Result); // TC_ACT_REDIRECT
        Assert.True(v.Redirect.IsSet);
        Assert.Equal(1u, v.Redirect.Ifindex);
    }

    [Fact]
    public void A_program_that_grows_the_packet_hands_the_host_the_new_frame()
    {
        using var system = new BpfSystem();
        // bpf_xdp_adjust_head(ctx, -4) then write 0xab into the new first byte.
        using var grow = BpfProgram.Load(system, BpfProgType.Xdp, Program(
            Mov64(R6, R1), Mov64(R2, -4), Call(44 /* bpf_xdp_adjust_head */),
            LdxMem(Opcodes.BPF_W, R2, R6, 0), LdxMem(Opcodes.BPF_W, R3, R6, 4),
            Mov64(R4, R2), Add64(R4, 1), JmpReg(Opcodes.BPF_JGT, R4, R3, "out"),
            StMem(Opcodes.BPF_B, R2, 0, 0xab),
            Label("out"), Mov64(R0, 2), Exit()));
        using var hook = new PacketHook(system, BpfProgType.Xdp);
        using BpfLink link = hook.Attach(grow);
        var output = new byte[128];
        PacketVerdict v = hook.Fire(Udp, output);
        Assert.Equal(Udp.Length + 4, v.PacketLength);
        Assert.Equal(0xab, output[0]);
        Assert.Equal(Udp, output[4..v.PacketLength]);
    }

    [Fact]
    public void The_demo_capture_through_a_hook_counts_what_the_replay_counts()
    {
        using var system = new BpfSystem();
        using Collection c = Collection.Load(CollectionSpec.Load(DemoFiles.Object), system);
        using var hook = new PacketHook(system, BpfProgType.Xdp, "rx");
        using BpfLink link = hook.Attach(c.Programs["count_protocols"]);
        using var pcap = new PcapReader(File.OpenRead(DemoFiles.Pcap));
        int drops = 0, frames = 0;
        while (pcap.TryRead(out ReadOnlySpan<byte> frame, out _))
        {
            frames++;
            if (hook.Fire(frame).Result == 1) drops++;
        }
        var r = CliTestHost.Run("", "run", DemoFiles.Object, "--pcap", DemoFiles.Pcap);
        Assert.Matches($@"XDP_DROP\s+{drops}\n", r.Out);
        Assert.Equal(2000, frames);
    }

    [Fact]
    public void Firing_allocates_nothing()
    {
        using var system = new BpfSystem();
        using Collection c = Collection.Load(CollectionSpec.Load(TestPrograms.PathOf("elf_packet.o")), system);
        foreach (var (type, program) in new[] { (BpfProgType.Xdp, "xdp_udp_drop"), (BpfProgType.SchedCls, "tc_mark") })
        {
            using var hook = new PacketHook(system, type);
            using BpfLink link = hook.Attach(c.Programs[program]);
            var output = new byte[128];
            for (int i = 0; i < 1000; i++) hook.Fire(Udp, output);
            Assert.Equal(0, Allocations.Least(() =>
            {
                for (int i = 0; i < 1000; i++) hook.Fire(Udp, output);
            }));
        }
    }

    [Fact]
    public void Bad_frames_and_types_are_refused_and_a_disposed_hook_runs_nothing()
    {
        using var system = new BpfSystem();
        Assert.Throws<ArgumentException>(() => new PacketHook(system, BpfProgType.Kprobe));
        var hook = new PacketHook(system, BpfProgType.SchedCls);
        using var prog = BpfProgram.Load(system, BpfProgType.SchedCls, Program(Mov64(R0, 2), Exit()));
        hook.Attach(prog);
        Assert.Throws<ArgumentException>(() => hook.Fire(new byte[10]));
        Assert.Throws<ArgumentException>(() => hook.Fire(Udp[..20])); // IPv4 shorter than its header, as a test run refuses it
        Assert.Equal(2ul, hook.Fire(Udp).Result);
        hook.Dispose();
        Assert.Equal(default, hook.Fire(Udp));
    }
}
