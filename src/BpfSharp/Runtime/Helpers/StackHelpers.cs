using BpfSharp.Maps;
using BpfSharp.Memory;
using static BpfSharp.Runtime.Helpers.BpfFunc;
using static BpfSharp.Runtime.Helpers.HelperArgs;
using static BpfSharp.Maps.StackTraceMap;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// bpf_get_stackid (helper 27) into a <see cref="StackTraceMap"/> and bpf_get_stack (helper 67) into a buffer, from the
/// run's <see cref="RunContext.KernelStack"/> or, with BPF_F_USER_STACK, <see cref="RunContext.UserStack"/> (kernel:
/// stackmap.c). At most <see cref="StackTraceMap.MaxStackDepth"/> frames are taken, skipped frames included.
/// </summary>
/// <remarks>
/// BPF_F_USER_BUILD_ID (stack entries as ELF build id + offset) is -EINVAL here: no build ids exist to report.
/// </remarks>
public static unsafe class StackHelpers
{
    private const ulong StackidFlags = BPF_F_SKIP_FIELD_MASK | BPF_F_USER_STACK | BPF_F_FAST_STACK_CMP | BPF_F_REUSE_STACKID;
    private const ulong GetStackFlags = BPF_F_SKIP_FIELD_MASK | BPF_F_USER_STACK;

    /// <summary>Registers bpf_get_stackid and bpf_get_stack under their kernel ids.</summary>
    public static void Register(HelperRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(BPF_FUNC_get_stackid, Name(BPF_FUNC_get_stackid), GetStackid)
            .Register(BPF_FUNC_get_stack, Name(BPF_FUNC_get_stack), GetStack);
    }

    /// <summary>
    /// long bpf_get_stackid(ctx, map, flags): the id of the stack in the map (stored if new); -EINVAL for unknown
    /// flags, -EFAULT when the stack has no frame past the skipped ones, -EEXIST, -ENOMEM.
    /// </summary>
    public static ulong GetStackid(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        Map map = Map(run, r2);
        if (map is not StackTraceMap stacks) throw run.HelperFault($"0x{r2:x} is not a stack trace map");
        if ((r3 & ~StackidFlags) != 0) return Errno(-Uapi.Errno.EINVAL);
        int depth = stacks.Depth + (int)(r3 & BPF_F_SKIP_FIELD_MASK);
        return (ulong)stacks.StoreStack(Taken(run, r3, depth), r3);
    }

    /// <summary>
    /// long bpf_get_stack(ctx, buf, size, flags): copies the frames past the skipped ones (as many as fit) into the
    /// buffer and zeroes the rest; returns the bytes copied, or -EINVAL (unknown flags, a size not a multiple of 8) /
    /// -EFAULT (fewer frames than skipped) with the whole buffer zeroed.
    /// </summary>
    public static ulong GetStack(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        run.CheckAccess(r2, r3, AccessKind.Store);
        var buffer = new Span<byte>((void*)r2, (int)r3);
        int err = -Uapi.Errno.EINVAL;
        if ((r4 & ~GetStackFlags) == 0 && r3 % 8 == 0)
        {
            int count = (int)(r3 / 8), skip = (int)(r4 & BPF_F_SKIP_FIELD_MASK);
            ReadOnlySpan<ulong> stack = Taken(run, r4, count + skip);
            if (stack.Length >= skip)
            {
                ReadOnlySpan<ulong> frames = stack[skip..];
                if (frames.Length > count) frames = frames[..count];
                int copied = frames.Length * 8;
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(frames).CopyTo(buffer);
                buffer[copied..].Clear();
                return (ulong)copied;
            }
            err = -Uapi.Errno.EFAULT;
        }
        buffer.Clear();
        return Errno(err);
    }

    // kernel: get_perf_callchain: at most max_depth frames (capped at perf_event_max_stack) of the asked-for stack.
    private static ReadOnlySpan<ulong> Taken(RunContext run, ulong flags, int maxDepth)
    {
        ReadOnlySpan<ulong> stack = ((flags & BPF_F_USER_STACK) != 0 ? run.UserStack : run.KernelStack).Span;
        int depth = Math.Min(maxDepth, MaxStackDepth);
        return stack.Length > depth ? stack[..depth] : stack;
    }
}
