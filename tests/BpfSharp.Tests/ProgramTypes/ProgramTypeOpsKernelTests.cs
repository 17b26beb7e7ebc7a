using System.Globalization;
using System.Text;
using BpfSharp.Isa;
using BpfSharp.ProgramTypes;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;
using BpfSharp.Verifier;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.ProgramTypes;

/// <summary>
/// The rest of each type's <see cref="VerifierOps"/> against the live kernel: the return range
/// (check_return_code), direct packet reads and writes (may_access_direct_pkt_data) and LD_ABS
/// (may_access_skb).
/// </summary>
public class ProgramTypeOpsKernelTests
{
    private const string NoKernel = KernelDifferentialTests.NoKernel;

    // Every variant, and the kprobe attach types whose return range differs.
    private static readonly ProgramVariant[] ReturnVariants =
    [
        .. ProgramVariants.All,
        new("kprobe_multi", BpfProgType.Kprobe, BpfAttachType.TraceKprobeMulti),
        new("kprobe_session", BpfProgType.Kprobe, BpfAttachType.TraceKprobeSession),
        new("uprobe_session", BpfProgType.Kprobe, BpfAttachType.TraceUprobeSession),
    ];

    private static readonly long[] ReturnValues = [-1, 0, 1, 2, 3, 4, int.MaxValue, int.MinValue, 1L << 32];

    [SkippableFact]
    public void Return_ranges_match_the_kernel()
    {
        Skip.IfNot(KernelBpf.IsAvailable, NoKernel);
        var logBuffer = new byte[1 << 14];
        var mismatches = new StringBuilder();
        foreach (ProgramVariant v in ReturnVariants)
        {
            var (type, attach) = (v.Type, v.ExpectedAttachType);
            RetvalRange? range = ProgramTypeOps.For(type)!.ReturnRange((uint)attach);
            foreach (long value in ReturnValues)
            {
                Instruction[] insns = Asm.Program(Asm.LdImm64(R0, value), Asm.Exit());
                int fd = KernelBpf.ProgLoadLogged((uint)type, insns, (uint)attach, 1, logBuffer, out string log, progFlags: v.ProgFlags);
                bool kernel = fd >= 0;
                if (!kernel && !log.Contains("At program exit the register R0", StringComparison.Ordinal))
                    mismatches.Append(CultureInfo.InvariantCulture, $"{type}/{attach} r0={value}: refused for another reason: {log.Trim()}\n");
                else if (kernel != (range is not { } r || (value >= r.MinVal && value <= r.MaxVal)))
                    mismatches.Append(CultureInfo.InvariantCulture, $"{type}/{attach} r0={value}: kernel {(kernel ? "accepts" : "rejects")}, range {range}\n");
            }
        }
        Assert.True(mismatches.Length == 0, mismatches.ToString());
    }

