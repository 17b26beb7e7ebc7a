using System.Runtime.CompilerServices;
using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Uapi;
using static BpfSharp.Runtime.Helpers.BpfFunc;
using static BpfSharp.Runtime.Helpers.HelperArgs;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// bpf_tail_call (kernel: the interpreter's JMP_TAIL_CALL and the x86-64 JIT's tail-call sequence). Taken in the
/// main frame, the program ends and <see cref="RunContext.TailCallTarget"/> names the program to run next; the
/// program-run loop (<see cref="RunContext.TakeTailCall"/>) runs it with the same context. Taken in a subprogram
/// (or callback) frame, the target replaces only that frame: it runs at once, nested, and its r0 is what the frame
/// returns to its caller, which goes on. Every tail call of the run counts against the same limit.
/// </summary>
public static class TailCall
{
    /// <summary>Registers bpf_tail_call under its kernel id.</summary>
    public static void Register(HelperRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(BPF_FUNC_tail_call, Name(BPF_FUNC_tail_call), BpfTailCall);
    }

    /// <summary>
    /// long bpf_tail_call(ctx, prog_array_map, u32 index): falls through (returns 0, the program goes on) if
    /// index is out of range, <see cref="RunContext.MaxTailCalls"/> tail calls were already taken, or the slot
    /// is empty; otherwise ends the program and records the target, or, in a subprogram frame, runs the target and
    /// makes the frame return its r0. As in the kernel's x86-64 JIT (the 6.18 kernel's tail calls), only a call that
    /// finds a program counts: one into an empty slot does not.
    /// </summary>
    /// <exception cref="BpfRuntimeException">A nested target faulted, or the thread's stack has no room left for it.</exception>
    public static ulong BpfTailCall(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        Map map = Map(run, r2);
        if (map.Type != BpfMapType.ProgArray)
        {
            if (run.IsChecked)
                throw run.HelperFault($"map {map.Attributes.Name} is a {map.Type}, not a PROG_ARRAY");
            return 0;
        }
        uint index = (uint)r3;
        if (index >= map.MaxEntries || run.TailCallCount >= RunContext.MaxTailCalls)
            return 0;
        BpfObject? target = map.GetProgram(index);
        if (target is null)
            return 0;
        run.TailCallCount++;
        if (run.Depth == 0)
        {
            run.RequestTailCall(target);
            return 0;
        }
        return TailCallFromSubprogram(run, target);
    }

    // The target replaces the calling subprogram's frame: it runs now; the frame returns what it returns.
    private static ulong TailCallFromSubprogram(RunContext run, BpfObject target)
    {
        if (target is not INestedTailCallTarget nested)
            return 0;
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw run.HelperFault("no stack left on this thread to run a tail call from a subprogram");
        if (!nested.TryRunNested(run, out ulong r0))
            return 0; // the target is being freed: as an empty slot
        run.RequestFrameExit(r0);
        return r0;
    }
}
