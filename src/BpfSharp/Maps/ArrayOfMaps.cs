using BpfSharp.Memory;
using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// BPF_MAP_TYPE_ARRAY_OF_MAPS (kernel: arraymap.c, array_of_maps_map_ops): an array whose slots hold
/// references to maps that match the <see cref="Template"/> given at creation (inner_map_fd). User space
/// stores map fds and looks up map ids; a program's lookup returns the inner map itself (its
/// <see cref="Map.Handle"/>), which the program then uses like any map.
/// </summary>
public sealed unsafe class ArrayOfMaps : FdArrayMap
{
    // The attributes drop the inner map: the template map may be freed; Template keeps what matters of it.
    private ArrayOfMaps(MapAttributes attributes, MapContext context, InnerMapTemplate template)
        : base(attributes with { InnerMap = null }, context)
    {
        Template = template;
    }

    /// <summary>
    /// kernel: fd_array_map_alloc_check + array_of_map_alloc: the array checks, then the template
    /// (<see cref="InnerMapTemplate.TryCreate"/>: -EBADF, -EINVAL, -ENOTSUPP), then -ENOMEM.
    /// </summary>
    internal static int TryCreate(MapAttributes attributes, MapContext context, out Map? map)
    {
        map = null;
        int err = CheckFdArrayAttributes(attributes);
        if (err != 0) return err;
        err = InnerMapTemplate.TryCreate(attributes, context, out InnerMapTemplate? template);
        if (err != 0) return err;
        if (!TryChargeSlots(attributes, context)) return -Errno.ENOMEM;
        map = new ArrayOfMaps(attributes, context, template!);
        return 0;
    }

    /// <summary>What every inner map must match (kernel: map->inner_map_meta).</summary>
    public InnerMapTemplate Template { get; }

    /// <summary>The map in slot <paramref name="index"/>, or null.</summary>
    public Map? GetInnerMap(uint index) => (Map?)Get(index);

    /// <summary>kernel: array_of_map_lookup_elem: the inner map's handle, or null for an empty slot or an index out of range.</summary>
    public override byte* LookupElem(byte* key, int cpu)
    {
        BpfObject? inner = Get(IndexOf(key));
        return inner is null ? null : (byte*)((Map)inner).Handle;
    }

    /// <summary>kernel: bpf_map_fd_get_ptr through the template: -EBADF, or -EINVAL for a non-map or a mismatch.</summary>
    protected override int GetPtr(uint fd, out BpfObject? obj)
    {
        int err = Template.ResolveInnerMap(Context, fd, out Map? inner);
        obj = inner;
        return err;
    }
}
