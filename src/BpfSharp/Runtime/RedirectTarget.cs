using BpfSharp.Uapi;

namespace BpfSharp.Runtime;

/// <summary>
/// Where a program asked its packet to go (kernel: struct bpf_redirect_info, as bpf_redirect and bpf_redirect_map
/// fill it): the target ifindex (or, for a map, the key), the flags, and the map's id and type when the target is
/// a map entry. <see cref="IsSet"/> is false until a redirect helper ran in the current run.
/// </summary>
/// <param name="IsSet">True once a redirect helper recorded a target.</param>
/// <param name="Ifindex">The target device's ifindex (bpf_redirect), or the map key (bpf_redirect_map) (kernel: tgt_index).</param>
/// <param name="Flags">The flags the helper was given (BPF_F_INGRESS, BPF_F_BROADCAST, ...).</param>
/// <param name="MapId">The id of the map the target was looked up in, or 0 for a plain ifindex (kernel: map_id).</param>
/// <param name="MapType">The type of that map; <see cref="BpfMapType.Unspec"/> for a plain ifindex (kernel: map_type).</param>
public readonly record struct RedirectTarget(bool IsSet, uint Ifindex, ulong Flags, uint MapId, BpfMapType MapType);
