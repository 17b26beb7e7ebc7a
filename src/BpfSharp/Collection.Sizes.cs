using BpfSharp.Elf;
using BpfSharp.Uapi;

namespace BpfSharp;

// What BPF_MAP_CREATE is asked for: the object's definition sized as libbpf sizes it before creating it.
public sealed partial class Collection
{
    /// <summary>
    /// The max_entries <see cref="CollectionOptions.StandInSizes"/> gives a map the object leaves at 0 (a ring buffer gets
    /// one page instead, the smallest size the kernel takes).
    /// </summary>
    public const uint StandInMaxEntries = 1;

    /// <summary>
    /// The value_size <see cref="CollectionOptions.StandInSizes"/> gives a stack trace map the object leaves at 0: 127
    /// instruction pointers of 8 bytes (PERF_MAX_STACK_DEPTH, the kernel's default perf_event_max_stack, the depth
    /// bcc's libbpf-tools give it by default).
    /// </summary>
    public const uint StandInStackTraceValueSize = 127 * 8;

    /// <summary>
    /// True if BPF_MAP_CREATE refuses a map of <paramref name="type"/> with max_entries 0 and libbpf fills in none: every
    /// type but a perf event array (one slot per possible CPU), the local storage types (their max_entries must be 0)
    /// and struct_ops (libbpf gives it 1).
    /// </summary>
    public static bool NeedsMaxEntries(BpfMapType type) => type is not (BpfMapType.Unspec or BpfMapType.PerfEventArray
        or BpfMapType.CgroupStorage or BpfMapType.PercpuCgroupStorage or BpfMapType.SkStorage or BpfMapType.InodeStorage
        or BpfMapType.TaskStorage or BpfMapType.CgrpStorage or BpfMapType.StructOps);

    // libbpf: bpf_map__set_max_entries / bpf_map__set_value_size before load (CollectionOptions.MaxEntries, ValueSizes);
    // map_set_def_max_entries: a perf event array without max_entries gets one slot per possible CPU; adjust_ringbuf_sz:
    // a ring buffer's size is rounded up to a power-of-2 number of pages. cilium/ebpf: a perf event array without key
    // or value sizes gets the 4-byte index and fd slot the kernel requires. Then, with StandInSizes, what is still 0.
    private static BpfMapSpec ToCreateSpec(BpfSystem system, MapSpec m, CollectionOptions options, List<string>? notes)
    {
        uint maxEntries = options.MaxEntries?.TryGetValue(m.Name, out uint e) == true ? e : m.MaxEntries;
        uint valueSize = options.ValueSizes?.TryGetValue(m.Name, out uint v) == true ? v : m.ValueSize;
        uint keySize = m.KeySize;
        if (m.Type == BpfMapType.PerfEventArray)
        {
            if (maxEntries == 0) maxEntries = (uint)system.PossibleCpus;
            if (keySize == 0) keySize = 4;
            if (valueSize == 0) valueSize = 4;
        }
        bool ringbuf = m.Type is BpfMapType.Ringbuf or BpfMapType.UserRingbuf;
        if (ringbuf) maxEntries = RingbufSize(maxEntries);
        if (options.StandInSizes && maxEntries == 0 && NeedsMaxEntries(m.Type))
        {
            maxEntries = ringbuf ? (uint)Environment.SystemPageSize : StandInMaxEntries;
            notes?.Add($"map '{m.Name}': max_entries is 0 (left to the object's loader); created with the stand-in max_entries {maxEntries}");
        }
        if (options.StandInSizes && valueSize == 0 && m.Type == BpfMapType.StackTrace)
        {
            valueSize = StandInStackTraceValueSize;
            notes?.Add($"map '{m.Name}': value_size is 0 (left to the object's loader); created with the stand-in value_size {valueSize}");
        }
        return new BpfMapSpec(m.Type, keySize, valueSize, maxEntries)
        {
            Flags = m.Flags,
            Name = KernelName(m.Name),
            MapExtra = m.MapExtra,
            NumaNode = m.NumaNode,
        };
    }

    // libbpf's adjust_ringbuf_sz: 0 stays 0 (the kernel reports it); a size that is not a power-of-2 number of pages
    // becomes the smallest one above it, if there is one below 2^32.
    private static uint RingbufSize(uint size)
    {
        uint page = (uint)Environment.SystemPageSize;
        if (size == 0 || (size % page == 0 && uint.IsPow2(size / page))) return size;
        for (ulong pages = 1; pages * page <= uint.MaxValue; pages <<= 1)
            if (pages * page > size) return (uint)(pages * page);
        return size;
    }

    // Sizes given for maps the object does not define are a mistake (libbpf's bpf_object__find_map_by_name finds nothing).
    private static void CheckSizeNames(CollectionSpec spec, CollectionOptions options)
    {
        foreach (IReadOnlyDictionary<string, uint>? sizes in (IReadOnlyDictionary<string, uint>?[])[options.MaxEntries, options.ValueSizes])
            foreach (string name in sizes?.Keys ?? [])
                if (!spec.Maps.ContainsKey(name))
                    throw new InvalidOperationException($"a size is given for map '{name}', which the object does not define");
    }
}
