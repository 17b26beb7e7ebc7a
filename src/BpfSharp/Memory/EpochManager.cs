using System.Runtime.InteropServices;

namespace BpfSharp.Memory;

/// <summary>
/// Epoch-based reclamation, the kernel's RCU in spirit: a program run enters an epoch, and native
/// memory retired (say, a deleted hash element) is freed only once every run that might still
/// hold a pointer to it — every run that entered before the retirement — has left.
/// One instance per <c>BpfSystem</c>; safe on any number of threads.
/// </summary>
/// <remarks>
/// Nothing waits for a timer or a count: what is retired while no run could see it is freed at once,
/// and otherwise the last run that could see it reclaims it when it leaves (the outermost
/// <see cref="Guard.Dispose"/> reclaims whenever work is pending; with none pending it takes no lock).
/// </remarks>
public sealed unsafe class EpochManager : IDisposable
{
    private const long Idle = long.MaxValue;

    private readonly object _lock = new();
    private readonly ThreadLocal<Slot> _slot;
    private readonly List<Slot> _slots = [];
    private readonly List<(nint Pointer, long Epoch)> _limbo = [];
    private readonly List<(Action Action, long Epoch)> _deferred = [];
    private long _epoch = 1;
    // _limbo.Count + _deferred.Count, readable without the lock. Raised (a full fence) before the slots
    // are read, and a leaving run makes itself idle (a full fence) before reading it: so either the
    // retirer sees the run gone and reclaims, or the run sees the work and reclaims.
    private int _pending;
    private bool _disposed;

    /// <summary>Creates a reclamation domain.</summary>
    public EpochManager() => _slot = new ThreadLocal<Slot>(NewSlot);

    /// <summary>The current global epoch (advances on every retirement).</summary>
    public long CurrentEpoch => Volatile.Read(ref _epoch);

    /// <summary>Number of retired blocks not yet freed and deferred actions not yet run.</summary>
    public int PendingCount => Volatile.Read(ref _pending);

    /// <summary>Marks the calling thread as inside a run until the returned guard is disposed. Nests.</summary>
    public Guard Enter() => Enter(_slot.Value!);

    /// <summary>The calling thread's slot, for a caller that keeps per-thread state of its own (<see cref="Enter(Slot)"/>).</summary>
    internal Slot SlotOfCurrentThread() => _slot.Value!;

    /// <summary><see cref="Enter()"/> with the calling thread's slot, looked up by the caller (<see cref="SlotOfCurrentThread"/>).</summary>
    internal Guard Enter(Slot slot)
    {
        if (slot.Depth++ == 0)
        {
            Volatile.Write(ref slot.Epoch, Volatile.Read(ref _epoch));
            Interlocked.MemoryBarrier(); // the epoch must be visible before any pointer is read
        }
        return new Guard(slot);
    }

    /// <summary>
    /// Frees <paramref name="pointer"/> (allocated with <see cref="NativeMemory.AlignedAlloc"/>) once
    /// no run that entered before this call is still running.
    /// </summary>
    public void Retire(void* pointer)
    {
        if (pointer == null) return;
        lock (_lock)
        {
            if (!_disposed)
            {
                long epoch = Interlocked.Increment(ref _epoch) - 1;
                Interlocked.Increment(ref _pending);
                if (OldestLocked() <= epoch)
                {
                    _limbo.Add(((nint)pointer, epoch));
                    return;
                }
                Interlocked.Decrement(ref _pending);
            }
        }
        NativeMemory.AlignedFree(pointer); // no run can see it
    }

    /// <summary>
    /// Ends the current epoch and returns it, for memory a map recycles itself instead of freeing
    /// (preallocated hash elements): what was unlinked before this call may be reused once
    /// <see cref="OldestActiveEpoch"/> is greater than the returned value.
    /// </summary>
    public long Advance() => Interlocked.Increment(ref _epoch) - 1;

    /// <summary>The epoch the oldest run still in progress entered, or <see cref="long.MaxValue"/> when none is running.</summary>
    public long OldestActiveEpoch
    {
        get { lock (_lock) return OldestLocked(); }
    }

