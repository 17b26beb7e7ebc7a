using System.Diagnostics;
using System.Runtime.InteropServices;
using BpfSharp.Isa;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Helpers;
using BpfSharp.Runtime.Jit;
using BpfSharp.Uapi;

namespace BpfSharp.Bench;

/// <summary>
/// The JIT against the interpreter, plain C# and the live kernel's JIT (XDP programs through BPF_PROG_TEST_RUN with
/// repeat, its reported duration per run) on the programs of <see cref="JitPrograms"/>, side by side in one run; then
/// the JIT's compile time per 1,000 instructions. Our engines run the verified form: unchecked, no budget.
/// </summary>
internal static unsafe class JitBench
{
    /// <summary>Arguments: [repeats] [program name filter, or "compile" for the compile time alone].</summary>
    public static void Run(string[] args)
    {
        int repeats = args.Length > 0 ? int.Parse(args[0]) : 7;
        string filter = args.Length > 1 ? args[1] : "";
        bool kernel = KernelBpf.IsAvailable();
        HelperRegistry helpers = StandardHelpers.Create(new HelperEnvironment { RandomSeed = 1 });
        Console.WriteLine($"JIT bench: ns per program run, best of {repeats} batches; kernel = XDP BPF_PROG_TEST_RUN duration{(kernel ? "" : " (unavailable)")}");
        Console.WriteLine($"{"program",-22} {"JIT",9} {"interp",9} {"C#",9} {"kernel",9} {"JIT/C#",7} {"JIT/kern",8}");
        foreach (JitPrograms.Workload w in JitPrograms.All)
        {
            if (!w.Name.Contains(filter, StringComparison.Ordinal)) continue;
            byte[] packet = Packet(w.PacketSize);
            byte* data = (byte*)NativeMemory.AlignedAlloc((nuint)packet.Length, 64);
            try
            {
                Instruction[] ours = JitPrograms.Ours(w);
                var jit = new JitProgram(ours, new JitOptions { Helpers = helpers });
                var interpreter = new Interpreter(ours, new InterpreterOptions { Helpers = helpers });
                var run = new RunContext { R1 = (ulong)data, R2 = (ulong)packet.Length };
                packet.CopyTo(new Span<byte>(data, packet.Length));
                ulong a = jit.Run(run);
                packet.CopyTo(new Span<byte>(data, packet.Length));
                ulong b = interpreter.Run(run);
                packet.CopyTo(new Span<byte>(data, packet.Length));
                bool hasPlain = JitPrograms.HasPlainCSharp(w);
                delegate*<byte*, int, ulong> plain = hasPlain ? PlainCSharp.For(w.Name) : null;
                ulong c = hasPlain ? plain(data, packet.Length) : a;
                if (a != b && !w.Name.Contains("helper", StringComparison.Ordinal))
                    throw new InvalidOperationException($"{w.Name}: JIT r0 0x{a:x} != interpreter r0 0x{b:x}");
                if (a != c && !w.Name.Contains("helper", StringComparison.Ordinal))
                    throw new InvalidOperationException($"{w.Name}: JIT r0 0x{a:x} != C# 0x{c:x}");
                int length = packet.Length;
                double[] t = Measure(hasPlain ? [() => jit.Run(run), () => interpreter.Run(run), () => plain(data, length)]
                    : [() => jit.Run(run), () => interpreter.Run(run)], repeats);
                (double tJit, double tInterp, double tCs) = (t[0], t[1], hasPlain ? t[2] : double.NaN);
                double tKernel = kernel ? KernelNs(w, packet, repeats, a) : double.NaN;
                Console.WriteLine($"{w.Name,-22} {tJit,9:F1} {tInterp,9:F1} {Show(tCs),9} {Show(tKernel),9} {Show(tJit / tCs, "F2"),7} {Show(tJit / tKernel, "F2"),8}");
            }
            finally
            {
                NativeMemory.AlignedFree(data);
            }
        }
        if (filter.Length == 0 || filter == "compile") CompileTime(repeats);
    }

    // A frame that the parser accepts: Ethernet (IPv4), IPv4 (IHL 5, TCP), TCP (dport 8080, SYN+ACK), then pattern bytes.
    private static byte[] Packet(int size)
    {
        var p = new byte[size];
        for (int i = 0; i < size; i++) p[i] = (byte)(i * 37 + 11);
        p[12] = 0x08; p[13] = 0x00;
        p[14] = 0x45; p[23] = 6;
        p[34 + 2] = 0x1f; p[34 + 3] = 0x90; p[34 + 13] = 0x12;
        return p;
    }

    // Best ns per run of each runner; batches of the runners alternate, so that load from other processes on a shared
    // machine hits them alike.
    private static double[] Measure(Func<ulong>[] runners, int repeats)
    {
        var per = new long[runners.Length];
        var best = new double[runners.Length];
        // Warm-up until tiered compilation has settled: the runtime promotes a method to optimized code in the
        // background, 100 ms after the last new method was compiled, so the runners are called in rounds with pauses
        // (with a single round, the first runner's lambda and JitProgram.Run stayed tier-0 code for the whole run).
        for (int round = 0; round < 4; round++)
        {
            for (int k = 0; k < runners.Length; k++)
            {
                for (int i = 0; i < 1000; i++) runners[k]();
            }
            Thread.Sleep(150);
        }
        for (int k = 0; k < runners.Length; k++)
        {
            per[k] = Calibrate(runners[k]);
            best[k] = double.MaxValue;
        }
        for (int r = 0; r < repeats; r++)
        {
            for (int k = 0; k < runners.Length; k++)
            {
                Func<ulong> run = runners[k];
                long start = Stopwatch.GetTimestamp();
                for (long i = 0; i < per[k]; i++) run();
                best[k] = Math.Min(best[k], Stopwatch.GetElapsedTime(start).TotalNanoseconds / per[k]);
            }
        }
        return best;
    }

    // Runs per batch for a batch of about 20 ms.
    private static long Calibrate(Func<ulong> run)
    {
        long n = 1;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            for (long i = 0; i < n; i++) run();
            if (Stopwatch.GetElapsedTime(start).TotalMilliseconds > 5) return n * 4;
            n *= 2;
        }
    }

