using System.Diagnostics;
using System.Globalization;
using BpfSharp.Hosting;
using BpfSharp.Isa;
using BpfSharp.Runtime;
using BpfSharp.Uapi;

namespace BpfSharp.Bench;

/// <summary>
/// Per-fire overhead of a <see cref="Hook{TContext}"/> on a host-defined type: a fire with no program, with one
/// trivial program (<c>r0 = *(u32 *)(r1 + 0); exit</c>), and with four; next to the bare interpreter running the same
/// two instructions, so the hook's own cost (epoch, attached-array read, run context, context pinning, aggregation)
/// shows as the difference. The goal is under 20 ns with a JITed program; the system runs verified programs
/// on the JIT (its default engine), so the hook rows are JITed runs.
/// </summary>
internal static class HookBench
{
    private struct Context
    {
        public uint Value;
        [BpfWritable] public uint Verdict;
        public ulong Id;
    }

    /// <summary>Arguments: [fires per run] [runs] [jit|interpreter: the system's engine].</summary>
    public static void Run(string[] args)
    {
        int fires = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000_000;
        int runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7;
        ExecutionEngine engine = args.Length > 2 && args[2] == "interpreter" ? ExecutionEngine.Interpreter : ExecutionEngine.Jit;
        using var system = new BpfSystem(new BpfSystemOptions { PossibleCpus = Environment.ProcessorCount, Engine = engine });
        BpfProgType type = system.RegisterProgramType(HostProgramTypeBuilder.For<Context>("bench").Build());
        Instruction[] trivial = [Asm.LdxMem(Opcodes.BPF_W, Reg.R0, Reg.R1, 0), Asm.Exit()];
        using BpfProgram program = BpfProgram.Load(system, type, trivial, name: "trivial");
        using var hook = new Hook<Context>(system, type, "bench");

        Console.WriteLine($"hooks: best of {runs} runs of {fires:N0} fires, one thread; the system's programs run on the {engine}");
        var interpreter = new Interpreter(trivial, new InterpreterOptions { Checked = false });
        Measure("bare interpreter run (2 insns, no hook)  ", fires, runs, () => BareRuns(interpreter, fires));
        var jit = new BpfSharp.Runtime.Jit.JitProgram(trivial);
        Measure("bare JIT run (2 insns, no hook)          ", fires, runs, () => BareRuns(jit, fires));
        Measure("epoch enter + leave alone (no hook)      ", fires, runs, () => EpochRounds(system, fires));
        Measure("hook, no program attached                ", fires, runs, () => Fires(hook, fires));
        var links = new List<BpfLink> { hook.Attach(program) };
        Measure("hook, 1 trivial program                  ", fires, runs, () => Fires(hook, fires));
        for (int i = 0; i < 3; i++) links.Add(hook.Attach(program));
        Measure("hook, 4 trivial programs                 ", fires, runs, () => Fires(hook, fires));
        Measure("hook, 4 programs, FirstNonZero aggregator", fires, runs, () => FiresFirstNonZero(hook, fires));
        foreach (BpfLink link in links) link.Dispose();
    }

    private static unsafe ulong BareRuns(IProgramEngine interpreter, int count)
    {
        var ctx = new Context { Value = 1 };
        var run = new RunContext { R1 = (ulong)&ctx };
        ulong sum = 0;
        for (int i = 0; i < count; i++)
            sum += interpreter.Run(run);
        return sum;
    }

    private static ulong EpochRounds(BpfSystem system, int count)
    {
        for (int i = 0; i < count; i++)
        {
            using Memory.EpochManager.Guard guard = system.Epochs.Enter();
        }
        return 0;
    }

    private static ulong Fires(Hook<Context> hook, int count)
    {
        var ctx = new Context { Value = 1 };
        ulong sum = 0;
        for (int i = 0; i < count; i++)
            sum += hook.Fire(ref ctx);
        return sum;
    }

    private static ulong FiresFirstNonZero(Hook<Context> hook, int count)
    {
        var ctx = new Context { Value = 0 }; // every program returns 0: all four run
        ulong sum = 0;
        for (int i = 0; i < count; i++)
        {
            var first = new FirstNonZero();
            hook.Fire(ref ctx, ref first);
            sum += first.Value;
        }
        return sum;
    }

    private static void Measure(string name, int count, int runs, Func<ulong> body)
    {
        body(); // warm-up (tiering, the thread's run context)
        double best = double.MaxValue;
        long bytes = long.MaxValue;
        for (int r = 0; r < runs; r++)
        {
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            long start = Stopwatch.GetTimestamp();
            body();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalNanoseconds);
            bytes = Math.Min(bytes, GC.GetAllocatedBytesForCurrentThread() - allocated);
        }
        Console.WriteLine($"{name}: {best / count,7:F1} ns/fire, {(double)bytes / count:F3} bytes allocated/fire");
    }
}
