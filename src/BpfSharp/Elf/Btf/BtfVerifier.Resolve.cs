using BpfSharp.Uapi;

namespace BpfSharp.Elf.Btf;

internal sealed partial class BtfVerifier
{
    // kernel: enum visit_state
    private const byte NotVisited = 0, Visited = 1, Resolved = 2;

    /// <summary>kernel: enum resolve_mode: which kinds end a resolve walk.</summary>
    private enum ResolveMode { Tbd, Ptr, StructOrArray }

    /// <summary>kernel: struct resolve_vertex.</summary>
    private struct Vertex
    {
        public uint Id;
        public int NextMember;
    }

    private readonly Vertex[] _stack = new Vertex[BtfConstants.MaxResolveDepth];
    private int _top;
    private ResolveMode _mode;
    private byte[] _visit = [];
    private uint[] _resolvedIds = [];
    private uint[] _resolvedSizes = [];

    /// <summary>kernel: btf_check_all_types: resolve every type that refers to others, check every FUNC_PROTO.</summary>
    private void CheckAllTypes()
    {
        _visit = new byte[_raw.Count];
        _resolvedIds = new uint[_raw.Count];
        _resolvedSizes = new uint[_raw.Count];
        for (uint id = 1; id < (uint)_raw.Count; id++)
        {
            if (NeedsResolve(id) && !IsResolved(id))
                Resolve(id);
            if (_raw.Kind(id) == BtfKind.FuncProto)
                CheckFuncProto(id);
        }
    }

    // ---- kind groupings of the resolve walk ----

    private bool IsModifier(uint id) => _raw.Kind(id).IsModifier();

    /// <summary>kernel: btf_type_needs_resolve.</summary>
    private bool NeedsResolve(uint id) => _raw.Kind(id) is BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const
        or BtfKind.Restrict or BtfKind.TypeTag or BtfKind.Ptr or BtfKind.Struct or BtfKind.Union
        or BtfKind.Array or BtfKind.Var or BtfKind.Func or BtfKind.DeclTag or BtfKind.Datasec;

    /// <summary>kernel: btf_type_is_resolve_source_only: VAR, DECL_TAG and DATASEC refer but are never referred to.</summary>
    private bool SourceOnly(uint id) => _raw.Kind(id) is BtfKind.Var or BtfKind.DeclTag or BtfKind.Datasec;

    /// <summary>kernel: btf_type_nosize_or_null: missing, void, FWD, FUNC, FUNC_PROTO, DECL_TAG.</summary>
    private bool NoSizeOrNull(uint id) => !_raw.Exists(id) || id == 0
        || _raw.Kind(id) is BtfKind.Fwd or BtfKind.Func or BtfKind.FuncProto or BtfKind.DeclTag;

    /// <summary>kernel: env_type_is_resolve_sink: where the walk in the current mode stops.</summary>
    private bool IsSink(uint id)
    {
        var kind = _raw.Kind(id);
        return _mode switch
        {
            ResolveMode.Tbd => !NeedsResolve(id),
            ResolveMode.Ptr => !kind.IsModifier() && kind != BtfKind.Ptr,
            _ => !kind.IsModifier() && kind is not (BtfKind.Array or BtfKind.Struct or BtfKind.Union),
        };
    }

    private bool IsResolved(uint id) => _visit[id] == Resolved;

    /// <summary>kernel: btf_type_int_is_regular: not a bitfield, 1, 2, 4, 8 or 16 bytes.</summary>
    private bool IntIsRegular(uint id)
    {
        uint data = _raw.U32(_raw.Extra(id));
        uint bits = data & 0xff;
        uint bytes = RoundupBytes(bits);
        return (bits & 7) == 0 && ((data >> 16) & 0xff) == 0 && bytes <= 16 && uint.IsPow2(bytes);
    }

