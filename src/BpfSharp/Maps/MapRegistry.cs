using System.Collections.Concurrent;

namespace BpfSharp.Maps;

/// <summary>
/// The maps of one system by handle: lets helpers turn the map pointer a program passes
/// (its <see cref="Map.Handle"/>) back into the map. Unverified programs may pass any value,
/// so <see cref="Resolve"/> never dereferences the pointer.
/// </summary>
public sealed class MapRegistry
{
    private readonly ConcurrentDictionary<nint, Map> _byHandle = new();

    /// <summary>Registers a map so programs can pass its handle to helpers.</summary>
    public void Add(Map map) => _byHandle[map.Handle] = map;

    /// <summary>Forgets a map (when it is freed).</summary>
    public void Remove(Map map) => _byHandle.TryRemove(map.Handle, out _);

    /// <summary>The map whose handle is <paramref name="handle"/>, or null for any other value.</summary>
    public Map? Resolve(ulong handle) => _byHandle.TryGetValue((nint)handle, out Map? map) ? map : null;

    /// <summary>Number of registered maps.</summary>
    public int Count => _byHandle.Count;
}
