namespace BpfSharp.Hosting;

/// <summary>
/// Marks a field of a context struct that programs may write
/// (<see cref="HostProgramTypeBuilder.For{TContext}(string)"/>); other fields are read-only.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class BpfWritableAttribute : Attribute;

/// <summary>
/// Marks a field of a context struct that programs may not access at all (a host pointer, a lock, bookkeeping)
/// (<see cref="HostProgramTypeBuilder.For{TContext}(string)"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class BpfHiddenAttribute : Attribute;
