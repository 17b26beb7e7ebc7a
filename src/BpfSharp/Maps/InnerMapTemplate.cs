using BpfSharp.Memory;
using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// The inner-map template of a map-in-map (kernel: map_in_map.c, <c>map->inner_map_meta</c>): what
/// ARRAY_OF_MAPS and HASH_OF_MAPS record of the map given as inner_map_fd at creation, and the rule
/// (map_meta_equal) every map stored in them must satisfy.
/// </summary>
/// <remarks>
/// As in the kernel, the template is a copy of the attributes, not a reference: closing the template
/// map's last fd frees it and the outer map keeps working.
/// </remarks>
public sealed class InnerMapTemplate
{
    private InnerMapTemplate(MapAttributes attributes) => Attributes = attributes;

    /// <summary>
    /// The template's attributes (type, key_size, value_size, max_entries, the map_flags the map keeps,
    /// spin lock and timer offsets). The verifier types lookups in inner maps by these.
    /// </summary>
    public MapAttributes Attributes { get; }

    /// <summary>
    /// kernel: bpf_map_meta_alloc(attr->inner_map_fd). Records the inner map of <paramref name="outer"/> as
    /// the template: <see cref="MapAttributes.InnerMap"/>, or else the map behind
    /// <see cref="MapAttributes.InnerMapFd"/> resolved through <paramref name="context"/>. -EBADF for an fd
    /// that is not open, -EINVAL for an object that is not a map or for a map-in-map (one level only),
    /// -ENOTSUPP for a type that cannot be an inner map (no map_meta_equal: PROG_ARRAY, whose owner program
    /// type is a run-time binding, cgroup storage, struct_ops).
    /// </summary>
    public static int TryCreate(MapAttributes outer, MapContext context, out InnerMapTemplate? template)
    {
        template = null;
        if (outer.InnerMap is { } given) return From(given, out template);
        BpfObject? obj = Resolve(context, outer.InnerMapFd);
        if (obj is null) return -Errno.EBADF;
        try
        {
            return obj is Map inner ? From(inner, out template) : -Errno.EINVAL;
        }
        finally
        {
            obj.Release(); // the template is a copy: no reference is kept
        }
    }

    private static int From(Map innerMap, out InnerMapTemplate? template)
    {
        template = null;
        if (IsMapInMap(innerMap.Type)) return -Errno.EINVAL;
        if (!HasMetaEqual(innerMap.Type)) return -Errno.ENOTSUPP;
        MapAttributes a = innerMap.Attributes;
        template = new InnerMapTemplate(a with { Flags = MapFlagRules.RetainPermanent(a.Flags), InnerMap = null, InnerMapFd = 0 });
        return 0;
    }

    /// <summary>
    /// kernel: map_meta_equal (bpf_map_meta_equal; array_map_meta_equal for an ARRAY template): same type,
    /// key_size, value_size, permanent map_flags and BTF special fields (spin lock, timer); for an ARRAY
    /// template also the same max_entries, unless the template has BPF_F_INNER_MAP.
    /// </summary>
    public bool IsCompatible(Map map)
    {
        MapAttributes t = Attributes, m = map.Attributes;
        if (t.Type != m.Type || t.KeySize != m.KeySize || t.ValueSize != m.ValueSize
            || t.Flags != MapFlagRules.RetainPermanent(m.Flags)
            || t.SpinLockOffset != m.SpinLockOffset || t.TimerOffset != m.TimerOffset)
            return false;
        if (t.Type == BpfMapType.Array && (t.Flags & MapFlags.BPF_F_INNER_MAP) == 0)
            return t.MaxEntries == m.MaxEntries;
        return true;
    }

    /// <summary>
    /// kernel: bpf_map_fd_get_ptr. Turns the u32 map fd user space stores into a map-in-map into the inner
    /// map, with a reference taken for the slot: -EBADF if the fd is not open, -EINVAL if it is not a map
    /// or the map does not match the template.
    /// </summary>
    public int ResolveInnerMap(MapContext context, uint fd, out Map? map)
    {
        map = null;
        BpfObject? obj = Resolve(context, fd);
        if (obj is null) return -Errno.EBADF;
        if (obj is not Map candidate || !IsCompatible(candidate))
        {
            obj.Release();
            return -Errno.EINVAL;
        }
        map = candidate;
        return 0;
    }

    /// <summary>True for ARRAY_OF_MAPS and HASH_OF_MAPS.</summary>
    public static bool IsMapInMap(BpfMapType type) => type is BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps;

    // The map types whose ops have no map_meta_equal (besides the map-in-maps, refused before).
    private static bool HasMetaEqual(BpfMapType type) =>
        type is not (BpfMapType.ProgArray or BpfMapType.CgroupStorage or BpfMapType.PercpuCgroupStorage or BpfMapType.StructOps);

    private static BpfObject? Resolve(MapContext context, uint fd) => fd > int.MaxValue ? null : context.ResolveFd?.Invoke((int)fd);
}
