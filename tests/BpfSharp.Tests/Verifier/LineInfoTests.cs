using BpfSharp.Elf;
using BpfSharp.Isa;
using BpfSharp.Syscall;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// PROG_LOAD's line_info records checked as the kernel checks them (check_btf_line), against the live kernel: the
/// same errno and message for records out of order, past the program, or naming strings the BTF does not hold.
/// </summary>
public class LineInfoTests
{
    private static readonly Instruction[] Straight = Asm.Program(Mov64(R0, 2), Mov64(R1, 0), Exit());

    // A subprogram at instruction 3: every subprogram must start with a line_info record.
    private static readonly Instruction[] WithSubprog = Asm.Program(Mov64(R1, 0), CallRel("sub"), Exit(),
        Label("sub"), Mov64(R0, 2), Exit());

    // {insn_off, file_name_off, line_off, line_col} records; string offset 1 is a name in any clang-built BTF.
    public static TheoryData<string, uint[]> Cases => new()
    {
        { "in order", [0, 1, 1, 5 << 10, 2, 1, 1, 6 << 10] },
        { "out of order", [0, 1, 1, 5 << 10, 0, 1, 1, 6 << 10] },
        { "past the program", [0, 1, 1, 5 << 10, 3, 1, 1, 6 << 10] },
        { "a line offset outside the strings", [0, 1, 0x7fffffff, 5 << 10] },
        { "subprogram: every one covered", [0, 1, 1, 5 << 10, 3, 1, 1, 6 << 10] },
        { "subprogram: a record inside it but none at its start", [0, 1, 1, 5 << 10, 4, 1, 1, 6 << 10] },
        { "subprogram: no record after the main program's", [0, 1, 1, 5 << 10, 1, 1, 1, 6 << 10] },
    };

    private static byte[] Btf => CollectionSpec.Load(TestPrograms.PathOf("elf_bad_bounds.o")).Btf!.Data.ToArray();

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public unsafe void The_kernels_verdict_and_message(string name, uint[] records)
    {
        Instruction[] Program = name.StartsWith("subprogram", StringComparison.Ordinal) ? WithSubprog : Straight;
        Skip.IfNot(KernelBpf.IsAvailable, "bpf() is not available to this process");
        int kbtf = KernelBtfOracle.BtfLoad(Btf, out string btfLog);
        Assert.True(kbtf > 0, btfLog);
        int kfd = KernelBpf.ProgLoad((uint)BpfProgType.Xdp, Program,
            new ProgLoadOptions(ExpectedAttachType: (uint)BpfAttachType.Xdp, BtfFd: kbtf, LineInfo: records), out string kernelLog);
        if (kfd >= 0) KernelBpf.Close(kfd);
        KernelBpf.Close(kbtf);

        using var system = new BpfSystem();
        using BpfBtf btf = BpfBtf.Load(system, Btf);
        var log = new byte[1 << 16];
        int fd;
        fixed (Instruction* insns = Program)
        fixed (uint* lines = records)
        fixed (byte* logBuf = log)
        fixed (byte* license = "GPL\0"u8)
        {
            ProgLoadAttr a = default;
            a.ProgType = (uint)BpfProgType.Xdp;
            a.ExpectedAttachType = (uint)BpfAttachType.Xdp;
            a.InsnCnt = (uint)Program.Length;
            a.Insns = (ulong)insns;
            a.License = (ulong)license;
            a.ProgBtfFd = (uint)btf.Fd;
            a.LineInfo = (ulong)lines;
            a.LineInfoRecSize = 16;
            a.LineInfoCnt = (uint)records.Length / 4;
            a.LogLevel = 1;
            a.LogSize = (uint)log.Length;
            a.LogBuf = (ulong)logBuf;
            fd = system.Bpf(BpfCommand.ProgLoad, new Span<byte>(&a, sizeof(ProgLoadAttr)));
        }
        Assert.True(Math.Min(kfd, 0) == Math.Min(fd, 0), $"{name}: kernel {kfd}, ours {fd}\n{kernelLog}");
        if (kfd < 0)
        {
            string ours = System.Text.Encoding.UTF8.GetString(log, 0, Array.IndexOf(log, (byte)0));
            Assert.Equal(kernelLog.Split('\n')[0], ours.Split('\n')[0]);
        }
    }
}
