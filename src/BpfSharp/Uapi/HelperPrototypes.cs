using System.Collections.Frozen;

namespace BpfSharp.Uapi;

/// <summary>
/// THE table of helper prototypes (the kernel's <c>bpf_func_proto</c> of each helper id), which the
/// verifier checks calls against and the runtime helpers follow. Facts taken from the kernel sources
/// (kernel/bpf/helpers.c, bpf_iter.c, ringbuf.c, core.c, stackmap.c, kernel/trace/bpf_trace.c, net/core/filter.c),
/// Linux 6.x. Where a program type substitutes its own variant of a helper (say bpf_get_cgroup_classid
/// without the skb), the table holds the networking (skb) variant; the program-type layer may override it.
/// </summary>
public static partial class HelperPrototypes
{
    private static readonly FrozenDictionary<int, HelperPrototype> s_byId = Build();

    /// <summary>Every prototype in the table, by id.</summary>
    public static IReadOnlyCollection<HelperPrototype> All => s_byId.Values;

    /// <summary>Number of helpers with a prototype.</summary>
    public static int Count => s_byId.Count;

    /// <summary>The prototype of helper <paramref name="id"/>, or null if the table has none.</summary>
    public static HelperPrototype? Get(int id) => s_byId.TryGetValue(id, out HelperPrototype? proto) ? proto : null;

    /// <summary>Looks up the prototype of helper <paramref name="id"/>.</summary>
    public static bool TryGet(int id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HelperPrototype? prototype) =>
        s_byId.TryGetValue(id, out prototype);

    private static FrozenDictionary<int, HelperPrototype> Build()
    {
        var byId = new Dictionary<int, HelperPrototype>();
        foreach (HelperPrototype proto in (HelperPrototype[])[.. Table(), .. NetTable(), .. TraceTable(), .. ProgTypeTable()])
        {
            if (!byId.TryAdd(proto.Id, proto))
                throw new InvalidOperationException($"helper id {proto.Id} appears twice in the prototype table");
        }
        return byId.ToFrozenDictionary();
    }
}
