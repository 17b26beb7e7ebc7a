using System.Globalization;
using System.Text;
using BpfSharp.Isa;
using BpfSharp.ProgramTypes;
using BpfSharp.Syscall;
using BpfSharp.Tests.Kernel;
using BpfSharp.Tests.Syscall;
using BpfSharp.Uapi;
using BpfSharp.Verifier;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.ProgramTypes;

/// <summary>
/// What BPF_PROG_LOAD checks about a program's type before the verifier walks it, ours (through
/// <see cref="BpfSystem"/>) against the live kernel's: the expected attach types each type accepts
/// (bpf_prog_load_fixup_attach_type, bpf_prog_load_check_attach: EINVAL) and the capabilities each type needs
/// (bpf_prog_load's bpf_capable, is_net_admin_prog_type, is_perfmon_prog_type: EPERM). The program is
/// <c>r0 = 1; exit</c>, a value every type's return range holds.
/// </summary>
public class ProgramLoadKernelTests
{
    private const string NoKernel = KernelDifferentialTests.NoKernel;

    public static TheoryData<BpfProgType> Types() => HelperAvailabilityKernelTests.Types();

    public static TheoryData<string> Variants() => ProgramVariants.Names();

    private static readonly Instruction[] Program = [Asm.Mov64Imm(R0, 1), Asm.Exit()];

    [SkippableTheory]
    [MemberData(nameof(Types))]
    public void Expected_attach_types_match_the_kernel(BpfProgType type)
    {
        Skip.IfNot(KernelBpf.IsAvailable, NoKernel);
        uint flags = ProgramVariants.Default(type).ProgFlags;
        var mismatches = new StringBuilder();
        var logBuffer = new byte[1 << 14];
        foreach (uint attach in Enumerable.Range(0, 61).Select(a => (uint)a).Append(1000u))
        {
            int kernel = KernelBpf.ProgLoadLogged((uint)type, Program, attach, 1, logBuffer, out string log, progFlags: flags);
            int ours = LoadOurs(type, attach, flags, BpfCapabilities.All);
            if (Math.Min(kernel, 0) != ours)
                mismatches.Append(CultureInfo.InvariantCulture,
                    $"attach {(BpfAttachType)attach}: kernel {Errno.Name(Math.Min(kernel, 0))}, ours {Errno.Name(ours)} {log.Trim()}\n");
        }
        Assert.True(mismatches.Length == 0, $"{type}:\n{mismatches}");
    }

    [SkippableTheory]
    [MemberData(nameof(Variants))]
    public void Capabilities_match_the_kernel(string variant)
    {
        Skip.IfNot(KernelBpf.IsAvailable, NoKernel);
        ProgramVariant v = ProgramVariants.ByName[variant];
        (BpfCapabilities Ours, ulong Kernel)[] sets =
        [
            (BpfCapabilities.Bpf, KernelBpf.CapMask(KernelBpf.CapBpf)),
            (BpfCapabilities.Bpf | BpfCapabilities.NetAdmin, KernelBpf.CapMask(KernelBpf.CapBpf, KernelBpf.CapNetAdmin)),
            (BpfCapabilities.Bpf | BpfCapabilities.Perfmon, KernelBpf.CapMask(KernelBpf.CapBpf, KernelBpf.CapPerfmon)),
            (BpfCapabilities.All, ulong.MaxValue),
        ];
        var mismatches = new StringBuilder();
        foreach (var (ours, kernelCaps) in sets)
        {
            int kernel = KernelBpf.WithEffectiveCaps(kernelCaps, () => KernelBpf.ProgLoadLogged((uint)v.Type, Program,
                (uint)v.ExpectedAttachType, 1, new byte[1 << 14], out _, progFlags: v.ProgFlags));
            int our = LoadOurs(v.Type, (uint)v.ExpectedAttachType, v.ProgFlags, ours);
            // Only the capability verdict is compared: with fewer capabilities a load may also fail later (say a
            // helper or a pointer comparison that needs CAP_PERFMON), which this program does not reach.
            if ((kernel == -Errno.EPERM) != (our == -Errno.EPERM))
                mismatches.Append(CultureInfo.InvariantCulture, $"{ours}: kernel {Errno.Name(Math.Min(kernel, 0))}, ours {Errno.Name(our)}\n");
        }
        Assert.True(mismatches.Length == 0, $"{variant}:\n{mismatches}");
    }

    /// <summary>Our PROG_LOAD of <see cref="Program"/>: 0 or -errno.</summary>
    private static unsafe int LoadOurs(BpfProgType type, uint attach, uint flags, BpfCapabilities caps)
    {
        using var t = new OurTarget();
        byte[] license = Encoding.ASCII.GetBytes("GPL\0");
        fixed (Instruction* ip = Program)
        fixed (byte* lic = license)
        {
            BpfAttr attr = default;
            attr.ProgLoad.ProgType = (uint)type;
            attr.ProgLoad.InsnCnt = (uint)Program.Length;
            attr.ProgLoad.Insns = (ulong)ip;
            attr.ProgLoad.License = (ulong)lic;
            attr.ProgLoad.ProgFlags = flags;
            attr.ProgLoad.ExpectedAttachType = attach;
            int fd = t.System.Bpf(BpfCommand.ProgLoad, ref attr, BpfAttr.Size, caps);
            if (fd >= 0) t.System.Close(fd);
            return Math.Min(fd, 0);
        }
    }
}
