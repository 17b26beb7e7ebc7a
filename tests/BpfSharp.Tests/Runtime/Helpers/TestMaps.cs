using System.Runtime.InteropServices;
using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Runtime;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Runtime.Helpers;

/// <summary>
/// Small maps for the helper tests (the real map types live in Maps/ and are tested there): an array with
/// the kernel's array semantics (u32 index keys, -E2BIG past max_entries, no delete, optional per-CPU
/// values), a FIFO queue and a program array.
/// </summary>
public sealed unsafe class TestArrayMap : Map
{
    private readonly byte* _values;
    private readonly uint _slot;
    private readonly int _cpus;

    public TestArrayMap(MapContext context, uint valueSize, uint maxEntries, bool perCpu = false, uint flags = 0, int spinLockOffset = -1)
        : base(new MapAttributes
        {
            Type = perCpu ? BpfMapType.PercpuArray : BpfMapType.Array, KeySize = 4, ValueSize = valueSize,
            MaxEntries = maxEntries, Flags = flags, Name = "test_array", SpinLockOffset = spinLockOffset,
        }, context)
    {
        _slot = (valueSize + 7) & ~7u;
        _cpus = perCpu ? context.PossibleCpus : 1;
        nuint bytes = (nuint)(_slot * maxEntries * (uint)_cpus);
        _values = (byte*)NativeMemory.AlignedAlloc(Math.Max(bytes, 8), 16);
        NativeMemory.Clear(_values, Math.Max(bytes, 8));
    }

    public override bool IsPerCpu => _cpus > 1 || Type == BpfMapType.PercpuArray;

    /// <summary>The value of <paramref name="index"/> on <paramref name="cpu"/>.</summary>
    public Span<byte> Value(uint index, int cpu = 0) => new(Slot(index, cpu), (int)ValueSize);

    private byte* Slot(uint index, int cpu) => _values + (_slot * MaxEntries * (uint)(IsPerCpu ? cpu : 0)) + _slot * index;

    public override byte* LookupElem(byte* key, int cpu)
    {
        uint index = *(uint*)key;
        return index < MaxEntries ? Slot(index, cpu) : null;
    }

    public override byte* LookupPercpuElem(byte* key, uint cpu)
    {
        uint index = *(uint*)key;
        return IsPerCpu && index < MaxEntries && cpu < (uint)_cpus ? Slot(index, (int)cpu) : null;
    }

    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu)
    {
        uint index = *(uint*)key;
        if (flags > MapFlags.BPF_EXIST) return -Errno.EINVAL;
        if (index >= MaxEntries) return -Errno.E2BIG;
        if (flags == MapFlags.BPF_NOEXIST) return -Errno.EEXIST;
        StoreValue(Slot(index, cpu), value, locked: false);
        return 0;
    }

    public override int DeleteElem(byte* key) => -Errno.EINVAL;

    public override int GetNextKey(byte* key, byte* nextKey)
    {
        uint index = key == null ? uint.MaxValue : *(uint*)key;
        uint next = index >= MaxEntries ? 0 : index + 1;
        if (next >= MaxEntries) return -Errno.ENOENT;
        *(uint*)nextKey = next;
        return 0;
    }

    protected override void Free()
    {
        NativeMemory.AlignedFree(_values);
        base.Free();
    }
}

/// <summary>A FIFO queue map (no key): push -E2BIG when full, pop/peek -ENOENT when empty.</summary>
public sealed unsafe class TestQueueMap(MapContext context, uint valueSize, uint maxEntries)
    : Map(new MapAttributes { Type = BpfMapType.Queue, ValueSize = valueSize, MaxEntries = maxEntries, Name = "test_queue" }, context)
{
    private readonly Queue<byte[]> _items = new();

    public override byte* LookupElem(byte* key, int cpu) => null;
    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu) => -Errno.EINVAL;
    public override int DeleteElem(byte* key) => -Errno.EINVAL;
    public override int GetNextKey(byte* key, byte* nextKey) => -Errno.EINVAL;

    public override int PushElem(byte* value, ulong flags)
    {
        if (_items.Count == MaxEntries) return -Errno.E2BIG;
        _items.Enqueue(new ReadOnlySpan<byte>(value, (int)ValueSize).ToArray());
        return 0;
    }

    public override int PopElem(byte* value)
    {
        if (!_items.TryDequeue(out byte[]? item)) return -Errno.ENOENT;
        item.CopyTo(new Span<byte>(value, (int)ValueSize));
        return 0;
    }

    public override int PeekElem(byte* value)
    {
        if (!_items.TryPeek(out byte[]? item)) return -Errno.ENOENT;
        item.CopyTo(new Span<byte>(value, (int)ValueSize));
        return 0;
    }
}

/// <summary>A loaded program for tail calls: an engine's run function as a kernel object.</summary>
public sealed class TestProgram(Func<RunContext, ulong> run, string name) : BpfObject
{
    public Func<RunContext, ulong> Run { get; } = run;
    public string Name { get; } = name;
    protected override void Free() { }
    public override string ToString() => Name;
}

/// <summary>A PROG_ARRAY: slots hold programs.</summary>
public sealed unsafe class TestProgArray(MapContext context, uint maxEntries)
    : Map(new MapAttributes { Type = BpfMapType.ProgArray, KeySize = 4, ValueSize = 4, MaxEntries = maxEntries, Name = "test_progs" }, context)
{
    private readonly BpfObject?[] _slots = new BpfObject?[maxEntries];

    public void Set(uint index, BpfObject? program) => _slots[index] = program;

    public override BpfObject? GetProgram(uint index) => index < MaxEntries ? _slots[index] : null;
    public override byte* LookupElem(byte* key, int cpu) => null;
    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu) => -Errno.EINVAL;
    public override int DeleteElem(byte* key) => -Errno.EINVAL;
    public override int GetNextKey(byte* key, byte* nextKey) => -Errno.ENOENT;
}
