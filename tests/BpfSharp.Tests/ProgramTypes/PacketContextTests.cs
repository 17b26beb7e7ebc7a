using BpfSharp.Isa;
using BpfSharp.Memory;
using BpfSharp.ProgramTypes;
using BpfSharp.Runtime;
using BpfSharp.Syscall;
using BpfSharp.Tests.Kernel;
using BpfSharp.Tests.Syscall;
using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.ProgramTypes;

/// <summary>
/// The runtime contexts of the packet types without the kernel: the context rewrites, what the test run stages
/// (values the live kernel 6.18 gave for the same input, see PacketRunDifferentialTests), the XDP frame's bounds,
/// the redirect target a host sees, and checked mode (unverified programs) bounding every access to the current packet.
/// </summary>
public unsafe class PacketContextTests
{
    private static Instruction[] Asm(string text) => Assembler.Assemble(text.Replace('|', '\n'));

    private static VerifierResult Verify(BpfProgType type, Instruction[] insns)
    {
        VerifierResult result = BpfVerifier.Verify(insns, ProgramTypeOps.For(type)!, new VerifierOptions());
        Assert.True(result.IsAccepted, result.Log);
        return result;
    }

    public static TheoryData<BpfProgType, string, string> Rewrites => new()
    {
        { BpfProgType.SchedCls, "r0 = *(u32 *)(r1 +76)", "r0 = *(u64 *)(r1 +192)" },
        { BpfProgType.SchedCls, "r0 = *(u32 *)(r1 +80)", "r0 = *(u64 *)(r1 +200)" },
        { BpfProgType.SchedCls, "r0 = *(u32 *)(r1 +140)", "r0 = *(u64 *)(r1 +208)" },
        { BpfProgType.Xdp, "r0 = *(u32 *)(r1 +0)", "r0 = *(u64 *)(r1 +24)" },
        { BpfProgType.Xdp, "r0 = *(u32 *)(r1 +4)", "r0 = *(u64 *)(r1 +32)" },
        { BpfProgType.Xdp, "r0 = *(u32 *)(r1 +8)", "r0 = *(u64 *)(r1 +40)" },
        { BpfProgType.Xdp, "r0 = *(u32 *)(r1 +12)", "r0 = *(u32 *)(r1 +12)" },
        { BpfProgType.SchedCls, "r0 = *(u16 *)(r1 +18)", "r0 = *(u16 *)(r1 +16)" },
        { BpfProgType.SchedCls, "r0 = *(u8 *)(r1 +17)", "r0 = *(u8 *)(r1 +17)" },
        { BpfProgType.SchedCls, "r0 = *(u8 *)(r1 +5)", "r0 = *(u8 *)(r1 +4)" },
        { BpfProgType.SchedCls, "r0 = *(u16 *)(r1 +2)", "r0 = *(u16 *)(r1 +2)" },
        { BpfProgType.SchedCls, "*(u32 *)(r1 +44) = r1", "*(u16 *)(r1 +44) = r1" },
        { BpfProgType.SchedCls, "*(u32 *)(r1 +12) = 70000", "goto +0" },
        { BpfProgType.SchedCls, "*(u32 *)(r1 +8) = r1", "*(u32 *)(r1 +8) = r1" },
    };

    [Theory]
    [MemberData(nameof(Rewrites))]
    public void Context_accesses_are_rewritten_one_for_one(BpfProgType type, string access, string rewritten)
    {
        string program = access.StartsWith('*') && access.EndsWith("r1") ? $"r2 = r1|{access.Replace("= r1", "= r2")}|r0 = 0|exit" : $"{access}|r0 = 0|exit";
        Instruction[] insns = Asm(program);
        VerifierResult verdict = Verify(type, insns);
        CtxRewrite.Apply(type, insns, verdict);
        string expected = access.StartsWith('*') && access.EndsWith("r1") ? rewritten.Replace("= r1", "= r2") : rewritten;
        int at = program.StartsWith("r2 = r1") ? 1 : 0;
        Assert.Equal(Asm(expected + "|exit")[0], insns[at]);
    }

