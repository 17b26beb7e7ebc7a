using System.Runtime.InteropServices;

namespace BpfSharp.Maps;

/// <summary>
/// Whole-map storage (kernel: bpf_map_area_alloc / bpf_map_area_free): zeroed native memory charged to
/// the map's <see cref="MapContext"/>. A request over the memory limit, larger than the machine's memory
/// or refused by the allocator fails, which the map reports as -ENOMEM.
/// </summary>
internal static unsafe class MapMemory
{
    /// <summary>The page size: BPF_F_MMAPABLE value areas start on a page and span whole pages.</summary>
    public static readonly nuint PageSize = (nuint)Environment.SystemPageSize;

    /// <summary>Rounds <paramref name="bytes"/> up to whole pages (kernel: PAGE_ALIGN).</summary>
    public static ulong PageAlign(ulong bytes) => (bytes + PageSize - 1) & ~(ulong)(PageSize - 1);

    /// <summary>Allocates <paramref name="bytes"/> zeroed bytes aligned to <paramref name="alignment"/>; null (nothing charged) on failure.</summary>
    public static byte* AllocZeroed(MapContext context, ulong bytes, nuint alignment)
    {
        if (bytes == 0) bytes = 1;
        if (bytes > (ulong)GC.GetGCMemoryInfo().TotalAvailableMemoryBytes || !context.TryCharge((long)bytes))
            return null;
        void* p;
        try
        {
            p = NativeMemory.AlignedAlloc((nuint)bytes, alignment);
        }
        catch (OutOfMemoryException)
        {
            context.Uncharge((long)bytes);
            return null;
        }
        NativeMemory.Clear(p, (nuint)bytes);
        return (byte*)p;
    }

    /// <summary>Frees memory from <see cref="AllocZeroed"/> at once (no run can reach it any more) and returns its charge.</summary>
    public static void Free(MapContext context, void* pointer, ulong bytes)
    {
        if (pointer == null) return;
        NativeMemory.AlignedFree(pointer);
        context.Uncharge((long)Math.Max(bytes, 1));
    }
}
