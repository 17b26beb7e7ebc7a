using System.Text;
using BpfSharp.Isa;
using BpfSharp.Runtime;
using BpfSharp.Syscall;
using BpfSharp.Tests.Verifier.Corpus;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Syscall;

/// <summary>
/// bpf_tail_call taken in a subprogram frame, as the 6.18 kernel's x86-64 JIT runs it: the target replaces that
/// frame only, runs with the context, and its r0 goes back to the subprogram's caller, which continues; tail calls
/// the target's main frame takes chain on at that level; one count of 33 covers every tail call of the run. Each
/// scenario is loaded (with BTF, which the kernel wants for a subprogram that tail-calls) and run through
/// PROG_TEST_RUN on the live kernel and on our system with both engines, verified and checked: the same retval
/// and the same counter-map contents everywhere. The expected values follow from those rules; the kernel rows
/// confirm them.
/// </summary>
public unsafe class SubprogramTailCallTests
{
    /// <summary>One program of a scenario: kernel-syntax text and its functions' signatures (one per subprogram).</summary>
    public sealed record Prog(string Asm, params string[] Funcs);

    /// <summary>
    /// Programs loaded in order; <see cref="Slots"/>[i] is the program in slot i of the prog array (map 0), -1 for
    /// none; program 0 is the one run. Map 1 is an array of 4 u64 counters; <see cref="Counters"/> are their values after.
    /// </summary>
    public sealed record Scenario(string Name, Prog[] Programs, int[] Slots, uint Retval, ulong[] Counters);

    private const string SkbMain = "global int main(struct __sk_buff *)";
    private const string SkbSub = "static int s(struct __sk_buff *)";

    /// <summary>counters[k] += 1 (clobbers r0-r5).</summary>
    private static string Count(int k) => $"""
        *(u32 *)(r10 -4) = {k}
        r2 = r10
        r2 += -4
        r1 = map[idx:1]
        call bpf_map_lookup_elem
        if r0 == 0x0 goto skip{k}
        r1 = 1
        lock *(u64 *)(r0 +0) += r1
        skip{k}:
        """;

    /// <summary>main returns s(ctx) + 1000; s tail-calls slot 0 and returns 7 if that falls through.</summary>
    private static readonly Prog CallsSub = new("""
        call s
        r0 += 1000
        exit
        s:
        r2 = map[idx:0]
        r3 = 0
        call bpf_tail_call
        r0 = 7
        exit
        """, SkbMain, SkbSub);

    private static readonly Prog Returns42 = new("""
        r0 = 42
        exit
        """);

