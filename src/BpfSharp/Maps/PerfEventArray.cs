using BpfSharp.Memory;
using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// BPF_MAP_TYPE_PERF_EVENT_ARRAY (kernel: arraymap.c, perf_event_array_map_ops): u32 index keys, u32 fd values. User
/// space stores the fd of a <see cref="PerfEventBuffer"/> per CPU (our perf_event_open:
/// <see cref="BpfSystem.PerfEventOpen"/>); bpf_perf_event_output writes a sample into the slot of the running CPU
/// (BPF_F_CURRENT_CPU) or of an index.
/// </summary>
/// <remarks>
/// As in the kernel: user-space lookups are -ENOTSUPP, an fd that is not a perf event is -EBADF. The kernel empties
/// the slots a map file stored when that file is released (unless BPF_F_PRESERVE_ELEMS); with no per-fd files here,
/// the slots empty when user space's last reference to the map goes, unless BPF_F_PRESERVE_ELEMS.
/// </remarks>
public sealed unsafe class PerfEventArray : FdArrayMap
{
    /// <summary>BPF_F_INDEX_MASK: the index bits of bpf_perf_event_output's flags.</summary>
    public const ulong BPF_F_INDEX_MASK = 0xffffffff;
    /// <summary>BPF_F_CURRENT_CPU: write to the running CPU's slot.</summary>
    public const ulong BPF_F_CURRENT_CPU = BPF_F_INDEX_MASK;

    private PerfEventArray(MapAttributes attributes, MapContext context) : base(attributes, context) { }

    /// <summary>kernel: fd_array_map_alloc_check + perf_event_array_map_alloc: the fd array's rules; BPF_F_PRESERVE_ELEMS allowed.</summary>
    internal static int TryCreate(MapAttributes attributes, MapContext context, out Map? map)
    {
        map = null;
        int err = CheckFdArrayAttributes(attributes);
        if (err != 0) return err;
        if (!TryChargeSlots(attributes, context)) return -Errno.ENOMEM;
        map = new PerfEventArray(attributes, context);
        return 0;
    }

    /// <summary>
    /// kernel: bpf_perf_event_output -> __bpf_perf_event_output. -EINVAL for flags beyond the index, -E2BIG for an index
    /// not below max_entries, -ENOENT for an empty slot, -EOPNOTSUPP if the slot's event is for another CPU, -ENOSPC
    /// when its ring is full; else 0.
    /// </summary>
    public int Output(ulong flags, int cpu, ReadOnlySpan<byte> data)
    {
        if ((flags & ~BPF_F_INDEX_MASK) != 0) return -Errno.EINVAL;
        ulong index = flags & BPF_F_INDEX_MASK;
        if (index == BPF_F_CURRENT_CPU) index = (ulong)cpu;
        if (index >= MaxEntries) return -Errno.E2BIG;
        if (Get((uint)index) is not PerfEventBuffer buffer) return -Errno.ENOENT;
        if (buffer.Cpu != cpu) return -Errno.EOPNOTSUPP;
        return buffer.Output(data);
    }

    /// <summary>Programs cannot look elements up (kernel: fd_array_map_lookup_elem): always null.</summary>
    public override byte* LookupElem(byte* key, int cpu) => null;

    /// <summary>kernel: no map_fd_sys_lookup_elem for perf event arrays: -ENOTSUPP.</summary>
    public override int SysLookup(byte* key, byte* value, ulong flags) => -Errno.ENOTSUPP;

    /// <summary>kernel: perf_event_fd_array_get_ptr: the fd must be a perf event (-EBADF otherwise).</summary>
    protected override int GetPtr(uint fd, out BpfObject? obj)
    {
        obj = fd > int.MaxValue ? null : Context.ResolveFd?.Invoke((int)fd);
        if (obj is PerfEventBuffer) return 0;
        obj?.Release();
        obj = null;
        return -Errno.EBADF;
    }

    /// <summary>kernel: perf_event_fd_array_release: the slots empty with user space's last reference, unless BPF_F_PRESERVE_ELEMS.</summary>
    protected override void ReleaseUserReferences()
    {
        if ((Flags & MapFlags.BPF_F_PRESERVE_ELEMS) == 0) Clear();
    }
}