    /// <summary>
    /// Runs <paramref name="action"/> once no run that entered before this call is still running (the
    /// kernel's call_rcu): drops references a run may still be using, such as an inner map or a
    /// tail-call target just removed from its slot. Runs it at once when no run is in progress.
    /// </summary>
    public void Defer(Action action)
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                long epoch = Interlocked.Increment(ref _epoch) - 1;
                Interlocked.Increment(ref _pending);
                if (OldestLocked() <= epoch)
                {
                    _deferred.Add((action, epoch));
                    return;
                }
                Interlocked.Decrement(ref _pending);
            }
        }
        action(); // no run can be using what it releases
    }

    /// <summary>
    /// <see cref="Reclaim"/> if anything is waiting; without pending work it reads one field and takes no lock.
    /// The outermost <see cref="Guard.Dispose"/> calls it, so the last run that could see something frees it.
    /// </summary>
    public void ReclaimIfPending()
    {
        if (Volatile.Read(ref _pending) != 0) Reclaim();
    }

    /// <summary>Frees every retired block (and runs every deferred action) that no running run can still see; returns how many.</summary>
    public int Reclaim()
    {
        List<Action>? due = null;
        int freed;
        lock (_lock)
        {
            long oldest = OldestLocked();
            for (int i = _deferred.Count - 1; i >= 0; i--)
            {
                if (_deferred[i].Epoch < oldest)
                {
                    (due ??= []).Add(_deferred[i].Action);
                    _deferred[i] = _deferred[^1];
                    _deferred.RemoveAt(_deferred.Count - 1);
                }
            }
            freed = ReclaimBlocks(oldest);
            Interlocked.Add(ref _pending, -(freed + (due?.Count ?? 0)));
        }
        if (due is not null)
            foreach (Action action in due) action();
        return freed + (due?.Count ?? 0);
    }

    private long OldestLocked()
    {
        long oldest = Idle;
        foreach (Slot s in _slots)
            oldest = Math.Min(oldest, Volatile.Read(ref s.Epoch));
        return oldest;
    }

    private int ReclaimBlocks(long oldest)
    {
        int freed = 0;
        for (int i = _limbo.Count - 1; i >= 0; i--)
        {
            // A run that entered at epoch E may hold pointers retired at epochs >= E.
            if (_limbo[i].Epoch < oldest)
            {
                NativeMemory.AlignedFree((void*)_limbo[i].Pointer);
                _limbo[i] = _limbo[^1];
                _limbo.RemoveAt(_limbo.Count - 1);
                freed++;
            }
        }
        return freed;
    }

    /// <summary>Frees all retired memory and runs all deferred actions; no run may be in progress.</summary>
    public void Dispose()
    {
        List<(Action Action, long Epoch)> deferred;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var (p, _) in _limbo)
                NativeMemory.AlignedFree((void*)p);
            _limbo.Clear();
            deferred = [.. _deferred];
            _deferred.Clear();
            Volatile.Write(ref _pending, 0);
        }
        foreach (var (action, _) in deferred) action();
        _slot.Dispose();
    }

    private Slot NewSlot()
    {
        var slot = new Slot(this);
        lock (_lock) _slots.Add(slot);
        return slot;
    }

    /// <summary>Per-thread run state.</summary>
    internal sealed class Slot(EpochManager owner)
    {
        public readonly EpochManager Owner = owner;
        public long Epoch = Idle;
        public int Depth;
    }

    /// <summary>Leaves the epoch entered by <see cref="Enter()"/>.</summary>
    public readonly struct Guard : IDisposable
    {
        private readonly Slot _slot;

        internal Guard(Slot slot) => _slot = slot;

        /// <summary>
        /// Leaves the run. The outermost guard makes the thread idle and then reclaims what it was the
        /// last to hold back (<see cref="ReclaimIfPending"/>).
        /// </summary>
        public void Dispose()
        {
            if (--_slot.Depth != 0) return;
            Interlocked.Exchange(ref _slot.Epoch, Idle); // a full fence: idle before the pending count is read
            _slot.Owner.ReclaimIfPending();
        }
    }
}
