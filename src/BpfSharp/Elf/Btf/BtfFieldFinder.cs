using BpfSharp.Uapi;

namespace BpfSharp.Elf.Btf;

/// <summary>A special field of a map value or allocated object (kernel: enum btf_field_type).</summary>
internal enum BtfFieldKind
{
    SpinLock, ResSpinLock, Timer, Workqueue, ListHead, ListNode, RbRoot, RbNode, Refcount, Kptr,
}

/// <summary>One special field found in a struct: its kind, byte offset, and the struct it refers to (kptr, graph root).</summary>
internal readonly record struct BtfFieldInfo(BtfFieldKind Kind, uint Offset, uint TargetType, string NodeName);

/// <summary>
/// kernel: btf_find_field and its helpers (kernel/bpf/btf.c, 6.18): walks a struct's members (into
/// nested structs and flattened arrays) or a DATASEC's variables and collects the special fields
/// selected by a mask. Errors are negative errnos, as the kernel returns them.
/// </summary>
internal sealed class BtfFieldFinder(BtfRaw raw, IReadOnlySet<BtfFieldKind> kinds)
{
    private readonly record struct Spec(BtfFieldKind Kind, string Name, uint Size, uint Align, bool Unique);

    private static readonly Spec[] Specs =
    [
        new(BtfFieldKind.SpinLock, "bpf_spin_lock", 4, 4, true),
        new(BtfFieldKind.ResSpinLock, "bpf_res_spin_lock", 4, 4, true),
        new(BtfFieldKind.Timer, "bpf_timer", 16, 8, true),
        new(BtfFieldKind.Workqueue, "bpf_wq", 16, 8, true),
        new(BtfFieldKind.ListHead, "bpf_list_head", 16, 8, false),
        new(BtfFieldKind.ListNode, "bpf_list_node", 24, 8, false),
        new(BtfFieldKind.RbRoot, "bpf_rb_root", 16, 8, false),
        new(BtfFieldKind.RbNode, "bpf_rb_node", 32, 8, false),
        new(BtfFieldKind.Refcount, "bpf_refcount", 4, 4, false),
    ];

    /// <summary>The size of a field kind (btf_field_type_size).</summary>
    public static uint SizeOf(BtfFieldKind kind) => kind == BtfFieldKind.Kptr ? 8 : Array.Find(Specs, s => s.Kind == kind).Size;

    /// <summary>True if the search stopped at a second unique field (a lock or timer) in one struct.</summary>
    public bool Duplicate { get; private set; }

    /// <summary>The kind whose struct is named <paramref name="name"/> ("bpf_spin_lock"), if any.</summary>
    public static BtfFieldKind? KindOf(string name)
    {
        foreach (var s in Specs)
            if (s.Name == name) return s.Kind;
        return null;
    }

    /// <summary>The fields found, in the order the kernel finds them.</summary>
    public List<BtfFieldInfo> Fields { get; } = [];

    /// <summary>kernel: btf_find_field: a STRUCT or a DATASEC; 0 or -errno.</summary>
    public int Find(uint id) => raw.Kind(id) switch
    {
        BtfKind.Struct => Struct(id, 0, 0),
        BtfKind.Datasec => Datasec(id),
        _ => -Errno.EINVAL,
    };

    private int Struct(uint id, uint baseOffset, int level)
    {
        var seen = new HashSet<BtfFieldKind>();
        int vlen = raw.Vlen(id);
        for (int i = 0; i < vlen; i++)
        {
            var m = raw.MemberRaw(id, i);
            uint bits = raw.MemberBitOffset(id, m.Offset);
            if (bits % 8 != 0) return -Errno.EINVAL; // "valid C code cannot generate such BTF"
            int result = One(id, i, m.Type, baseOffset + bits / 8, 0, seen, level);
            if (result < 0) return result;
        }
        return 0;
    }

    private int Datasec(uint id)
    {
        var seen = new HashSet<BtfFieldKind>();
        int vlen = raw.Vlen(id);
        for (int i = 0; i < vlen; i++)
        {
            var vsi = raw.SecInfo(id, i);
            int result = One(vsi.Type, -1, raw.SizeOrType(vsi.Type), vsi.Offset, vsi.Size, seen, 0);
            if (result < 0) return result;
        }
        return 0;
    }

    /// <summary>kernel: btf_find_field_one.</summary>
    private int One(uint container, int index, uint type, uint offset, uint expectedSize, HashSet<BtfFieldKind> seen, int level)
    {
        uint nelems = 1;
        int depth = 0;
        for (; depth < BtfConstants.MaxResolveDepth && raw.Kind(type) == BtfKind.Array; depth++)
        {
            var array = raw.ArrayOf(type);
            nelems = unchecked(nelems * array.Nelems);
            type = array.Type;
        }
        if (depth == BtfConstants.MaxResolveDepth) return -Errno.E2BIG;
        if (nelems == 0) return 0;

        Spec? spec = null;
        var name = raw.StringBytes(raw.NameOff(type));
        foreach (var s in Specs)
        {
            if (!kinds.Contains(s.Kind) || raw.NameOff(type) == 0 || !name.SequenceEqual(System.Text.Encoding.ASCII.GetBytes(s.Name)))
                continue;
            if (s.Unique && !seen.Add(s.Kind))
            {
                Duplicate = true;
                return -Errno.E2BIG;
            }
            spec = s;
            break;
        }
        if (spec is null && kinds.Contains(BtfFieldKind.Kptr) && raw.Kind(type) != BtfKind.Struct)
            spec = new Spec(BtfFieldKind.Kptr, "", 8, 8, false);
        if (spec is null)
        {
            if (raw.Kind(type) != BtfKind.Struct) return 0;
            if (expectedSize != 0 && expectedSize != unchecked(raw.SizeOrType(type) * nelems)) return 0;
            return Nested(type, offset, nelems, level);
        }

        var sp = spec.Value;
        if (expectedSize != 0 && expectedSize != unchecked(sp.Size * nelems)) return 0;
        if (offset % sp.Align != 0) return 0;

        BtfFieldInfo found;
        switch (sp.Kind)
        {
            case BtfFieldKind.Kptr:
            {
                int r = Kptr(type, offset, out found);
                if (r <= 0) return r;
                break;
            }
            case BtfFieldKind.ListHead or BtfFieldKind.RbRoot:
            {
                int r = GraphRoot(container, index, type, offset, sp, out found);
                if (r <= 0) return r;
                break;
            }
            default:
                if (raw.Kind(type) != BtfKind.Struct || raw.SizeOrType(type) != sp.Size) return 0;
                found = new BtfFieldInfo(sp.Kind, offset, 0, "");
                break;
        }
        int first = Fields.Count;
        Fields.Add(found);
        return nelems > 1 ? Repeat(first, nelems, sp.Size) : 0;
    }

