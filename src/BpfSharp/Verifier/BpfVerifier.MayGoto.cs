using BpfSharp.Isa;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Verifier;

// kernel: the BPF_JCOND part of check_cond_jmp_op (may_goto), is_may_goto_insn, and the stack slots do_misc_fixups
// adds for it.
public sealed partial class BpfVerifier
{
    /// <summary>
    /// Bytes of stack the kernel adds to a function that keeps a may_goto budget (kernel: do_misc_fixups' stack_depth_extra):
    /// 16 with the x86-64 JIT's timed may_goto (a count and a start time), the machine the verdicts are recorded on;
    /// 8 for the plain count elsewhere. Our engines keep the budget out of the BPF stack.
    /// </summary>
    private const int MayGotoStackExtra = 16;

    // kernel: the subprograms whose may_goto survives the rewrites after do_check (one seen by the walk; for a
    // CAP_SYS_ADMIN load not a may_goto +0, which opt_remove_nops drops)
    private bool[]? _mayGotoKept;

    // kernel: is_may_goto_insn
    private bool IsMayGotoInsn(int insnIdx) =>
        _insns[insnIdx].Opcode == MAY_GOTO && _insns[insnIdx].Src == BPF_MAY_GOTO;

    /// <summary>
    /// may_goto: the path that loops on (falls through) is queued with one more may_goto level, its scalars that changed
    /// since the previous time round widened; this path takes the jump, out of the loop (kernel: check_cond_jmp_op for
    /// BPF_JCOND). Nothing is printed after it. The decoder refused malformed encodings before the walk.
    /// </summary>
    private void CheckMayGoto(Instruction insn)
    {
        int idx = _insnIdx;
        // the checkpoint an earlier iteration of this loop saved here (the state is_state_visited saved just now is
        // the current path's own: the search starts above it)
        VerifierState? prev = _cur.Parent is { } parent ? FindPrevEntry(idx, parent) : null;
        VerifierState queued;
        try
        {
            queued = PushBranch(idx + 1, idx);
        }
        catch (VerifierException e) when (e.Errno == -Errno.E2BIG)
        {
            // kernel: a failed push_stack is -ENOMEM here, whatever the reason ("The sequence of 8193 jumps is too complex.")
            throw new VerifierException(-Errno.ENOMEM);
        }
        queued.MayGotoDepth++;
        if (prev is not null)
            WidenImpreciseScalars(prev, queued);
        if (insn.Offset != 0 || !_caps.SysAdmin)
            (_mayGotoKept ??= new bool[_cfg.Subprogs.Length])[_cfg.SubprogOf(idx)] = true;
        _insnIdx += insn.Offset;
    }

    /// <summary>Adds the stack of the may_goto budget to every function that keeps one (kernel: do_misc_fixups).</summary>
    private void AddMayGotoStack()
    {
        if (_mayGotoKept is null)
            return;
        for (int i = 0; i < _stackDepth.Length; i++)
            if (_mayGotoKept[i])
                _stackDepth[i] += MayGotoStackExtra;
    }
}