    /// <summary>
    /// kernel: btf_type_id_size: the type that gives <paramref name="id"/> its size (following a resolved
    /// modifier or VAR) and that size; false for void, FWD, FUNC, FUNC_PROTO, DECL_TAG and unresolved chains.
    /// </summary>
    private bool TypeIdSize(ref uint id, out uint size)
    {
        size = 0;
        if (NoSizeOrNull(id)) return false;
        var kind = _raw.Kind(id);
        if (kind.HasSize()) { size = _raw.SizeOrType(id); return true; }
        if (kind == BtfKind.Array) { size = _resolvedSizes[id]; return true; }
        if (kind == BtfKind.Ptr) { size = 8; return true; }
        if (!kind.IsModifier() && kind != BtfKind.Var) return false;

        uint next = _resolvedIds[id];
        if (NoSizeOrNull(next)) return false;
        var nextKind = _raw.Kind(next);
        if (nextKind.HasSize()) size = _raw.SizeOrType(next);
        else if (nextKind == BtfKind.Array) size = _resolvedSizes[next];
        else if (nextKind == BtfKind.Ptr) size = 8;
        else return false;
        id = next;
        return true;
    }

    // ---- the depth-first walk ----

    /// <summary>kernel: env_stack_push: 0, -E2BIG past the depth limit, -EEXIST when the type is already on the walk.</summary>
    private int Push(uint id)
    {
        if (_top == BtfConstants.MaxResolveDepth) return -Errno.E2BIG;
        if (_visit[id] != NotVisited) return -Errno.EEXIST;
        _visit[id] = Visited;
        _stack[_top++] = new Vertex { Id = id };
        if (_mode == ResolveMode.Tbd)
        {
            var kind = _raw.Kind(id);
            if (kind == BtfKind.Ptr) _mode = ResolveMode.Ptr;
            else if (kind is BtfKind.Struct or BtfKind.Union or BtfKind.Array) _mode = ResolveMode.StructOrArray;
        }
        return 0;
    }

    private void PopResolved(uint resolvedId, uint resolvedSize)
    {
        uint id = _stack[--_top].Id;
        _resolvedIds[id] = resolvedId;
        _resolvedSizes[id] = resolvedSize;
        _visit[id] = Resolved;
    }

    /// <summary>kernel: btf_resolve: walk from <paramref name="root"/> until it and all it needs are resolved.</summary>
    private void Resolve(uint root)
    {
        _mode = ResolveMode.Tbd;
        _top = 0;
        int err = Push(root);
        while (err == 0 && _top > 0)
            err = ResolveTop(_stack[_top - 1]);

        if (err == -Errno.E2BIG)
            throw TypeFault(root, $"Exceeded max resolving depth:{BtfConstants.MaxResolveDepth}", Errno.E2BIG);
        if (err == -Errno.EEXIST)
            throw TypeFault(root, "Loop detected", Errno.EEXIST);
        if (err != 0)
            throw TypeFault(root, "Invalid resolve state", -err);
        if (!ResolveValid(root))
            throw TypeFault(root, "Invalid resolve state");
    }

    private int ResolveTop(Vertex v) => _raw.Kind(v.Id) switch
    {
        BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag => ResolveModifier(v.Id),
        BtfKind.Ptr => ResolvePtr(v.Id),
        BtfKind.Var => ResolveVar(v.Id),
        BtfKind.Array => ResolveArray(v.Id),
        BtfKind.Struct or BtfKind.Union => ResolveStruct(v),
        BtfKind.Datasec => ResolveDatasec(v),
        BtfKind.Func => ResolveFunc(v.Id),
        BtfKind.DeclTag => ResolveDeclTag(v.Id),
        _ => throw BasicFault(v.Id, "Unsupported resolve"),
    };

    /// <summary>
    /// The referred type must exist and not be a VAR, DECL_TAG or DATASEC. True if the walk must first
    /// descend into it (<paramref name="result"/> is then the push result).
    /// </summary>
    private bool StartReference(uint id, uint next, out int result)
    {
        if (!_raw.Exists(next) || SourceOnly(next))
            throw TypeFault(id, "Invalid type_id");
        result = 0;
        if (IsSink(next) || IsResolved(next)) return false;
        result = Push(next);
        return true;
    }

    /// <summary>kernel: btf_modifier_resolve.</summary>
    private int ResolveModifier(uint id)
    {
        uint next = _raw.SizeOrType(id);
        if (StartReference(id, next, out int pushed)) return pushed;
        PopResolved(SizedOrVoidLike(id, next), 0);
        return 0;
    }

    /// <summary>kernel: btf_ptr_resolve: also walks on from a modifier that stopped at a pointer.</summary>
    private int ResolvePtr(uint id)
    {
        uint next = _raw.SizeOrType(id);
        if (StartReference(id, next, out int pushed)) return pushed;
        if (ContinuePastModifier(next, out pushed)) return pushed;
        PopResolved(SizedOrVoidLike(id, next), 0);
        return 0;
    }

