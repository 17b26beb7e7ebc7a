// BpfSharp benchmarks. Usage:
//   dotnet run -c Release --project bench/BpfSharp.Bench -- interp [iterations] [repeats]
//   dotnet run -c Release --project bench/BpfSharp.Bench -- maps [--seconds S] [--entries N] [--threads 1,2] [--batch K]
//   dotnet run -c Release --project bench/BpfSharp.Bench -- all
//   dotnet run -c Release --project bench/BpfSharp.Bench -- verifier [repeats]
//   dotnet run -c Release --project bench/BpfSharp.Bench -- verifier corpus [repeats]
//   dotnet run -c Release --project bench/BpfSharp.Bench -- hooks [fires] [runs] [jit|interpreter]
//   dotnet run -c Release --project bench/BpfSharp.Bench -- jit [repeats] [program|compile]
//   dotnet run -c Release --project bench/BpfSharp.Bench -- elf [repeats]
//   dotnet run -c Release --project bench/BpfSharp.Bench -- ringbuf [records] [runs]
// interp: the interpreter on a compute loop, ns per instruction.
// jit:    JIT vs interpreter vs plain C# vs the kernel's JIT on seven programs (see JitBench), compile time.
// verifier: verification time of a 4096-instruction straight-line program, then pruning workloads (diamond
//   chains, loops, a 100,000-instruction program) with processed instructions and states beside the live
//   kernel's statistics; `verifier corpus`: every verifier-corpus program's load time and processed count beside
//   the kernel's (see VerifierCorpusBench).
// elf:    the object loader on a 1 MB clang-built object (see ElfBench).
// hooks:  per-fire overhead of a Hook<TContext> with 0, 1 and 4 trivial programs (see HookBench).
// ringbuf: ring buffer records/s and MB/s, 1 and 2 producers, beside a Channel (see RingBufBench).
// maps:   HASH and ARRAY lookup/update ops/s from user space and from programs, against
//         ConcurrentDictionary and the live kernel's maps (see MapBench).
using BpfSharp.Bench;

string mode = args.Length > 0 ? args[0] : "all";
string[] rest = args.Length > 1 ? args[1..] : [];
switch (mode)
{
    case "interp":
        InterpreterBench.Run(rest);
        break;
    case "maps":
        MapBench.Run(rest);
        break;
    case "verifier" when rest.Length > 0 && rest[0] == "corpus":
        VerifierCorpusBench.Run(rest[1..]);
        break;
    case "verifier":
        BpfSharp.Bench.VerifierBench.Run(rest);
        break;
    case "hooks":
        HookBench.Run(rest);
        break;
    case "jit":
        JitBench.Run(rest);
        break;
    case "elf":
        ElfBench.Run(rest);
        break;
    case "ringbuf":
        RingBufBench.Run(rest);
        break;
    case "all":
        InterpreterBench.Run([]);
        Console.WriteLine();
        JitBench.Run([]);
        Console.WriteLine();
        HookBench.Run([]);
        Console.WriteLine();
        MapBench.Run(rest);
        break;
    default:
        if (int.TryParse(mode, out _)) // the old form: [iterations] [repeats]
        {
            InterpreterBench.Run(args);
            break;
        }
        Console.Error.WriteLine("usage: BpfSharp.Bench interp|jit|maps|verifier|hooks|elf|ringbuf|all [options]");
        Environment.Exit(2);
        break;
}
