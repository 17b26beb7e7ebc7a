using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Uapi;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// Argument handling every helper family shares: turning a map pointer into the map, the run's CPU for a
/// map, exposing a returned map value to the rest of the run, the checks of pointer arguments, -errno results.
/// </summary>
public static unsafe class HelperArgs
{
    /// <summary>The map whose <see cref="Map.Handle"/> is <paramref name="handle"/> (ARG_CONST_MAP_PTR).</summary>
    /// <exception cref="BpfRuntimeException">It is no map of <see cref="RunContext.Maps"/> (in either mode: it cannot be used).</exception>
    public static Map Map(RunContext run, ulong handle) =>
        run.Maps?.Resolve(handle) ?? throw run.HelperFault(run.Maps is null
            ? $"map pointer 0x{handle:x} given, but the run has no map registry"
            : $"0x{handle:x} is not a map");

    /// <summary>The run's CPU as a slot index of <paramref name="map"/>'s per-CPU values.</summary>
    public static int Cpu(RunContext run, Map map)
    {
        int cpu = run.Cpu, cpus = map.Context.PossibleCpus;
        return cpu < cpus ? cpu : cpu % cpus;
    }

    /// <summary>
    /// Lets the rest of the run touch the value at <paramref name="value"/> (RET_PTR_TO_MAP_VALUE): writable
    /// unless the map is BPF_F_RDONLY_PROG.
    /// </summary>
    public static void ExposeValue(RunContext run, Map map, byte* value) =>
        run.AddRunRegion(new MemoryRegion((nint)value, map.ValueSize, (map.Flags & MapFlags.BPF_F_RDONLY_PROG) == 0, "map_value"));

    /// <summary>A helper's -errno result as the 64-bit r0 the kernel returns.</summary>
    public static ulong Errno(int negativeErrno) => (ulong)(long)negativeErrno;

    /// <summary>
    /// For ARG_PTR_TO_FUNC: checked mode faults unless <paramref name="callback"/> is a subprogram of the program
    /// (the verifier's check; unchecked runs find out when calling it).
    /// </summary>
    public static void CheckCallback(RunContext run, ulong callback)
    {
        if (run.IsChecked && !run.IsCallback(callback))
            throw run.HelperFault($"callback 0x{callback:x} is not a subprogram of the running program");
    }

    /// <summary>For ARG_PTR_TO_STACK_OR_NULL: checked mode faults unless <paramref name="pointer"/> is 0 or in the active stack.</summary>
    public static void CheckStackOrNull(RunContext run, ulong pointer)
    {
        if (run.IsChecked && pointer != 0 && !run.ActiveStack.Contains(pointer, 1))
            throw run.HelperFault($"0x{pointer:x} is neither NULL nor a pointer to the stack");
    }

    /// <summary>For MEM_ALIGNED and lock arguments: checked mode faults unless <paramref name="pointer"/> is a multiple of <paramref name="alignment"/>.</summary>
    public static void CheckAligned(RunContext run, ulong pointer, uint alignment)
    {
        if (run.IsChecked && (pointer & (alignment - 1)) != 0)
            throw run.HelperFault($"0x{pointer:x} is not aligned to {alignment} bytes");
    }

    /// <summary>
    /// For ARG_PTR_TO_CONST_STR: the string at <paramref name="pointer"/> without its NUL. Checked mode faults
    /// unless it is readable up to a NUL; unchecked runs trust the verifier's proof that it is.
    /// </summary>
    public static ReadOnlySpan<byte> ConstString(RunContext run, ulong pointer)
    {
        if (run.IsChecked)
        {
            ulong readable = run.AccessibleLength(pointer, AccessKind.Load);
            int length = readable == 0 ? -1 : new ReadOnlySpan<byte>((void*)pointer, (int)Math.Min(readable, int.MaxValue)).IndexOf((byte)0);
            if (length < 0)
                throw run.HelperFault($"0x{pointer:x} is not a NUL-terminated string the program may read");
            return new ReadOnlySpan<byte>((void*)pointer, length);
        }
        return System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)pointer);
    }
}
