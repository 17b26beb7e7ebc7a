using System.Runtime.CompilerServices;
using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// What the array family shares (kernel: <c>struct bpf_array</c> in arraymap.c): u32 index keys below
/// max_entries, every element always present, the creation checks and the get_next_key order.
/// ARRAY, PERCPU_ARRAY, PROG_ARRAY and ARRAY_OF_MAPS derive from it.
/// </summary>
public abstract unsafe class ArrayMapBase : Map
{
    /// <summary>PCPU_MIN_UNIT_SIZE: the largest per-CPU element the kernel allocates.</summary>
    private const uint PcpuMinUnitSize = 32 << 10;

    private const uint CreateFlagMask = MapFlags.BPF_F_NUMA_NODE | MapFlags.BPF_F_MMAPABLE | MapFlags.AccessMask
        | MapFlags.BPF_F_PRESERVE_ELEMS | MapFlags.BPF_F_INNER_MAP;

    /// <summary>Creates the array; subclasses allocate the elements.</summary>
    protected ArrayMapBase(MapAttributes attributes, MapContext context) : base(attributes, context)
    {
        ElemSize = RoundUp8(attributes.ValueSize);
    }

    /// <summary><c>round_up(value_size, 8)</c>: the distance between consecutive elements.</summary>
    public uint ElemSize { get; }

    /// <summary>
    /// kernel: array_map_alloc_check. -EINVAL for max_entries 0, key_size other than 4, value_size 0,
    /// unknown flags, both RDONLY_PROG and WRONLY_PROG, a NUMA node for a per-CPU array,
    /// BPF_F_MMAPABLE or BPF_F_INNER_MAP on anything but ARRAY, BPF_F_PRESERVE_ELEMS (perf event arrays
    /// only); -E2BIG for value_size over INT_MAX or a per-CPU element over PCPU_MIN_UNIT_SIZE.
    /// </summary>
    internal static int CheckAttributes(MapAttributes a)
    {
        bool percpu = a.Type == BpfMapType.PercpuArray;
        if (a.MaxEntries == 0 || a.KeySize != 4 || a.ValueSize == 0
            || (a.Flags & ~CreateFlagMask) != 0 || !MapFlagRules.AccessOk(a.Flags)
            || (percpu && MapFlagRules.NumaNode(a) != -1))
            return -Errno.EINVAL;
        if (a.Type != BpfMapType.Array && (a.Flags & (MapFlags.BPF_F_MMAPABLE | MapFlags.BPF_F_INNER_MAP)) != 0)
            return -Errno.EINVAL;
        if (a.Type != BpfMapType.PerfEventArray && (a.Flags & MapFlags.BPF_F_PRESERVE_ELEMS) != 0)
            return -Errno.EINVAL;
        if (a.ValueSize > int.MaxValue)
            return -Errno.E2BIG;
        if (percpu && RoundUp8(a.ValueSize) > PcpuMinUnitSize)
            return -Errno.E2BIG;
        return 0;
    }

    /// <summary>
    /// kernel: fd_array_map_alloc_check (PROG_ARRAY, ARRAY_OF_MAPS): value_size must be 4 (an fd) and
    /// the program-access flags are refused (-EINVAL); then the array checks.
    /// </summary>
    internal static int CheckFdArrayAttributes(MapAttributes a)
    {
        if (a.ValueSize != sizeof(uint)) return -Errno.EINVAL;
        if ((a.Flags & (MapFlags.BPF_F_RDONLY_PROG | MapFlags.BPF_F_WRONLY_PROG)) != 0) return -Errno.EINVAL;
        return CheckAttributes(a);
    }

    /// <summary>
    /// kernel: array_map_get_next_key. A null or out-of-range key gives index 0; the last index gives
    /// -ENOENT; any other index gives the next one.
    /// </summary>
    public override int GetNextKey(byte* key, byte* nextKey)
    {
        uint index = key == null ? uint.MaxValue : IndexOf(key);
        if (index >= MaxEntries)
        {
            Unsafe.WriteUnaligned(nextKey, 0u);
            return 0;
        }
        if (index == MaxEntries - 1) return -Errno.ENOENT;
        Unsafe.WriteUnaligned(nextKey, index + 1);
        return 0;
    }

    /// <summary>kernel: array_map_delete_elem: array elements cannot be deleted (-EINVAL).</summary>
    public override int DeleteElem(byte* key) => -Errno.EINVAL;

    /// <summary>The u32 index a key holds (keys need not be aligned).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static uint IndexOf(byte* key) => Unsafe.ReadUnaligned<uint>(key);

    /// <summary>kernel: array_map_update_elem's flag checks, in its order: 0 to go on, or -errno.</summary>
    protected int CheckUpdate(uint index, ulong flags, ulong allowedExtra)
    {
        if ((flags & ~allowedExtra) > MapFlags.BPF_EXIST) return -Errno.EINVAL; // unknown flags
        if (index >= MaxEntries) return -Errno.E2BIG; // all elements are preallocated
        if ((flags & MapFlags.BPF_NOEXIST) != 0) return -Errno.EEXIST; // all elements already exist
        if ((flags & MapFlags.BPF_F_LOCK) != 0 && Attributes.SpinLockOffset < 0) return -Errno.EINVAL;
        return 0;
    }

    private static uint RoundUp8(uint size) => (uint)(((ulong)size + 7) & ~7ul);
}
