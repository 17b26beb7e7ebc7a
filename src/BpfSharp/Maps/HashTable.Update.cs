using BpfSharp.Uapi;

namespace BpfSharp.Maps;

public abstract unsafe partial class HashTable
{
    /// <summary>check_flags: BPF_NOEXIST on an existing key is EEXIST, BPF_EXIST on a missing one ENOENT.</summary>
    private static int CheckFlags(HashElement* old, ulong flags)
    {
        ulong op = flags & ~MapFlags.BPF_F_LOCK;
        if (old != null && op == MapFlags.BPF_NOEXIST) return -Errno.EEXIST;
        if (old == null && op == MapFlags.BPF_EXIST) return -Errno.ENOENT;
        return 0;
    }

    /// <summary>Stores a new element's value from the caller's buffer (HASH: the value, skipping a spin lock).</summary>
    private protected virtual void StoreNewValue(byte* destination, byte* source) => StoreValue(destination, source, false);

    /// <summary>
    /// htab_map_update_elem (HASH, HASH_OF_MAPS): a new element replaces the old one, which is
    /// retired (a program still holding the old value keeps reading it until its run ends); with
    /// BPF_F_LOCK an existing value is overwritten in place under its spin lock.
    /// </summary>
    private protected int UpdateReplace(byte* key, byte* value, ulong flags)
    {
        if ((flags & ~MapFlags.BPF_F_LOCK) > MapFlags.BPF_EXIST)
            return -Errno.EINVAL;
        uint hash = HashKey(key);
        HashBucket* bucket = BucketOf(hash);
        HashElement* old;
        if ((flags & MapFlags.BPF_F_LOCK) != 0)
        {
            if (Attributes.SpinLockOffset < 0)
                return -Errno.EINVAL;
            // Found without the bucket lock: update in place under the element's lock.
            old = FindInChain(bucket, hash, key);
            int err = CheckFlags(old, flags);
            if (err != 0) return err;
            if (old != null)
            {
                StoreValue(ValueOf(old), value, locked: true);
                return 0;
            }
        }

        // Fill the new element before taking the bucket lock; give it back if unused.
        HashElement* fresh = Pool.Take();
        if (fresh != null)
        {
            Buffer.MemoryCopy(key, HashElement.KeyOf(fresh), _keySize, _keySize);
            new Span<byte>(ValueOf(fresh), ValueArea).Clear();
            StoreNewValue(ValueOf(fresh), value);
            fresh->Hash = hash;
        }

        int result;
        SpinLock.Lock(&bucket->Lock);
        old = FindInChain(bucket, hash, key);
        result = CheckFlags(old, flags);
        if (result == 0 && old != null && (flags & MapFlags.BPF_F_LOCK) != 0)
        {
            StoreValue(ValueOf(old), value, locked: true);
            old = null;
        }
        else if (result == 0)
        {
            if (old == null && Interlocked.Increment(ref _count) > MaxEntries)
            {
                Interlocked.Decrement(ref _count);
                result = -Errno.E2BIG;
            }
            else if (fresh == null)
            {
                if (old == null) Interlocked.Decrement(ref _count);
                result = -Errno.ENOMEM;
            }
            else
            {
                // New element at the head, so a concurrent search finds it before the old one.
                fresh->Next = bucket->Head;
                StoreLink(&bucket->Head, fresh);
                if (old != null) Unlink(bucket, old);
                fresh = null;
            }
        }
        SpinLock.Unlock(&bucket->Lock);

        if (fresh != null) Pool.Return(fresh);
        if (result == 0 && old != null) Pool.Retire(old);
        return result;
    }

