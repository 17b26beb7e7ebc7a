using System.Runtime.InteropServices;
using BpfSharp.Maps;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Syscall;

/// <summary>
/// A tiny BPF_MAP_TYPE_ARRAY for the command-layer tests until the real map types are merged:
/// u32 index keys, preallocated zeroed values, delete is -EINVAL, BPF_NOEXIST is -EEXIST, an index
/// past the end is -E2BIG on update and missing on lookup (kernel arraymap.c).
/// </summary>
internal sealed unsafe class TestArrayMap : Map, IDirectValueMap
{
    private readonly byte* _values;
    private readonly long _bytes;

    private TestArrayMap(MapAttributes attributes, MapContext context, byte* values, long bytes) : base(attributes, context)
    {
        _values = values;
        _bytes = bytes;
    }

    /// <summary>How often the last fd or pin went away (kernel: map_release_uref).</summary>
    public int UserReferencesReleased;

    public static int TryCreate(MapAttributes a, MapContext c, out Map? map)
    {
        map = null;
        const uint allowed = MapFlags.BPF_F_NUMA_NODE | MapFlags.BPF_F_MMAPABLE | MapFlags.AccessMask | MapFlags.BPF_F_INNER_MAP;
        if (a.KeySize != 4 || a.ValueSize == 0 || a.MaxEntries == 0 || (a.Flags & ~allowed) != 0) return -Errno.EINVAL;
        long bytes = (long)a.MaxEntries * ((a.ValueSize + 7) & ~7u);
        if (!c.TryCharge(bytes)) return -Errno.ENOMEM;
        var values = (byte*)NativeMemory.AlignedAlloc((nuint)bytes, 8);
        NativeMemory.Clear(values, (nuint)bytes);
        map = new TestArrayMap(a, c, values, bytes);
        return 0;
    }

    private uint Stride => (ValueSize + 7) & ~7u;

    public override byte* LookupElem(byte* key, int cpu)
    {
        uint index = *(uint*)key;
        return index < MaxEntries ? _values + (ulong)index * Stride : null;
    }

    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu)
    {
        if ((flags & ~MapFlags.BPF_F_LOCK) > MapFlags.BPF_EXIST) return -Errno.EINVAL;
        uint index = *(uint*)key;
        if (index >= MaxEntries) return -Errno.E2BIG;
        if ((flags & ~MapFlags.BPF_F_LOCK) == MapFlags.BPF_NOEXIST) return -Errno.EEXIST;
        StoreValue(_values + (ulong)index * Stride, value, (flags & MapFlags.BPF_F_LOCK) != 0);
        return 0;
    }

    public override int DeleteElem(byte* key) => -Errno.EINVAL;

    public override int GetNextKey(byte* key, byte* nextKey)
    {
        uint index = key == null ? uint.MaxValue : *(uint*)key;
        if (index >= MaxEntries)
        {
            *(uint*)nextKey = 0;
            return 0;
        }
        if (index == MaxEntries - 1) return -Errno.ENOENT;
        *(uint*)nextKey = index + 1;
        return 0;
    }

    public int DirectValueAddress(uint offset, out nint address)
    {
        address = 0;
        if (MaxEntries != 1) return -Errno.ENOTSUPP;
        if (offset >= ValueSize) return -Errno.EINVAL;
        address = (nint)_values;
        return 0;
    }

    protected override void ReleaseUserReferences() => Interlocked.Increment(ref UserReferencesReleased);

    protected override void Free()
    {
        NativeMemory.AlignedFree(_values);
        Context.Uncharge(_bytes);
        base.Free();
    }
}
