using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Uapi;
using static BpfSharp.Runtime.Helpers.BpfFunc;
using static BpfSharp.Runtime.Helpers.HelperArgs;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// The helpers that call back into the program (kernel/bpf/bpf_iter.c): bpf_loop and bpf_for_each_map_elem.
/// The callback is a <see cref="SubprogramPointer"/> run with <see cref="RunContext.InvokeCallback"/>; it
/// returns 0 to go on and 1 to stop.
/// </summary>
public static unsafe class LoopHelpers
{
    /// <summary>BPF_MAX_LOOPS: iterations bpf_loop runs at most (1 &lt;&lt; 23).</summary>
    public const uint MaxLoops = 1u << 23;

    // for_each keys up to this size live on the helper's stack; larger ones are allocated per call.
    private const int StackKeyBytes = 256;

    /// <summary>Registers bpf_loop and bpf_for_each_map_elem under their kernel ids.</summary>
    public static void Register(HelperRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(BPF_FUNC_loop, Name(BPF_FUNC_loop), Loop)
            .Register(BPF_FUNC_for_each_map_elem, Name(BPF_FUNC_for_each_map_elem), ForEachMapElem);
    }

    /// <summary>
    /// long bpf_loop(u32 nr_loops, callback_fn, callback_ctx, u64 flags): calls
    /// <c>callback_fn(i, callback_ctx)</c> for i = 0 .. nr_loops-1 until it returns non-zero. Returns the
    /// number of calls made; -EINVAL for non-zero flags, -E2BIG for nr_loops over <see cref="MaxLoops"/>.
    /// </summary>
    public static ulong Loop(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        CheckCallback(run, r2);
        CheckStackOrNull(run, r3);
        if (r4 != 0)
            return Errno(-Uapi.Errno.EINVAL);
        uint loops = (uint)r1;
        if (loops > MaxLoops)
            return Errno(-Uapi.Errno.E2BIG);
        for (uint i = 0; i < loops; i++)
        {
            ulong stop = run.InvokeCallback(r2, i, r3, 0, 0, 0);
            if (run.IsExitRequested)
                return 0;
            if (stop != 0)
                return i + 1;
        }
        return loops;
    }

    /// <summary>
    /// long bpf_for_each_map_elem(map, callback_fn, callback_ctx, u64 flags): calls
    /// <c>callback_fn(map, &amp;key, &amp;value, callback_ctx)</c> for each element (per-CPU maps: the running
    /// CPU's value) in the map's key order until it returns non-zero. Returns the number of elements visited
    /// (the one that stopped included); -EINVAL for non-zero flags. The key is a read-only copy, the value
    /// the element's own memory.
    /// </summary>
    public static ulong ForEachMapElem(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        Map map = Map(run, r1);
        CheckCallback(run, r2);
        CheckStackOrNull(run, r3);
        if (r4 != 0)
            return Errno(-Uapi.Errno.EINVAL);

        int keySize = (int)map.KeySize;
        byte* onStack = stackalloc byte[2 * StackKeyBytes];
        byte* keys = keySize <= StackKeyBytes ? onStack : (byte*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)(2 * Math.Max(keySize, 1)));
        var keyRegion = new MemoryRegion((nint)keys, 2L * keySize, writable: false, "for_each key");
        run.AddRunRegion(keyRegion);
        try
        {
            byte* key = keys, next = keys + keySize;
            int cpu = Cpu(run, map);
            ulong visited = 0;
            // Bounded by max_entries: elements deleted and re-added by the callback cannot make it loop forever.
            int rc = map.GetNextKey(null, key);
            while (rc == 0 && visited < map.MaxEntries)
            {
                byte* value = map.LookupElem(key, cpu);
                if (value != null)
                {
                    ExposeValue(run, map, value);
                    visited++;
                    ulong stop = run.InvokeCallback(r2, (ulong)map.Handle, (ulong)key, (ulong)value, r3, 0);
                    if (run.IsExitRequested || stop != 0)
                        break;
                }
                rc = map.GetNextKey(key, next);
                byte* swap = key;
                key = next;
                next = swap;
            }
            return visited;
        }
        finally
        {
            run.RemoveRunRegion(keyRegion);
            if (keys != onStack)
                System.Runtime.InteropServices.NativeMemory.Free(keys);
        }
    }
}
