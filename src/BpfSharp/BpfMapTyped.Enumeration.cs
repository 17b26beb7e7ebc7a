using System.Collections;

namespace BpfSharp;

// Walking a map with BPF_MAP_GET_NEXT_KEY: its keys, and its entries (each key then looked up).
public sealed unsafe partial class BpfMap<TKey, TValue> : IEnumerable<KeyValuePair<TKey, TValue>>
{
    /// <summary>The keys, in the map's walk order (BPF_MAP_GET_NEXT_KEY). See <see cref="Enumerator"/> for concurrent changes.</summary>
    public KeyCollection Keys => new(this);

    /// <summary>
    /// The entries: each key of the walk and its value, looked up when the walk reaches it. Keys deleted
    /// between the two commands are skipped. See <see cref="Enumerator"/> for concurrent changes.
    /// </summary>
    /// <exception cref="InvalidOperationException">A per-CPU map (walk <see cref="Keys"/> and use <see cref="TryGetValues"/>).</exception>
    public Enumerator GetEnumerator()
    {
        ThrowIfPerCpu();
        return new Enumerator(this);
    }

    IEnumerator<KeyValuePair<TKey, TValue>> IEnumerable<KeyValuePair<TKey, TValue>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// A walk over the entries, one BPF_MAP_GET_NEXT_KEY and one BPF_MAP_LOOKUP_ELEM per step, holding
    /// only the current key. It sees the map as it is at each step, as the kernel's walk does: keys added
    /// meanwhile may or may not appear; and if the current key is deleted before the next step, the
    /// kernel (and this system) answers with the first key, so the walk starts over and repeats keys it
    /// already returned. A walk of a map that keeps losing the key under it can therefore run long;
    /// callers that need a snapshot use <see cref="LookupBatch"/> or stop after max_entries steps.
    /// </summary>
    public struct Enumerator : IEnumerator<KeyValuePair<TKey, TValue>>
    {
        private readonly BpfMap<TKey, TValue> _map;
        private TKey _key;
        private TValue _value;
        private bool _started;
        private bool _done;

        internal Enumerator(BpfMap<TKey, TValue> map)
        {
            _map = map;
            _key = default;
            _value = default;
            _started = false;
            _done = false;
        }

        /// <summary>The current entry.</summary>
        public readonly KeyValuePair<TKey, TValue> Current => new(_key, _value);

        readonly object IEnumerator.Current => Current;

        /// <summary>Steps to the next key that still has a value; false at the end of the walk.</summary>
        public bool MoveNext()
        {
            while (!_done)
            {
                if (!NextKey(_map, ref _key, ref _started))
                {
                    _done = true;
                    break;
                }
                if (_map.TryGetValue(_key, out _value))
                    return true;
            }
            return false;
        }

        /// <summary>Starts the walk again from the first key.</summary>
        public void Reset()
        {
            _started = false;
            _done = false;
        }

        /// <summary>Nothing to release: the walk holds no resources.</summary>
        public readonly void Dispose() { }
    }

    /// <summary>The keys of the map, walked with BPF_MAP_GET_NEXT_KEY (see <see cref="Enumerator"/> for concurrent changes).</summary>
    public readonly struct KeyCollection : IEnumerable<TKey>
    {
        private readonly BpfMap<TKey, TValue> _map;

        internal KeyCollection(BpfMap<TKey, TValue> map) => _map = map;

        /// <summary>A walk over the keys.</summary>
        public KeyEnumerator GetEnumerator() => new(_map);

        IEnumerator<TKey> IEnumerable<TKey>.GetEnumerator() => GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>A walk over the keys, one BPF_MAP_GET_NEXT_KEY per step (see <see cref="Enumerator"/>).</summary>
    public struct KeyEnumerator : IEnumerator<TKey>
    {
        private readonly BpfMap<TKey, TValue> _map;
        private TKey _key;
        private bool _started;
        private bool _done;

        internal KeyEnumerator(BpfMap<TKey, TValue> map)
        {
            _map = map;
            _key = default;
            _started = false;
            _done = false;
        }

        /// <summary>The current key.</summary>
        public readonly TKey Current => _key;

        readonly object IEnumerator.Current => Current;

        /// <summary>Steps to the next key; false at the end of the walk.</summary>
        public bool MoveNext()
        {
            if (_done) return false;
            if (NextKey(_map, ref _key, ref _started)) return true;
            _done = true;
            return false;
        }

        /// <summary>Starts the walk again from the first key.</summary>
        public void Reset()
        {
            _started = false;
            _done = false;
        }

        /// <summary>Nothing to release: the walk holds no resources.</summary>
        public readonly void Dispose() { }
    }

    // One step of a walk: the first key, or the one after key.
    private static bool NextKey(BpfMap<TKey, TValue> map, ref TKey key, ref bool started)
    {
        bool found = started ? map.TryGetNextKey(key, out TKey next) : map.TryGetFirstKey(out next);
        if (!found) return false;
        key = next;
        started = true;
        return true;
    }
}
