using BpfSharp.ProgramTypes;
using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.Hosting;

/// <summary>
/// The verifier's rules for a <see cref="HostProgramType"/> (kernel: a type's bpf_verifier_ops): context accesses
/// only inside declared fields (whole, or aligned power-of-two parts when narrow reads are allowed; stores whole and
/// into writable fields only), the kernel helpers the type allows with their prototypes and capability gates, the
/// host's helpers, and its return range.
/// </summary>
internal sealed class HostVerifierOps(HostProgramType type, BpfProgType number) : VerifierOps
{
    /// <summary>The host's description.</summary>
    public HostProgramType Type { get; } = type;

    /// <inheritdoc/>
    public override BpfProgType ProgType { get; } = number;

    /// <inheritdoc/>
    public override int ContextSize => Type.ContextSize;

    /// <inheritdoc/>
    public override RetvalRange? ReturnRange(uint expectedAttachType) => Type.ReturnRange;

    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info)
    {
        if (off < 0 || size <= 0 || off > ContextSize - size || Type.FieldAt(off) is not { } field)
            return false;
        if (type == BpfAccessType.Write)
            return field.Writable && off == field.Offset && size == field.Size;
        if (field.NarrowReads)
            info.CtxFieldSize = field.Size; // as the kernel records it: on every read of a field that allows narrow ones
        if (off == field.Offset && size == field.Size)
            return true;
        // kernel: bpf_ctx_narrow_access_ok, with the offset aligned to the load (and so inside the field)
        return field.NarrowReads && off % size == 0 && CtxField.NarrowAccessOk(size, field.Size) && off + size <= field.End;
    }

    /// <inheritdoc/>
    public override HelperPrototype? GetFuncProto(int helperId, VerifierCapabilities caps)
    {
        if (helperId >= HostProgramType.FirstHelperId)
            return Type.Helper(helperId)?.Prototype;
        if (!Type.KernelHelpers.Contains(helperId)
            || !HelperAvailability.HasCapabilityFor(helperId, caps.BpfCapable, perfmonCapable: caps.AllowPtrLeaks))
            return null;
        return HelperPrototypes.Get(helperId);
    }
}
