using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// The rules for a program type whose context is not modelled yet: no context access at all, only the
/// helpers every type gets (kernel: bpf_base_func_proto's unprivileged part), no return range. Programs
/// of such a type verify if they never read their context; any context access is refused with the kernel's
/// message. <c>ProgramTypeOps.For</c> has the types that are modelled.
/// </summary>
public sealed class BaseOps : VerifierOps
{
    private static readonly int[] BaseHelpers = [1, 2, 3, 5, 7, 8, 12, 87, 88, 89];

    private BaseOps(BpfProgType type) => ProgType = type;

    /// <summary>The base rules for <paramref name="type"/>.</summary>
    public static BaseOps For(BpfProgType type) => new(type);

    /// <inheritdoc/>
    public override BpfProgType ProgType { get; }

    /// <inheritdoc/>
    public override int ContextSize => 0;

    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType,
        ref CtxAccessInfo info) => false;

    /// <inheritdoc/>
    public override HelperPrototype? GetFuncProto(int helperId, VerifierCapabilities caps) =>
        Array.IndexOf(BaseHelpers, helperId) >= 0 ? HelperPrototypes.Get(helperId) : null;
}
