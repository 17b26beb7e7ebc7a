using BpfSharp.Memory;
using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>The rules SOCKMAP and SOCKHASH share (kernel: sock_map.c).</summary>
internal static unsafe class SockMapRules
{
    /// <summary>MAX_BPF_STACK: the largest SOCKHASH key.</summary>
    public const uint MaxBpfStack = 512;

    // SOCK_CREATE_FLAG_MASK
    private const uint CreateFlags = MapFlags.BPF_F_NUMA_NODE | MapFlags.BPF_F_RDONLY | MapFlags.BPF_F_WRONLY;

    public static bool ValueSizeOk(MapAttributes a) => a.ValueSize is sizeof(uint) or sizeof(ulong);

    public static bool FlagsOk(MapAttributes a) => (a.Flags & ~CreateFlags) == 0;

    public static int SysLookup(MapAttributes a) => a.ValueSize != sizeof(ulong) ? -Errno.ENOSPC : -Errno.ENOENT;

    /// <summary>
    /// kernel: sock_map_update_elem_sys: the fd (u64 with 8-byte values) above S32_MAX is -EINVAL; sockfd_lookup then
    /// fails: -EBADF for an fd that is not open, -ENOTSOCK for one of ours (a map, a program, BTF: never a socket).
    /// </summary>
    public static int SysUpdate(MapAttributes a, MapContext context, byte* value)
    {
        ulong fd = a.ValueSize == sizeof(ulong) ? *(ulong*)value : *(uint*)value;
        if (fd > int.MaxValue) return -Errno.EINVAL;
        BpfObject? obj = context.ResolveFd?.Invoke((int)fd);
        if (obj is null) return -Errno.EBADF;
        obj.Release();
        return -Errno.ENOTSOCK;
    }
}
