using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSharp.Uapi;
using static BpfSharp.Maps.LpmTrieNode;

namespace BpfSharp.Maps;

/// <summary>
/// BPF_MAP_TYPE_LPM_TRIE (kernel: lpm_trie.c): longest-prefix match over keys laid out as
/// <c>struct bpf_lpm_trie_key_u8 { u32 prefixlen; u8 data[]; }</c> (prefixlen in host order, data big
/// endian). Lookup returns the value of the longest stored prefix that covers the key; update and
/// delete act on the exact (prefixlen, data) pair. get_next_key walks in post order: more specific
/// prefixes before the ones that cover them.
/// </summary>
/// <remarks>
/// Readers (lookups, get_next_key) take no lock; writers are serialized by a lock and publish whole
/// nodes, and nodes they unlink are freed only after every run that might still see them has left
/// (epochs, the kernel's RCU). Elements are allocated on demand (BPF_F_NO_PREALLOC is required).
/// </remarks>
public sealed unsafe class LpmTrie : Map
{
    private const uint DataSizeMin = 1, DataSizeMax = 256;
    private const uint KmallocMaxSize = 4u << 20; // KMALLOC_MAX_SIZE on x86-64
    private const uint KernelNodeSize = 24; // sizeof(struct lpm_trie_node)
    private const uint ValueSizeMax = KmallocMaxSize - DataSizeMax - KernelNodeSize; // LPM_VAL_SIZE_MAX
    private const uint CreateFlagMask = MapFlags.BPF_F_NO_PREALLOC | MapFlags.BPF_F_NUMA_NODE | MapFlags.AccessMask;

    private readonly object _writeLock = new();
    private readonly uint _dataSize, _maxPrefixLen, _valueOffset, _nodeSize;
    private readonly byte** _rootSlot; // native, so that it never moves; published with LpmTrieNode.Publish
    private uint _entries; // guarded by _writeLock

    private LpmTrie(MapAttributes attributes, MapContext context) : base(attributes, context)
    {
        _dataSize = attributes.KeySize - sizeof(uint);
        _maxPrefixLen = _dataSize * 8;
        _valueOffset = ValueOffset(_dataSize);
        _nodeSize = _valueOffset + attributes.ValueSize;
        _rootSlot = (byte**)NativeMemory.AlignedAlloc(64, 64);
        *_rootSlot = null;
    }

    /// <summary>
    /// kernel: trie_alloc: -EINVAL for max_entries 0, no BPF_F_NO_PREALLOC, unknown flags, both
    /// RDONLY_PROG and WRONLY_PROG, key_size outside 4 + 1..256, value_size outside 1..LPM_VAL_SIZE_MAX.
    /// </summary>
    internal static int TryCreate(MapAttributes attributes, MapContext context, out Map? map)
    {
        map = null;
        if (attributes.MaxEntries == 0 || (attributes.Flags & MapFlags.BPF_F_NO_PREALLOC) == 0
            || (attributes.Flags & ~CreateFlagMask) != 0 || !MapFlagRules.AccessOk(attributes.Flags)
            || attributes.KeySize < sizeof(uint) + DataSizeMin || attributes.KeySize > sizeof(uint) + DataSizeMax
            || attributes.ValueSize < 1 || attributes.ValueSize > ValueSizeMax)
            return -Errno.EINVAL;
        map = new LpmTrie(attributes, context);
        return 0;
    }

    /// <summary>The longest prefix a key may have: 8 bits per data byte.</summary>
    public uint MaxPrefixLen => _maxPrefixLen;

    /// <summary>Number of elements (intermediate nodes not counted).</summary>
    public uint Count => Volatile.Read(ref _entries);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint KeyPrefixLen(byte* key) => Unsafe.ReadUnaligned<uint>(key);

    private static byte* KeyData(byte* key) => key + sizeof(uint);

    private byte** RootSlot => _rootSlot;

    // ---- lookup (lock-free) ----

    /// <summary>
    /// kernel: trie_lookup_elem: the value of the longest stored prefix matching the key's first
    /// prefixlen bits, or null (none, or prefixlen above <see cref="MaxPrefixLen"/>).
    /// </summary>
    public override byte* LookupElem(byte* key, int cpu)
    {
        uint keyLen = KeyPrefixLen(key);
        if (keyLen > _maxPrefixLen) return null;
        byte* keyData = KeyData(key);
        byte* found = null;
        for (byte* node = Read(RootSlot); node != null;)
        {
            uint matched = LongestPrefixMatch(node, keyLen, keyData, _dataSize);
            if (matched == _maxPrefixLen)
            {
                found = node; // an exact match on a full-length prefix: never intermediate
                break;
            }
            if (matched < PrefixLen(node)) break;
            if (!IsIntermediate(node)) found = node;
            node = Read(Child(node, ExtractBit(keyData, PrefixLen(node))));
        }
        return found == null ? null : found + _valueOffset;
    }

    /// <summary>MAP_LOOKUP_ELEM: copies the matching value inside an epoch, so the node cannot be freed meanwhile.</summary>
    public override int SysLookup(byte* key, byte* value, ulong flags)
    {
        using var guard = Context.Epochs.Enter();
        return base.SysLookup(key, value, flags);
    }

