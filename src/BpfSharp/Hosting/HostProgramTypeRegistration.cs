using BpfSharp.Runtime;
using BpfSharp.Uapi;

namespace BpfSharp.Hosting;

/// <summary>A host program type as one system registered it: its number, its verifier rules, and the helpers its programs run with.</summary>
internal sealed class HostProgramTypeRegistration
{
    public HostProgramTypeRegistration(HostProgramType type, BpfProgType number, HelperRegistry systemHelpers)
    {
        Type = type;
        Number = number;
        Ops = new HostVerifierOps(type, number);
        foreach (int id in type.KernelHelpers)
        {
            if (!systemHelpers.Contains(id))
                throw new ArgumentException(
                    $"program type {type.Name}: helper {HelperNames.Get(id)}#{id} is not implemented by this system", nameof(type));
        }
        // The system's helpers plus the host's: a program of this type is bound to them when it is loaded.
        Helpers = new HelperRegistry();
        foreach (HelperDescriptor helper in systemHelpers.Helpers)
            Helpers.Register(helper.Id, helper.Name, helper.Implementation);
        foreach (HostHelperSpec helper in type.Helpers)
        {
            if (Helpers.Contains(helper.Id))
                throw new ArgumentException($"program type {type.Name}: helper id {helper.Id} is taken by this system's helpers", nameof(type));
            Helpers.Register(helper.Id, helper.Name, helper.Implementation);
        }
    }

    public HostProgramType Type { get; }
    public BpfProgType Number { get; }
    public HostVerifierOps Ops { get; }
    public HelperRegistry Helpers { get; }
}
