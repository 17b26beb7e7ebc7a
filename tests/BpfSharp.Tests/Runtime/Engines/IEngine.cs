using BpfSharp.Isa;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Jit;

namespace BpfSharp.Tests.Runtime.Engines;

/// <summary>Options every engine under test understands.</summary>
public sealed record EngineOptions(bool Checked, HelperRegistry? Helpers, long InstructionBudget);

/// <summary>
/// An execution engine the shared semantics matrix runs against (the interpreter and the JIT): one test matrix over every engine, not copies per engine.
/// </summary>
public interface IEngine
{
    /// <summary>Short name used in test case names ("interpreter", "jit").</summary>
    string Name { get; }

    /// <summary>Prepares <paramref name="program"/>; returns the function that runs it once and returns r0.</summary>
    Func<RunContext, ulong> Load(Instruction[] program, EngineOptions options) => Build(program, options).Run;

    /// <summary>Prepares <paramref name="program"/> (throws what the engine's constructor throws).</summary>
    IProgramEngine Build(Instruction[] program, EngineOptions? options = null);
}

/// <summary>The interpreter as an <see cref="IEngine"/>.</summary>
public sealed class InterpreterEngine : IEngine
{
    public string Name => "interpreter";

    public IProgramEngine Build(Instruction[] program, EngineOptions? options = null) => new Interpreter(program, new InterpreterOptions
    {
        Checked = options?.Checked ?? false,
        Helpers = options?.Helpers,
        InstructionBudget = options?.InstructionBudget ?? 0,
    });
}

/// <summary>
/// The JIT as an <see cref="IEngine"/>: "jit" as programs are compiled by default, "jit-pieces" with every
/// subprogram cut into methods of at most two instructions, so that every instruction of the matrix also runs next
/// to a piece boundary (registers, budgets and exits through the register file).
/// </summary>
public sealed class JitEngine(string name = "jit", int pieceInstructions = 0) : IEngine
{
    public string Name => name;

    public IProgramEngine Build(Instruction[] program, EngineOptions? options = null) => new JitProgram(program, new JitOptions
    {
        Checked = options?.Checked ?? false,
        Helpers = options?.Helpers,
        InstructionBudget = options?.InstructionBudget ?? 0,
        PieceInstructions = pieceInstructions,
    });
}
