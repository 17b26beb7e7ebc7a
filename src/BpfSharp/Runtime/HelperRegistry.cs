namespace BpfSharp.Runtime;

/// <summary>
/// Maps helper ids to implementations. Fill it before constructing an engine: an engine takes
/// a snapshot of the registry when it is built, so later changes do not affect it.
/// </summary>
public sealed class HelperRegistry
{
    /// <summary>Largest helper id a registry accepts.</summary>
    public const int MaxHelperId = 0xffff;

    private readonly SortedDictionary<int, HelperDescriptor> _helpers = new();

    /// <summary>Number of registered helpers.</summary>
    public int Count => _helpers.Count;

    /// <summary>The registered helpers, ordered by id.</summary>
    public IEnumerable<HelperDescriptor> Helpers => _helpers.Values;

    /// <summary>Registers <paramref name="implementation"/> as helper <paramref name="id"/>.</summary>
    /// <returns>This registry, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is negative or above <see cref="MaxHelperId"/>.</exception>
    /// <exception cref="ArgumentException">The id is already registered.</exception>
    public HelperRegistry Register(int id, string name, BpfHelper implementation) => Register(id, name, implementation, HelperFlags.None);

    /// <summary>Registers <paramref name="implementation"/> as helper <paramref name="id"/>, with what engines may assume about it.</summary>
    /// <returns>This registry, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is negative or above <see cref="MaxHelperId"/>.</exception>
    /// <exception cref="ArgumentException">The id is already registered.</exception>
    public HelperRegistry Register(int id, string name, BpfHelper implementation, HelperFlags flags)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(id, MaxHelperId);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(implementation);
        if (_helpers.TryGetValue(id, out var existing))
            throw new ArgumentException($"helper id {id} is already registered as {existing.Name}", nameof(id));
        _helpers.Add(id, new HelperDescriptor(id, name, implementation, flags));
        return this;
    }

    /// <summary>
    /// Registers an "unwind" helper (ubpf's unwind extension): when <paramref name="implementation"/>
    /// returns 0 the whole program ends at once with r0 = 0, from any call depth.
    /// </summary>
    /// <returns>This registry, for chaining.</returns>
    public HelperRegistry RegisterUnwind(int id, string name, BpfHelper implementation)
    {
        ArgumentNullException.ThrowIfNull(implementation);
        return Register(id, name, (run, r1, r2, r3, r4, r5) =>
        {
            ulong result = implementation(run, r1, r2, r3, r4, r5);
            if (result == 0)
                run.RequestExit(0);
            return result;
        });
    }

    /// <summary>Registers the helpers the BPF conformance suite's programs call (see <see cref="ConformanceHelpers"/>).</summary>
    /// <returns>This registry, for chaining.</returns>
    public HelperRegistry AddConformanceHelpers() =>
        Register(ConformanceHelpers.UnwindId, ConformanceHelpers.UnwindName, ConformanceHelpers.Unwind);

    /// <summary>A new registry holding the conformance suite's helpers.</summary>
    public static HelperRegistry ForConformance() => new HelperRegistry().AddConformanceHelpers();

    /// <summary>True if <paramref name="id"/> is registered.</summary>
    public bool Contains(int id) => _helpers.ContainsKey(id);

    /// <summary>Looks up helper <paramref name="id"/>.</summary>
    public bool TryGet(int id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HelperDescriptor? helper) =>
        _helpers.TryGetValue(id, out helper);

    /// <summary>The flags of every helper id below <paramref name="length"/> (None where nothing is registered), for an engine's snapshot.</summary>
    internal HelperFlags[] ToFlagTable(int length)
    {
        var table = new HelperFlags[length];
        foreach (var helper in _helpers.Values)
        {
            if (helper.Id < length) table[helper.Id] = helper.Flags;
        }
        return table;
    }

    /// <summary>A dense table indexed by helper id (null where nothing is registered), for an engine's snapshot.</summary>
    internal BpfHelper?[] ToTable()
    {
        int length = _helpers.Count == 0 ? 0 : _helpers.Keys.Max() + 1;
        var table = new BpfHelper?[length];
        foreach (var helper in _helpers.Values)
            table[helper.Id] = helper.Implementation;
        return table;
    }
}
