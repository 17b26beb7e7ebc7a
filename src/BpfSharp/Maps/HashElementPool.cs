using System.Runtime.InteropServices;

namespace BpfSharp.Maps;

/// <summary>
/// Where a hash table's elements come from and go to: the kernel's preallocated freelist
/// (<c>pcpu_freelist</c>) or on-demand allocation (<c>bpf_mem_alloc</c>, BPF_F_NO_PREALLOC), with
/// epoch-based retirement in front of both. An unlinked element waits in limbo until every run
/// that entered before it was unlinked has ended; only then is it reused (preallocated maps) or
/// freed (BPF_F_NO_PREALLOC). So a value pointer a program got from a lookup stays valid, with
/// its old contents, until the program's run ends.
/// </summary>
/// <remarks>
/// Where leaving limbo matters at once (on-demand memory goes back to the budget; a map-in-map drops
/// its inner map) a retirement schedules a reclaim of the pool through <see cref="Memory.EpochManager.Defer"/>,
/// which runs when the last run that could see the element leaves. Preallocated elements without such
/// side effects are reclaimed when the free stack runs dry.
/// </remarks>
internal sealed unsafe class HashElementPool
{
    private readonly HashTable _owner;
    private readonly MapContext _context;
    private readonly int _elementSize;
    private readonly bool _prealloc;
    private readonly bool _reclaimPromptly;
    private readonly Action _deferredReclaim;
    private bool _reclaimScheduled;
    private readonly object _lock = new();
    private readonly List<nint> _blocks = [];
    private HashElement* _free;
    private HashElement* _limboHead;
    private HashElement* _limboTail;
    private int _limboCount;
    private long _extraCharged;

    /// <summary>Creates an empty pool for elements of <paramref name="elementSize"/> bytes.</summary>
    public HashElementPool(HashTable owner, MapContext context, int elementSize, bool prealloc)
    {
        _owner = owner;
        _context = context;
        _elementSize = elementSize;
        _prealloc = prealloc;
        _reclaimPromptly = !prealloc || owner.ReleasesOnElementFree;
        _deferredReclaim = ReclaimScheduled;
    }

    /// <summary>Test hook: fill an element with 0xDEADBEEF when it leaves limbo, so a reader that
    /// still held it would see the poison.</summary>
    public bool PoisonRecycled { get; set; }

    /// <summary>Number of elements waiting in limbo.</summary>
    public int LimboCount
    {
        get { lock (_lock) return _limboCount; }
    }

    /// <summary>
    /// Allocates <paramref name="count"/> elements in one zeroed block (already charged by the
    /// caller) and returns the first; elements are <see cref="ElementSize"/> bytes apart.
    /// </summary>
    public HashElement* AllocateBlock(long count)
    {
        // Cache-line aligned: a 64-byte element (4- or 8-byte key, 8-byte value) is one line.
        nuint bytes = (nuint)count * (nuint)_elementSize;
        var block = (HashElement*)NativeMemory.AlignedAlloc(bytes, 64);
        NativeMemory.Clear(block, bytes);
        lock (_lock) _blocks.Add((nint)block);
        return block;
    }

    /// <summary>Size of one element in bytes.</summary>
    public int ElementSize => _elementSize;

    /// <summary>Pushes a block's elements onto the free stack (the kernel's freelist populate).</summary>
    public void PopulateFree(HashElement* block, long count)
    {
        lock (_lock)
        {
            for (long i = count - 1; i >= 0; i--)
            {
                var e = (HashElement*)((byte*)block + i * _elementSize);
                e->Link = _free;
                _free = e;
            }
        }
    }

    /// <summary>
    /// An element to fill and publish: from the free stack, from limbo once safe, or newly
    /// allocated and charged to the map's context. Null when the memory limit is reached.
    /// </summary>
    public HashElement* Take()
    {
        lock (_lock)
        {
            if (_free == null && _limboCount > 0)
                ReclaimLocked();
            HashElement* e = _free;
            if (e != null)
            {
                _free = e->Link;
                return e;
            }
        }
        if (!_context.TryCharge(_elementSize))
            return null;
        var fresh = (HashElement*)NativeMemory.AlignedAlloc((nuint)_elementSize, 64);
        NativeMemory.Clear(fresh, (nuint)_elementSize);
        lock (_lock)
        {
            _extraCharged += _elementSize;
            if (_prealloc) _blocks.Add((nint)fresh);
        }
        return fresh;
    }

