namespace BpfSharp.Runtime;

/// <summary>The engine that runs a program.</summary>
public enum ExecutionEngine
{
    /// <summary>The JIT (eBPF -> IL -> native code), falling back to the interpreter where dynamic code is unsupported.</summary>
    Jit,
    /// <summary>The interpreter (pre-decoded dispatch loop), available everywhere.</summary>
    Interpreter,
}
