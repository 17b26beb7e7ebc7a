using System.Runtime.CompilerServices;
using BpfSharp.Isa;
using BpfSharp.Runtime.Jit;

namespace BpfSharp.Runtime;

/// <summary>Builds the engine that runs a program: the JIT where dynamic code is supported and asked for, else the interpreter.</summary>
public static class ProgramEngines
{
    /// <summary>True if this process can run JIT-compiled programs (<see cref="RuntimeFeature.IsDynamicCodeSupported"/>).</summary>
    public static bool JitAvailable => RuntimeFeature.IsDynamicCodeSupported;

    /// <summary>
    /// Prepares <paramref name="program"/> for <paramref name="engine"/> with <paramref name="options"/> (checked mode,
    /// helpers, budget). <see cref="ExecutionEngine.Jit"/> falls back to the interpreter when <see cref="JitAvailable"/>
    /// is false; the caller sees no difference.
    /// </summary>
    /// <exception cref="BpfFormatException">The program is not valid or calls a kfunc.</exception>
    public static IProgramEngine Create(ReadOnlySpan<Instruction> program, ExecutionEngine engine, InterpreterOptions? options = null) =>
        Create(program, engine, options, JitAvailable);

    /// <summary><see cref="Create(ReadOnlySpan{Instruction}, ExecutionEngine, InterpreterOptions?)"/> as if dynamic code were (not) supported.</summary>
    internal static IProgramEngine Create(ReadOnlySpan<Instruction> program, ExecutionEngine engine, InterpreterOptions? options, bool jitAvailable)
    {
        options ??= new InterpreterOptions();
        if (engine == ExecutionEngine.Jit && jitAvailable)
            return new JitProgram(program, new JitOptions
            {
                Checked = options.Checked, Helpers = options.Helpers, InstructionBudget = options.InstructionBudget,
                ProbeLoads = options.ProbeLoads,
            });
        return new Interpreter(program, options);
    }
}
