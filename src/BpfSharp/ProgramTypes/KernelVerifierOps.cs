using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// What the kernel's program types share: helpers come from <see cref="HelperAvailability"/> (recorded from the
/// kernel, per expected attach type), gated by the loader's capabilities, with the type's own prototype variant (<see cref="HelperVariants"/>)
/// where it has one. Instances are immutable and thread-safe.
/// </summary>
internal abstract class KernelVerifierOps(BpfProgType progType, int contextSize) : VerifierOps
{
    /// <inheritdoc/>
    public sealed override BpfProgType ProgType { get; } = progType;

    /// <inheritdoc/>
    public sealed override int ContextSize { get; } = contextSize;

    /// <inheritdoc/>
    public sealed override HelperPrototype? GetFuncProto(int helperId, VerifierCapabilities caps) =>
        GetFuncProto(helperId, caps, 0);

    /// <inheritdoc/>
    public sealed override HelperPrototype? GetFuncProto(int helperId, VerifierCapabilities caps, uint expectedAttachType)
    {
        if (!HelperAvailability.IsAllowed(ProgType, expectedAttachType, helperId)
            || !HelperAvailability.HasCapabilityFor(helperId, caps.BpfCapable, perfmonCapable: caps.AllowPtrLeaks))
            return null;
        return HelperVariants.Get(ProgType, helperId) ?? HelperPrototypes.Get(helperId);
    }
}
