using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BpfSharp.Maps;

/// <summary>
/// One hash-table element in native memory (the kernel's <c>struct htab_elem</c>): this header,
/// then the key rounded up to 8 bytes, then the value area (one value, one 8-byte-rounded slot per
/// possible CPU for per-CPU maps, or the inner-map reference of a map-in-map).
/// </summary>
/// <remarks>
/// Readers follow <see cref="Next"/> without locks; writers change bucket chains under the bucket
/// lock and publish with release stores. An element that leaves a chain keeps its <see cref="Next"/>
/// so a reader standing on it can go on, and its memory is reused only after every run that
/// could have seen it has ended (<see cref="HashElementPool"/>).
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct HashElement
{
    /// <summary>Size of the header; the key starts here (8-byte aligned).</summary>
    public const int HeaderSize = 48;

    /// <summary>Next element of the bucket chain (kernel: hash_node).</summary>
    public HashElement* Next;
    /// <summary>Free-stack and limbo chain (kernel: fnode).</summary>
    public HashElement* Link;
    /// <summary>Previous node of the LRU list the element is on (kernel: lru_node.list).</summary>
    public HashElement* LruPrev;
    /// <summary>Next node of the LRU list the element is on.</summary>
    public HashElement* LruNext;
    /// <summary>The epoch in which the element was unlinked (while it waits in limbo).</summary>
    public long RetiredAt;
    /// <summary>jhash of the key with the map's seed.</summary>
    public uint Hash;
    /// <summary>LRU reference bit, set by program lookups (kernel: lru_node.ref).</summary>
    public byte Ref;
    /// <summary>Which LRU list the element is on (<see cref="LruListType"/>).</summary>
    public byte LruType;
    /// <summary>LRU: the CPU whose local or per-CPU list owns the element.</summary>
    public ushort Cpu;

    /// <summary>The key of <paramref name="e"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte* KeyOf(HashElement* e) => (byte*)e + HeaderSize;
}

/// <summary>One hash bucket: the chain head and the writers' lock (kernel: <c>struct bucket</c>).</summary>
[StructLayout(LayoutKind.Sequential, Size = 16)]
internal unsafe struct HashBucket
{
    /// <summary>First element of the chain, or null.</summary>
    public HashElement* Head;
    /// <summary>Writers' spin lock word (<see cref="SpinLock"/>).</summary>
    public uint Lock;
}
