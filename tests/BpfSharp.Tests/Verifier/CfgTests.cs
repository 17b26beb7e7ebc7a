using BpfSharp.Isa;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;
using BpfSharp.Verifier;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// The first verifier pass (check_subprogs + check_cfg) against the kernel's texts: each rejected
/// program's expected line is literal here and, where the live kernel (root, so bpf_capable) can
/// show it, also compared with what BPF_PROG_LOAD logs and returns.
/// </summary>
public class CfgTests
{
    private static readonly Instruction R0Zero = Asm.Mov64(R0, 0);
    private static readonly Instruction Exit = Asm.Exit();

    private static Instruction Ja(short off) => Asm.Ja(off);
    private static Instruction Jeq(short off) => Asm.Raw(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, off, 0);
    private static Instruction Jeq32(short off) => Asm.Raw(BPF_JMP32 | BPF_JEQ | BPF_K, 0, 0, off, 0);
    private static Instruction CallRel(int imm) => Asm.CallRel(imm);
    private static Instruction[] LdImm64(Reg dst, byte src, int lo) => Asm.Program(Asm.LdImm64Raw(dst, src, (uint)lo));
    private static Instruction[] P(params object[] parts)
    {
        var list = new List<Instruction>();
        foreach (object part in parts)
        {
            if (part is Instruction insn) list.Add(insn);
            else list.AddRange((Instruction[])part);
        }
        return [.. list];
    }

    /// <summary>A rejected program: whether the kernel (as root) can confirm it, the errno and the log line.</summary>
    private sealed record Rejected(Instruction[] Program, bool Privileged, int Errno, string Line);

    private static readonly Dictionary<string, Rejected> RejectedCases = new()
    {
        ["ja past the end"] = new(P(R0Zero, Ja(10), Exit), true, Errno.EINVAL, "jump out of range from insn 1 to 12"),
        ["ja before the start"] = new(P(R0Zero, Ja(-5), Exit), true, Errno.EINVAL, "jump out of range from insn 1 to -3"),
        ["jmp32 past the end"] = new(P(R0Zero, Jeq32(7), Exit), true, Errno.EINVAL, "jump out of range from insn 1 to 9"),
        ["gotol past the end"] = new(P(R0Zero, Asm.Gotol(100), Exit), true, Errno.EINVAL, "jump out of range from insn 1 to 102"),
        ["falls off the end"] = new(P(R0Zero, R0Zero), true, Errno.EINVAL, "last insn is not an exit or jmp"),
        ["ends in a conditional jump"] = new(P(R0Zero, Jeq(-2)), true, Errno.EINVAL, "last insn is not an exit or jmp"),
        ["dead code after exit"] = new(P(R0Zero, Exit, R0Zero, Exit), true, Errno.EINVAL, "unreachable insn 2"),
        ["ja to itself skips the rest"] = new(P(R0Zero, Ja(-1), Exit), true, Errno.EINVAL, "unreachable insn 2"),
        ["ja to itself, unprivileged"] = new(P(R0Zero, Ja(-1), Exit), false, Errno.EINVAL, "back-edge from insn 1 to 1"),
        ["loop, unprivileged"] = new(P(R0Zero, Jeq(-2), Exit), false, Errno.EINVAL, "back-edge from insn 1 to 0"),
        ["jump into an lddw"] = new(P(R0Zero, Jeq(1), LdImm64(R0, 0, 1), Exit), true, Errno.EINVAL, "jump into the middle of ldimm64 insn 2"),
        ["lddw without its second slot"] = new(P(R0Zero, Asm.Raw(LD_IMM64, 0, 0, 0, 1), Exit), true, Errno.EINVAL, "invalid bpf_ld_imm64 insn"),
        ["lddw second slot with an offset"] = new(P(R0Zero, Asm.Raw(LD_IMM64, 0, 0, 0, 1), Asm.Raw(0, 0, 0, 1, 0), Exit), true, Errno.EINVAL, "invalid bpf_ld_imm64 insn"),
        ["lddw as the last slot"] = new(P(R0Zero, Asm.Raw(LD_IMM64, 0, 0, 0, 1)), true, Errno.EINVAL, "last insn is not an exit or jmp"),
        ["pseudo call past the end"] = new(P(R0Zero, CallRel(5), Exit), true, Errno.EINVAL, "call to invalid destination"),
        ["pseudo call before the start"] = new(P(R0Zero, CallRel(-3), Exit), true, Errno.EINVAL, "call to invalid destination"),
        ["callback address past the end"] = new(P(LdImm64(R1, BPF_PSEUDO_FUNC, 10), R0Zero, Exit), true, Errno.EINVAL, "call to invalid destination"),
        ["call checked before lddw shape"] = new(P(CallRel(100), R0Zero, Asm.Raw(LD_IMM64, 0, 0, 0, 1), Exit), true, Errno.EINVAL, "call to invalid destination"),
        ["jump range checked before lddw shape"] = new(P(R0Zero, Ja(100), Asm.Raw(LD_IMM64, 0, 0, 0, 1), Exit), true, Errno.EINVAL, "jump out of range from insn 1 to 102"),
        ["jump into the next subprogram"] = new(P(R0Zero, CallRel(2), Ja(1), Exit, R0Zero, Exit), true, Errno.EINVAL, "jump out of range from insn 2 to 4"),
        ["subprogram falls into the next"] = new(P(R0Zero, CallRel(2), Exit, R0Zero, Exit), true, Errno.EINVAL, "last insn is not an exit or jmp"),
        ["call into an lddw's second slot"] = new(P(R0Zero, CallRel(2), Exit, LdImm64(R0, 0, 1), Exit), true, Errno.EINVAL, "last insn is not an exit or jmp"),
        ["uncalled code between subprograms"] = new(P(R0Zero, CallRel(1), Exit, R0Zero, Exit, R0Zero, Ja(-2)), true, Errno.EINVAL, "unreachable insn 5"),
        ["pseudo call, unprivileged"] = new(P(R0Zero, CallRel(1), Exit, R0Zero, Exit), false, Errno.EPERM,
            "loading/calling other bpf or kernel functions are allowed for CAP_BPF and CAP_SYS_ADMIN"),
        ["too many subprograms"] = new(ManySubprograms(Cfg.MaxSubprogs), true, Errno.E2BIG, "too many subprograms"),
        ["empty program"] = new([], true, Errno.E2BIG, ""),
        ["over the privileged limit"] = new(Straight(Cfg.ComplexityLimitInsns + 1), true, Errno.E2BIG, ""),
        ["over the unprivileged limit"] = new(Straight(Cfg.MaxInsns + 1), false, Errno.E2BIG, ""),
    };