    [Fact]
    public void Loads_that_do_not_reach_the_context_are_not_rewritten()
    {
        // the same load through the stack pointer: not a context access
        Instruction[] insns = Asm("r2 = r10|r2 += -128|*(u32 *)(r2 +76) = 0|r0 = *(u32 *)(r2 +76)|exit");
        Instruction[] before = (Instruction[])insns.Clone();
        Assert.Equal(0, CtxRewrite.Apply(BpfProgType.SchedCls, insns, Verify(BpfProgType.SchedCls, insns)));
        Assert.Equal(before, insns);
    }

    [Fact]
    public void The_skb_of_a_test_run_is_what_the_kernel_stages()
    {
        // kernel 6.18, frame of TestPacket: a tc program saw len 64, pkt_type 3 (other host), protocol 8, ifindex 1
        Assert.Equal(0, SkBuffTestRun.Create(BpfProgType.SchedCls, TestPacket.Frame(), default, out SkBuff? tc));
        using (tc)
        {
            Assert.Equal(64u, tc!.ReadField(SkBuffLayout.Len));
            Assert.Equal(3u, tc.PktType);
            Assert.Equal(8u, tc.Protocol);
            Assert.Equal(1u, tc.ReadField(SkBuffLayout.Ifindex));
            Assert.Equal(0u, tc.ReadField(SkBuffLayout.WireLen)); // no context given: the kernel leaves wire_len 0
        }
        // a socket filter saw 50 bytes from the IP header on; cgroup/skb the addresses as its socket's
        Assert.Equal(0, SkBuffTestRun.Create(BpfProgType.CgroupSkb, TestPacket.Frame(), new byte[192], out SkBuff? cg));
        using (cg)
        {
            Assert.Equal(50, cg!.Length);
            Assert.Equal(0x45, cg.Packet[0]);
            Assert.Equal(2u, cg.ReadField(SkBuffLayout.Family));
            Assert.Equal(0x0100000au, cg.ReadField(SkBuffLayout.LocalIp4));
            Assert.Equal(0x0200000au, cg.ReadField(SkBuffLayout.RemoteIp4));
            Assert.Equal(50u, cg.ReadField(SkBuffLayout.WireLen));
        }
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0 }, 0u)] // the loopback device's own address
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, 2u)] // loopback's broadcast address is all zero: multicast
    [InlineData(new byte[] { 0x01, 0x00, 0x5e, 0, 0, 1 }, 2u)]
    [InlineData(new byte[] { 0x02, 0, 0, 0, 0, 1 }, 3u)]
    public void Eth_type_trans_types_packets_as_the_loopback_device_does(byte[] dest, uint pktType)
    {
        byte[] frame = TestPacket.Frame();
        dest.CopyTo(frame, 0);
        Assert.Equal(pktType, EthTypeTrans.Classify(frame).PktType);
    }

    [Theory]
    [InlineData(nameof(XdpBuff.AdjustHead), -216, 0, 280)]
    [InlineData(nameof(XdpBuff.AdjustHead), -217, -Errno.EINVAL, 64)]
    [InlineData(nameof(XdpBuff.AdjustHead), 50, 0, 14)]
    [InlineData(nameof(XdpBuff.AdjustHead), 51, -Errno.EINVAL, 64)]
    [InlineData(nameof(XdpBuff.AdjustTail), -50, 0, 14)]
    [InlineData(nameof(XdpBuff.AdjustTail), 3456, 0, 3520)]
    [InlineData(nameof(XdpBuff.AdjustTail), 3457, -Errno.EINVAL, 64)]
    [InlineData(nameof(XdpBuff.AdjustMeta), -216, 0, 64)]
    [InlineData(nameof(XdpBuff.AdjustMeta), -220, -Errno.EINVAL, 64)]
    [InlineData(nameof(XdpBuff.AdjustMeta), -2, -Errno.EACCES, 64)]
    [InlineData(nameof(XdpBuff.AdjustMeta), 4, -Errno.EINVAL, 64)]
    public void Xdp_bounds_move_within_the_frame_as_in_the_kernel(string operation, int delta, int result, int length)
    {
        // results of the live kernel 6.18 on a 64-byte frame (PacketRunCases.Xdp)
        using var xdp = new XdpBuff(new byte[64]);
        int r = operation switch
        {
            nameof(XdpBuff.AdjustHead) => xdp.AdjustHead(delta),
            nameof(XdpBuff.AdjustTail) => xdp.AdjustTail(delta),
            _ => xdp.AdjustMeta(delta),
        };
        Assert.Equal(result, r);
        Assert.Equal(length, xdp.Length);
        Assert.Equal((ulong)xdp.Data, *(ulong*)(xdp.Context + XdpBuff.DataPointerOffset));
        Assert.Equal((ulong)xdp.Data + (ulong)xdp.Length, *(ulong*)(xdp.Context + XdpBuff.DataEndPointerOffset));
    }

    [Fact]
    public void Fragments_shrink_before_the_linear_part()
    {
        using var xdp = new XdpBuff(new byte[3520], 0, new byte[80]);
        Assert.Equal(0, xdp.AdjustTail(-81));
        Assert.Equal(3519, xdp.Length);
        Assert.Equal(0, xdp.FragmentsLength);
        Assert.Equal(-Errno.EINVAL, xdp.AdjustTail(-3506)); // would leave less than an Ethernet header
    }

    [Fact]
    public void A_host_sees_the_redirect_target_after_a_run()
    {
        using var t = new OurTarget();
        int fd = t.Load(Asm("r1 = 5|r2 = 0|call bpf_redirect|exit"), out string log, BpfProgType.Xdp);
        Assert.True(fd >= 0, log);
        Assert.Equal(0, t.System.GetObject(fd, out BpfObject? obj));
        var program = (LoadedProgram)obj!;
        try
        {
            using var xdp = new XdpBuff(TestPacket.Frame());
            var run = new RunContext { R1 = (ulong)xdp.Context, XdpBuff = xdp };
            Assert.Equal(4ul, program.Run(run)); // XDP_REDIRECT
            Assert.Equal(new RedirectTarget(true, 5, 0, int.MaxValue, BpfMapType.Unspec), run.Redirect);
        }
        finally
        {
            program.Release();
        }
    }

    [Theory]
    [InlineData("r2 = *(u32 *)(r1 +76)|r0 = *(u8 *)(r2 +0)|exit")] // unverified: no rewrite, the 32-bit slot reads 0
    [InlineData("r6 = r1|r2 = 20|r3 = 0|call bpf_skb_change_tail|r2 = *(u64 *)(r6 +192)|r0 = *(u8 *)(r2 +30)|exit")] // past the new end
    [InlineData("r2 = 0|r3 = 0|r4 = 8|call bpf_skb_load_bytes|exit")] // the destination is no memory of the run
    public void Checked_mode_bounds_every_access_to_the_current_packet(string program)
    {
        using var t = new OurTarget(OurTarget.Options(verify: false));
        int fd = t.Load(Asm(program), out _, BpfProgType.SchedCls);
        Assert.True(fd >= 0);
        Assert.Equal(-Errno.EFAULT, t.TestRun(fd, TestPacket.Frame(), out _));
    }

    [Fact]
    public void Unverified_programs_read_the_packet_pointers_from_their_slots()
    {
        using var t = new OurTarget(OurTarget.Options(verify: false));
        int fd = t.Load(Asm("r2 = *(u64 *)(r1 +192)|r0 = *(u8 *)(r2 +23)|exit"), out _, BpfProgType.SchedCls);
        Assert.Equal(0, t.TestRun(fd, TestPacket.Frame(), out TestRunAttr run));
        Assert.Equal(0x11u, run.Retval); // the IPv4 protocol byte: UDP
    }
}
