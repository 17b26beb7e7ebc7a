using System.Diagnostics;
using BpfSharp.Runtime;

namespace BpfSharp.Bench;

/// <summary>Interpreter speed on the compute loop (<see cref="ComputeLoop"/>), in ns per executed BPF instruction.</summary>
internal static class InterpreterBench
{
    /// <summary>Arguments: [iterations] [repeats].</summary>
    public static void Run(string[] args)
    {
        int iterations = args.Length > 0 ? int.Parse(args[0]) : 5_000_000;
        int repeats = args.Length > 1 ? int.Parse(args[1]) : 7;
        var program = ComputeLoop.Build(iterations);
        long executed = ComputeLoop.Executed(iterations);

        Console.WriteLine($"compute loop: {program.Length} instructions, {executed:N0} executed per run, best of {repeats} runs");
        Measure("interpreter (unchecked)", new Interpreter(program, new InterpreterOptions { Checked = false }), executed, repeats);
        Measure("interpreter (checked)  ", new Interpreter(program, new InterpreterOptions { Checked = true, InstructionBudget = long.MaxValue }), executed, repeats);
    }

    private static void Measure(string name, Interpreter vm, long executed, int repeats)
    {
        var run = new RunContext();
        ulong expected = vm.Run(run); // warm-up, and the result every later run must repeat
        double best = double.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            ulong r0 = vm.Run(run);
            double ns = Stopwatch.GetElapsedTime(start).TotalNanoseconds;
            if (r0 != expected) throw new InvalidOperationException($"{name}: result changed between runs");
            best = Math.Min(best, ns);
        }
        Console.WriteLine($"{name}: {best / executed:F2} ns/insn ({executed / best * 1e3:F0} M insn/s), r0 = 0x{expected:x}");
    }
}
