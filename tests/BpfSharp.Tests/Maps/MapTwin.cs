using BpfSharp.Maps;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// A kernel map and ours created from the same attributes, driven by the same bpf() operations: every
/// return code and every byte written back must agree. Differences are collected, so a failing test
/// shows the whole operation log up to the first divergence.
/// </summary>
internal sealed class MapTwin : IDisposable
{
    private const byte Poison = 0xcc; // output buffers start with it on both sides
    private readonly List<string> _log = [];
    private int _mismatches;

    private MapTwin(int fd, Map ours)
    {
        Fd = fd;
        Ours = ours;
    }

    public int Fd { get; }
    public Map Ours { get; }

    /// <summary>MAP_CREATE on both; both must succeed.</summary>
    public static MapTwin Create(MapTestHost host, MapAttributes a, int innerFd = 0)
    {
        int fd = KernelMapOracle.Create((uint)a.Type, a.KeySize, a.ValueSize, a.MaxEntries, a.Flags, innerFd, a.NumaNode, a.MapExtra);
        Assert.True(fd >= 0, $"kernel MAP_CREATE: {Errno.Name(fd)}");
        Assert.Equal(0, host.Create(a, out Map? ours));
        return new MapTwin(fd, ours!);
    }

    /// <summary>MAP_CREATE on both: the kernel's result (fd >= 0 as 0) and ours; the kernel map is closed again.</summary>
    public static (int Kernel, int Ours) CreateBoth(MapTestHost host, MapAttributes a, int innerFd = 0)
    {
        int fd = KernelMapOracle.Create((uint)a.Type, a.KeySize, a.ValueSize, a.MaxEntries, a.Flags, innerFd, a.NumaNode, a.MapExtra);
        if (fd >= 0) KernelMapOracle.Close(fd);
        int ours = host.Create(a, out Map? map);
        if (ours == 0) map!.Release();
        return (fd >= 0 ? 0 : fd, ours);
    }

    /// <summary>MAP_CREATE of <paramref name="type"/> with these attributes on both: the same errno (or both succeed).</summary>
    public static void AssertCreateSame(BpfMapType type, uint keySize, uint valueSize, uint maxEntries, uint flags)
    {
        using var host = new MapTestHost(KernelMapOracle.PossibleCpus);
        var (kernel, ours) = CreateBoth(host, new MapAttributes
        {
            Type = type, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries, Flags = flags,
        });
        Assert.Equal(Errno.Name(kernel), Errno.Name(ours));
    }

    public int Lookup(byte[]? key, int valueSize, ulong flags = 0) =>
        Compare("lookup", key, valueSize, (k, v) => KernelMapOracle.Lookup(Fd, k, v, flags), (k, v) => Ours.Lookup(k, v, flags));

    /// <summary>A lookup whose value buffer is input (bloom filter peek).</summary>
    public int LookupWith(byte[]? key, byte[] value) =>
        Compare("lookup", key, value, (k, v) => KernelMapOracle.Lookup(Fd, k, v), (k, v) => Ours.Lookup(k, v));

    public int Update(byte[]? key, byte[] value, ulong flags = 0) =>
        Compare($"update flags={flags}", key, value, (k, v) => KernelMapOracle.Update(Fd, k, v, flags), (k, v) => Ours.Update(k, v, flags));

    public int Delete(byte[]? key) =>
        Compare("delete", key, 0, (k, _) => KernelMapOracle.Delete(Fd, k), (k, _) => Ours.Delete(k));

    public int NextKey(byte[]? key, int keySize) =>
        Compare("next_key", key, keySize, (k, n) => KernelMapOracle.GetNextKey(Fd, k, n), (k, n) => Ours.NextKey(k, n!));

    public int LookupAndDelete(byte[]? key, int valueSize, ulong flags = 0) =>
        Compare("lookup_and_delete", key, valueSize, (k, v) => KernelMapOracle.LookupAndDelete(Fd, k, v, flags), (k, v) => Ours.LookupAndDelete(k, v, flags));

    /// <summary>Walks get_next_key from null on both and compares the key sequences; returns the kernel's key count.</summary>
    public int WalkKeys(int keySize)
    {
        var keys = new List<byte[]>();
        byte[]? key = null;
        for (int guard = 0; guard < 100_000; guard++)
        {
            var kNext = Bytes.Filled(keySize, Poison);
            var oNext = Bytes.Filled(keySize, Poison);
            int k = KernelMapOracle.GetNextKey(Fd, key, kNext);
            int o = Ours.NextKey(key, oNext);
            Record("walk", key, k, o, kNext, oNext);
            if (k != 0 || o != 0) break;
            keys.Add(kNext);
            key = kNext;
        }
        return keys.Count;
    }

    private int Compare(string op, byte[]? key, int outSize, Func<byte[]?, byte[]?, int> kernel, Func<byte[]?, byte[]?, int> ours)
    {
        byte[]? kOut = outSize == 0 ? null : Bytes.Filled(outSize, Poison);
        byte[]? oOut = outSize == 0 ? null : Bytes.Filled(outSize, Poison);
        int k = kernel(key is null ? null : (byte[])key.Clone(), kOut);
        int o = ours(key is null ? null : (byte[])key.Clone(), oOut);
        Record(op, key, k, o, kOut, oOut);
        return k;
    }

    private int Compare(string op, byte[]? key, byte[] input, Func<byte[]?, byte[]?, int> kernel, Func<byte[]?, byte[]?, int> ours)
    {
        byte[] kIn = (byte[])input.Clone(), oIn = (byte[])input.Clone();
        int k = kernel(key is null ? null : (byte[])key.Clone(), kIn);
        int o = ours(key is null ? null : (byte[])key.Clone(), oIn);
        Record(op, key, k, o, kIn, oIn);
        return k;
    }

    private void Record(string op, byte[]? key, int kernel, int ours, byte[]? kOut, byte[]? oOut)
    {
        bool same = kernel == ours && (kOut is null || kOut.AsSpan().SequenceEqual(oOut));
        string line = $"{op} key={Hex(key)}: kernel {Errno.Name(kernel)} {Hex(kOut)}" + (same ? "" : $" | ours {Errno.Name(ours)} {Hex(oOut)}  <-- differs");
        if (_log.Count < 2000) _log.Add(line);
        if (!same) _mismatches++;
    }

    private static string Hex(byte[]? b) => b is null ? "null" : Convert.ToHexString(b.Length > 24 ? b[..24] : b);

    /// <summary>Fails with the operation log if any operation differed.</summary>
    public void AssertSame()
    {
        if (_mismatches == 0) return;
        int first = _log.FindIndex(l => l.EndsWith("differs", StringComparison.Ordinal));
        var window = _log.Skip(Math.Max(0, first - 20)).Take(40);
        Assert.Fail($"{_mismatches} operations differ from the kernel; around the first:\n{string.Join("\n", window)}");
    }

    public void Dispose() => KernelMapOracle.Close(Fd);
}
