using System.Buffers.Binary;
using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// A minimal owning system for map tests: an epoch domain, a map context with a fake fd table
/// (ResolveFd takes a reference, as the kernel's fdget + refcount does), and the maps it created.
/// </summary>
internal sealed class MapTestHost : IDisposable
{
    private readonly Dictionary<int, BpfObject> _fds = [];
    private readonly List<Map> _maps = [];
    private int _nextFd = 3;
    private uint _nextId = 1;

    public MapTestHost(int possibleCpus = 2, long memoryLimit = 0)
    {
        Epochs = new EpochManager();
        Context = new MapContext(Epochs, possibleCpus, memoryLimit)
        {
            ResolveFd = fd =>
            {
                lock (_fds)
                    return _fds.TryGetValue(fd, out BpfObject? o) && o.TryAcquire() ? o : null;
            },
        };
    }

    public EpochManager Epochs { get; }
    public MapContext Context { get; }

    /// <summary>MapFactory.Create with this host's context; a created map gets an id and is freed with the host.</summary>
    public int Create(MapAttributes attributes, out Map? map)
    {
        int rc = MapFactory.Create(attributes, Context, out map);
        if (rc == 0)
        {
            map!.Id = _nextId++;
            _maps.Add(map);
        }
        return rc;
    }

    /// <summary>Takes a map created outside <see cref="Create"/>: it gets an id and is freed with the host.</summary>
    public void Adopt(Map map)
    {
        map.Id = _nextId++;
        _maps.Add(map);
    }

    /// <summary>Creates a map that must be valid.</summary>
    public Map CreateOk(BpfMapType type, uint keySize, uint valueSize, uint maxEntries, uint flags = 0,
        Map? inner = null, ulong mapExtra = 0)
    {
        int rc = Create(new MapAttributes
        {
            Type = type, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries,
            Flags = flags, InnerMap = inner, MapExtra = mapExtra,
        }, out Map? map);
        Assert.Equal(0, rc);
        return map!;
    }

    /// <summary>Opens an fd for <paramref name="obj"/>: the fd owns one reference (taken here).</summary>
    public int OpenFd(BpfObject obj)
    {
        obj.Acquire();
        lock (_fds)
        {
            _fds[_nextFd] = obj;
            return _nextFd++;
        }
    }

    /// <summary>Opens <paramref name="fd"/> (a number chosen by the caller, say the kernel's fd of the twin map) for <paramref name="obj"/>.</summary>
    public void OpenFdAs(int fd, BpfObject obj)
    {
        obj.Acquire();
        lock (_fds)
        {
            if (_fds.Remove(fd, out BpfObject? old)) old.Release();
            _fds[fd] = obj;
        }
    }

    /// <summary>Closes an fd, dropping its reference.</summary>
    public void CloseFd(int fd)
    {
        BpfObject obj;
        lock (_fds)
        {
            obj = _fds[fd];
            _fds.Remove(fd);
        }
        obj.Release();
    }

    /// <summary>Gives an id to a non-map object (a fake program).</summary>
    public T WithId<T>(T obj) where T : BpfObject
    {
        obj.Id = _nextId++;
        return obj;
    }

    public void Dispose()
    {
        foreach (var fd in _fds.Keys.ToList()) CloseFd(fd);
        foreach (Map map in _maps)
            if (!map.IsFreed) map.Release();
        Epochs.Dispose();
    }
}

/// <summary>A program stand-in for PROG_ARRAY tests: a refcounted object with a program type.</summary>
internal sealed class FakeProgram(BpfProgType type) : BpfObject
{
    public BpfProgType ProgType { get; } = type;
    public bool Freed { get; private set; }
    protected override void Free() => Freed = true;
}

/// <summary>byte[] wrappers of the user-side map operations (a null array is a null pointer), as bpf() passes them.</summary>
internal static unsafe class MapOps
{
    public static int Lookup(this Map map, byte[]? key, byte[]? value, ulong flags = 0)
    {
        fixed (byte* k = key) fixed (byte* v = value)
            return map.SysLookup(key is null ? null : k, value is null ? null : v, flags);
    }

    public static int Update(this Map map, byte[]? key, byte[]? value, ulong flags = 0)
    {
        fixed (byte* k = key) fixed (byte* v = value)
            return map.SysUpdate(key is null ? null : k, value is null ? null : v, flags);
    }

    public static int Delete(this Map map, byte[]? key)
    {
        fixed (byte* k = key)
            return map.SysDelete(key is null ? null : k);
    }

    public static int NextKey(this Map map, byte[]? key, byte[] nextKey)
    {
        fixed (byte* k = key) fixed (byte* n = nextKey)
            return map.GetNextKey(key is null ? null : k, n);
    }

    public static int LookupAndDelete(this Map map, byte[]? key, byte[]? value, ulong flags = 0)
    {
        fixed (byte* k = key) fixed (byte* v = value)
            return map.SysLookupAndDelete(key is null ? null : k, value is null ? null : v, flags);
    }

    /// <summary>Program-side lookup: the value's address (0 for none).</summary>
    public static nint ProgLookup(this Map map, byte[] key, int cpu = 0)
    {
        fixed (byte* k = key)
            return (nint)map.LookupElem(k, cpu);
    }

    public static int ProgUpdate(this Map map, byte[] key, byte[] value, ulong flags = 0, int cpu = 0)
    {
        fixed (byte* k = key) fixed (byte* v = value)
            return map.UpdateElem(k, v, flags, cpu);
    }

    public static int Push(this Map map, byte[] value, ulong flags = 0)
    {
        fixed (byte* v = value) return map.PushElem(v, flags);
    }

    public static int Pop(this Map map, byte[] value)
    {
        fixed (byte* v = value) return map.PopElem(v);
    }

    public static int Peek(this Map map, byte[] value)
    {
        fixed (byte* v = value) return map.PeekElem(v);
    }
}

/// <summary>Little-endian key and value byte arrays.</summary>
internal static class Bytes
{
    public static byte[] U32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return b;
    }

    public static byte[] U64(ulong v)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        return b;
    }

    public static uint ReadU32(byte[] b, int offset = 0) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(offset));

    public static ulong ReadU64(byte[] b, int offset = 0) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(offset));

    /// <summary>A <c>struct bpf_lpm_trie_key_u8</c>: prefixlen (host order) then the data bytes.</summary>
    public static byte[] Lpm(uint prefixLen, params byte[] data)
    {
        var b = new byte[4 + data.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(b, prefixLen);
        data.CopyTo(b, 4);
        return b;
    }

    public static byte[] Filled(int length, byte value)
    {
        var b = new byte[length];
        Array.Fill(b, value);
        return b;
    }
}
