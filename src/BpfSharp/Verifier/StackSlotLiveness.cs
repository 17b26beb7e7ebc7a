namespace BpfSharp.Verifier;

/// <summary>The liveness marks of one stack slot (kernel: enum bpf_reg_liveness, for stack slots).</summary>
[Flags]
internal enum StackSlotLiveness : byte
{
    /// <summary>No mark.</summary>
    None = 0,
    /// <summary>A path continuing from this checkpoint read the slot before writing all of it (kernel: REG_LIVE_READ).</summary>
    Read = 1,
    /// <summary>The path wrote the whole slot since its last checkpoint: reads stop here (kernel: REG_LIVE_WRITTEN).</summary>
    Written = 2,
}
