namespace BpfSharp.Isa;

/// <summary>The eleven BPF registers: r0 (return value), r1-r5 (arguments), r6-r9 (callee saved), r10 (frame pointer).</summary>
public enum Reg : byte
{
    /// <summary>Return value.</summary>
    R0 = 0,
    /// <summary>Argument 1 (context on entry).</summary>
    R1 = 1,
    /// <summary>Argument 2.</summary>
    R2 = 2,
    /// <summary>Argument 3.</summary>
    R3 = 3,
    /// <summary>Argument 4.</summary>
    R4 = 4,
    /// <summary>Argument 5.</summary>
    R5 = 5,
    /// <summary>Callee saved.</summary>
    R6 = 6,
    /// <summary>Callee saved.</summary>
    R7 = 7,
    /// <summary>Callee saved.</summary>
    R8 = 8,
    /// <summary>Callee saved.</summary>
    R9 = 9,
    /// <summary>Read-only frame pointer.</summary>
    R10 = 10,
}
