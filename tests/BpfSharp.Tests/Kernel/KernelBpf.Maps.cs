using System.Runtime.InteropServices;

namespace BpfSharp.Tests.Kernel;

/// <summary>
/// Map commands of the live kernel's bpf(): MAP_CREATE, MAP_LOOKUP_ELEM, MAP_UPDATE_ELEM,
/// MAP_DELETE_ELEM, MAP_GET_NEXT_KEY and MAP_LOOKUP_AND_DELETE_ELEM, laid out as
/// <c>union bpf_attr</c> in linux/bpf.h. Every call returns what the syscall returns (an fd or 0)
/// or -errno. Close map fds with <see cref="Close"/>.
/// </summary>
internal static unsafe partial class KernelBpf
{
    private const int BpfMapCreate = 0;
    private const int BpfMapLookupElem = 1;
    private const int BpfMapUpdateElem = 2;
    private const int BpfMapDeleteElem = 3;
    private const int BpfMapGetNextKey = 4;
    private const int BpfMapLookupAndDeleteElem = 21;

    [DllImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static extern int SchedSetAffinity(int pid, nint size, ulong* mask);

    [DllImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    private static extern int SchedGetAffinity(int pid, nint size, ulong* mask);

    private static readonly Lazy<int> PossibleCpuCount = new(ReadPossibleCpus);

    /// <summary>num_possible_cpus(): the number of per-CPU value slots the kernel copies.</summary>
    public static int PossibleCpus => PossibleCpuCount.Value;

    private static int ReadPossibleCpus()
    {
        // "0-1" or "0,2-5": count every CPU in every range.
        string text = File.ReadAllText("/sys/devices/system/cpu/possible").Trim();
        int count = 0;
        foreach (string part in text.Split(','))
        {
            string[] range = part.Split('-');
            count += range.Length == 1 ? 1 : int.Parse(range[1]) - int.Parse(range[0]) + 1;
        }
        return count;
    }

    /// <summary>BPF_MAP_CREATE: the map fd, or -errno.</summary>
    public static int MapCreate(uint mapType, uint keySize, uint valueSize, uint maxEntries, uint mapFlags = 0,
        int innerMapFd = 0, uint numaNode = 0, ulong mapExtra = 0, int btfFd = 0, uint btfKeyTypeId = 0, uint btfValueTypeId = 0)
    {
        MapCreateAttr attr = default;
        attr.MapType = mapType;
        attr.KeySize = keySize;
        attr.ValueSize = valueSize;
        attr.MaxEntries = maxEntries;
        attr.MapFlags = mapFlags;
        attr.InnerMapFd = (uint)innerMapFd;
        attr.NumaNode = numaNode;
        attr.MapExtra = mapExtra;
        attr.BtfFd = (uint)btfFd;
        attr.BtfKeyTypeId = btfKeyTypeId;
        attr.BtfValueTypeId = btfValueTypeId;
        return Bpf(BpfMapCreate, &attr, sizeof(MapCreateAttr));
    }

    /// <summary>BPF_MAP_LOOKUP_ELEM: copies the value (all CPUs' slots for per-CPU maps) into <paramref name="value"/>.</summary>
    public static int MapLookup(int fd, ReadOnlySpan<byte> key, Span<byte> value, ulong flags = 0) =>
        ElemCommand(BpfMapLookupElem, fd, key, value, flags);

    /// <summary>BPF_MAP_UPDATE_ELEM with BPF_ANY, BPF_NOEXIST, BPF_EXIST or BPF_F_LOCK.</summary>
    public static int MapUpdate(int fd, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags = 0)
    {
        fixed (byte* v = value)
            return ElemCommand(BpfMapUpdateElem, fd, key, new Span<byte>(v, value.Length), flags);
    }

    /// <summary>BPF_MAP_DELETE_ELEM.</summary>
    public static int MapDelete(int fd, ReadOnlySpan<byte> key) => ElemCommand(BpfMapDeleteElem, fd, key, default, 0);

    /// <summary>BPF_MAP_LOOKUP_AND_DELETE_ELEM.</summary>
    public static int MapLookupAndDelete(int fd, ReadOnlySpan<byte> key, Span<byte> value, ulong flags = 0) =>
        ElemCommand(BpfMapLookupAndDeleteElem, fd, key, value, flags);

    /// <summary>BPF_MAP_GET_NEXT_KEY: a null <paramref name="key"/> (default span) asks for the first key.</summary>
    public static int MapGetNextKey(int fd, ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        ElemAttr attr = default;
        fixed (byte* k = key)
        fixed (byte* n = nextKey)
        {
            attr.MapFd = (uint)fd;
            attr.Key = key.IsEmpty ? 0 : (ulong)k;
            attr.ValueOrNextKey = (ulong)n;
            return Bpf(BpfMapGetNextKey, &attr, sizeof(ElemAttr));
        }
    }

    /// <summary>Every key of map <paramref name="fd"/> in the kernel's iteration order (MAP_GET_NEXT_KEY from the start).</summary>
    public static List<byte[]> MapKeys(int fd, int keySize)
    {
        var keys = new List<byte[]>();
        byte[]? previous = null;
        var next = new byte[keySize];
        while (MapGetNextKey(fd, previous, next) == 0)
        {
            keys.Add(next.ToArray());
            previous = keys[^1];
            if (keys.Count > 1 << 20) throw new InvalidOperationException("map walk does not end");
        }
        return keys;
    }

    /// <summary>
    /// Runs <paramref name="action"/> with the calling thread pinned to <paramref name="cpu"/>
    /// (per-CPU state such as the LRU's local lists then behaves deterministically), then restores
    /// the thread's affinity.
    /// </summary>
    public static void OnCpu(int cpu, Action action)
    {
        ulong* saved = stackalloc ulong[16];
        ulong* mask = stackalloc ulong[16];
        new Span<ulong>(saved, 16).Clear();
        new Span<ulong>(mask, 16).Clear();
        if (SchedGetAffinity(0, 128, saved) != 0)
            throw new InvalidOperationException("sched_getaffinity failed");
        mask[cpu / 64] = 1UL << (cpu % 64);
        if (SchedSetAffinity(0, 128, mask) != 0)
            throw new InvalidOperationException($"cannot pin to CPU {cpu}");
        try
        {
            action();
        }
        finally
        {
            SchedSetAffinity(0, 128, saved);
        }
    }

    internal static int ElemCommand(int cmd, int fd, ReadOnlySpan<byte> key, Span<byte> value, ulong flags)
    {
        ElemAttr attr = default;
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            attr.MapFd = (uint)fd;
            attr.Key = (ulong)k;
            attr.ValueOrNextKey = (ulong)v;
            attr.Flags = flags;
            return Bpf(cmd, &attr, sizeof(ElemAttr));
        }
    }

    /// <summary>The BPF_MAP_CREATE member of <c>union bpf_attr</c> (offsets from linux/bpf.h, through map_token_fd).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 80)]
    private struct MapCreateAttr
    {
        [FieldOffset(0)] public uint MapType;
        [FieldOffset(4)] public uint KeySize;
        [FieldOffset(8)] public uint ValueSize;
        [FieldOffset(12)] public uint MaxEntries;
        [FieldOffset(16)] public uint MapFlags;
        [FieldOffset(20)] public uint InnerMapFd;
        [FieldOffset(24)] public uint NumaNode;
        [FieldOffset(28)] public fixed byte MapName[16];
        [FieldOffset(44)] public uint MapIfindex;
        [FieldOffset(48)] public uint BtfFd;
        [FieldOffset(52)] public uint BtfKeyTypeId;
        [FieldOffset(56)] public uint BtfValueTypeId;
        [FieldOffset(60)] public uint BtfVmlinuxValueTypeId;
        [FieldOffset(64)] public ulong MapExtra;
        [FieldOffset(72)] public int ValueTypeBtfObjFd;
        [FieldOffset(76)] public int MapTokenFd;
    }

    /// <summary>The element-command member of <c>union bpf_attr</c> (MAP_*_ELEM, MAP_GET_NEXT_KEY, MAP_FREEZE).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 32)]
    internal struct ElemAttr
    {
        [FieldOffset(0)] public uint MapFd;
        [FieldOffset(8)] public ulong Key;
        [FieldOffset(16)] public ulong ValueOrNextKey;
        [FieldOffset(24)] public ulong Flags;
    }
}
