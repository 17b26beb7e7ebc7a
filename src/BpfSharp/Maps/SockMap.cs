using BpfSharp.Memory;
using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// BPF_MAP_TYPE_SOCKMAP (kernel: net/core/sock_map.c, sock_map_ops): u32 index keys, values that are socket fds (u32,
/// or u64 with the socket's cookie read back), for bpf_sk_redirect_map, bpf_msg_redirect_map and bpf_sock_map_update.
/// </summary>
/// <remarks>
/// A <see cref="BpfSystem"/> has no sockets, so no fd names one: storing an fd of ours is -ENOTSOCK, any other fd
/// -EBADF (the kernel's sockfd_lookup), and every slot stays empty. Creation, lookups (-ENOSPC with 4-byte values,
/// else -ENOENT), deletion (-EINVAL for an empty slot) and get_next_key are the kernel's; the helpers answer for an
/// empty slot (<see cref="SockMapRules"/>).
/// </remarks>
public sealed unsafe class SockMap : ArrayMapBase
{
    private SockMap(MapAttributes attributes, MapContext context) : base(attributes, context) { }

    /// <summary>kernel: sock_map_alloc: 4-byte keys, 4- or 8-byte values, max_entries &gt; 0, SOCK_CREATE_FLAG_MASK.</summary>
    internal static int TryCreate(MapAttributes attributes, MapContext context, out Map? map)
    {
        map = null;
        if (attributes.MaxEntries == 0 || attributes.KeySize != 4 || !SockMapRules.ValueSizeOk(attributes)
            || !SockMapRules.FlagsOk(attributes))
            return -Errno.EINVAL;
        if (!context.TryCharge(SlotBytes(attributes.MaxEntries))) return -Errno.ENOMEM;
        map = new SockMap(attributes, context);
        return 0;
    }

    private static long SlotBytes(uint maxEntries) => (long)maxEntries * sizeof(ulong);

    /// <summary>Programs find no socket in any slot (kernel: sock_map_lookup): null.</summary>
    public override byte* LookupElem(byte* key, int cpu) => null;

    /// <summary>A program stores a socket it holds (kernel: sock_map_update_elem); it can hold none here: -EOPNOTSUPP.</summary>
    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu) => -Errno.EOPNOTSUPP;

    /// <summary>kernel: sock_map_lookup_sys: -ENOSPC unless value_size is 8 (the cookie), else -ENOENT (every slot is empty).</summary>
    public override int SysLookup(byte* key, byte* value, ulong flags) => SockMapRules.SysLookup(Attributes);

    /// <summary>kernel: sock_map_update_elem_sys: the fd's socket lookup fails (see the remarks).</summary>
    public override int SysUpdate(byte* key, byte* value, ulong flags) => SockMapRules.SysUpdate(Attributes, Context, value);

    /// <summary>kernel: sock_map_delete_elem: -EINVAL for an index past the map and for an empty slot (every slot).</summary>
    public override int DeleteElem(byte* key) => -Errno.EINVAL;

    /// <inheritdoc/>
    protected override void Free()
    {
        Context.Uncharge(SlotBytes(MaxEntries));
        base.Free();
    }
}
