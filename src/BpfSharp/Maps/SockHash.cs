using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// BPF_MAP_TYPE_SOCKHASH (kernel: net/core/sock_map.c, sock_hash_ops): keys of any size up to 512 bytes, socket fd
/// values; like <see cref="SockMap"/>, no fd names a socket here, so the map stays empty.
/// </summary>
public sealed unsafe class SockHash : Map
{
    private SockHash(MapAttributes attributes, MapContext context) : base(attributes, context) { }

    /// <summary>
    /// kernel: sock_hash_alloc: key_size 1..MAX_BPF_STACK (-E2BIG above), 4- or 8-byte values, max_entries &gt; 0 with
    /// a power-of-two bucket count that fits, SOCK_CREATE_FLAG_MASK.
    /// </summary>
    internal static int TryCreate(MapAttributes attributes, MapContext context, out Map? map)
    {
        map = null;
        if (attributes.MaxEntries == 0 || attributes.KeySize == 0 || !SockMapRules.ValueSizeOk(attributes)
            || !SockMapRules.FlagsOk(attributes))
            return -Errno.EINVAL;
        if (attributes.KeySize > SockMapRules.MaxBpfStack) return -Errno.E2BIG;
        if (attributes.MaxEntries > 1u << 31) return -Errno.EINVAL; // roundup_pow_of_two overflows: no buckets
        map = new SockHash(attributes, context);
        return 0;
    }

    /// <inheritdoc cref="SockMap.LookupElem"/>
    public override byte* LookupElem(byte* key, int cpu) => null;

    /// <inheritdoc cref="SockMap.UpdateElem"/>
    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu) => -Errno.EOPNOTSUPP;

    /// <summary>kernel: sock_hash_delete_elem: -ENOENT (no key is present).</summary>
    public override int DeleteElem(byte* key) => -Errno.ENOENT;

    /// <summary>kernel: sock_hash_get_next_key: no element to start from or go to: -ENOENT.</summary>
    public override int GetNextKey(byte* key, byte* nextKey) => -Errno.ENOENT;

    /// <inheritdoc cref="SockMap.SysLookup"/>
    public override int SysLookup(byte* key, byte* value, ulong flags) => SockMapRules.SysLookup(Attributes);

    /// <inheritdoc cref="SockMap.SysUpdate"/>
    public override int SysUpdate(byte* key, byte* value, ulong flags) => SockMapRules.SysUpdate(Attributes, Context, value);
}
