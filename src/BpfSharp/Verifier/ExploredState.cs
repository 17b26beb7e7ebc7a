namespace BpfSharp.Verifier;

/// <summary>
/// A checkpoint: a copy of a path's state saved at a prune point for later paths to be compared with
/// (kernel: struct bpf_verifier_state_list). Once every path that continues from it has ended
/// (<see cref="VerifierState.Branches"/> 0), it proves safe every state it covers.
/// </summary>
internal sealed class ExploredState(VerifierState state)
{
    /// <summary>The saved state; later paths that continue from it name it as their <see cref="VerifierState.Parent"/>.</summary>
    public VerifierState State { get; } = state;

    /// <summary>How often it pruned a path (kernel: hit_cnt).</summary>
    public int HitCount { get; set; }

    /// <summary>How often it failed to (kernel: miss_cnt); too many misses evict it.</summary>
    public int MissCount { get; set; }

    /// <summary>Evicted from its list while paths still continue from it (kernel: in_free_list).</summary>
    public bool InFreeList { get; set; }
}
