using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// What ARRAY_OF_MAPS and HASH_OF_MAPS share (the kernel's kernel/bpf/map_in_map.c): which maps
/// can be an inner-map template, and which inner maps a template accepts.
/// </summary>
internal static class MapInMap
{
    /// <summary>
    /// bpf_map_meta_alloc: 0 if <paramref name="template"/> can describe the inner maps; -EINVAL for
    /// none or for a map-in-map (one level only), -ENOTSUPP for types that cannot be inner maps.
    /// </summary>
    public static int CheckTemplate(Map? template)
    {
        if (template is null)
            return -Errno.EINVAL;
        if (template.Type is BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps || template.Attributes.InnerMap is not null)
            return -Errno.EINVAL;
        // Types without map_meta_equal (the live kernel answers ENOTSUPP for PROG_ARRAY).
        if (template.Type is BpfMapType.ProgArray or BpfMapType.CgroupStorage or BpfMapType.PercpuCgroupStorage or BpfMapType.StructOps)
            return -Errno.ENOTSUPP;
        return 0;
    }

    /// <summary>
    /// bpf_map_meta_equal (array_map_meta_equal for arrays): an inner map must match the template's
    /// type, key and value size, map_flags and special fields; arrays also their max_entries unless
    /// the template has BPF_F_INNER_MAP.
    /// </summary>
    public static bool MetaEqual(MapAttributes template, Map inner)
    {
        MapAttributes a = inner.Attributes;
        if (a.Type != template.Type || a.KeySize != template.KeySize || a.ValueSize != template.ValueSize ||
            a.Flags != template.Flags || a.SpinLockOffset != template.SpinLockOffset || a.TimerOffset != template.TimerOffset)
            return false;
        if (template.Type is BpfMapType.Array or BpfMapType.PercpuArray && (template.Flags & MapFlags.BPF_F_INNER_MAP) == 0)
            return a.MaxEntries == template.MaxEntries;
        return true;
    }
}
