namespace BpfSharp.Memory;

/// <summary>
/// A reference-counted kernel object (map, program, BTF): every fd, every program using a map,
/// every prog-array slot holding a program is one reference. The object is freed when the last
/// reference is released.
/// </summary>
public abstract class BpfObject
{
    private int _refs = 1;

    /// <summary>The object's id, unique within its system (MAP_GET_NEXT_ID, PROG_GET_NEXT_ID); 0 until assigned.</summary>
    public uint Id { get; internal set; }

    /// <summary>Current number of references (for tests and diagnostics).</summary>
    public int RefCount => Volatile.Read(ref _refs);

    /// <summary>True once the last reference has been released.</summary>
    public bool IsFreed => Volatile.Read(ref _refs) <= 0;

    /// <summary>Takes a reference; false if the object has already been freed.</summary>
    public bool TryAcquire()
    {
        int refs = Volatile.Read(ref _refs);
        while (refs > 0)
        {
            int seen = Interlocked.CompareExchange(ref _refs, refs + 1, refs);
            if (seen == refs) return true;
            refs = seen;
        }
        return false;
    }

    /// <summary>Takes a reference on an object the caller already holds one on.</summary>
    /// <exception cref="ObjectDisposedException">The object has been freed.</exception>
    public void Acquire()
    {
        if (!TryAcquire())
            throw new ObjectDisposedException(GetType().Name);
    }

    /// <summary>
    /// Called once, when the last reference is released and before <see cref="Free"/>: the owning
    /// system forgets the object's id (and a map's handle) so that nothing can find it any more.
    /// </summary>
    internal Action<BpfObject>? Releasing { get; set; }

    /// <summary>Drops a reference; the last one frees the object.</summary>
    public void Release()
    {
        int refs = Interlocked.Decrement(ref _refs);
        if (refs == 0)
        {
            Releasing?.Invoke(this);
            Free();
        }
        else if (refs < 0)
            throw new InvalidOperationException($"{GetType().Name} {Id} released more often than acquired");
    }

    /// <summary>Frees the object's resources and drops the references it holds on other objects.</summary>
    protected abstract void Free();
}
