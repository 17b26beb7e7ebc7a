namespace BpfSharp.Hosting;

/// <summary>
/// Marks a C# method as a helper that programs of a host-defined type call by <see cref="Id"/>
/// (<see cref="HostProgramTypeBuilder.AddHelpers(object)"/>). The prototype the verifier checks calls against is
/// read from the signature, one or two registers per parameter:
/// <list type="bullet">
/// <item>an integer (<c>byte</c> .. <c>ulong</c>, <c>nint</c>, <c>nuint</c>, an enum) or <c>bool</c>: one register,
/// ARG_ANYTHING (converted as C converts the u64 argument);</item>
/// <item><c>ReadOnlySpan&lt;byte&gt;</c>: two registers, ARG_PTR_TO_MEM | MEM_RDONLY and ARG_CONST_SIZE_OR_ZERO (memory the
/// program has initialized);</item>
/// <item><c>Span&lt;byte&gt;</c>: two registers, ARG_PTR_TO_MEM | MEM_WRITE and ARG_CONST_SIZE_OR_ZERO (initialized memory
/// the helper may change);</item>
/// <item><c>in T</c> / <c>ref T</c> / <c>out T</c> of an unmanaged <c>T</c>: one register, ARG_PTR_TO_FIXED_SIZE_MEM of
/// sizeof(T), read-only / read-write / uninitialized and written;</item>
/// <item><see cref="Runtime.RunContext"/>: no register, the run in progress.</item>
/// </list>
/// The return type is an integer or <c>bool</c> (RET_INTEGER) or <c>void</c> (RET_VOID). Memory a span or a
/// reference points at is valid only during the call.
/// </summary>
/// <remarks>Named <c>HostHelper</c> so that <c>[HostHelper(...)]</c> never clashes with the delegate type
/// <see cref="Runtime.BpfHelper"/>.</remarks>
/// <param name="id">The id programs call it by, from <see cref="HostProgramType.FirstHelperId"/> to <see cref="HostProgramType.LastHelperId"/>.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class HostHelperAttribute(int id) : Attribute
{
    /// <summary>The helper id.</summary>
    public int Id { get; } = id;

    /// <summary>The name the verifier log shows (default: the method's name).</summary>
    public string? Name { get; init; }
}
