using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace BpfSharp.Maps;

/// <summary>
/// A node of <see cref="LpmTrie"/> in native memory (kernel: <c>struct lpm_trie_node</c>): two child
/// pointers, the prefix length, the flags, the prefix data (big endian, most significant byte first)
/// and, at an 8-aligned offset after it, the value.
/// </summary>
internal static unsafe class LpmTrieNode
{
    /// <summary>LPM_TREE_NODE_FLAG_IM: an intermediate node that only splits the trie; it has no value and exactly two children.</summary>
    public const uint FlagIntermediate = 1;

    /// <summary>Offset of the prefix data in a node.</summary>
    public const int DataOffset = 24;

    /// <summary>Offset of the value in a node whose prefix data is <paramref name="dataSize"/> bytes.</summary>
    public static uint ValueOffset(uint dataSize) => (DataOffset + dataSize + 7) & ~7u;

    /// <summary>The child slot for the next bit 0 or 1 (kernel: node->child[bit]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte** Child(byte* node, int bit) => (byte**)node + bit;

    /// <summary>Reads a child slot as a lock-free reader must (acquire; pairs with <see cref="Publish"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte* Read(byte** slot) => (byte*)Volatile.Read(ref *(nint*)slot);

    /// <summary>Stores a node into a slot so that readers see it fully written (release; kernel: rcu_assign_pointer).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Publish(byte** slot, byte* node) => Volatile.Write(ref *(nint*)slot, (nint)node);

    /// <summary>The node's prefix length in bits.</summary>
    public static ref uint PrefixLen(byte* node) => ref *(uint*)(node + 16);

    /// <summary>The node's flags (<see cref="FlagIntermediate"/>).</summary>
    public static ref uint Flags(byte* node) => ref *(uint*)(node + 20);

    /// <summary>The node's prefix data.</summary>
    public static byte* Data(byte* node) => node + DataOffset;

    /// <summary>True for an intermediate node.</summary>
    public static bool IsIntermediate(byte* node) => (Volatile.Read(ref Flags(node)) & FlagIntermediate) != 0;

    /// <summary>kernel: extract_bit: bit <paramref name="index"/> of big-endian <paramref name="data"/> (bit 0 is the top bit of byte 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ExtractBit(byte* data, uint index) => (data[index >> 3] >> (7 - (int)(index & 7))) & 1;

    /// <summary>
    /// kernel: longest_prefix_match: how many leading bits of the node's data and the key's data agree,
    /// at most the smaller of the two prefix lengths.
    /// </summary>
    public static uint LongestPrefixMatch(byte* node, uint keyPrefixLen, byte* keyData, uint dataSize)
    {
        uint limit = Math.Min(PrefixLen(node), keyPrefixLen);
        byte* nodeData = Data(node);
        uint matched = 0, i = 0;
        for (; i + 8 <= dataSize; i += 8)
        {
            ulong diff = BinaryPrimitives.ReadUInt64BigEndian(new ReadOnlySpan<byte>(nodeData + i, 8))
                ^ BinaryPrimitives.ReadUInt64BigEndian(new ReadOnlySpan<byte>(keyData + i, 8));
            matched += (uint)BitOperations.LeadingZeroCount(diff);
            if (matched >= limit) return limit;
            if (diff != 0) return matched;
        }
        for (; i < dataSize; i++)
        {
            uint diff = (uint)(nodeData[i] ^ keyData[i]);
            matched += (uint)BitOperations.LeadingZeroCount(diff) - 24;
            if (matched >= limit) return limit;
            if (diff != 0) return matched;
        }
        return matched;
    }
}
