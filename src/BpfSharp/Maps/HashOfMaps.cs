using System.Runtime.InteropServices;
using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// BPF_MAP_TYPE_HASH_OF_MAPS (htab_of_maps_map_ops): a hash map whose values are maps. User space
/// stores a map by its fd (a u32 value) and reads back the map's id; a program's lookup returns the
/// inner map's <see cref="Map.Handle"/>. Every inner map must match the <see cref="Template"/> given at
/// creation (inner_map_fd). The map holds a reference on each inner map until the
/// element is deleted or replaced and no run can still use it, or until the map is freed.
/// </summary>
public sealed unsafe class HashOfMaps : HashTable
{
    /// <summary>Bytes stored per element: the inner map's handle, then a GC handle to the map object.</summary>
    private const int StoredValueSize = 16;

    // The attributes drop the inner map: the template map may be freed; Template keeps what matters of it.
    private HashOfMaps(MapAttributes attributes, MapContext context, InnerMapTemplate template)
        : base(attributes with { InnerMap = null }, context, StoredValueSize)
    {
        Template = template;
    }

    /// <summary>What every inner map must match (kernel: map->inner_map_meta).</summary>
    public InnerMapTemplate Template { get; }

    /// <summary>
    /// fd_htab_map_alloc_check + htab_of_map_alloc: value_size must be 4 (an fd), the hash checks
    /// apply, and the template must be usable (<see cref="InnerMapTemplate.TryCreate"/>): 0 or -errno.
    /// </summary>
    internal static int TryCreate(MapAttributes attributes, MapContext context, out Map? map)
    {
        map = null;
        if (attributes.ValueSize != sizeof(uint))
            return -Errno.EINVAL;
        int err = CheckAttributes(attributes);
        if (err != 0) return err;
        err = InnerMapTemplate.TryCreate(attributes, context, out InnerMapTemplate? template);
        if (err != 0) return err;
        // map_check_no_btf: a map-in-map takes no BTF for its key and value.
        if (attributes.BtfKeyTypeId != 0 || attributes.BtfValueTypeId != 0)
            return -Errno.ENOTSUPP;
        return Create(attributes, context, a => new HashOfMaps(a, context, template!), out map);
    }

    /// <summary>htab_of_map_lookup_elem: the inner map's handle, or null.</summary>
    public override byte* LookupElem(byte* key, int cpu)
    {
        HashElement* e = Find(key);
        return e == null ? null : (byte*)Volatile.Read(ref *(nint*)ValueOf(e));
    }

    /// <summary>Programs cannot update a map-in-map (the kernel has no program-side update for it).</summary>
    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu) => -Errno.EOPNOTSUPP;

    /// <summary>
    /// bpf_fd_htab_map_update_elem: <paramref name="value"/> is a u32 map fd; -EBADF if it is not
    /// open, -EINVAL if it is not a map matching the template; then the hash update rules.
    /// </summary>
    public override int SysUpdate(byte* key, byte* value, ulong flags)
    {
        int err = Template.ResolveInnerMap(Context, *(uint*)value, out Map? inner);
        if (err != 0)
            return err;
        nint gcHandle = GCHandle.ToIntPtr(GCHandle.Alloc(inner));
        nint* stored = stackalloc nint[2] { inner!.Handle, gcHandle };
        using (Context.Epochs.Enter())
            err = UpdateReplace(key, (byte*)stored, flags);
        if (err != 0)
        {
            GCHandle.FromIntPtr(gcHandle).Free();
            inner.Release();
        }
        return err; // a replaced inner map is released as soon as no run can still use it
    }

    /// <summary>Copies the stored handle pair into a new element.</summary>
    private protected override void StoreNewValue(byte* destination, byte* source) =>
        Buffer.MemoryCopy(source, destination, StoredValueSize, StoredValueSize);

    /// <summary>map_fd_sys_lookup_elem: user space reads the inner map's id.</summary>
    private protected override void CopyOut(HashElement* e, byte* value, ulong flags) =>
        *(uint*)value = InnerMapOf(e).Id;

    /// <summary>MAP_LOOKUP_AND_DELETE_ELEM is not supported for map-in-map (the kernel answers ENOTSUPP).</summary>
    public override int SysLookupAndDelete(byte* key, byte* value, ulong flags) => -Errno.ENOTSUPP;

    /// <inheritdoc/>
    internal override bool ReleasesOnElementFree => true;

    /// <summary>map_fd_put_ptr: drops the element's reference on its inner map.</summary>
    internal override void OnElementFreed(HashElement* e)
    {
        nint* stored = (nint*)ValueOf(e);
        if (stored[1] == 0) return;
        GCHandle handle = GCHandle.FromIntPtr(stored[1]);
        var inner = (Map)handle.Target!;
        handle.Free();
        stored[0] = stored[1] = 0;
        inner.Release();
    }

    private Map InnerMapOf(HashElement* e) => (Map)GCHandle.FromIntPtr(((nint*)ValueOf(e))[1]).Target!;
}