    /// <summary>kernel: btf_var_resolve: a variable must resolve to a type with a size.</summary>
    private int ResolveVar(uint id)
    {
        uint next = _raw.SizeOrType(id);
        if (StartReference(id, next, out int pushed)) return pushed;
        if (ContinuePastModifier(next, out pushed)) return pushed;
        if (!TypeIdSize(ref next, out _))
            throw TypeFault(id, "Invalid type_id");
        PopResolved(next, 0);
        return 0;
    }

    /// <summary>
    /// A modifier resolved while walking a struct or array may stop at a pointer; walk on from that
    /// pointer so a pointer loop through it is found.
    /// </summary>
    private bool ContinuePastModifier(uint next, out int pushed)
    {
        pushed = 0;
        if (!IsModifier(next)) return false;
        uint resolved = _resolvedIds[next];
        if (_raw.Kind(resolved) != BtfKind.Ptr || IsSink(resolved) || IsResolved(resolved)) return false;
        pushed = Push(resolved);
        return true;
    }

    /// <summary>
    /// The id a modifier or pointer resolves to: the sized type, or void, a FWD or a FUNC_PROTO
    /// ("typedef void v", "const void", "struct s *", function pointers); anything else is invalid.
    /// </summary>
    private uint SizedOrVoidLike(uint id, uint next)
    {
        uint target = next;
        if (TypeIdSize(ref target, out _)) return target;
        if (IsResolved(target)) target = _resolvedIds[target];
        if (target != 0 && _raw.Kind(target) is not (BtfKind.Fwd or BtfKind.FuncProto))
            throw TypeFault(id, "Invalid type_id");
        return target;
    }

    /// <summary>kernel: btf_array_resolve: a regular INT index, a sized element, size within u32.</summary>
    private int ResolveArray(uint id)
    {
        var array = _raw.ArrayOf(id);
        uint index = array.IndexType;
        if (NoSizeOrNull(index) || SourceOnly(index)) throw TypeFault(id, "Invalid index");
        if (!IsSink(index) && !IsResolved(index)) return Push(index);
        if (!TypeIdSize(ref index, out _) || _raw.Kind(index) != BtfKind.Int || !IntIsRegular(index))
            throw TypeFault(id, "Invalid index");

        uint elem = array.Type;
        if (NoSizeOrNull(elem) || SourceOnly(elem)) throw TypeFault(id, "Invalid elem");
        if (!IsSink(elem) && !IsResolved(elem)) return Push(elem);
        if (!TypeIdSize(ref elem, out uint elemSize)) throw TypeFault(id, "Invalid elem");
        if (_raw.Kind(elem) == BtfKind.Int && !IntIsRegular(elem)) throw TypeFault(id, "Invalid array of int");
        if (array.Nelems != 0 && elemSize > uint.MaxValue / array.Nelems)
            throw TypeFault(id, "Array size overflows U32_MAX");
        PopResolved(elem, elemSize * array.Nelems);
        return 0;
    }

    /// <summary>kernel: btf_struct_resolve: every member resolved, then checked against the struct's layout.</summary>
    private int ResolveStruct(Vertex v)
    {
        uint id = v.Id;
        if (v.NextMember > 0)
        {
            var last = _raw.MemberRaw(id, v.NextMember - 1);
            if (!IsResolved(last.Type))
                throw TypeFault(id, "Invalid resolve state");
            CheckMember(id, last.NameOff, last.Type, last.Offset, last.Type);
        }
        int vlen = _raw.Vlen(id);
        for (int i = v.NextMember; i < vlen; i++)
        {
            var m = _raw.MemberRaw(id, i);
            if (NoSizeOrNull(m.Type) || SourceOnly(m.Type))
                throw MemberFault(id, m.NameOff, m.Type, m.Offset, "Invalid member");
            if (!IsSink(m.Type) && !IsResolved(m.Type))
            {
                _stack[_top - 1].NextMember = i + 1;
                return Push(m.Type);
            }
            CheckMember(id, m.NameOff, m.Type, m.Offset, m.Type);
        }
        PopResolved(0, 0);
        return 0;
    }