    [SkippableTheory]
    [InlineData(BpfProgType.SchedCls, SkBuffLayout.Data, SkBuffLayout.DataEnd)]
    [InlineData(BpfProgType.SchedAct, SkBuffLayout.Data, SkBuffLayout.DataEnd)]
    [InlineData(BpfProgType.Xdp, XdpMdLayout.Data, XdpMdLayout.DataEnd)]
    [InlineData(BpfProgType.CgroupSkb, SkBuffLayout.Data, SkBuffLayout.DataEnd)]
    [InlineData(BpfProgType.SkSkb, SkBuffLayout.Data, SkBuffLayout.DataEnd)]
    [InlineData(BpfProgType.SkMsg, 0, 8, 8)]
    [InlineData(BpfProgType.LwtIn, SkBuffLayout.Data, SkBuffLayout.DataEnd)]
    [InlineData(BpfProgType.LwtOut, SkBuffLayout.Data, SkBuffLayout.DataEnd)]
    [InlineData(BpfProgType.LwtXmit, SkBuffLayout.Data, SkBuffLayout.DataEnd)]
    [InlineData(BpfProgType.LwtSeg6local, SkBuffLayout.Data, SkBuffLayout.DataEnd)]
    [InlineData(BpfProgType.FlowDissector, SkBuffLayout.Data, SkBuffLayout.DataEnd)]
    [InlineData(BpfProgType.SkReuseport, 0, 8, 8)]
    [InlineData(BpfProgType.CgroupSockopt, 8, 16, 8)] // optval, optval_end
    [InlineData(BpfProgType.SockOps, 192, 200, 8)] // skb_data, skb_data_end
    public void Direct_packet_access_matches_the_kernel(BpfProgType type, int data, int dataEnd, int size = 4)
    {
        Skip.IfNot(KernelBpf.IsAvailable, NoKernel);
        VerifierOps ops = ProgramTypeOps.For(type)!;
        ProgramVariant v = ProgramVariants.Default(type);
        byte sizeCode = size == 8 ? Opcodes.BPF_DW : Opcodes.BPF_W;
        int ret = ops.ReturnRange((uint)v.ExpectedAttachType)?.MinVal ?? 0;
        // r2 = data; r3 = data_end; if (r2 + 1 > r3) goto out; then one byte read or written.
        Instruction[] Program(Instruction access) => Asm.Program(
            Asm.LdxMem(sizeCode, R2, R1, (short)data), Asm.LdxMem(sizeCode, R3, R1, (short)dataEnd),
            Asm.Mov64Reg(R4, R2), Asm.Add64(R4, 1), Asm.Jgt(R4, R3, "out"),
            Asm.Mov64Imm(R5, 0), access, Asm.Label("out"), Asm.Mov64Imm(R0, ret), Asm.Exit());
        var logBuffer = new byte[1 << 14];
        bool read = KernelBpf.ProgLoadLogged((uint)type, Program(Asm.LdxMem(Opcodes.BPF_B, R5, R2, 0)), (uint)v.ExpectedAttachType, 1,
            logBuffer, out string readLog) >= 0;
        bool write = KernelBpf.ProgLoadLogged((uint)type, Program(Asm.StxMem(Opcodes.BPF_B, R2, R5, 0)), (uint)v.ExpectedAttachType, 1,
            logBuffer, out string writeLog) >= 0;
        // sock_ops reads its skb's bytes through skb_data, though may_access_direct_pkt_data says no to it (which only
        // helpers taking packet memory ask for reads).
        Assert.True(read == (ops.MayReadPacketData || type == BpfProgType.SockOps), $"read: kernel {read}\n{readLog}");
        Assert.True(write == ops.MayWritePacketData, $"write: kernel {write}\n{writeLog}");
        if (!write) Assert.Contains("cannot write into packet", writeLog, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [MemberData(nameof(HelperAvailabilityKernelTests.Types), MemberType = typeof(HelperAvailabilityKernelTests))]
    public void Ld_abs_matches_the_kernel(BpfProgType type)
    {
        Skip.IfNot(KernelBpf.IsAvailable, NoKernel);
        ProgramVariant v = ProgramVariants.Default(type);
        int ret = ProgramTypeOps.For(type)!.ReturnRange((uint)v.ExpectedAttachType)?.MinVal ?? 0;
        Instruction[] insns = [Asm.Mov64Reg(R6, R1), Asm.LdAbs(Opcodes.BPF_B, 0), Asm.Mov64Imm(R0, ret), Asm.Exit()];
        bool kernel = KernelBpf.ProgLoadLogged((uint)type, insns, (uint)v.ExpectedAttachType, 1, new byte[1 << 14], out string log,
            progFlags: v.ProgFlags) >= 0;
        Assert.True(kernel == ProgramTypeOps.For(type)!.MayAccessSkb, $"kernel {kernel}\n{log}");
        if (!kernel) Assert.Contains("BPF_LD_[ABS|IND] instructions not allowed for this program type", log, StringComparison.Ordinal);
    }
}