    public static readonly Scenario[] All =
    [
        new("the target's r0 returns to the subprogram's caller", [CallsSub, Returns42], [1], 1042, [0, 0, 0, 0]),
        new("an empty slot falls through in the subprogram", [CallsSub], [-1], 1007, [0, 0, 0, 0]),
        new("a deeper frame's tail call returns to its own caller", [new("""
            call a
            r0 += 1000
            exit
            a:
            call s
            r0 += 10
            exit
            s:
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 7
            exit
            """, SkbMain, "static int a(struct __sk_buff *)", SkbSub), Returns42], [1], 1052, [0, 0, 0, 0]),
        new("the caller's registers and stack survive the target's run", [new("""
            r6 = 11
            *(u64 *)(r10 -8) = 22
            call s
            r0 += r6
            r1 = *(u64 *)(r10 -8)
            r0 += r1
            exit
            s:
            *(u64 *)(r10 -8) = 33
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = *(u64 *)(r10 -8)
            exit
            """, SkbMain, SkbSub), new("""
            *(u64 *)(r10 -8) = 99
            r6 = 5
            r0 = *(u64 *)(r10 -8)
            r0 -= 59
            exit
            """)], [1], 73, [0, 0, 0, 0]),
        new("33 tail calls, each nested in the subprogram of the one before", [new($"""
            r6 = r1
            {Count(0)}
            r1 = r6
            call s
            r0 += 1
            exit
            s:
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 100
            exit
            """, SkbMain, SkbSub)], [0], 134, [34, 0, 0, 0]),
        new("33 nested levels, each seven frames deep", [new($"""
            r6 = r1
            {Count(0)}
            r1 = r6
            call f1
            r0 += 1
            exit
            f1:
            call f2
            r0 += 1
            exit
            f2:
            call f3
            r0 += 1
            exit
            f3:
            call f4
            r0 += 1
            exit
            f4:
            call f5
            r0 += 1
            exit
            f5:
            call f6
            r0 += 1
            exit
            f6:
            call s
            r0 += 1
            exit
            s:
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 100
            exit
            """, SkbMain, "static int f1(struct __sk_buff *)", "static int f2(struct __sk_buff *)", "static int f3(struct __sk_buff *)",
            "static int f4(struct __sk_buff *)", "static int f5(struct __sk_buff *)", "static int f6(struct __sk_buff *)", SkbSub)],
            [0], 338, [34, 0, 0, 0]),
        new("a tail call into an empty slot does not count", [new("""
            r6 = r1
            r7 = 0
            loop:
            r1 = r6
            call e
            r7 += 1
            if r7 < 33 goto loop
            r1 = r6
            call s
            exit
            e:
            r2 = map[idx:0]
            r3 = 3
            call bpf_tail_call
            r0 = 0
            exit
            s:
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 7
            exit
            """, SkbMain, "static int e(struct __sk_buff *)", SkbSub), Returns42], [1], 42, [0, 0, 0, 0]),
        new("an empty slot named by a variable key does not count either", [new("""
            r6 = r1
            r7 = 0
            loop:
            r1 = r6
            call e
            r7 += 1
            if r7 < 33 goto loop
            r1 = r6
            call s
            exit
            e:
            r6 = r1
            *(u32 *)(r10 -4) = 3
            r2 = r10
            r2 += -4
            r1 = map[idx:1]
            call bpf_map_lookup_elem
            if r0 == 0x0 goto out
            r3 = *(u64 *)(r0 +0)
            r3 += 3
            r1 = r6
            r2 = map[idx:0]
            call bpf_tail_call
            out:
            r0 = 0
            exit
            s:
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 7
            exit
            """, SkbMain, "static int e(struct __sk_buff *)", SkbSub), Returns42], [1], 42, [0, 0, 0, 0]),
        new("a tail call past max_entries does not count", [new("""
            r6 = r1
            r7 = 0
            loop:
            r1 = r6
            call e
            r7 += 1
            if r7 < 33 goto loop
            r1 = r6
            call s
            exit
            e:
            r2 = map[idx:0]
            r3 = 4
            call bpf_tail_call
            r0 = 0
            exit
            s:
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 7
            exit
            """, SkbMain, "static int e(struct __sk_buff *)", SkbSub), Returns42], [1], 42, [0, 0, 0, 0]),
        new("the target's own main-frame tail call chains at its level", [CallsSub, new($"""
            r6 = r1
            {Count(1)}
            r1 = r6
            r2 = map[idx:0]
            r3 = 2
            call bpf_tail_call
            r0 = 9
            exit
            """), new($"""
            {Count(2)}
            r0 = 5
            exit
            """)], [1, -1, 2], 1005, [0, 1, 1, 0]),
        new("a nested target's subprogram tail-calls again", [CallsSub, new("""
            call s
            r0 += 100
            exit
            s:
            r2 = map[idx:0]
            r3 = 2
            call bpf_tail_call
            r0 = 8
            exit
            """, SkbMain, SkbSub), new("""
            r0 = 3
            exit
            """)], [1, -1, 2], 1103, [0, 0, 0, 0]),
        new("the count is shared: after a nested chain of 33 the next call falls through", [new("""
            r6 = r1
            call s
            r7 = r0
            r1 = r6
            call s
            r7 *= 100
            r0 += r7
            exit
            s:
            r2 = map[idx:0]
            r3 = 1
            call bpf_tail_call
            r0 = 7
            exit
            """, SkbMain, SkbSub), new($"""
            r6 = r1
            {Count(1)}
            r1 = r6
            r2 = map[idx:0]
            r3 = 1
            call bpf_tail_call
            r0 = 9
            exit
            """)], [-1, 1], 907, [0, 33, 0, 0]),
    ];

