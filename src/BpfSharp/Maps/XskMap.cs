using BpfSharp.Memory;
using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// BPF_MAP_TYPE_XSKMAP (kernel: xskmap.c): AF_XDP sockets by index for bpf_redirect_map. There are no AF_XDP sockets
/// here, so every slot stays empty: a redirect to it takes the fallback action in the flags, and storing an fd fails
/// as the kernel fails for an fd that is not such a socket.
/// </summary>
public sealed unsafe class XskMap : ArrayMapBase
{
    private XskMap(MapAttributes a, MapContext c) : base(a, c) { }

    /// <summary>kernel: xsk_map_alloc: -EINVAL for key or value size other than 4, max_entries 0, flags other than NUMA_NODE/RDONLY/WRONLY.</summary>
    internal static int TryCreate(MapAttributes a, MapContext context, out Map? map)
    {
        map = null;
        if (a.MaxEntries == 0 || a.KeySize != 4 || a.ValueSize != 4
            || (a.Flags & ~(MapFlags.BPF_F_NUMA_NODE | MapFlags.BPF_F_RDONLY | MapFlags.BPF_F_WRONLY)) != 0)
            return -Errno.EINVAL;
        map = new XskMap(a, context);
        return 0;
    }

    /// <summary>Every slot is empty.</summary>
    public override byte* LookupElem(byte* key, int cpu) => null;

    /// <summary>Programs cannot store sockets.</summary>
    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu) => -Errno.EINVAL;

    /// <summary>kernel: xsk_map_lookup_elem_sys: -EOPNOTSUPP.</summary>
    public override int SysLookup(byte* key, byte* value, ulong flags) => -Errno.EOPNOTSUPP;

    /// <summary>
    /// kernel: xsk_map_update_elem: -EINVAL for unknown flags, -E2BIG past the end, then the fd: -EBADF when it is not
    /// open, -ENOTSOCK otherwise (no AF_XDP socket exists here).
    /// </summary>
    public override int SysUpdate(byte* key, byte* value, ulong flags)
    {
        if (flags > MapFlags.BPF_EXIST) return -Errno.EINVAL;
        if (IndexOf(key) >= MaxEntries) return -Errno.E2BIG;
        BpfObject? obj = Context.ResolveFd?.Invoke(*(int*)value);
        if (obj is null) return -Errno.EBADF;
        obj.Release();
        return -Errno.ENOTSOCK;
    }

    /// <summary>kernel: xsk_map_delete_elem: -EINVAL past the end, else 0 (the slot is already empty).</summary>
    public override int DeleteElem(byte* key) => IndexOf(key) >= MaxEntries ? -Errno.EINVAL : 0;
}
