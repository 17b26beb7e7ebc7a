using System.Runtime.InteropServices;
using BpfSharp.Maps;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Syscall;

/// <summary>
/// A tiny BPF_MAP_TYPE_HASH for the command-layer tests until the real map types are merged:
/// keys of up to 8 bytes, insertion order for GET_NEXT_KEY (a missing key gives the first),
/// -E2BIG when full, BPF_NOEXIST / BPF_EXIST as the kernel's hashtab.c, deleted values retired
/// through the epochs. One lock; not fast.
/// </summary>
internal sealed unsafe class TestHashMap : Map
{
    private readonly object _lock = new();
    private readonly List<(ulong Key, nint Value)> _entries = [];

    private TestHashMap(MapAttributes attributes, MapContext context) : base(attributes, context) { }

    public static int TryCreate(MapAttributes a, MapContext c, out Map? map)
    {
        map = null;
        const uint allowed = MapFlags.BPF_F_NO_PREALLOC | MapFlags.BPF_F_NUMA_NODE | MapFlags.AccessMask | MapFlags.BPF_F_ZERO_SEED;
        if (a.KeySize is 0 or > 8 || a.ValueSize == 0 || a.MaxEntries == 0 || (a.Flags & ~allowed) != 0) return -Errno.EINVAL;
        map = new TestHashMap(a, c);
        return 0;
    }

    private ulong KeyOf(byte* key)
    {
        ulong k = 0;
        Buffer.MemoryCopy(key, &k, 8, KeySize);
        return k;
    }

    private int IndexOf(ulong key)
    {
        for (int i = 0; i < _entries.Count; i++)
            if (_entries[i].Key == key) return i;
        return -1;
    }

    public override byte* LookupElem(byte* key, int cpu)
    {
        lock (_lock)
        {
            int i = IndexOf(KeyOf(key));
            return i < 0 ? null : (byte*)_entries[i].Value;
        }
    }

    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu)
    {
        ulong f = flags & ~MapFlags.BPF_F_LOCK;
        if (f > MapFlags.BPF_EXIST) return -Errno.EINVAL;
        ulong k = KeyOf(key);
        lock (_lock)
        {
            int i = IndexOf(k);
            if (i >= 0 && f == MapFlags.BPF_NOEXIST) return -Errno.EEXIST;
            if (i < 0 && f == MapFlags.BPF_EXIST) return -Errno.ENOENT;
            if (i < 0 && _entries.Count >= MaxEntries) return -Errno.E2BIG;
            var element = (byte*)NativeMemory.AlignedAlloc(ValueSize, 8);
            Buffer.MemoryCopy(value, element, ValueSize, ValueSize);
            if (i >= 0)
            {
                Context.Epochs.Retire((void*)_entries[i].Value);
                _entries[i] = (k, (nint)element);
            }
            else
            {
                _entries.Add((k, (nint)element));
            }
            return 0;
        }
    }

    public override int DeleteElem(byte* key)
    {
        lock (_lock)
        {
            int i = IndexOf(KeyOf(key));
            if (i < 0) return -Errno.ENOENT;
            Context.Epochs.Retire((void*)_entries[i].Value);
            _entries.RemoveAt(i);
            return 0;
        }
    }

    public override int SysLookupAndDelete(byte* key, byte* value, ulong flags)
    {
        lock (_lock)
        {
            int i = IndexOf(KeyOf(key));
            if (i < 0) return -Errno.ENOENT;
            Buffer.MemoryCopy((void*)_entries[i].Value, value, ValueSize, ValueSize);
            Context.Epochs.Retire((void*)_entries[i].Value);
            _entries.RemoveAt(i);
            return 0;
        }
    }

    public override int GetNextKey(byte* key, byte* nextKey)
    {
        lock (_lock)
        {
            int i = key == null ? -1 : IndexOf(KeyOf(key));
            int next = i + 1; // a missing key (-1) gives the first
            if (next >= _entries.Count) return -Errno.ENOENT;
            ulong k = _entries[next].Key;
            Buffer.MemoryCopy(&k, nextKey, KeySize, KeySize);
            return 0;
        }
    }

    protected override void Free()
    {
        foreach (var (_, value) in _entries)
            NativeMemory.AlignedFree((void*)value);
        base.Free();
    }
}
