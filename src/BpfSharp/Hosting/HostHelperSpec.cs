using BpfSharp.Runtime;
using BpfSharp.Uapi;

namespace BpfSharp.Hosting;

/// <summary>
/// A helper a host-defined program type offers and implements in C#: its id (in the host range, see
/// <see cref="HostProgramType.FirstHelperId"/>), the prototype the verifier checks calls against and the
/// implementation programs call.
/// </summary>
public sealed class HostHelperSpec
{
    internal HostHelperSpec(HelperPrototype prototype, BpfHelper implementation)
    {
        Prototype = prototype;
        Implementation = implementation;
    }

    /// <summary>The id programs call it by.</summary>
    public int Id => Prototype.Id;

    /// <summary>The name (verifier messages).</summary>
    public string Name => Prototype.Name;

    /// <summary>The prototype (kernel: struct bpf_func_proto).</summary>
    public HelperPrototype Prototype { get; }

    /// <summary>The implementation.</summary>
    public BpfHelper Implementation { get; }

    /// <summary><c>name#id</c>.</summary>
    public override string ToString() => Prototype.ToString();
}
