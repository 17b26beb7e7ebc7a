namespace BpfSharp.Runtime;

/// <summary>
/// Compile-time switches of the dispatch loop. The loop is generic over a struct implementing
/// this, so the JIT specializes it per mode and unchecked runs carry no check code at all.
/// </summary>
internal interface IExecMode
{
    /// <summary>Bounds-check memory accesses.</summary>
    static abstract bool Checked { get; }
    /// <summary>Count instructions against the budget.</summary>
    static abstract bool Budgeted { get; }
}

/// <summary>Verified program, no budget.</summary>
internal struct UncheckedMode : IExecMode
{
    public static bool Checked => false;
    public static bool Budgeted => false;
}

/// <summary>Verified program with an instruction budget.</summary>
internal struct UncheckedBudgetMode : IExecMode
{
    public static bool Checked => false;
    public static bool Budgeted => true;
}

/// <summary>Unverified program, no budget.</summary>
internal struct CheckedMode : IExecMode
{
    public static bool Checked => true;
    public static bool Budgeted => false;
}

/// <summary>Unverified program with an instruction budget.</summary>
internal struct CheckedBudgetMode : IExecMode
{
    public static bool Checked => true;
    public static bool Budgeted => true;
}
