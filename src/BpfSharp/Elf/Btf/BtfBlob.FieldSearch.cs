namespace BpfSharp.Elf.Btf;

public sealed partial class BtfBlob
{
    /// <summary><see cref="FindStructMember"/>: no member of that struct type.</summary>
    public const int FieldNotFound = -1;
    /// <summary><see cref="FindStructMember"/>: more than one (the kernel: E2BIG, the map gets no such field).</summary>
    public const int FieldDuplicate = -2;
    /// <summary>
    /// <see cref="FindStructMember"/>: a layout the kernel refuses to search (EINVAL: a member at a bit
    /// offset that is not a whole byte, the field in an array, nesting deeper than 32).
    /// </summary>
    public const int FieldInvalid = -3;

    /// <summary>
    /// Where the kernel looks for <c>struct <paramref name="structName"/></c> in a map value
    /// (kernel/bpf/btf.c btf_parse_fields, as of 6.18): the byte offset of the single member of that
    /// struct type, or <see cref="FieldNotFound"/>, <see cref="FieldDuplicate"/>, <see cref="FieldInvalid"/>.
    /// <para>
    /// The value type <paramref name="typeId"/> is taken through modifiers; only a STRUCT (not a union)
    /// or a DATASEC is searched. Its members are searched in order; a member of another STRUCT type is
    /// searched recursively (newer kernels, 6.10 and later, look into nested structs; older ones only at
    /// the value's direct members), its offsets added to the member's. A member matches by the name of
    /// its type as written (not through typedefs or qualifiers); it counts only if it is a STRUCT of the
    /// kernel's size at an offset aligned as the kernel requires, otherwise it is ignored. Arrays are
    /// flattened: an empty array is ignored, the field in an array of more than one element is invalid.
    /// Any member at a bit offset that is not a multiple of 8 makes the whole search invalid.
    /// </para>
    /// <para>
    /// BPF_MAP_CREATE treats every negative result as "no such field" (the live 6.18 kernel creates the
    /// map without it), and the kernel searches all special fields (locks, timers, kptrs, ...) in one
    /// pass, so an error caused by another kind of field hides this one too. A struct with a direct
    /// member of type <c>struct bpf_spin_lock</c> whose fields are not valid is already rejected by
    /// <see cref="Parse"/>, as BPF_BTF_LOAD rejects it (kernel: btf_parse_struct_metas).
    /// </para>
    /// </summary>
    /// <param name="typeId">The map value's type id.</param>
    /// <param name="structName">
    /// "bpf_spin_lock", "bpf_res_spin_lock", "bpf_refcount" (4 bytes, 4-aligned), "bpf_timer", "bpf_wq"
    /// (16 bytes, 8-aligned), "bpf_list_node" (24 bytes) or "bpf_rb_node" (32 bytes, 8-aligned).
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="structName"/> is not a struct the kernel looks for.</exception>
    public int FindStructMember(uint typeId, string structName)
    {
        var kind = BtfFieldFinder.KindOf(structName);
        if (kind is null or BtfFieldKind.ListHead or BtfFieldKind.RbRoot)
            throw new ArgumentException($"'{structName}' is not a map-value field the kernel searches by name", nameof(structName));
        if (typeId >= (uint)_raw.Count) return FieldNotFound;
        uint value = SkipModifiers(typeId);
        if (_raw.Kind(value) is not (BtfKind.Struct or BtfKind.Datasec)) return FieldNotFound;

        var finder = new BtfFieldFinder(_raw, new HashSet<BtfFieldKind> { kind.Value });
        if (finder.Find(value) < 0) return finder.Duplicate ? FieldDuplicate : FieldInvalid;
        return finder.Fields.Count switch
        {
            0 => FieldNotFound,
            1 => (int)finder.Fields[0].Offset,
            // Two at different nesting levels pass the kernel's per-struct uniqueness check (it then
            // warns and keeps the last); report them as duplicates.
            _ => FieldDuplicate,
        };
    }
}