    /// <summary>
    /// __htab_percpu_map_update_elem: an existing element is updated in place; a new one gets
    /// <paramref name="value"/> on <paramref name="cpu"/> and zeros elsewhere, or one slot per
    /// CPU from user space (<paramref name="onAllCpus"/>).
    /// </summary>
    private protected int UpdatePercpu(byte* key, byte* value, ulong flags, int cpu, bool onAllCpus)
    {
        if (flags > MapFlags.BPF_EXIST)
            return -Errno.EINVAL;
        uint hash = HashKey(key);
        HashBucket* bucket = BucketOf(hash);
        int result;
        SpinLock.Lock(&bucket->Lock);
        HashElement* old = FindInChain(bucket, hash, key);
        result = CheckFlags(old, flags);
        if (result == 0 && old != null)
        {
            CopyPercpuIn(old, value, cpu, onAllCpus, init: false);
        }
        else if (result == 0)
        {
            HashElement* fresh = null;
            if (Interlocked.Increment(ref _count) > MaxEntries)
                result = -Errno.E2BIG;
            else if ((fresh = Pool.Take()) == null)
                result = -Errno.ENOMEM;
            if (result != 0)
            {
                Interlocked.Decrement(ref _count);
            }
            else
            {
                Buffer.MemoryCopy(key, HashElement.KeyOf(fresh), _keySize, _keySize);
                fresh->Hash = hash;
                CopyPercpuIn(fresh, value, cpu, onAllCpus, init: true);
                fresh->Next = bucket->Head;
                StoreLink(&bucket->Head, fresh);
            }
        }
        SpinLock.Unlock(&bucket->Lock);
        return result;
    }

    /// <summary>
    /// htab_lru_map_update_elem: a node is taken from the LRU first (which may evict the least
    /// recently used elements), then replaces the old element, if any, which goes back to the LRU.
    /// </summary>
    private protected int UpdateLru(byte* key, byte* value, ulong flags, int cpu)
    {
        if (flags > MapFlags.BPF_EXIST)
            return -Errno.EINVAL;
        uint hash = HashKey(key);
        HashElement* fresh = Lru!.PopFree(hash, cpu);
        if (fresh == null)
            return -Errno.ENOMEM;
        Buffer.MemoryCopy(key, HashElement.KeyOf(fresh), _keySize, _keySize);
        new Span<byte>(ValueOf(fresh), ValueArea).Clear();
        StoreValue(ValueOf(fresh), value, false);

        HashBucket* bucket = BucketOf(hash);
        SpinLock.Lock(&bucket->Lock);
        HashElement* old = FindInChain(bucket, hash, key);
        int result = CheckFlags(old, flags);
        if (result == 0)
        {
            fresh->Next = bucket->Head;
            StoreLink(&bucket->Head, fresh);
            if (old != null)
            {
                fresh->Ref = 1;
                Unlink(bucket, old);
            }
        }
        SpinLock.Unlock(&bucket->Lock);

        if (result != 0) Lru.PushFree(fresh, published: false);
        else if (old != null) Lru.PushFree(old, published: true);
        return result;
    }

    /// <summary>
    /// __htab_lru_percpu_map_update_elem: like <see cref="UpdateLru"/>, but an existing element is
    /// updated in place (and marked referenced); BPF_EXIST takes no LRU node.
    /// </summary>
    private protected int UpdateLruPercpu(byte* key, byte* value, ulong flags, int cpu, bool onAllCpus)
    {
        if (flags > MapFlags.BPF_EXIST)
            return -Errno.EINVAL;
        uint hash = HashKey(key);
        HashElement* fresh = null;
        if (flags != MapFlags.BPF_EXIST)
        {
            fresh = Lru!.PopFree(hash, cpu);
            if (fresh == null)
                return -Errno.ENOMEM;
            Buffer.MemoryCopy(key, HashElement.KeyOf(fresh), _keySize, _keySize);
        }

        HashBucket* bucket = BucketOf(hash);
        SpinLock.Lock(&bucket->Lock);
        HashElement* old = FindInChain(bucket, hash, key);
        int result = CheckFlags(old, flags);
        if (result == 0 && old != null)
        {
            old->Ref = 1;
            CopyPercpuIn(old, value, cpu, onAllCpus, init: false);
        }
        else if (result == 0)
        {
            CopyPercpuIn(fresh, value, cpu, onAllCpus, init: true);
            fresh->Next = bucket->Head;
            StoreLink(&bucket->Head, fresh);
            fresh = null;
        }
        SpinLock.Unlock(&bucket->Lock);

        if (fresh != null) Lru!.PushFree(fresh, published: false);
        return result;
    }