    /// <summary>Main calls <paramref name="callees"/> distinct subprograms (r0 = 0; exit each).</summary>
    private static Instruction[] ManySubprograms(int callees)
    {
        var program = new Instruction[callees + 2 + 2 * callees];
        int body = callees + 2;
        for (int i = 0; i < callees; i++)
            program[i] = CallRel(body + 2 * i - i - 1);
        program[callees] = R0Zero;
        program[callees + 1] = Exit;
        for (int i = 0; i < callees; i++)
        {
            program[body + 2 * i] = R0Zero;
            program[body + 2 * i + 1] = Exit;
        }
        return program;
    }

    /// <summary><paramref name="count"/> instructions: moves, then exit.</summary>
    private static Instruction[] Straight(int count)
    {
        var program = new Instruction[count];
        program.AsSpan().Fill(R0Zero);
        program[^1] = Exit;
        return program;
    }

    public static TheoryData<string> RejectedNames => [.. RejectedCases.Keys];

    [Theory]
    [MemberData(nameof(RejectedNames))]
    public void Rejects_with_the_kernels_errno_and_line(string name)
    {
        Rejected c = RejectedCases[name];
        CfgResult result = Cfg.Check(c.Program, new CfgOptions(c.Privileged));
        Assert.False(result.IsValid);
        Assert.Equal(c.Errno, result.Errno);
        Assert.Equal(c.Line, result.Error);
    }

    [SkippableTheory]
    [MemberData(nameof(RejectedNames))]
    public void The_kernel_rejects_with_the_same_errno_and_line(string name)
    {
        Rejected c = RejectedCases[name];
        Skip.IfNot(c.Privileged, "the kernel half runs as root (bpf_capable); unprivileged rules are table-only");
        Skip.IfNot(KernelBpf.IsAvailable, KernelDifferentialTests.NoKernel);
        int rc = KernelBpf.ProgLoad(KernelBpf.ProgTypeSocketFilter, c.Program, out string log);
        if (rc >= 0) KernelBpf.Close(rc);
        Assert.Equal(-c.Errno, rc);
        Assert.Equal(c.Line, KernelVerifierLog.ErrorLine(log));
    }

    /// <summary>A program the first pass accepts, with the subprogram starts it must report.</summary>
    private sealed record Accepted(Instruction[] Program, bool Privileged, int[] SubprogStarts);

    private static readonly Dictionary<string, Accepted> AcceptedCases = new()
    {
        ["return 0"] = new(P(R0Zero, Exit), false, [0]),
        ["forward branch"] = new(P(R0Zero, Jeq(1), R0Zero, Exit), false, [0]),
        ["lddw"] = new(P(LdImm64(R0, 0, 7), Exit), false, [0]),
        ["bounded loop, privileged"] = new(Asm.Program(R0Zero, Asm.Label("loop"), Asm.Add64(R0, 1), Asm.Jlt(R0, 10, "loop"), Exit), true, [0]),
        ["pseudo call"] = new(P(R0Zero, CallRel(1), Exit, R0Zero, Exit), true, [0, 3]),
        ["two calls to one subprogram"] = new(P(CallRel(3), CallRel(2), R0Zero, Exit, R0Zero, Exit), true, [0, 4]),
        ["subprogram ending in ja back"] = new(P(R0Zero, CallRel(1), Exit, Jeq(1), Ja(-2), Exit), true, [0, 3]),
        ["may_goto forward"] = new(P(R0Zero, Asm.Raw(BPF_JMP | 0xe0, 0, 0, 0, 0), Exit), true, [0]),
        ["unprivileged limit exactly"] = new(Straight(Cfg.MaxInsns), false, [0]),
        ["over the unprivileged limit, privileged"] = new(Straight(Cfg.MaxInsns + 1), true, [0]),
    };