    /// <summary>kernel: btf_datasec_resolve: every entry a VAR whose type fits its slot.</summary>
    private int ResolveDatasec(Vertex v)
    {
        uint id = v.Id;
        _mode = ResolveMode.Tbd;
        int vlen = _raw.Vlen(id);
        for (int i = v.NextMember; i < vlen; i++)
        {
            var vsi = _raw.SecInfo(id, i);
            if (_loader && _raw.Exists(vsi.Type) && _raw.Kind(vsi.Type) == BtfKind.Func) continue; // a .ksyms extern function
            if (!_raw.Exists(vsi.Type) || _raw.Kind(vsi.Type) != BtfKind.Var)
                throw VsiFault(id, vsi, "Not a VAR kind member");
            if (!IsSink(vsi.Type) && !IsResolved(vsi.Type))
            {
                _stack[_top - 1].NextMember = i + 1;
                return Push(vsi.Type);
            }
            uint type = _raw.SizeOrType(vsi.Type);
            if (!TypeIdSize(ref type, out uint size)) throw VsiFault(id, vsi, "Invalid type");
            if (vsi.Size < size && !_loader) throw VsiFault(id, vsi, "Invalid size");
        }
        PopResolved(0, 0);
        return 0;
    }

    /// <summary>kernel: btf_func_resolve / btf_func_check: a FUNC names a FUNC_PROTO whose parameters have names.</summary>
    private int ResolveFunc(uint id)
    {
        uint proto = _raw.SizeOrType(id);
        if (!_raw.Exists(proto) || _raw.Kind(proto) != BtfKind.FuncProto)
            throw TypeFault(id, "Invalid type_id");
        int vlen = _raw.Vlen(proto);
        for (int i = 0; i < vlen; i++)
        {
            var p = _raw.ParamRaw(proto, i);
            if (p.NameOff == 0 && p.Type != 0 && !_loader)
                throw TypeFault(id, $"Invalid arg#{i + 1}");
        }
        PopResolved(proto, 0);
        return 0;
    }

    /// <summary>kernel: btf_decl_tag_resolve: tags a FUNC, STRUCT/UNION, VAR or TYPEDEF, or one of its members/params.</summary>
    private int ResolveDeclTag(uint id)
    {
        uint next = _raw.SizeOrType(id);
        if (!_raw.Exists(next) || _raw.Kind(next) is not (BtfKind.Func or BtfKind.Struct or BtfKind.Union
                or BtfKind.Var or BtfKind.Typedef))
            throw TypeFault(id, "Invalid type_id");
        if (!IsSink(next) && !IsResolved(next)) return Push(next);

        int component = _raw.I32(_raw.Extra(id));
        if (component != -1)
        {
            var kind = _raw.Kind(next);
            if (kind is BtfKind.Var or BtfKind.Typedef) throw TypeFault(id, "Invalid component_idx");
            int vlen = kind is BtfKind.Struct or BtfKind.Union ? _raw.Vlen(next) : _raw.Vlen(_raw.SizeOrType(next));
            if ((uint)component >= (uint)vlen) throw TypeFault(id, "Invalid component_idx");
        }
        PopResolved(next, 0);
        return 0;
    }

    /// <summary>kernel: btf_resolve_valid: the final sanity check of a resolved type.</summary>
    private bool ResolveValid(uint id)
    {
        if (!IsResolved(id)) return false;
        uint rid = _resolvedIds[id], rsize = _resolvedSizes[id];
        var kind = _raw.Kind(id);
        if (kind is BtfKind.Struct or BtfKind.Union or BtfKind.Datasec) return rid == 0 && rsize == 0;
        if (kind is BtfKind.DeclTag or BtfKind.Func) return rid != 0 && rsize == 0;
        if (kind.IsModifier() || kind is BtfKind.Ptr or BtfKind.Var)
            return _raw.Exists(rid) && !IsModifier(rid) && _raw.Kind(rid) is not (BtfKind.Var or BtfKind.Datasec);
        if (kind == BtfKind.Array)
        {
            var array = _raw.ArrayOf(id);
            uint elem = array.Type;
            return TypeIdSize(ref elem, out uint elemSize) && !IsModifier(elem)
                && unchecked(array.Nelems * elemSize) == rsize;
        }
        return false;
    }
}
