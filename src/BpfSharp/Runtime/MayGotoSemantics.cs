using System.Runtime.CompilerServices;
using BpfSharp.Isa;

namespace BpfSharp.Runtime;

/// <summary>
/// What <c>may_goto</c> does at run time (kernel 6.9, the <c>can_loop</c> and <c>cond_break</c> macros of
/// bpf_experimental.h): every invocation of a function (the main program, a bpf-to-bpf callee, a callback) starts
/// with a loop budget of <see cref="Opcodes.BPF_MAX_LOOPS"/>; each <c>may_goto</c> in that function counts it down
/// and falls through while it lasts, and jumps once it is spent. Every engine (interpreter, JIT) uses these so that
/// they agree.
/// </summary>
/// <remarks>
/// This is the kernel's count-based form (kernel: do_misc_fixups, the interpreter and the arm64 and other JITs: a
/// counter in an extra stack slot of the function, set to BPF_MAX_LOOPS at its entry). The x86-64 kernel JIT uses a
/// timed form instead (bpf_jit_supports_timed_may_goto: a budget of about 250 ms per loop nest), whose iteration
/// count is not fixed; BpfSharp always counts, so a loop that only ends by its <c>may_goto</c> runs exactly
/// BPF_MAX_LOOPS times, on every engine, verified or not.
/// </remarks>
public static class MayGotoSemantics
{
    /// <summary>The loop budget of a function invocation at its entry (kernel: BPF_MAX_LOOPS).</summary>
    public const ulong InitialBudget = Opcodes.BPF_MAX_LOOPS;

    /// <summary>
    /// One <c>may_goto</c>: true (take the jump) when <paramref name="budget"/> is spent; otherwise counts it down and
    /// returns false (fall through).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Jumps(ref ulong budget)
    {
        if (budget == 0)
            return true;
        budget--;
        return false;
    }
}
