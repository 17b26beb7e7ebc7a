using BpfSharp.Uapi;

namespace BpfSharp.Elf.Btf;

internal sealed partial class BtfVerifier
{
    private static readonly string[] AllocObjectFields =
        ["bpf_spin_lock", "bpf_list_head", "bpf_list_node", "bpf_rb_root", "bpf_rb_node", "bpf_refcount"];

    private static readonly HashSet<BtfFieldKind> StructMetaKinds =
    [
        BtfFieldKind.SpinLock, BtfFieldKind.ResSpinLock, BtfFieldKind.ListHead, BtfFieldKind.ListNode,
        BtfFieldKind.RbRoot, BtfFieldKind.RbNode, BtfFieldKind.Refcount, BtfFieldKind.Kptr,
    ];

    /// <summary>
    /// kernel: btf_parse_struct_metas: every STRUCT with a direct member of type <c>struct bpf_spin_lock</c>
    /// (or list/rb head or node, refcount: the first STRUCT of each name) or of a kptr pointer type must
    /// hold a valid set of special fields (btf_parse_fields); none at all is EFAULT. The kernel logs
    /// nothing for these faults.
    /// </summary>
    private void CheckStructMetas()
    {
        var triggers = new HashSet<uint>();
        foreach (string name in AllocObjectFields)
            for (uint id = 1; id < (uint)_raw.Count; id++)
                if (_raw.Kind(id) == BtfKind.Struct && _raw.StringAt(_raw.NameOff(id)) == name)
                {
                    triggers.Add(id);
                    break;
                }
        for (uint id = 1; id < (uint)_raw.Count; id++)
            if (IsKptrPointer(id)) triggers.Add(id);
        if (triggers.Count == 0) return;

        for (uint id = 1; id < (uint)_raw.Count; id++)
        {
            if (_raw.Kind(id) != BtfKind.Struct) continue;
            bool parse = false;
            for (int i = 0; i < _raw.Vlen(id) && !parse; i++)
                parse = triggers.Contains(_raw.MemberRaw(id, i).Type);
            if (!parse) continue;
            int err = ParseFields(id);
            if (err != 0)
                throw TypeFault(id, $"special fields: {Errno.Name(err)}", err);
        }
    }

    /// <summary>A PTR (maybe VOLATILE) to a kernel-pointer type tag on a struct (btf_find_kptr finds it).</summary>
    private bool IsKptrPointer(uint id)
    {
        var finder = new BtfFieldFinder(_raw, StructMetaKinds);
        return _raw.Kind(id) is BtfKind.Ptr or BtfKind.Volatile && finder.IsKptr(id);
    }

    /// <summary>kernel: btf_parse_fields over a struct of <c>size</c> bytes; 0 or the positive errno.</summary>
    private int ParseFields(uint id)
    {
        var finder = new BtfFieldFinder(_raw, StructMetaKinds);
        int err = finder.Find(id);
        if (err < 0) return -err;
        if (finder.Fields.Count == 0) return Errno.EFAULT;

        uint size = _raw.SizeOrType(id), nextOffset = 0;
        bool spinLock = false, resSpinLock = false, refcount = false, listNode = false, rbNode = false, root = false;
        foreach (var f in finder.Fields)
        {
            uint fieldSize = BtfFieldFinder.SizeOf(f.Kind);
            if ((ulong)f.Offset + fieldSize > size) return Errno.EFAULT;
            if (f.Offset < nextOffset) return Errno.EEXIST;
            nextOffset = f.Offset + fieldSize;
            switch (f.Kind)
            {
                case BtfFieldKind.SpinLock: spinLock = true; break;
                case BtfFieldKind.ResSpinLock: resSpinLock = true; break;
                case BtfFieldKind.Refcount: refcount = true; break;
                case BtfFieldKind.ListNode: listNode = true; break;
                case BtfFieldKind.RbNode: rbNode = true; break;
                case BtfFieldKind.ListHead or BtfFieldKind.RbRoot:
                    root = true;
                    int graph = ParseGraphRoot(f, f.Kind == BtfFieldKind.ListHead ? "bpf_list_node" : "bpf_rb_node");
                    if (graph != 0) return graph;
                    break;
            }
        }
        if (spinLock && resSpinLock) return Errno.EINVAL;
        if (root && !spinLock && !resSpinLock) return Errno.EINVAL;
        if (!refcount && listNode && rbNode) return Errno.EINVAL;
        return 0;
    }

    /// <summary>kernel: btf_parse_graph_root: the contained struct has exactly one node member of the right type.</summary>
    private int ParseGraphRoot(BtfFieldInfo root, string nodeType)
    {
        uint value = root.TargetType;
        bool found = false;
        for (int i = 0; i < _raw.Vlen(value); i++)
        {
            var m = _raw.MemberRaw(value, i);
            if (_raw.StringAt(m.NameOff) != root.NodeName) continue;
            if (found) return Errno.EINVAL;
            found = true;
            if (_raw.Kind(m.Type) != BtfKind.Struct || _raw.StringAt(_raw.NameOff(m.Type)) != nodeType) return Errno.EINVAL;
            uint bits = _raw.MemberBitOffset(m.Type, m.Offset); // the kernel reads the node type's kind_flag here
            if (bits % 8 != 0 || bits / 8 % 8 != 0) return Errno.EINVAL;
        }
        return found ? 0 : Errno.ENOENT;
    }
}
