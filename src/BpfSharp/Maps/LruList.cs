using System.Runtime.InteropServices;

namespace BpfSharp.Maps;

/// <summary>Which LRU list a hash element is on (kernel: enum bpf_lru_list_type).</summary>
internal enum LruListType : byte
{
    /// <summary>The global (or per-CPU) active list: recently referenced.</summary>
    Active = 0,
    /// <summary>The inactive list: eviction candidates, oldest at the tail.</summary>
    Inactive = 1,
    /// <summary>The global (or per-CPU) free list.</summary>
    Free = 2,
    /// <summary>A CPU's local free list (common LRU).</summary>
    LocalFree = 3,
    /// <summary>A CPU's local pending list: taken by an update, not yet flushed to the global lists.</summary>
    LocalPending = 4,
}

/// <summary>
/// The LRU of LRU hash maps (the kernel's kernel/bpf/bpf_lru_list.c), node for node. Eviction
/// policy, as the kernel documents it (Documentation/bpf/map_hash.rst, map_lru_hash_update.dot):
/// </summary>
/// <remarks>
/// <para>Common LRU (default): a global list set (active, inactive, free) plus, per CPU, a local
/// free list and a local pending list. An update takes a node from its CPU's local free list;
/// when that is empty it flushes its pending nodes to the global lists (referenced ones to active,
/// the others to inactive), rotates the global lists, and moves up to <c>target_free</c>
/// = clamp(max_entries / possible CPUs / 2, 1, 128) free nodes to the local free list. If the
/// global free list cannot supply them, it shrinks the inactive list from its tail (the least
/// recently used end), evicting unreferenced elements and giving referenced ones a second chance on
/// the active list; if that evicts nothing it evicts one element regardless of its reference bit.
/// Failing all that, it steals a free or pending node from the CPUs' local lists in turn.</para>
/// <para>Per-CPU LRU (BPF_F_NO_COMMON_LRU): each CPU owns max_entries / CPUs nodes and its own
/// active/inactive/free lists; an update rotates its CPU's lists and, when its free list is empty,
/// shrinks 4 (PERCPU_FREE_TARGET) nodes from its own inactive list.</para>
/// <para>Rotation: when the inactive list is shorter than the active list, up to nr_scans nodes
/// at the active tail move to the inactive head (referenced ones return to the active head
/// instead); then up to nr_scans inactive nodes, walking from a saved rotation point, move to the
/// active head if referenced. Every move clears the reference bit.</para>
/// <para>All of this is deterministic for a given sequence of operations and CPU numbers (user
/// space acts as CPU 0), which is what lets tests compare it with the live kernel. One lock guards
/// all the lists; the kernel uses one per list, which changes nothing for a single thread. Nodes
/// that leave the hash table are traded for nodes no run can see (<see cref="HashTable.Substitute"/>),
/// so eviction never hands a program's live value to a new key.</para>
/// </remarks>
internal sealed unsafe class LruList
{
    private const int LocalFreeTarget = 128;
    private const int PercpuFreeTarget = 4;

    private readonly HashTable _table;
    private readonly int _cpus;
    private readonly bool _percpu;
    private readonly int _nrScans;
    private readonly object _lock = new();
    private readonly ListSet[] _lists;
    private readonly LocalList[] _locals;
    private HashElement* _sentinels;
    private int _targetFree = 1;

    /// <summary>A free list: a stack, since the kernel's free-list order never decides which key is evicted.</summary>
    private struct FreeStack
    {
        public HashElement* Top;
        public int Count;
    }

    /// <summary>struct bpf_lru_list: active and inactive lists (sentinels), free list, counts, rotation point.</summary>
    private struct ListSet
    {
        public HashElement* Active;
        public HashElement* Inactive;
        public FreeStack Free;
        public int ActiveCount;
        public int InactiveCount;
        public HashElement* NextInactiveRotation;
    }

    /// <summary>struct bpf_lru_locallist: a CPU's free and pending lists.</summary>
    private struct LocalList
    {
        public FreeStack Free;
        public HashElement* Pending;
        public int NextSteal;
    }

