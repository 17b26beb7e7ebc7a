namespace BpfSharp.Verifier;

/// <summary>
/// Per-instruction facts the first pass records for the path walk (the kernel's
/// <c>bpf_insn_aux_data</c> bits set by <c>check_cfg</c>).
/// </summary>
[Flags]
public enum CfgInsnFlags : byte
{
    /// <summary>No facts.</summary>
    None = 0,
    /// <summary>The walk checks for an equivalent visited state here (<c>prune_point</c>).</summary>
    PrunePoint = 1,
    /// <summary>A jump or call-return lands here; the walk records jump history (<c>jmp_point</c>).</summary>
    JmpPoint = 2,
    /// <summary>The walk always saves a state here (<c>force_checkpoint</c>: may_goto, callback-calling helpers).</summary>
    ForceCheckpoint = 4,
    /// <summary>A helper call that calls a callback synchronously (<c>calls_callback</c>).</summary>
    CallsCallback = 8,
    /// <summary>The second slot of a 64-bit immediate load: not an instruction.</summary>
    LdImm64SecondHalf = 16,
}
