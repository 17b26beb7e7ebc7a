using BpfSharp.Uapi;

namespace BpfSharp.Maps;

public abstract unsafe partial class HashTable
{
    /// <summary>
    /// The flags MAP_LOOKUP_ELEM and MAP_LOOKUP_AND_DELETE_ELEM accept: only BPF_F_LOCK, and that
    /// only when the value has a bpf_spin_lock.
    /// </summary>
    private protected int CheckLookupFlags(ulong flags)
    {
        if ((flags & ~MapFlags.BPF_F_LOCK) != 0)
            return -Errno.EINVAL;
        if ((flags & MapFlags.BPF_F_LOCK) != 0 && Attributes.SpinLockOffset < 0)
            return -Errno.EINVAL;
        return 0;
    }

    /// <summary>
    /// Copies an element's value out to user space: the value (under its spin lock with BPF_F_LOCK),
    /// or every CPU's 8-byte-rounded slot for per-CPU maps.
    /// </summary>
    private protected virtual void CopyOut(HashElement* e, byte* value, ulong flags)
    {
        if (IsPerCpu)
            Buffer.MemoryCopy(ValueOf(e), value, ValueArea, ValueArea);
        else
            CopyValue(value, ValueOf(e), (flags & MapFlags.BPF_F_LOCK) != 0);
    }

    /// <summary>MAP_LOOKUP_ELEM: copies the value; LRU maps do not mark the element referenced.</summary>
    public override int SysLookup(byte* key, byte* value, ulong flags)
    {
        int err = CheckLookupFlags(flags);
        if (err != 0) return err;
        using var run = Context.Epochs.Enter();
        HashElement* e = Find(key);
        if (e == null)
            return -Errno.ENOENT;
        CopyOut(e, value, flags);
        return 0;
    }

    /// <summary>MAP_DELETE_ELEM.</summary>
    public override int SysDelete(byte* key)
    {
        using var run = Context.Epochs.Enter();
        return Delete(key);
    }

    /// <summary>MAP_LOOKUP_AND_DELETE_ELEM: the value as <see cref="SysLookup"/> copies it, then the element is deleted.</summary>
    public override int SysLookupAndDelete(byte* key, byte* value, ulong flags)
    {
        int err = CheckLookupFlags(flags);
        if (err != 0) return err;
        using var run = Context.Epochs.Enter();
        return LookupAndDelete(key, value, flags);
    }

    /// <summary>bpf_map_delete_elem from a program.</summary>
    public override int DeleteElem(byte* key) => Delete(key);
}
