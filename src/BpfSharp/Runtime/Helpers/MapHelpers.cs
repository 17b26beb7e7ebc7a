using BpfSharp.Maps;
using BpfSharp.Memory;
using static BpfSharp.Runtime.Helpers.BpfFunc;
using static BpfSharp.Runtime.Helpers.HelperArgs;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// The map helpers (kernel/bpf/helpers.c): the map pointer argument is a <see cref="Map.Handle"/> resolved
/// through <see cref="RunContext.Maps"/>; key and value pointers are checked in checked mode; a value pointer
/// returned by a lookup becomes accessible to the rest of the run. Results are the map's 0 / -errno.
/// </summary>
public static unsafe class MapHelpers
{
    /// <summary>Registers map_lookup/update/delete/push/pop/peek/lookup_percpu_elem under their kernel ids.</summary>
    public static void Register(HelperRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(BPF_FUNC_map_lookup_elem, Name(BPF_FUNC_map_lookup_elem), MapLookupElem)
            .Register(BPF_FUNC_map_update_elem, Name(BPF_FUNC_map_update_elem), MapUpdateElem)
            .Register(BPF_FUNC_map_delete_elem, Name(BPF_FUNC_map_delete_elem), MapDeleteElem)
            .Register(BPF_FUNC_map_push_elem, Name(BPF_FUNC_map_push_elem), MapPushElem)
            .Register(BPF_FUNC_map_pop_elem, Name(BPF_FUNC_map_pop_elem), MapPopElem)
            .Register(BPF_FUNC_map_peek_elem, Name(BPF_FUNC_map_peek_elem), MapPeekElem)
            .Register(BPF_FUNC_map_lookup_percpu_elem, Name(BPF_FUNC_map_lookup_percpu_elem), MapLookupPercpuElem);
    }

    /// <summary>void *bpf_map_lookup_elem(map, key): the value's address (the running CPU's slot for per-CPU maps) or NULL.</summary>
    public static ulong MapLookupElem(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        Map map = Map(run, r1);
        run.CheckAccess(r2, map.KeySize, AccessKind.Load);
        byte* value = map.LookupElem((byte*)r2, Cpu(run, map));
        if (value != null)
            ExposeValue(run, map, value);
        return (ulong)value;
    }

    /// <summary>long bpf_map_update_elem(map, key, value, flags).</summary>
    public static ulong MapUpdateElem(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        Map map = Map(run, r1);
        run.CheckAccess(r2, map.KeySize, AccessKind.Load);
        run.CheckAccess(r3, map.ValueSize, AccessKind.Load);
        return Errno(map.UpdateElem((byte*)r2, (byte*)r3, r4, Cpu(run, map)));
    }

    /// <summary>long bpf_map_delete_elem(map, key).</summary>
    public static ulong MapDeleteElem(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        Map map = Map(run, r1);
        run.CheckAccess(r2, map.KeySize, AccessKind.Load);
        return Errno(map.DeleteElem((byte*)r2));
    }

    /// <summary>long bpf_map_push_elem(map, value, flags) (queue, stack, bloom filter).</summary>
    public static ulong MapPushElem(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        Map map = Map(run, r1);
        run.CheckAccess(r2, map.ValueSize, AccessKind.Load);
        return Errno(map.PushElem((byte*)r2, r3));
    }

    /// <summary>long bpf_map_pop_elem(map, value): copies the value out and removes it (queue, stack).</summary>
    public static ulong MapPopElem(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        Map map = Map(run, r1);
        run.CheckAccess(r2, map.ValueSize, AccessKind.Store);
        return Errno(map.PopElem((byte*)r2));
    }

    /// <summary>long bpf_map_peek_elem(map, value): copies the value out (queue, stack, bloom filter).</summary>
    public static ulong MapPeekElem(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        Map map = Map(run, r1);
        run.CheckAccess(r2, map.ValueSize, AccessKind.Store);
        return Errno(map.PeekElem((byte*)r2));
    }

    /// <summary>void *bpf_map_lookup_percpu_elem(map, key, cpu): the value of <c>key</c> on CPU <c>cpu</c>, or NULL.</summary>
    public static ulong MapLookupPercpuElem(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        Map map = Map(run, r1);
        run.CheckAccess(r2, map.KeySize, AccessKind.Load);
        byte* value = map.LookupPercpuElem((byte*)r2, (uint)r3);
        if (value != null)
            ExposeValue(run, map, value);
        return (ulong)value;
    }
}
