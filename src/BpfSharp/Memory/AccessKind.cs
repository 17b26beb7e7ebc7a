namespace BpfSharp.Memory;

/// <summary>How a program (or a helper on its behalf) touches memory, for bounds checks and fault messages.</summary>
public enum AccessKind : byte
{
    /// <summary>A read.</summary>
    Load,
    /// <summary>A write.</summary>
    Store,
    /// <summary>An atomic read-modify-write; needs a writable region.</summary>
    Atomic,
}
