using System.Runtime.InteropServices;
using BpfSharp.Isa;
using BpfSharp.Memory;
using BpfSharp.Runtime;

namespace BpfSharp.Cli;

/// <summary>Runs an unverified program in checked mode over a native copy of its input memory.</summary>
internal static class CheckedRunner
{
    /// <summary>Budget of executed instructions for one unverified run.</summary>
    public const long InstructionBudget = 100_000_000;

    /// <summary>
    /// Runs <paramref name="program"/> with r1 = a writable copy of <paramref name="memory"/> (0 if empty) and r2 = its
    /// length, on <paramref name="engine"/> (the checked interpreter or the checked JIT).
    /// </summary>
    public static unsafe ulong Run(Instruction[] program, ReadOnlySpan<byte> memory, ExecutionEngine engine = ExecutionEngine.Interpreter)
    {
        var helpers = new HelperRegistry();
        helpers.AddConformanceHelpers();
        IProgramEngine vm = ProgramEngines.Create(program, engine, new InterpreterOptions { Checked = true, Helpers = helpers, InstructionBudget = InstructionBudget });
        nint mem = memory.Length == 0 ? 0 : (nint)NativeMemory.AlignedAlloc((nuint)memory.Length, 16);
        try
        {
            memory.CopyTo(new Span<byte>((void*)mem, memory.Length));
            var run = new RunContext { R1 = (ulong)mem, R2 = (ulong)memory.Length };
            if (memory.Length != 0)
                run.AddRegion(new MemoryRegion(mem, memory.Length, writable: true, "mem"));
            return vm.Run(run);
        }
        finally
        {
            if (mem != 0)
                NativeMemory.AlignedFree((void*)mem);
        }
    }
}