    private static readonly Dictionary<string, Scenario> ByName = All.ToDictionary(s => s.Name);

    /// <summary>Where a scenario runs: the kernel, or our system on one engine, verified or checked.</summary>
    public static readonly string[] TargetNames = ["kernel", "jit", "interpreter", "jit-checked", "interpreter-checked"];

    public static TheoryData<string, string> Rows()
    {
        var rows = new TheoryData<string, string>();
        foreach (string target in TargetNames)
            foreach (Scenario s in All)
                rows.Add(target, s.Name);
        return rows;
    }

    [SkippableTheory]
    [MemberData(nameof(Rows))]
    public void Runs_as_the_kernel_runs_it(string target, string name)
    {
        Scenario s = ByName[name];
        using IBpfTarget t = Create(target);
        (uint retval, ulong[] counters) = RunScenario(t, s);
        Assert.Equal(s.Retval, retval);
        Assert.Equal(s.Counters, counters);
    }

    private static IBpfTarget Create(string target)
    {
        if (target == "kernel")
            return Targets.Create("kernel");
        bool isChecked = target.EndsWith("-checked", StringComparison.Ordinal);
        ExecutionEngine engine = target.StartsWith("jit", StringComparison.Ordinal) ? ExecutionEngine.Jit : ExecutionEngine.Interpreter;
        return new OurTarget(new BpfSystemOptions { Engine = engine, Verify = !isChecked, PossibleCpus = 2, InstructionBudget = 1 << 20 });
    }

    public static TheoryData<string> Engines() => new() { "jit", "interpreter" };

    // Checked mode (unverified programs, which only we run): a nested target's fault is the run's fault, and the
    // context the run used is whole again afterwards.
    [Theory]
    [MemberData(nameof(Engines))]
    public void A_nested_target_that_faults_faults_the_run_and_the_context_runs_again(string engine)
    {
        using var t = (OurTarget)Create(engine + "-checked");
        int progArray = t.CreateMap(BpfMapType.ProgArray, 4, 4, 4);
        int counters = t.CreateArray(4, 8);
        int caller = LoadWithBtf(t, CallsSub, [progArray, counters], out string log);
        int bad = LoadWithBtf(t, new Prog("""
            r0 = *(u64 *)(r10 +8)
            exit
            """), [progArray, counters], out _);
        int good = LoadWithBtf(t, Returns42, [progArray, counters], out _);
        Assert.True(caller > 0 && bad > 0 && good > 0, log);
        LoadedProgram program = Program(t, caller);
        var run = new RunContext();
        Assert.Equal(0, t.Update(progArray, 0, (uint)bad));
        var fault = Assert.Throws<BpfRuntimeException>(() => program.Run(run));
        Assert.Equal(FaultKind.OutOfBounds, fault.Kind);
        Assert.False(run.IsRunning);
        Assert.Equal(0, t.Update(progArray, 0, (uint)good));
        Assert.Equal(1042ul, program.Run(run));
        Assert.Equal(1, run.TailCallCount);
        t.Delete(progArray, 0);
    }

