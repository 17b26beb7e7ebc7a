using BpfSharp.Maps;
using static BpfSharp.Runtime.Helpers.BpfFunc;
using static BpfSharp.Runtime.Helpers.HelperArgs;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// The helpers of SOCKMAP and SOCKHASH (kernel: net/core/sock_map.c). A <see cref="BpfSystem"/> has no sockets, so
/// the maps' slots are always empty (<see cref="SockMap"/>): a redirect finds no socket and answers SK_DROP, as the
/// kernel does for an empty slot, and a sock_ops program has no socket a map could take (-EOPNOTSUPP).
/// </summary>
public static class SockMapHelpers
{
    /// <summary>SK_DROP: the verdict of a redirect to no socket.</summary>
    public const ulong SkDrop = 0;

    private const ulong BPF_F_INGRESS = 1;

    /// <summary>Registers bpf_sk_redirect_map, bpf_sock_map_update, bpf_msg_redirect_map, bpf_sock_hash_update,
    /// bpf_msg_redirect_hash and bpf_sk_redirect_hash under their kernel ids.</summary>
    public static void Register(HelperRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(BPF_FUNC_sk_redirect_map, Name(BPF_FUNC_sk_redirect_map), Redirect)
            .Register(BPF_FUNC_sock_map_update, Name(BPF_FUNC_sock_map_update), SockOpsUpdate)
            .Register(BPF_FUNC_msg_redirect_map, Name(BPF_FUNC_msg_redirect_map), Redirect)
            .Register(BPF_FUNC_sock_hash_update, Name(BPF_FUNC_sock_hash_update), SockOpsUpdate)
            .Register(BPF_FUNC_msg_redirect_hash, Name(BPF_FUNC_msg_redirect_hash), Redirect)
            .Register(BPF_FUNC_sk_redirect_hash, Name(BPF_FUNC_sk_redirect_hash), Redirect);
    }

    /// <summary>
    /// long bpf_{sk,msg}_redirect_{map,hash}(ctx, map, key, flags): SK_DROP for flags other than BPF_F_INGRESS and for
    /// a key with no socket (every key here).
    /// </summary>
    public static ulong Redirect(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        Map map = Map(run, r2);
        if (map is not (SockMap or SockHash) && run.IsChecked)
            throw run.HelperFault($"map {map.Attributes.Name} is a {map.Type}, not a SOCKMAP or SOCKHASH");
        return SkDrop;
    }

    /// <summary>long bpf_sock_{map,hash}_update(sock_ops, map, key, flags): the program's context holds no socket: -EOPNOTSUPP.</summary>
    public static ulong SockOpsUpdate(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        Errno(-Uapi.Errno.EOPNOTSUPP);
}