    // The kernel's mean ns per run (its test-run duration), after checking that it returns the low 32 bits of
    // our r0 (helper programs excepted: their values differ by design).
    private static double KernelNs(JitPrograms.Workload w, byte[] packet, int repeats, ulong ourR0)
    {
        int fd;
        try
        {
            fd = KernelBpf.Load(BpfProgType.Xdp, JitPrograms.Kernel(w));
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"{w.Name}: the kernel refused the program: {e.Message.Split('\n')[0]}");
            return double.NaN;
        }
        try
        {
            double best = double.MaxValue;
            fixed (byte* p = packet)
            {
                for (int r = 0; r < repeats; r++)
                {
                    int err = KernelBpf.TestRun(fd, p, (uint)packet.Length, 200_000, out uint ns, out uint retval);
                    if (err < 0) return double.NaN;
                    if (retval != (uint)ourR0 && !w.Name.Contains("helper", StringComparison.Ordinal))
                        throw new InvalidOperationException($"{w.Name}: the kernel returned 0x{retval:x}, we 0x{(uint)ourR0:x}");
                    best = Math.Min(best, ns);
                }
            }
            return best;
        }
        finally
        {
            KernelBpf.Close(fd);
        }
    }

    // JIT compile time: emitting IL plus RyuJIT's compilation (forced by the first run) of programs of 100 to 4,000
    // instructions; the issue's figure is the 1,000-instruction one. Two forms of each: "constants", where every
    // register starts from an immediate (RyuJIT folds the whole program to a constant: little machine code), and
    // "inputs", where r1-r5 come from the run context (nothing folds: the machine code of every instruction).
    private static void CompileTime(int repeats)
    {
        new JitProgram(Straight(100, true)).Run(new RunContext()); // the runtime's own first-use costs
        var inputs = new RunContext { R1 = 0x1234_5678_9abc, R2 = 77, R3 = 0xdead_beef, R4 = 3, R5 = 12345 };
        foreach (bool constants in new[] { true, false })
        {
            foreach (int size in new[] { 100, 1000, 4000 })
            {
                Instruction[] program = Straight(size, constants);
                double best = double.MaxValue, emit = double.MaxValue;
                for (int r = 0; r < repeats; r++)
                {
                    long start = Stopwatch.GetTimestamp();
                    var jit = new JitProgram(program);
                    jit.Run(inputs);
                    best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    emit = Math.Min(emit, jit.EmitTime.TotalMilliseconds);
                }
                Console.WriteLine($"compile ({(constants ? "constants" : "inputs")}): {program.Length} insns in {best:F2} ms (IL emit {emit:F2} ms, RyuJIT the rest) = {best * 1000 / program.Length:F2} ms per 1,000 insns");
            }
        }
    }

    // ALU work on all registers with a forward conditional jump every 8 instructions; r1-r9 start from immediates, or
    // r6-r9 do and r1-r5 are the run's inputs.
    private static Instruction[] Straight(int count, bool constants)
    {
        var insns = new List<Instruction>();
        for (int i = constants ? 1 : 6; i <= 9; i++) insns.Add(Asm.Mov64Imm((Reg)i, i * 7919));
        while (insns.Count < count - 2)
        {
            int k = insns.Count;
            var dst = (Reg)(k % 9 + 1);
            var src = (Reg)((k * 5) % 9 + 1);
            insns.Add((k % 8) switch
            {
                0 => Asm.JmpImm(Opcodes.BPF_JGT, dst, k, 1),
                1 => Asm.Add64(dst, src),
                2 => Asm.Xor64(dst, k),
                3 => Asm.Mul64(dst, src),
                4 => Asm.Rsh64(dst, 3),
                5 => Asm.Sub32(dst, src),
                6 => Asm.Or64(dst, src),
                _ => Asm.Lsh64(dst, 1),
            });
        }
        insns.Add(Asm.Mov64Reg(Reg.R0, Reg.R5));
        insns.Add(Asm.Exit());
        return [.. insns];
    }

    private static string Show(double value, string format = "F1") => double.IsNaN(value) ? "-" : value.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
}
