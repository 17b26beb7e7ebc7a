using BpfSharp.Isa;
using BpfSharp.Tests.Kernel;

namespace BpfSharp.Tests.Cli;

/// <summary><c>bpfsharp prog load</c>, <c>prog dump</c>, <c>prog run</c> and <c>verify</c> on the objects of tests/programs.</summary>
public class ObjectCommandTests
{
    private static string Obj(string name) => TestPrograms.PathOf(name);

    [Fact]
    public void Prog_load_prints_each_program_with_its_maps_and_verifier_statistics()
    {
        var r = CliTestHost.Run("", "prog", "load", Obj("elf_subprogs.o"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("first: Xdp from section 'xdp'", r.Out);
        Assert.Contains("second: SocketFilter from section 'socket'", r.Out);
        Assert.Contains("verified: processed ", r.Out);
    }

    [Fact]
    public void Objects_of_other_loaders_load_and_verify_with_the_help_they_need()
    {
        var load = CliTestHost.Run("", "prog", "load", Obj("elf_typed_events.o"));
        Assert.Equal(0, load.ExitCode);
        Assert.Contains("map 'replaced': pinning 16 is not libbpf's; the map is not pinned", load.Error);
        Assert.Contains("report: SchedCls from section 'tc'", load.Out);

        var text = CliTestHost.Run("", "verify", Obj("conformance_main.o"));
        Assert.Equal(2, text.ExitCode);
        Assert.Contains("its .text functions (main_prog) can be chosen with --section NAME", text.Error);
        var chosen = CliTestHost.Run("", "verify", Obj("conformance_main.o"), "--section", "main_prog", "--type", "socket_filter");
        Assert.Equal(1, chosen.ExitCode); // verified as a socket filter: it reads r2
        Assert.Contains("R2 !read_ok", chosen.Out);
        Assert.Contains("main_prog (.text): rejected (EACCES)", chosen.Out);
    }

    [Fact]
    public void Prog_load_selects_a_section_and_overrides_the_type()
    {
        var r = CliTestHost.Run("", "prog", "load", Obj("elf_multi_prog.o"), "--section", "drop", "--type", "socket_filter");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("drop: SocketFilter", r.Out);
        Assert.DoesNotContain("pass:", r.Out);
    }

    [Fact]
    public void Prog_dump_jited_prints_the_IL_of_every_subprogram_with_the_instructions_between()
    {
        var r = CliTestHost.Run("", "prog", "dump", "--jited", Obj("elf_subprogs.o"), "--section", "xdp");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("first (xdp, Xdp):", r.Out);
        Assert.Contains(".method bpf_sub_0 (insn 0)", r.Out);
        Assert.Matches(@"\.method bpf_sub_[1-9][0-9]* \(insn [1-9]", r.Out); // a bpf-to-bpf callee has its own method
        Assert.Contains("(95) exit", r.Out);
        Assert.Contains(": ret", r.Out);
        Assert.Matches(@"// [0-9]+ bytes of IL in all \(unchecked mode\)", r.Out);
    }

    [Fact]
    public void Prog_dump_names_the_maps_an_instruction_loads()
    {
        var r = CliTestHost.Run("", "prog", "dump", Obj("elf_globals.o"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("; elf_glob.rodata+0", r.Out);
        Assert.Contains("(95) exit", r.Out);
        Assert.Contains("; int base = runs; @ elf_globals.c:", r.Out); // source lines from .BTF.ext
    }

    [Fact]
    public void Verify_exits_0_when_accepted_1_when_rejected_2_on_bad_input()
    {
        Assert.Equal(0, CliTestHost.Run("", "verify", Obj("elf_bounded_loop.o")).ExitCode);

        var rejected = CliTestHost.Run("", "verify", Obj("elf_packet.o"), "--section", "tc_mark", "--type", "kprobe");
        Assert.Equal(1, rejected.ExitCode);
        Assert.Contains("rejected (EACCES)", rejected.Out);
        Assert.Contains("R2 invalid mem access 'scalar'", rejected.Out); // a kprobe's ctx at +76 is pt_regs data, not a packet pointer

        string garbage = Path.GetTempFileName();
        File.WriteAllBytes(garbage, [0x7f, (byte)'E', (byte)'L', (byte)'F', 1]);
        try
        {
            var bad = CliTestHost.Run("", "verify", garbage);
            Assert.Equal(2, bad.ExitCode);
            Assert.Contains("ELF", bad.Error);
        }
        finally
        {
            File.Delete(garbage);
        }
        Assert.Equal(2, CliTestHost.Run("", "verify", Obj("elf_globals.o"), "--section", "nope").ExitCode);
    }

    [Fact]
    public void Verify_prints_the_level_2_log_of_an_accepted_program()
    {
        var r = CliTestHost.Run("", "verify", Obj("elf_multi_prog.o"), "--section", "pass", "--log-level", "2");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("0: (b4) w0 = 2", r.Out);
        Assert.Contains("pass (xdp): accepted", r.Out);
    }

    // Ethernet + IPv4 headers (protocol as given) + 8 zero bytes: what elf_packet.o's xdp_udp_drop parses.
    private static byte[] Frame(byte protocol)
    {
        var frame = new byte[14 + 20 + 8];
        frame[12] = 0x08; // ETH_P_IP
        frame[14] = 0x45; // IPv4, IHL 5
        frame[14 + 9] = protocol;
        return frame;
    }

    [SkippableFact]
    public void Prog_run_prints_what_bpftool_prog_run_prints_and_the_kernel_returns_the_same()
    {
        string udp = Path.GetTempFileName(), tcp = Path.GetTempFileName(), output = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(udp, Frame(17));
            File.WriteAllBytes(tcp, Frame(6));
            // XDP_DROP (1) for UDP, XDP_PASS (2) otherwise; "(average)" only when repeated, as bpftool prints it
            var drop = CliTestHost.Run("", "prog", "run", Obj("elf_packet.o"), "--section", "xdp", "--data-in", udp);
            Assert.Equal(0, drop.ExitCode);
            Assert.Matches(@"^Return value: 1, duration: \d+ns\n$", drop.Out.Replace("\r", ""));
            var pass = CliTestHost.Run("", "prog", "run", Obj("elf_packet.o"), "--section", "xdp", "--data-in", tcp, "--repeat", "10",
                "--engine", "interp", "--data-out", output);
            Assert.Equal(0, pass.ExitCode);
            Assert.StartsWith("Return value: 2, duration (average): ", pass.Out);
            Assert.Equal(Frame(6), File.ReadAllBytes(output));
            var hex = CliTestHost.Run("", "prog", "run", Obj("elf_packet.o"), "--section", "xdp", "--data-in", tcp, "--data-out", "-");
            Assert.Contains("00 00 00 00 00 00 00 00 00 00 00 00 08 00 45 00\n", hex.Out.Replace("\r", ""));

            var several = CliTestHost.Run("", "prog", "run", Obj("elf_packet.o"));
            Assert.Equal(2, several.ExitCode);
            Assert.Contains("3 programs selected (xdp_udp_drop, tc_mark, cg_allow); choose one with --section", several.Error);

            Skip.IfNot(KernelBpf.IsAvailable, "the kernel's bpf() is not available");
            Instruction[] insns = BpfSharp.Elf.CollectionSpec.Load(Obj("elf_packet.o")).Programs["xdp_udp_drop"].Instructions;
            int fd = KernelBpf.ProgLoad((uint)BpfSharp.Uapi.BpfProgType.Xdp, insns, out string log);
            Assert.True(fd >= 0, log);
            try
            {
                Assert.Equal(1u, KernelBpf.ProgTestRun(fd, Frame(17)).Retval);
                Assert.Equal(2u, KernelBpf.ProgTestRun(fd, Frame(6)).Retval);
            }
            finally
            {
                KernelBpf.Close(fd);
            }
        }
        finally
        {
            File.Delete(udp);
            File.Delete(tcp);
            File.Delete(output);
        }
    }
}
