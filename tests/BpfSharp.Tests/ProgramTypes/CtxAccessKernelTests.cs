using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BpfSharp.Isa;
using BpfSharp.ProgramTypes;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;
using BpfSharp.Verifier;
using Xunit.Abstractions;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.ProgramTypes;

/// <summary>
/// <see cref="VerifierOps.IsValidAccess"/> of every program variant of <see cref="ProgramVariants"/> against the live
/// kernel: for every context offset from -8 to ContextSize + 8 (a tracepoint, whose bound is PERF_MAX_TRACE_SIZE = 8192:
/// both ends and a sample around 2048, the bound of kernels before 6.10; a syscall program: both ends an instruction
/// can reach) and every size, a read
/// <c>r3 = *(uN *)(r1 + off)</c>, a sign-extending read (sizes 1, 2, 4) and a write of a scalar
/// <c>*(uN *)(r1 + off) = r2</c>, each followed by <c>r0 = 0; exit</c> (1 where the type must return 1). A kernel rejection counts only when its log
/// says <c>invalid bpf_context access</c> (the type's is_valid_access said no); any other reason fails the test, so
/// a verdict that is not is_valid_access's cannot slip in. Where the kernel accepts a read, the register type
/// its log shows after the load (log level 2) must be the one <see cref="CtxAccessInfo.RegType"/> gives.
/// </summary>
public partial class CtxAccessKernelTests(ITestOutputHelper output)
{
    private const string NoKernel = KernelDifferentialTests.NoKernel;

    private enum Kind { Read, Ldsx, Write }

    public static TheoryData<string> VariantNames() => ProgramVariants.Names();

    [SkippableTheory]
    [MemberData(nameof(VariantNames))]
    public void Every_context_access_matches_the_kernel(string variant)
    {
        Skip.IfNot(KernelBpf.IsAvailable, NoKernel);
        ProgramVariant v = ProgramVariants.ByName[variant];
        VerifierOps ops = ProgramTypeOps.For(v.Type)!;
        var logBuffer = new byte[1 << 16];
        var mismatches = new StringBuilder();
        int cases = 0, accepted = 0;
        foreach (int off in Offsets(v.Type, ops.ContextSize))
        {
            foreach (int size in (ReadOnlySpan<int>)[1, 2, 4, 8])
            {
                foreach (Kind kind in (ReadOnlySpan<Kind>)[Kind.Read, Kind.Ldsx, Kind.Write])
                {
                    if (kind == Kind.Ldsx && size == 8) continue; // there is no 64-bit sign-extending load
                    cases++;
                    if (Compare(ops, v, off, size, kind, logBuffer, mismatches)) accepted++;
                }
            }
        }
        output.WriteLine($"{variant}: {cases} accesses, {accepted} accepted by the kernel");
        Assert.True(mismatches.Length == 0, $"{variant}:\n{mismatches}");
    }

    /// <summary>Loads one access into the kernel and compares; returns the kernel's verdict.</summary>
    private static bool Compare(VerifierOps ops, ProgramVariant v, int off, int size, Kind kind, byte[] logBuffer, StringBuilder mismatches)
    {
        byte sizeCode = size switch { 1 => Opcodes.BPF_B, 2 => Opcodes.BPF_H, 4 => Opcodes.BPF_W, _ => Opcodes.BPF_DW };
        int ret = ops.ReturnRange((uint)v.ExpectedAttachType)?.MinVal ?? 0; // recvmsg and the like must return 1
        Instruction[] insns = kind switch
        {
            Kind.Read => [Asm.LdxMem(sizeCode, R3, R1, (short)off), Asm.Mov64Imm(R0, ret), Asm.Exit()],
            Kind.Ldsx => [Asm.LdxMemSx(sizeCode, R3, R1, (short)off), Asm.Mov64Imm(R0, ret), Asm.Exit()],
            _ => [Asm.Mov64Imm(R2, 0), Asm.StxMem(sizeCode, R1, R2, (short)off), Asm.Mov64Imm(R0, ret), Asm.Exit()],
        };
        int fd = KernelBpf.ProgLoadLogged((uint)v.Type, insns, (uint)v.ExpectedAttachType, logLevel: kind == Kind.Write ? 1u : 2u,
            logBuffer, out string log, progFlags: v.ProgFlags);
        bool kernel = fd >= 0;
        string what = $"{kind.ToString().ToLowerInvariant()} off={off} size={size}";
        if (!kernel && !log.Contains($"invalid bpf_context access off={off} size={size}", StringComparison.Ordinal))
        {
            mismatches.Append(CultureInfo.InvariantCulture, $"{what}: the kernel refused it for another reason ({Errno.Name(fd)}): {LastLines(log)}\n");
            return kernel;
        }

        var info = new CtxAccessInfo { RegType = RegType.ScalarValue, IsLdsx = kind == Kind.Ldsx };
        var type = kind == Kind.Write ? BpfAccessType.Write : BpfAccessType.Read;
        bool ours = ops.IsValidAccess(off, size, type, (uint)v.ExpectedAttachType, ref info);
        if (ours != kernel)
            mismatches.Append(CultureInfo.InvariantCulture, $"{what}: kernel {(kernel ? "accepts" : "rejects")}, we {(ours ? "accept" : "reject")}\n");
        else if (kernel && kind != Kind.Write)
        {
            string kernelType = LoadedRegType(log), ourType = info.RegType.LogName();
            // A BTF pointer's name ends in the kernel's struct name (trusted_ptr_sk_buff), which BpfSharp has no BTF to know.
            if (kernelType != ourType && !(ourType.EndsWith("ptr_", StringComparison.Ordinal) && kernelType.StartsWith(ourType, StringComparison.Ordinal)))
                mismatches.Append(CultureInfo.InvariantCulture, $"{what}: the kernel loads a {kernelType}, we say {info.RegType.LogName()}\n");
        }
        return kernel;
    }

    /// <summary>
    /// Every offset around the context; for a tracepoint (8192 bytes) both ends and the old 2048 bound; for a syscall
    /// program (bounded by U16_MAX) the start and the highest offsets an instruction can name (its offset is an s16).
    /// </summary>
    private static IEnumerable<int> Offsets(BpfProgType type, int contextSize) => type switch
    {
        BpfProgType.Tracepoint => Enumerable.Range(-8, 300).Concat(Enumerable.Range(2048 - 24, 48)).Concat(Enumerable.Range(contextSize - 64, 64 + 24)),
        BpfProgType.Syscall => Enumerable.Range(-8, 300).Concat(Enumerable.Range(short.MaxValue - 63, 64)),
        _ => Enumerable.Range(-8, contextSize + 17),
    };

    /// <summary>The base name of the type R3 holds after the load, from the state the level-2 log prints: <c>R3=pkt(r=0)</c> gives <c>pkt</c>.</summary>
    private static string LoadedRegType(string log)
    {
        Match m = LoadedR3().Match(log);
        return m.Success ? m.Groups[1].Value : "(no R3 in the log)";
    }

    [GeneratedRegex(@"; .*\bR3(?:_w)?=([a-z_]+)")]
    private static partial Regex LoadedR3();

    private static string LastLines(string log)
    {
        string[] lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(" | ", lines.Skip(Math.Max(0, lines.Length - 3)));
    }
}