    /// <summary>bpf_lru_init: empty lists for <paramref name="cpus"/> CPUs, common or per-CPU.</summary>
    public LruList(HashTable table, int cpus, bool percpu)
    {
        _table = table;
        _cpus = cpus;
        _percpu = percpu;
        _nrScans = percpu ? PercpuFreeTarget : LocalFreeTarget;
        int sets = percpu ? cpus : 1;
        _lists = new ListSet[sets];
        _locals = percpu ? [] : new LocalList[cpus];
        int sentinelCount = 2 * sets + _locals.Length;
        _sentinels = (HashElement*)NativeMemory.AllocZeroed((nuint)sentinelCount, (nuint)sizeof(HashElement));
        HashElement* s = _sentinels;
        for (int i = 0; i < sets; i++)
        {
            _lists[i].Active = Init(s++);
            _lists[i].Inactive = Init(s++);
            _lists[i].NextInactiveRotation = _lists[i].Inactive;
        }
        for (int i = 0; i < _locals.Length; i++)
        {
            _locals[i].Pending = Init(s++);
            _locals[i].NextSteal = i;
        }
    }

    /// <summary>target_free of the common LRU (for tests).</summary>
    internal int TargetFree => _targetFree;

    /// <summary>bpf_lru_populate: every preallocated element starts on a free list.</summary>
    public void Populate(HashElement* block, uint count, int elementSize)
    {
        lock (_lock)
        {
            if (!_percpu)
            {
                for (uint i = 0; i < count; i++)
                {
                    var e = (HashElement*)((byte*)block + (long)i * elementSize);
                    e->LruType = (byte)LruListType.Free;
                    Push(ref _lists[0].Free, e);
                }
                _targetFree = Math.Clamp((int)(count / (uint)_cpus) / 2, 1, LocalFreeTarget);
                return;
            }
            uint perCpu = count / (uint)_cpus;
            for (uint i = 0; i < count; i++)
            {
                var e = (HashElement*)((byte*)block + (long)i * elementSize);
                int cpu = (int)Math.Min(i / perCpu, (uint)_cpus - 1);
                e->Cpu = (ushort)cpu;
                e->LruType = (byte)LruListType.Free;
                Push(ref _lists[cpu].Free, e);
            }
        }
    }

    /// <summary>Frees the list heads (the elements belong to the table's pool).</summary>
    public void Free()
    {
        if (_sentinels != null)
        {
            NativeMemory.Free(_sentinels);
            _sentinels = null;
        }
    }

    /// <summary>
    /// bpf_lru_pop_free: a node for a new element with <paramref name="hash"/>, taken on
    /// <paramref name="cpu"/>; may evict. Null if no node can be had.
    /// </summary>
    public HashElement* PopFree(uint hash, int cpu)
    {
        if ((uint)cpu >= (uint)_cpus) cpu = 0;
        lock (_lock)
            return _percpu ? PercpuPopFree(hash, cpu) : CommonPopFree(hash, cpu);
    }

    /// <summary>
    /// bpf_lru_push_free: a node that left the table (<paramref name="published"/>) or was never
    /// inserted goes back to the free list it belongs to.
    /// </summary>
    public void PushFree(HashElement* node, bool published)
    {
        lock (_lock)
        {
            if (_percpu)
            {
                ref ListSet l = ref _lists[node->Cpu];
                MoveToFree(ref l, node, ref l.Free, LruListType.Free, published);
                return;
            }
            if (node->LruType == (byte)LruListType.LocalPending)
            {
                ref LocalList loc = ref _locals[node->Cpu];
                Del(node);
                HashElement* free = published ? _table.Substitute(node) : node;
                free->LruType = (byte)LruListType.LocalFree;
                free->Ref = 0;
                Push(ref loc.Free, free);
                return;
            }
            MoveToFree(ref _lists[0], node, ref _lists[0].Free, LruListType.Free, published);
        }
    }

    // ---- common LRU ----

    private HashElement* CommonPopFree(uint hash, int cpu)
    {
        ref LocalList loc = ref _locals[cpu];
        HashElement* node = Pop(ref loc.Free);
        if (node == null)
        {
            PopFreeToLocal(ref loc);
            node = Pop(ref loc.Free);
        }
        if (node != null)
        {
            AddPending(ref loc, cpu, node, hash);
            return node;
        }

        // Nothing free locally or globally: steal from the CPUs' local lists, round robin.
        int first = loc.NextSteal, steal = first;
        do
        {
            ref LocalList victim = ref _locals[steal];
            node = Pop(ref victim.Free);
            if (node == null) node = PopPending(ref victim);
            steal = steal + 1 == _cpus ? 0 : steal + 1;
        }
        while (node == null && steal != first);
        loc.NextSteal = steal;
        if (node == null) return null;
        AddPending(ref loc, cpu, node, hash);
        return node;
    }