    /// <summary>Gives back an element that was never published (a failed update): reusable at once.</summary>
    public void Return(HashElement* e)
    {
        lock (_lock)
        {
            e->Link = _free;
            _free = e;
        }
    }

    /// <summary>Retires an element that has been unlinked: it is reused or freed once no run can see it.</summary>
    public void Retire(HashElement* e)
    {
        bool schedule;
        lock (_lock)
        {
            e->RetiredAt = _context.Epochs.Advance();
            e->Link = null;
            if (_limboTail == null) _limboHead = e;
            else _limboTail->Link = e;
            _limboTail = e;
            _limboCount++;
            schedule = _reclaimPromptly && !_reclaimScheduled;
            _reclaimScheduled |= schedule;
        }
        // Runs at once if no run can see the element, else when the last run that can leaves.
        if (schedule) _context.Epochs.Defer(_deferredReclaim);
    }

    /// <summary>Moves every element no run can still see out of limbo; returns how many.</summary>
    public int Reclaim()
    {
        lock (_lock) return ReclaimLocked();
    }

    // The deferred reclaim: elements retired after it was scheduled may still be held; schedule again for them.
    private void ReclaimScheduled()
    {
        bool again;
        lock (_lock)
        {
            ReclaimLocked();
            again = _limboCount > 0;
            _reclaimScheduled = again;
        }
        if (again) _context.Epochs.Defer(_deferredReclaim);
    }

    private int ReclaimLocked()
    {
        if (_limboHead == null) return 0;
        long oldest = _context.Epochs.OldestActiveEpoch;
        int moved = 0;
        // Limbo is in retirement order, and retirement epochs only grow.
        while (_limboHead != null && _limboHead->RetiredAt < oldest)
        {
            HashElement* e = _limboHead;
            _limboHead = e->Link;
            if (_limboHead == null) _limboTail = null;
            _limboCount--;
            moved++;
            _owner.OnElementFreed(e);
            if (PoisonRecycled) Poison(e);
            if (_prealloc)
            {
                e->Link = _free;
                _free = e;
            }
            else
            {
                NativeMemory.AlignedFree(e);
                _context.Uncharge(_elementSize);
                _extraCharged -= _elementSize;
            }
        }
        return moved;
    }

    private void Poison(HashElement* e)
    {
        var body = new Span<uint>((byte*)e + HashElement.HeaderSize, (_elementSize - HashElement.HeaderSize) / 4);
        body.Fill(0xDEADBEEF);
    }

    /// <summary>
    /// Frees everything when the map is freed, after the owner has dealt with the elements still in
    /// its table (<see cref="FreeTableElement"/>): limbo elements get <see cref="HashTable.OnElementFreed"/>,
    /// then all memory goes back and the charges of on-demand elements are returned.
    /// </summary>
    public void FreeAll()
    {
        lock (_lock)
        {
            for (HashElement* e = _limboHead; e != null;)
            {
                HashElement* next = e->Link;
                _owner.OnElementFreed(e);
                if (!_prealloc) NativeMemory.AlignedFree(e);
                e = next;
            }
            _limboHead = _limboTail = null;
            _limboCount = 0;
            if (!_prealloc)
            {
                for (HashElement* e = _free; e != null;)
                {
                    HashElement* next = e->Link;
                    NativeMemory.AlignedFree(e);
                    e = next;
                }
            }
            _free = null;
            foreach (nint block in _blocks) NativeMemory.AlignedFree((void*)block);
            _blocks.Clear();
            _context.Uncharge(_extraCharged);
            _extraCharged = 0;
        }
    }

    /// <summary>Frees the memory of an element still in the table when the map is freed (on-demand elements only).</summary>
    public void FreeTableElement(HashElement* e)
    {
        if (!_prealloc) NativeMemory.AlignedFree(e);
    }
}
