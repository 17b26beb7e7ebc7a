using BpfSharp.Memory;

namespace BpfSharp.Syscall;

/// <summary>
/// The ids of one kind of object (maps, programs, BTF) in one system (kernel: an idr with
/// idr_alloc_cyclic(1, INT_MAX)): ids grow, wrap around after INT_MAX - 1 to the lowest free one,
/// and are never 0. An id is forgotten when its object's last reference goes.
/// </summary>
internal sealed class IdTable
{
    private const uint MaxId = int.MaxValue; // exclusive

    private readonly object _lock = new();
    private readonly Dictionary<uint, BpfObject> _objects = [];
    private readonly SortedSet<uint> _ids = [];
    private uint _next = 1;

    /// <summary>Gives <paramref name="obj"/> the next id and sets <see cref="BpfObject.Id"/>.</summary>
    /// <exception cref="InvalidOperationException">All INT_MAX - 1 ids are in use.</exception>
    public uint Allocate(BpfObject obj)
    {
        lock (_lock)
        {
            if (_objects.Count >= MaxId - 1)
                throw new InvalidOperationException("no free object id");
            uint id = _next;
            while (_objects.ContainsKey(id))
                id = id + 1 >= MaxId ? 1 : id + 1;
            _objects.Add(id, obj);
            _ids.Add(id);
            _next = id + 1 >= MaxId ? 1 : id + 1;
            obj.Id = id;
            return id;
        }
    }

    /// <summary>Forgets <paramref name="obj"/>'s id.</summary>
    public void Remove(BpfObject obj)
    {
        lock (_lock)
        {
            if (_objects.TryGetValue(obj.Id, out BpfObject? held) && ReferenceEquals(held, obj))
            {
                _objects.Remove(obj.Id);
                _ids.Remove(obj.Id);
            }
        }
    }

    /// <summary>The object with <paramref name="id"/> with a new reference, or null (kernel: idr_find + inc_not_zero).</summary>
    public BpfObject? Acquire(uint id)
    {
        lock (_lock)
            return _objects.TryGetValue(id, out BpfObject? obj) && obj.TryAcquire() ? obj : null;
    }

    /// <summary>The smallest id above <paramref name="start"/> (kernel: idr_get_next), if any.</summary>
    public bool TryGetNext(uint start, out uint next)
    {
        next = 0;
        lock (_lock)
        {
            if (start >= MaxId - 1 || _ids.Count == 0 || _ids.Max <= start) return false;
            next = _ids.GetViewBetween(start + 1, MaxId).Min;
            return true;
        }
    }

    /// <summary>The objects now holding ids.</summary>
    public List<BpfObject> Snapshot()
    {
        lock (_lock)
            return [.. _objects.Values];
    }
}