    /// <summary>bpf_lru_list_pop_free_to_local: flush, rotate, then fetch target_free nodes (shrinking if needed).</summary>
    private void PopFreeToLocal(ref LocalList loc)
    {
        ref ListSet l = ref _lists[0];
        Flush(ref l, ref loc);
        Rotate(ref l);
        int nfree = 0;
        while (nfree < _targetFree && l.Free.Top != null)
        {
            HashElement* e = Pop(ref l.Free);
            e->LruType = (byte)LruListType.LocalFree;
            Push(ref loc.Free, e);
            nfree++;
        }
        if (nfree < _targetFree)
            Shrink(ref l, _targetFree - nfree, ref loc.Free, LruListType.LocalFree);
    }

    /// <summary>__local_list_flush: pending nodes, oldest first, to the global active (referenced) or inactive list.</summary>
    private static void Flush(ref ListSet l, ref LocalList loc)
    {
        for (HashElement* node = loc.Pending->LruPrev; node != loc.Pending;)
        {
            HashElement* prev = node->LruPrev;
            MoveIn(ref l, node, node->Ref != 0 ? LruListType.Active : LruListType.Inactive);
            node = prev;
        }
    }

    /// <summary>__local_list_add_pending.</summary>
    private static void AddPending(ref LocalList loc, int cpu, HashElement* node, uint hash)
    {
        node->Hash = hash;
        node->Cpu = (ushort)cpu;
        node->LruType = (byte)LruListType.LocalPending;
        node->Ref = 0;
        AddHead(loc.Pending, node);
    }

    /// <summary>__local_list_pop_pending: the oldest unreferenced pending node still in the table, else any.</summary>
    private HashElement* PopPending(ref LocalList loc)
    {
        for (int force = 0; force < 2; force++)
        {
            for (HashElement* node = loc.Pending->LruPrev; node != loc.Pending; node = node->LruPrev)
            {
                if ((node->Ref == 0 || force == 1) && _table.LruDeleteNode(node))
                {
                    Del(node);
                    return _table.Substitute(node);
                }
            }
        }
        return null;
    }

    // ---- per-CPU LRU ----

    private HashElement* PercpuPopFree(uint hash, int cpu)
    {
        ref ListSet l = ref _lists[cpu];
        Rotate(ref l);
        if (l.Free.Top == null)
            Shrink(ref l, PercpuFreeTarget, ref l.Free, LruListType.Free);
        HashElement* node = Pop(ref l.Free);
        if (node != null)
        {
            node->Hash = hash;
            node->Ref = 0;
            node->LruType = (byte)LruListType.Inactive;
            l.InactiveCount++;
            AddHead(l.Inactive, node);
        }
        return node;
    }

    // ---- list rotation and shrinking (shared by both kinds) ----

    /// <summary>__bpf_lru_list_rotate: the active list only when the inactive one is shorter; the inactive list always.</summary>
    private void Rotate(ref ListSet l)
    {
        if (l.InactiveCount < l.ActiveCount)
            RotateActive(ref l);
        RotateInactive(ref l);
    }

    /// <summary>__bpf_lru_list_rotate_active: from the tail, referenced nodes to the active head, the rest to the inactive head.</summary>
    private void RotateActive(ref ListSet l)
    {
        HashElement* first = l.Active->LruNext;
        int i = 0;
        for (HashElement* node = l.Active->LruPrev; node != l.Active;)
        {
            HashElement* prev = node->LruPrev;
            Move(ref l, node, node->Ref != 0 ? LruListType.Active : LruListType.Inactive);
            if (++i == _nrScans || node == first) break;
            node = prev;
        }
    }

    /// <summary>__bpf_lru_list_rotate_inactive: from the rotation point backwards, referenced nodes to the active head.</summary>
    private void RotateInactive(ref ListSet l)
    {
        HashElement* inactive = l.Inactive;
        if (inactive->LruNext == inactive) return;
        HashElement* last = l.NextInactiveRotation->LruNext;
        if (last == inactive) last = last->LruNext;
        HashElement* cur = l.NextInactiveRotation;
        HashElement* next = inactive;
        int i = 0;
        while (i < _nrScans)
        {
            if (cur == inactive)
            {
                cur = cur->LruPrev;
                continue;
            }
            next = cur->LruPrev;
            if (cur->Ref != 0) Move(ref l, cur, LruListType.Active);
            if (cur == last) break;
            cur = next;
            i++;
        }
        l.NextInactiveRotation = next;
    }