    public static TheoryData<string> AcceptedNames => [.. AcceptedCases.Keys];

    [Theory]
    [MemberData(nameof(AcceptedNames))]
    public void Accepts_and_reports_the_subprograms(string name)
    {
        Accepted c = AcceptedCases[name];
        CfgResult result = Cfg.Check(c.Program, new CfgOptions(c.Privileged));
        Assert.True(result.IsValid, result.Error);
        Assert.Equal(0, result.Errno);
        Assert.Null(result.Error);
        int[] starts = new int[result.Subprogs.Length];
        for (int i = 0; i < starts.Length; i++) starts[i] = result.Subprogs[i].Start;
        Assert.Equal(c.SubprogStarts, starts);
        Assert.Equal(c.Program.Length, result.InsnFlags.Length);
        Assert.Equal(c.Program.Length, result.Subprogs[^1].End);
    }

    [SkippableTheory]
    [MemberData(nameof(AcceptedNames))]
    public void The_kernel_passes_its_first_pass_too(string name)
    {
        Accepted c = AcceptedCases[name];
        Skip.IfNot(KernelBpf.IsAvailable, KernelDifferentialTests.NoKernel);
        int rc = KernelBpf.ProgLoad(KernelBpf.ProgTypeSocketFilter, c.Program, out string log);
        if (rc >= 0) { KernelBpf.Close(rc); return; }
        string line = KernelVerifierLog.ErrorLine(log);
        foreach (string cfgText in CfgTexts)
            Assert.DoesNotContain(cfgText, line);
    }

    private static readonly string[] CfgTexts =
    [
        "jump out of range", "last insn is not an exit or jmp", "unreachable insn", "back-edge from insn",
        "jump into the middle of ldimm64", "invalid bpf_ld_imm64 insn", "call to invalid destination", "too many subprograms",
    ];

    [Fact]
    public void Records_subprograms_prune_points_and_lddw_halves()
    {
        // 0: call +3   1: r0 = 0   2: if r0 == 0 goto +0 (3)   3: exit   4: lddw r0 (4,5)   6: exit
        var program = P(CallRel(3), R0Zero, Jeq(0), Exit, LdImm64(R0, 0, 1), Exit);
        CfgResult result = Cfg.Check(program, CfgOptions.Privileged);
        Assert.True(result.IsValid, result.Error);
        Assert.Equal([new SubprogInfo(0, 4, false, false), new SubprogInfo(4, 7, false, false)], result.Subprogs.ToArray());
        Assert.Equal([0, 0, 0, 0, 1, 1, 1], Enumerable.Range(0, 7).Select(result.SubprogOf));
        Assert.Equal(1, result.FindSubprog(4));
        Assert.Equal(-1, result.FindSubprog(5));
        Assert.True(result.IsPrunePoint(0));  // a pseudo call
        Assert.True(result.IsJmpPoint(1));    // where the call returns
        Assert.True(result.IsPrunePoint(2));  // a conditional jump
        Assert.True(result.IsJmpPoint(3));    // a branch target
        Assert.True(result.IsJmpPoint(4));    // the callee's entry is a branch target
        Assert.Equal(CfgInsnFlags.LdImm64SecondHalf, result.InsnFlags[5]);
    }

    [Fact]
    public void Marks_callback_calling_helpers_and_tail_calls()
    {
        // bpf_loop (181) calls its callback synchronously; bpf_tail_call (12) marks the subprogram.
        var program = P(Asm.Call(181), Asm.Call(12), R0Zero, Exit);
        CfgResult result = Cfg.Check(program, CfgOptions.Unprivileged);
        Assert.True(result.IsValid, result.Error);
        Assert.Equal(CfgInsnFlags.CallsCallback | CfgInsnFlags.ForceCheckpoint | CfgInsnFlags.PrunePoint | CfgInsnFlags.JmpPoint,
            result.InsnFlags[0]);
        Assert.True(result.Subprogs[0].HasTailCall);
    }

    [Fact]
    public void Options_follow_bpf_capable()
    {
        Assert.True(CfgOptions.Privileged.AllowBackEdges);
        Assert.False(CfgOptions.Unprivileged.AllowBackEdges);
        Assert.Equal(1_000_000, CfgOptions.Privileged.InsnLimit);
        Assert.Equal(4096, CfgOptions.Unprivileged.InsnLimit);
    }
}
