using BpfSharp.Uapi;

namespace BpfSharp.Hosting;

/// <summary>
/// The prototypes a host helper may have: argument and return types whose verifier checks need nothing the
/// kernel keys on a helper id (kernel: check_func_proto's rules for argument pairs).
/// </summary>
internal static class HostHelperPrototypes
{
    private const BpfTypeFlag MemFlags = BpfTypeFlag.MEM_RDONLY | BpfTypeFlag.MEM_UNINIT | BpfTypeFlag.MEM_WRITE
        | BpfTypeFlag.MEM_FIXED_SIZE | BpfTypeFlag.PTR_MAYBE_NULL;

    /// <summary>Throws unless <paramref name="p"/> uses only the supported types, with every memory argument sized.</summary>
    /// <exception cref="ArgumentException">It does not.</exception>
    public static void Validate(HelperPrototype p)
    {
        if (p.Return.Base is not (BpfReturnBase.Integer or BpfReturnBase.Void) || p.Return.Flags != BpfTypeFlag.None)
            throw Bad(p, $"return type {p.Return} (a host helper returns RET_INTEGER or RET_VOID)");
        bool map = false;
        for (int i = 0; i < 5; i++)
        {
            HelperArgType a = p.Arg(i);
            HelperArgType next = p.Arg(i + 1);
            switch (a.Base)
            {
                case BpfArgBase.DontCare:
                    for (int j = i + 1; j < 5; j++)
                        if (!p.Arg(j).IsUnused) throw Bad(p, $"argument {j + 1} follows an unused one");
                    return;
                case BpfArgBase.Anything or BpfArgBase.PtrToCtx when a.Flags == BpfTypeFlag.None:
                    break;
                case BpfArgBase.ConstMapPtr when a.Flags == BpfTypeFlag.None:
                    map = true;
                    break;
                case BpfArgBase.PtrToMapKey or BpfArgBase.PtrToMapValue when a.Flags == BpfTypeFlag.None:
                    if (!map) throw Bad(p, $"argument {i + 1} ({a}) needs an ARG_CONST_MAP_PTR before it");
                    break;
                case BpfArgBase.PtrToMem when (a.Flags & ~MemFlags) == 0:
                    if (a.Has(BpfTypeFlag.MEM_FIXED_SIZE))
                    {
                        if (a.Size <= 0) throw Bad(p, $"argument {i + 1} ({a}) has no size");
                        break;
                    }
                    if (next.Base is not (BpfArgBase.ConstSize or BpfArgBase.ConstSizeOrZero))
                        throw Bad(p, $"argument {i + 1} ({a}) must be followed by ARG_CONST_SIZE or ARG_CONST_SIZE_OR_ZERO");
                    i++; // the size
                    break;
                default:
                    throw Bad(p, $"argument {i + 1} has type {a}, which host helpers do not support");
            }
        }
    }

    private static ArgumentException Bad(HelperPrototype p, string what) => new($"helper {p.Name}#{p.Id}: {what}");
}