    /// <summary>kernel: btf_find_nested_struct.</summary>
    private int Nested(uint type, uint offset, uint nelems, int level)
    {
        if (++level >= BtfConstants.MaxResolveDepth) return -Errno.E2BIG;
        int first = Fields.Count;
        int result = Struct(type, offset, level);
        if (result < 0 || Fields.Count == first || nelems <= 1) return result;
        return Repeat(first, nelems, raw.SizeOrType(type));
    }

    /// <summary>kernel: btf_repeat_fields: only kptrs and graph roots may repeat (an array of them).</summary>
    private int Repeat(int first, uint nelems, uint elemSize)
    {
        int count = Fields.Count - first;
        for (int i = first; i < Fields.Count; i++)
            if (Fields[i].Kind is not (BtfFieldKind.Kptr or BtfFieldKind.ListHead or BtfFieldKind.RbRoot))
                return -Errno.EINVAL;
        if ((ulong)count * nelems > 64) return -Errno.E2BIG; // far beyond BTF_FIELDS_MAX
        for (uint r = 1; r < nelems; r++)
            for (int i = 0; i < count; i++)
            {
                var f = Fields[first + i];
                Fields.Add(f with { Offset = unchecked(f.Offset + r * elemSize) });
            }
        return 0;
    }

    /// <summary>kernel: btf_find_kptr: a pointer (maybe volatile) to a kptr type tag on a struct; 1 found, 0 ignored, -errno.</summary>
    private int Kptr(uint type, uint offset, out BtfFieldInfo found)
    {
        found = default;
        if (raw.Kind(type) == BtfKind.Volatile) type = raw.SizeOrType(type);
        if (raw.Kind(type) != BtfKind.Ptr) return 0;
        uint tag = raw.SizeOrType(type);
        if (raw.Kind(tag) != BtfKind.TypeTag || raw.KindFlag(tag)) return 0;
        if (raw.Kind(raw.SizeOrType(tag)) == BtfKind.TypeTag) return -Errno.EINVAL;
        string value = raw.StringAt(raw.NameOff(tag)) ?? "";
        if (value is "uptr") return 0; // BPF_UPTR is not searched here
        if (value is not ("kptr" or "kptr_untrusted" or "percpu_kptr")) return -Errno.EINVAL;
        uint target = raw.SizeOrType(tag);
        while (raw.Kind(target).IsModifier()) target = raw.SizeOrType(target);
        if (raw.Kind(target) != BtfKind.Struct) return -Errno.EINVAL;
        found = new BtfFieldInfo(BtfFieldKind.Kptr, offset, target, "");
        return 1;
    }

    /// <summary>True if <paramref name="id"/> is a pointer btf_find_kptr accepts as a kptr.</summary>
    public bool IsKptr(uint id) => Kptr(id, 0, out _) == 1;

    /// <summary>kernel: btf_find_graph_root: a list/rb root needs a "contains:TYPE:FIELD" decl tag on its member.</summary>
    private int GraphRoot(uint container, int index, uint type, uint offset, Spec spec, out BtfFieldInfo found)
    {
        found = default;
        if (raw.Kind(type) != BtfKind.Struct || raw.SizeOrType(type) != spec.Size) return 0;
        string? value = null;
        for (uint id = 1; id < (uint)raw.Count; id++)
        {
            if (raw.Kind(id) != BtfKind.DeclTag || raw.SizeOrType(id) != container || raw.I32(raw.Extra(id)) != index)
                continue;
            string tag = raw.StringAt(raw.NameOff(id)) ?? "";
            if (!tag.StartsWith("contains:", StringComparison.Ordinal)) continue;
            if (value is not null) return -Errno.EINVAL; // two tags: EEXIST, reported as EINVAL
            value = tag["contains:".Length..];
        }
        if (value is null) return -Errno.EINVAL;
        int colon = value.IndexOf(':');
        if (colon < 0) return -Errno.EINVAL;
        uint? target = null;
        for (uint id = 1; id < (uint)raw.Count && target is null; id++)
            if (raw.Kind(id) == BtfKind.Struct && raw.StringAt(raw.NameOff(id)) == value[..colon]) target = id;
        if (target is null) return -Errno.ENOENT;
        string node = value[(colon + 1)..];
        if (node.Length == 0) return -Errno.EINVAL;
        found = new BtfFieldInfo(spec.Kind, offset, target.Value, node);
        return 1;
    }
}
