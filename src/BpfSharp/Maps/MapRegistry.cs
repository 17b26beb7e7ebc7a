using System.Runtime.CompilerServices;

namespace BpfSharp.Maps;

/// <summary>
/// The maps of one system by handle: lets helpers turn the map pointer a program passes
/// (its <see cref="Map.Handle"/>) back into the map. Unverified programs may pass any value,
/// so <see cref="Resolve"/> never dereferences the pointer.
/// </summary>
/// <remarks>
/// Every map helper call resolves a handle, so reads are one probe of an open-addressing table
/// without locks or allocation. Writers (map creation and freeing, rare) rebuild the table under a
/// lock and publish it; a reader sees either the old or the new table, both consistent.
/// </remarks>
public sealed class MapRegistry
{
    private readonly struct Entry(nint handle, Map map)
    {
        public readonly nint Handle = handle;
        public readonly Map Map = map;
    }

    private readonly object _lock = new();
    private readonly Dictionary<nint, Map> _maps = [];
    private Entry[] _table = new Entry[16];

    /// <summary>Registers a map so programs can pass its handle to helpers.</summary>
    public void Add(Map map)
    {
        lock (_lock)
        {
            _maps[map.Handle] = map;
            Publish();
        }
    }

    /// <summary>Forgets a map (when it is freed).</summary>
    public void Remove(Map map)
    {
        lock (_lock)
        {
            if (_maps.TryGetValue(map.Handle, out Map? current) && ReferenceEquals(current, map) && _maps.Remove(map.Handle))
                Publish();
        }
    }

    /// <summary>The map whose handle is <paramref name="handle"/>, or null for any other value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Map? Resolve(ulong handle)
    {
        Entry[] table = Volatile.Read(ref _table);
        int mask = table.Length - 1;
        for (int i = Slot((nint)handle, mask); ; i = (i + 1) & mask)
        {
            ref readonly Entry e = ref table[i];
            if (e.Handle == (nint)handle && e.Map is not null) return e.Map;
            if (e.Map is null) return null;
        }
    }

    /// <summary>Number of registered maps.</summary>
    public int Count
    {
        get { lock (_lock) return _maps.Count; }
    }

    // Handles are 16-byte aligned native blocks: drop the zero bits, then multiply to spread them.
    private static int Slot(nint handle, int mask) => (int)(((ulong)handle >> 4) * 0x9E3779B97F4A7C15UL >> 40) & mask;

    private void Publish()
    {
        int size = 16;
        while (size < _maps.Count * 2) size <<= 1; // at most half full: probes stay short and always end
        var table = new Entry[size];
        foreach (var (handle, map) in _maps)
        {
            int i = Slot(handle, size - 1);
            while (table[i].Map is not null) i = (i + 1) & (size - 1);
            table[i] = new Entry(handle, map);
        }
        Volatile.Write(ref _table, table);
    }
}
