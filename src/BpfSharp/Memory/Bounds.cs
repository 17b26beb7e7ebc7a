using System.Runtime.CompilerServices;

namespace BpfSharp.Memory;

/// <summary>Overflow-safe range arithmetic for checked-mode bounds checks.</summary>
public static class Bounds
{
    /// <summary>
    /// True if <c>[address, address + size)</c> lies inside <c>[start, start + length)</c>,
    /// with no wrap-around: the address may be any 64-bit value a program computed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Contains(ulong start, ulong length, ulong address, ulong size) =>
        size <= length && address - start <= length - size;

    /// <summary>Index of the first region of <paramref name="regions"/> containing the access, or -1.</summary>
    public static int Find(ReadOnlySpan<MemoryRegion> regions, ulong address, ulong size)
    {
        for (int i = 0; i < regions.Length; i++)
        {
            if (regions[i].Contains(address, size))
                return i;
        }
        return -1;
    }
}