    // The target runs on a stack block of its own: the frames of the program it interrupted are not its stack, so
    // reaching them (through an address left in a map) is an out-of-bounds fault in checked mode.
    [Theory]
    [MemberData(nameof(Engines))]
    public void A_nested_target_cannot_reach_the_interrupted_programs_stack(string engine)
    {
        using var t = (OurTarget)Create(engine + "-checked");
        int progArray = t.CreateMap(BpfMapType.ProgArray, 4, 4, 4);
        int counters = t.CreateArray(4, 8);
        int caller = LoadWithBtf(t, new Prog("""
            *(u64 *)(r10 -8) = 5
            r6 = r1
            *(u32 *)(r10 -12) = 0
            r2 = r10
            r2 += -12
            r1 = map[idx:1]
            call bpf_map_lookup_elem
            if r0 == 0x0 goto out
            r1 = r10
            r1 += -8
            *(u64 *)(r0 +0) = r1
            r1 = r6
            call s
            out:
            exit
            s:
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 7
            exit
            """), [progArray, counters], out string log);
        int target = LoadWithBtf(t, new Prog("""
            *(u32 *)(r10 -4) = 0
            r2 = r10
            r2 += -4
            r1 = map[idx:1]
            call bpf_map_lookup_elem
            if r0 == 0x0 goto out
            r1 = *(u64 *)(r0 +0)
            r0 = *(u64 *)(r1 +0)
            out:
            exit
            """), [progArray, counters], out _);
        Assert.True(caller > 0 && target > 0, log);
        LoadedProgram program = Program(t, caller);
        var run = new RunContext();
        Assert.Equal(7ul, program.Run(run)); // empty slot: the caller's own frame answers
        Assert.Equal(0, t.Update(progArray, 0, (uint)target));
        var fault = Assert.Throws<BpfRuntimeException>(() => program.Run(run));
        Assert.Equal(FaultKind.OutOfBounds, fault.Kind);
        Assert.False(run.IsRunning);
        t.Delete(progArray, 0);
    }

    // The verifier refuses a tail call in a callback (the 6.18 kernel trips over its return value: corpus
    // tail/callback_tail_call); unverified, the target replaces the callback's frame and its r0 goes back to bpf_loop.
    [Theory]
    [MemberData(nameof(Engines))]
    public void A_callbacks_tail_call_returns_the_targets_r0_to_the_helper(string engine)
    {
        using var t = (OurTarget)Create(engine + "-checked");
        int progArray = t.CreateMap(BpfMapType.ProgArray, 4, 4, 4);
        int counters = t.CreateArray(4, 8);
        int caller = LoadWithBtf(t, new Prog("""
            r1 = 5
            r2 = subprog[cb]
            r3 = 0
            r4 = 0
            call bpf_loop
            exit
            cb:
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 1
            exit
            """), [progArray, counters], out string log);
        int target = LoadWithBtf(t, new Prog($"""
            {Count(0)}
            r0 = 0
            exit
            """), [progArray, counters], out _);
        Assert.True(caller > 0 && target > 0, log);
        Assert.Equal(0, t.Update(progArray, 0, (uint)target));
        Assert.Equal(0, t.TestRun(caller, new byte[64], out TestRunAttr result));
        Assert.Equal(5u, result.Retval); // every iteration went on: the target's 0, not the callback's 1
        Assert.Equal(0, t.Lookup(counters, 0, out ulong count));
        Assert.Equal(5ul, count);
        t.Delete(progArray, 0);
    }

