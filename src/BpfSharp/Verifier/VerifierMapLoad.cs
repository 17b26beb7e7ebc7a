using BpfSharp.Maps;

namespace BpfSharp.Verifier;

/// <summary>
/// A 64-bit immediate load that names a map, resolved before verification (kernel: the map_index and map_off
/// that resolve_pseudo_ldimm64 records in insn_aux_data): <see cref="IsValue"/> false is BPF_PSEUDO_MAP_FD /
/// MAP_IDX (a CONST_PTR_TO_MAP), true is BPF_PSEUDO_MAP_VALUE / MAP_IDX_VALUE (a map value pointer at
/// <see cref="Offset"/>).
/// </summary>
public readonly record struct VerifierMapLoad(Map Map, bool IsValue, uint Offset);
