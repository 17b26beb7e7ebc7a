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
    Func<RunContext, ulong> Load(Instruction[] program, EngineOptions options);
}

/// <summary>The interpreter as an <see cref="IEngine"/>.</summary>
public sealed class InterpreterEngine : IEngine
{
    public string Name => "interpreter";

    public Func<RunContext, ulong> Load(Instruction[] program, EngineOptions options)
    {
        var vm = new Interpreter(program, new InterpreterOptions
        {
            Checked = options.Checked,
            Helpers = options.Helpers,
            InstructionBudget = options.InstructionBudget,
        });
        return vm.Run;
    }
}

/// <summary>The JIT as an <see cref="IEngine"/>.</summary>
public sealed class JitEngine : IEngine
{
    public string Name => "jit";

    public Func<RunContext, ulong> Load(Instruction[] program, EngineOptions options)
    {
        var jit = new JitProgram(program, new JitOptions
        {
            Checked = options.Checked,
            Helpers = options.Helpers,
            InstructionBudget = options.InstructionBudget,
        });
        return jit.Run;
    }
}