    // Each run has its own context: nested tail calls share nothing between concurrent runs of the same programs.
    [Theory]
    [MemberData(nameof(Engines))]
    public void Nested_tail_calls_run_concurrently(string engine)
    {
        Scenario s = ByName["33 tail calls, each nested in the subprogram of the one before"];
        using var t = (OurTarget)Create(engine);
        int progArray = t.CreateMap(BpfMapType.ProgArray, 4, 4, 4);
        int counters = t.CreateArray(4, 8);
        int fd = LoadWithBtf(t, s.Programs[0], [progArray, counters], out string log);
        Assert.True(fd > 0, log);
        Assert.Equal(0, t.Update(progArray, 0, (uint)fd));
        LoadedProgram program = Program(t, fd);
        const int Threads = 4, Runs = 50;
        var results = new ulong[Threads * Runs];
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
        {
            var run = new RunContext();
            for (int i = 0; i < Runs; i++)
                results[thread * Runs + i] = program.Run(run);
        });
        Assert.All(results, r0 => Assert.Equal(134ul, r0));
        Assert.Equal(0, t.Lookup(counters, 0, out ulong count));
        Assert.Equal(34ul * Threads * Runs, count);
        t.Delete(progArray, 0);
    }

    private static LoadedProgram Program(OurTarget t, int fd)
    {
        Assert.Equal(0, t.System.GetObject(fd, out BpfSharp.Memory.BpfObject? obj));
        obj!.Release();
        return Assert.IsType<LoadedProgram>(obj);
    }

    /// <summary>Loads the scenario's programs, fills the prog array, runs program 0 once: its retval and the counters.</summary>
    internal static (uint Retval, ulong[] Counters) RunScenario(IBpfTarget t, Scenario s)
    {
        int progArray = t.CreateMap(BpfMapType.ProgArray, 4, 4, 4);
        int counters = t.CreateArray(4, 8);
        Assert.True(progArray >= 0 && counters >= 0, "map creation failed");
        var fds = new int[s.Programs.Length];
        for (int i = 0; i < fds.Length; i++)
        {
            fds[i] = LoadWithBtf(t, s.Programs[i], [progArray, counters], out string log);
            Assert.True(fds[i] >= 0, $"program {i} of '{s.Name}' refused on {t.Name}: {Errno.Name(fds[i])}\n{log}");
        }
        for (int slot = 0; slot < s.Slots.Length; slot++)
        {
            if (s.Slots[slot] >= 0)
                Assert.Equal(0, t.Update(progArray, (uint)slot, (uint)fds[s.Slots[slot]]));
        }
        Assert.Equal(0, t.TestRun(fds[0], new byte[64], out TestRunAttr run));
        var values = new ulong[4];
        for (uint k = 0; k < 4; k++)
            Assert.Equal(0, t.Lookup(counters, k, out values[k]));
        // the array holds programs that may hold it: empty it so that everything is freed
        for (uint slot = 0; slot < 4; slot++)
            t.Delete(progArray, slot);
        return (run.Retval, values);
    }

    /// <summary>PROG_LOAD of a socket filter with fd_array and, when it names functions, its BTF and func_info.</summary>
    internal static int LoadWithBtf(IBpfTarget t, Prog prog, int[] fdArray, out string log)
    {
        Instruction[] insns = Assembler.Assemble(prog.Asm);
        int btfFd = 0;
        uint[] funcInfo = [];
        uint funcCount = 0;
        if (prog.Funcs.Length > 0)
        {
            (byte[] blob, funcInfo, funcCount) = new CaseBtf(prog.Funcs).Build(insns);
            btfFd = LoadBtf(t, blob);
            Assert.True(btfFd > 0, $"BTF refused on {t.Name}: {Errno.Name(btfFd)}");
        }
        byte[] logBuffer = new byte[1 << 16];
        int rc;
        fixed (Instruction* ip = insns)
        fixed (byte* lp = logBuffer)
        fixed (byte* license = "GPL\0"u8)
        fixed (int* fa = fdArray)
        fixed (uint* fi = funcInfo)
        {
            BpfAttr attr = default;
            attr.ProgLoad.ProgType = (uint)BpfProgType.SocketFilter;
            attr.ProgLoad.InsnCnt = (uint)insns.Length;
            attr.ProgLoad.Insns = (ulong)ip;
            attr.ProgLoad.License = (ulong)license;
            attr.ProgLoad.FdArray = (ulong)fa;
            attr.ProgLoad.LogLevel = 1;
            attr.ProgLoad.LogSize = (uint)logBuffer.Length;
            attr.ProgLoad.LogBuf = (ulong)lp;
            if (btfFd > 0)
            {
                attr.ProgLoad.ProgBtfFd = (uint)btfFd;
                attr.ProgLoad.FuncInfo = (ulong)fi;
                attr.ProgLoad.FuncInfoRecSize = 8;
                attr.ProgLoad.FuncInfoCnt = funcCount;
            }
            rc = t.Bpf(BpfCommand.ProgLoad, ref attr);
        }
        int end = Array.IndexOf(logBuffer, (byte)0);
        log = Encoding.UTF8.GetString(logBuffer, 0, end < 0 ? logBuffer.Length : end);
        if (btfFd > 0) t.Close(btfFd);
        return rc;
    }

    private static int LoadBtf(IBpfTarget t, byte[] blob)
    {
        fixed (byte* p = blob)
        {
            BpfAttr attr = default;
            attr.BtfLoad.Btf = (ulong)p;
            attr.BtfLoad.BtfSize = (uint)blob.Length;
            return t.Bpf(BpfCommand.BtfLoad, ref attr);
        }
    }
}