    /// <summary>
    /// pcpu_copy_value / pcpu_init_value: user space writes every CPU's slot (8-byte rounded);
    /// a program writes its CPU's value, and a new element gets zeros on the other CPUs.
    /// </summary>
    private void CopyPercpuIn(HashElement* e, byte* value, int cpu, bool onAllCpus, bool init)
    {
        byte* slots = ValueOf(e);
        int slot = (int)PerCpuSlotSize;
        if (onAllCpus)
        {
            Buffer.MemoryCopy(value, slots, ValueArea, ValueArea);
            return;
        }
        if (init) new Span<byte>(slots, ValueArea).Clear();
        if ((uint)cpu < (uint)Context.PossibleCpus)
            Buffer.MemoryCopy(value, slots + cpu * slot, ValueSize, ValueSize);
    }

    /// <summary>hlist_nulls_del_rcu under the bucket lock: the element keeps its link for readers standing on it.</summary>
    private static void Unlink(HashBucket* bucket, HashElement* e)
    {
        HashElement** link = &bucket->Head;
        while (*link != null)
        {
            if (*link == e)
            {
                StoreLink(link, e->Next);
                return;
            }
            link = &(*link)->Next;
        }
    }

    /// <summary>htab_map_delete_elem / htab_lru_map_delete_elem: -ENOENT if the key is missing.</summary>
    private protected int Delete(byte* key)
    {
        uint hash = HashKey(key);
        HashBucket* bucket = BucketOf(hash);
        SpinLock.Lock(&bucket->Lock);
        HashElement* e = FindInChain(bucket, hash, key);
        if (e != null) Unlink(bucket, e);
        SpinLock.Unlock(&bucket->Lock);
        if (e == null)
            return -Errno.ENOENT;
        FreeElement(e);
        return 0;
    }

    /// <summary>
    /// __htab_map_lookup_and_delete_elem: copies the value out (every CPU's slot for per-CPU maps,
    /// under the spin lock with BPF_F_LOCK) and deletes the element, all under the bucket lock.
    /// </summary>
    private protected int LookupAndDelete(byte* key, byte* value, ulong flags)
    {
        uint hash = HashKey(key);
        HashBucket* bucket = BucketOf(hash);
        SpinLock.Lock(&bucket->Lock);
        HashElement* e = FindInChain(bucket, hash, key);
        if (e != null)
        {
            CopyOut(e, value, flags);
            Unlink(bucket, e);
        }
        SpinLock.Unlock(&bucket->Lock);
        if (e == null)
            return -Errno.ENOENT;
        FreeElement(e);
        return 0;
    }

    /// <summary>free_htab_elem / htab_lru_push_free: an unlinked element goes back to the LRU or into limbo.</summary>
    private void FreeElement(HashElement* e)
    {
        if (Lru is { } lru)
        {
            lru.PushFree(e, published: true);
            return;
        }
        Interlocked.Decrement(ref _count);
        Pool.Retire(e);
    }

    // ---- what the LRU lists need from the table ----

    /// <summary>htab_lru_map_delete_node: unlinks an LRU victim if it is still in the table.</summary>
    internal bool LruDeleteNode(HashElement* node)
    {
        HashBucket* bucket = BucketOf(node->Hash);
        bool found = false;
        SpinLock.Lock(&bucket->Lock);
        for (HashElement* e = bucket->Head; e != null; e = e->Next)
        {
            if (e == node)
            {
                Unlink(bucket, e);
                found = true;
                break;
            }
        }
        SpinLock.Unlock(&bucket->Lock);
        return found;
    }

    /// <summary>
    /// Trades an element that just left the table for one no run can see: the old one waits in
    /// limbo, the returned one takes its place on the LRU free lists. Where no memory can be had
    /// the element itself is returned and reused at once, as the kernel reuses it.
    /// </summary>
    internal HashElement* Substitute(HashElement* e)
    {
        HashElement* replacement = Pool.Take();
        if (replacement == null)
            return e;
        replacement->Cpu = e->Cpu;
        Pool.Retire(e);
        return replacement;
    }
}
