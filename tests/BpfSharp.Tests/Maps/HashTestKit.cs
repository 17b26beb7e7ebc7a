using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Maps;

/// <summary>Creates hash maps and drives them through byte-array keys and values, for the hash map tests.</summary>
internal static unsafe class HashTestKit
{
    /// <summary>A fresh reclamation domain and context with <paramref name="cpus"/> possible CPUs.</summary>
    public static MapContext Context(int cpus = 2, long memoryLimit = 0) => new(new EpochManager(), cpus, memoryLimit);

    /// <summary>MapFactory.Create's errno (0 on success, the map released again).</summary>
    public static int CreateErrno(MapAttributes attributes, MapContext? context = null)
    {
        int err = MapFactory.Create(attributes, context ?? Context(), out Map? map);
        map?.Release();
        return err;
    }

    /// <summary>Creates a map that must succeed.</summary>
    public static Map Create(BpfMapType type, uint keySize, uint valueSize, uint maxEntries, uint flags = 0,
        MapContext? context = null, int spinLockOffset = -1, Map? innerMap = null)
    {
        var attributes = new MapAttributes
        {
            Type = type, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries, Flags = flags,
            SpinLockOffset = spinLockOffset, InnerMap = innerMap,
        };
        int err = MapFactory.Create(attributes, context ?? Context(), out Map? map);
        Assert.True(err == 0, $"create {type}: {Errno.Name(err)}");
        return map!;
    }

    public static byte[] Key(int key) => BitConverter.GetBytes(key);

    public static byte[] Value(long value) => BitConverter.GetBytes(value);

    public static int Update(Map map, byte[] key, byte[] value, ulong flags = MapFlags.BPF_ANY)
    {
        fixed (byte* k = key)
        fixed (byte* v = value)
            return map.SysUpdate(k, v, flags);
    }

    public static int Update(Map map, int key, long value, ulong flags = MapFlags.BPF_ANY) =>
        Update(map, Key(key), Value(value), flags);

    public static int Lookup(Map map, byte[] key, byte[] value, ulong flags = 0)
    {
        fixed (byte* k = key)
        fixed (byte* v = value)
            return map.SysLookup(k, v, flags);
    }

    /// <summary>The user-space value of <paramref name="key"/> as a long, or null (ENOENT).</summary>
    public static long? Lookup(Map map, int key)
    {
        var value = new byte[map.UserValueSize];
        int err = Lookup(map, Key(key), value);
        if (err == -Errno.ENOENT) return null;
        Assert.Equal(0, err);
        return BitConverter.ToInt64(value);
    }

    public static int Delete(Map map, byte[] key)
    {
        fixed (byte* k = key)
            return map.SysDelete(k);
    }

    public static int Delete(Map map, int key) => Delete(map, Key(key));

    public static int LookupAndDelete(Map map, byte[] key, byte[] value, ulong flags = 0)
    {
        fixed (byte* k = key)
        fixed (byte* v = value)
            return map.SysLookupAndDelete(k, v, flags);
    }

    public static int GetNextKey(Map map, byte[]? key, byte[] next)
    {
        fixed (byte* k = key)
        fixed (byte* n = next)
            return map.GetNextKey(key is null ? null : k, n);
    }

    /// <summary>Every key in iteration order (MAP_GET_NEXT_KEY from the start).</summary>
    public static List<byte[]> Keys(Map map)
    {
        var keys = new List<byte[]>();
        byte[]? previous = null;
        var next = new byte[map.KeySize];
        while (GetNextKey(map, previous, next) == 0)
        {
            keys.Add(next.ToArray());
            previous = keys[^1];
            Assert.True(keys.Count <= 1 << 20, "map walk does not end");
        }
        return keys;
    }

    /// <summary>Every 4-byte key, sorted.</summary>
    public static int[] IntKeys(Map map) => Keys(map).Select(k => BitConverter.ToInt32(k)).Order().ToArray();

    /// <summary>A program-side lookup (inside a run): the value's address, or null.</summary>
    public static byte* ProgramLookup(Map map, int key, int cpu = 0)
    {
        byte[] k = Key(key);
        fixed (byte* p = k)
            return map.LookupElem(p, cpu);
    }

    /// <summary>A program-side update with a value of the map's value_size.</summary>
    public static int ProgramUpdate(Map map, byte[] key, byte[] value, ulong flags, int cpu = 0)
    {
        fixed (byte* k = key)
        fixed (byte* v = value)
            return map.UpdateElem(k, v, flags, cpu);
    }
}

/// <summary>A map of any type with no storage: an inner-map template or inner map for map-in-map tests.</summary>
internal sealed unsafe class StubMap(MapAttributes attributes, MapContext context) : Map(attributes, context)
{
    public static StubMap Of(BpfMapType type, uint keySize = 4, uint valueSize = 4, uint maxEntries = 4, uint flags = 0,
        MapContext? context = null) =>
        new(new MapAttributes { Type = type, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries, Flags = flags },
            context ?? HashTestKit.Context());

    public override byte* LookupElem(byte* key, int cpu) => null;
    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu) => -Errno.EINVAL;
    public override int DeleteElem(byte* key) => -Errno.EINVAL;
    public override int GetNextKey(byte* key, byte* nextKey) => -Errno.ENOENT;
}