    /// <summary>
    /// __bpf_lru_list_shrink: evict up to <paramref name="target"/> unreferenced inactive nodes from
    /// the tail; if none, force-evict one node (inactive list first, else active) ignoring the bit.
    /// </summary>
    private void Shrink(ref ListSet l, int target, ref FreeStack free, LruListType freeType)
    {
        int shrunk = 0, i = 0;
        for (HashElement* node = l.Inactive->LruPrev; node != l.Inactive;)
        {
            HashElement* prev = node->LruPrev;
            if (node->Ref != 0)
            {
                Move(ref l, node, LruListType.Active);
            }
            else if (_table.LruDeleteNode(node))
            {
                MoveToFree(ref l, node, ref free, freeType, published: true);
                if (++shrunk == target) break;
            }
            if (++i == _nrScans) break;
            node = prev;
        }
        if (shrunk > 0) return;

        HashElement* force = l.Inactive->LruNext != l.Inactive ? l.Inactive : l.Active;
        for (HashElement* node = force->LruPrev; node != force; node = node->LruPrev)
        {
            if (_table.LruDeleteNode(node))
            {
                MoveToFree(ref l, node, ref free, freeType, published: true);
                return;
            }
        }
    }

    // ---- node moves ----

    /// <summary>__bpf_lru_node_move: within or between the active and inactive lists, clearing the reference bit.</summary>
    private static void Move(ref ListSet l, HashElement* node, LruListType target)
    {
        if (node->LruType != (byte)target)
        {
            CountDec(ref l, node->LruType);
            CountInc(ref l, target);
            node->LruType = (byte)target;
        }
        node->Ref = 0;
        if (node == l.NextInactiveRotation)
            l.NextInactiveRotation = node->LruPrev;
        Del(node);
        AddHead(target == LruListType.Active ? l.Active : l.Inactive, node);
    }

    /// <summary>__bpf_lru_node_move_in: a local pending node joins the global active or inactive list.</summary>
    private static void MoveIn(ref ListSet l, HashElement* node, LruListType target)
    {
        CountInc(ref l, target);
        node->LruType = (byte)target;
        node->Ref = 0;
        Del(node);
        AddHead(target == LruListType.Active ? l.Active : l.Inactive, node);
    }

    /// <summary>
    /// __bpf_lru_node_move_to_free: a node leaves its active or inactive list for a free list; one
    /// that was in the table is traded for a node no run can see.
    /// </summary>
    private void MoveToFree(ref ListSet l, HashElement* node, ref FreeStack free, LruListType freeType, bool published)
    {
        if (node == l.NextInactiveRotation)
            l.NextInactiveRotation = node->LruPrev;
        CountDec(ref l, node->LruType);
        Del(node);
        HashElement* e = published ? _table.Substitute(node) : node;
        e->LruType = (byte)freeType;
        e->Ref = 0;
        Push(ref free, e);
    }

    private static void CountInc(ref ListSet l, LruListType type)
    {
        if (type == LruListType.Active) l.ActiveCount++;
        else if (type == LruListType.Inactive) l.InactiveCount++;
    }

    private static void CountDec(ref ListSet l, byte type)
    {
        if (type == (byte)LruListType.Active) l.ActiveCount--;
        else if (type == (byte)LruListType.Inactive) l.InactiveCount--;
    }

    // ---- intrusive lists ----

    private static HashElement* Init(HashElement* sentinel)
    {
        sentinel->LruNext = sentinel->LruPrev = sentinel;
        return sentinel;
    }

    private static void AddHead(HashElement* head, HashElement* node)
    {
        node->LruNext = head->LruNext;
        node->LruPrev = head;
        head->LruNext->LruPrev = node;
        head->LruNext = node;
    }

    /// <summary>Unlinks a node from the doubly linked list it is on (a no-op for a node on none).</summary>
    private static void Del(HashElement* node)
    {
        if (node->LruNext == null) return;
        node->LruPrev->LruNext = node->LruNext;
        node->LruNext->LruPrev = node->LruPrev;
        node->LruNext = node->LruPrev = null;
    }

    private static void Push(ref FreeStack stack, HashElement* e)
    {
        e->LruNext = e->LruPrev = null;
        e->Link = stack.Top;
        stack.Top = e;
        stack.Count++;
    }

    private static HashElement* Pop(ref FreeStack stack)
    {
        HashElement* e = stack.Top;
        if (e == null) return null;
        stack.Top = e->Link;
        stack.Count--;
        return e;
    }
}
