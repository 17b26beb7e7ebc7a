namespace BpfSharp.Verifier;

/// <summary>
/// One subprogram (kernel <c>struct bpf_subprog_info</c>, the part the first pass fills):
/// instructions <see cref="Start"/> up to but not including <see cref="End"/>.
/// </summary>
/// <param name="Start">Index of the subprogram's first instruction.</param>
/// <param name="End">Index one past its last instruction (the next subprogram's start).</param>
/// <param name="HasTailCall">It calls <c>bpf_tail_call</c> (<c>has_tail_call</c>).</param>
/// <param name="HasLdAbs">It uses a legacy BPF_LD | BPF_ABS or BPF_IND packet load (<c>has_ld_abs</c>).</param>
public readonly record struct SubprogInfo(int Start, int End, bool HasTailCall, bool HasLdAbs)
{
    /// <summary>Number of instruction slots.</summary>
    public int Length => End - Start;
}