    // ---- update and delete (serialized) ----

    /// <summary>
    /// kernel: trie_update_elem: -EINVAL for flags above BPF_EXIST or prefixlen above
    /// <see cref="MaxPrefixLen"/>; -EEXIST for BPF_NOEXIST on a stored prefix; -ENOENT for BPF_EXIST on a
    /// missing one; -ENOSPC when max_entries elements are stored; -ENOMEM. An existing element is
    /// replaced by a new node (a value pointer from an earlier lookup keeps the old value).
    /// </summary>
    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu)
    {
        if (flags > MapFlags.BPF_EXIST) return -Errno.EINVAL;
        uint keyLen = KeyPrefixLen(key);
        if (keyLen > _maxPrefixLen) return -Errno.EINVAL;
        byte* keyData = KeyData(key);

        byte* newNode = AllocNode();
        if (newNode == null) return -Errno.ENOMEM;
        PrefixLen(newNode) = keyLen;
        Buffer.MemoryCopy(keyData, Data(newNode), _dataSize, _dataSize);
        Buffer.MemoryCopy(value, newNode + _valueOffset, ValueSize, ValueSize);

        byte* freeNode = null;
        int err = 0;
        lock (_writeLock)
        {
            // Walk down as far as the stored prefixes cover the key.
            byte** slot = RootSlot;
            byte* node;
            uint matched = 0;
            while ((node = *slot) != null)
            {
                matched = LongestPrefixMatch(node, keyLen, keyData, _dataSize);
                if (PrefixLen(node) != matched || PrefixLen(node) == keyLen) break;
                slot = Child(node, ExtractBit(keyData, PrefixLen(node)));
            }

            if (node == null)
            {
                // An empty slot: the new node goes there.
                err = CheckAdd(flags);
                if (err == 0) Publish(slot, newNode);
            }
            else if (PrefixLen(node) == matched)
            {
                // The same prefix: the new node takes the old one's place.
                if (!IsIntermediate(node))
                    err = flags == MapFlags.BPF_NOEXIST ? -Errno.EEXIST : 0;
                else
                    err = CheckAdd(flags);
                if (err == 0)
                {
                    *Child(newNode, 0) = *Child(node, 0);
                    *Child(newNode, 1) = *Child(node, 1);
                    Publish(slot, newNode);
                    freeNode = node;
                }
            }
            else if ((err = CheckAdd(flags)) == 0)
            {
                if (matched == keyLen)
                {
                    // The new prefix covers the node: it becomes the node's parent.
                    *Child(newNode, ExtractBit(Data(node), matched)) = node;
                    Publish(slot, newNode);
                }
                else
                {
                    // The prefixes diverge at bit 'matched': an intermediate node splits them.
                    byte* im = AllocNode();
                    if (im == null)
                    {
                        _entries--;
                        err = -Errno.ENOMEM;
                    }
                    else
                    {
                        PrefixLen(im) = matched;
                        Flags(im) = FlagIntermediate;
                        Buffer.MemoryCopy(Data(node), Data(im), _dataSize, _dataSize);
                        int bit = ExtractBit(keyData, matched);
                        *Child(im, bit) = newNode;
                        *Child(im, 1 - bit) = node;
                        Publish(slot, im);
                    }
                }
            }
        }
        if (err != 0) FreeNodeNow(newNode);
        RetireNode(freeNode);
        return err;
    }

    // kernel: trie_check_add_elem (under the write lock)
    private int CheckAdd(ulong flags)
    {
        if (flags == MapFlags.BPF_EXIST) return -Errno.ENOENT;
        if (_entries == MaxEntries) return -Errno.ENOSPC;
        Volatile.Write(ref _entries, _entries + 1);
        return 0;
    }

    /// <summary>
    /// kernel: trie_delete_elem: removes the exact (prefixlen, data) element; -EINVAL for prefixlen above
    /// <see cref="MaxPrefixLen"/>, -ENOENT if not stored. A node with two children stays as an
    /// intermediate node; an intermediate parent left with one child is removed too.
    /// </summary>
    public override int DeleteElem(byte* key)
    {
        uint keyLen = KeyPrefixLen(key);
        if (keyLen > _maxPrefixLen) return -Errno.EINVAL;
        byte* keyData = KeyData(key);
        byte* freeNode = null, freeParent = null;
        lock (_writeLock)
        {
            byte** trim = RootSlot, trim2 = trim;
            byte* node, parent = null;
            uint matched = 0;
            while ((node = *trim) != null)
            {
                matched = LongestPrefixMatch(node, keyLen, keyData, _dataSize);
                if (PrefixLen(node) != matched || PrefixLen(node) == keyLen) break;
                parent = node;
                trim2 = trim;
                trim = Child(node, ExtractBit(keyData, PrefixLen(node)));
            }
            if (node == null || PrefixLen(node) != keyLen || PrefixLen(node) != matched || IsIntermediate(node))
                return -Errno.ENOENT;

            Volatile.Write(ref _entries, _entries - 1);
            byte* left = *Child(node, 0), right = *Child(node, 1);
            if (left != null && right != null)
            {
                // Two children: the node stays, as an intermediate one.
                Volatile.Write(ref Flags(node), Flags(node) | FlagIntermediate);
                return 0;
            }
            if (parent != null && IsIntermediate(parent) && left == null && right == null)
            {
                // A leaf under an intermediate node: the sibling takes the parent's place.
                byte* sibling = node == *Child(parent, 0) ? *Child(parent, 1) : *Child(parent, 0);
                Publish(trim2, sibling);
                freeParent = parent;
                freeNode = node;
            }
            else
            {
                Publish(trim, left != null ? left : right); // the only child, or none, moves up
                freeNode = node;
            }
        }
        RetireNode(freeParent);
        RetireNode(freeNode);
        return 0;
    }

    // ---- get_next_key (lock-free, post order) ----

    /// <summary>
    /// kernel: trie_get_next_key: post order, so more specific prefixes come before the prefixes covering
    /// them. A null key, a key with prefixlen above <see cref="MaxPrefixLen"/> or a key not stored gives
    /// the first element; -ENOENT after the last element or for an empty trie.
    /// </summary>
    public override int GetNextKey(byte* key, byte* nextKey)
    {
        using var guard = Context.Epochs.Enter();
        byte* searchRoot = Read(RootSlot);
        if (searchRoot == null) return -Errno.ENOENT;

        byte* next = null;
        if (key != null && KeyPrefixLen(key) <= _maxPrefixLen)
        {
            uint keyLen = KeyPrefixLen(key);
            byte* keyData = KeyData(key);
            // The path from the root to the key's node.
            byte** stack = stackalloc byte*[(int)_maxPrefixLen + 1];
            int top = -1;
            byte* node = searchRoot;
            uint matched = 0;
            while (node != null)
            {
                stack[++top] = node;
                matched = LongestPrefixMatch(node, keyLen, keyData, _dataSize);
                if (PrefixLen(node) != matched || PrefixLen(node) == keyLen) break;
                node = Read(Child(node, ExtractBit(keyData, PrefixLen(node))));
            }
            if (node != null && PrefixLen(node) == matched && !IsIntermediate(node))
            {
                // Found: the next node in post order is the leftmost of a right sibling subtree, or the
                // first non-intermediate ancestor.
                node = stack[top];
                searchRoot = null;
                while (top > 0)
                {
                    byte* parent = stack[top - 1];
                    if (Read(Child(parent, 0)) == node)
                    {
                        searchRoot = Read(Child(parent, 1));
                        if (searchRoot != null) break;
                    }
                    if (!IsIntermediate(parent))
                    {
                        next = parent;
                        break;
                    }
                    node = parent;
                    top--;
                }
                if (next == null && searchRoot == null) return -Errno.ENOENT;
            }
        }
        if (next == null) next = Leftmost(searchRoot);

        Unsafe.WriteUnaligned(nextKey, PrefixLen(next));
        Buffer.MemoryCopy(Data(next), KeyData(nextKey), _dataSize, _dataSize);
        return 0;
    }

    // The first non-intermediate node in post order under 'node' (intermediate nodes have two children).
    private static byte* Leftmost(byte* node)
    {
        byte* next = null;
        while (node != null)
        {
            if (IsIntermediate(node))
            {
                node = Read(Child(node, 0));
            }
            else
            {
                next = node;
                node = Read(Child(node, 0));
                if (node == null) node = Read(Child(next, 1));
            }
        }
        return next;
    }

    // ---- node memory ----

    private byte* AllocNode()
    {
        if (!Context.TryCharge(_nodeSize)) return null;
        byte* node;
        try
        {
            node = (byte*)NativeMemory.AlignedAlloc(_nodeSize, 8);
        }
        catch (OutOfMemoryException)
        {
            Context.Uncharge(_nodeSize);
            return null;
        }
        NativeMemory.Clear(node, _nodeSize);
        return node;
    }

    // A node no reader has seen.
    private void FreeNodeNow(byte* node)
    {
        NativeMemory.AlignedFree(node);
        Context.Uncharge(_nodeSize);
    }

    // A node readers may still be on: freed after their runs.
    private void RetireNode(byte* node)
    {
        if (node == null) return;
        Context.Uncharge(_nodeSize);
        Context.Epochs.Retire(node);
    }

    /// <summary>Frees every node at once (no run can reach this map any more; kernel: trie_free).</summary>
    protected override void Free()
    {
        // Descend to a node without children, free it, clear its slot, start over.
        for (;;)
        {
            byte** slot = RootSlot;
            byte* node;
            for (;;)
            {
                node = *slot;
                if (node == null) goto done;
                if (*Child(node, 0) != null) { slot = Child(node, 0); continue; }
                if (*Child(node, 1) != null) { slot = Child(node, 1); continue; }
                FreeNodeNow(node);
                *slot = null;
                break;
            }
        }
    done:
        NativeMemory.AlignedFree(_rootSlot);
        base.Free();
    }
}
