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
    /// Map creation turns every negative result into "no such field" (the kernel ignores the error), and
    /// the kernel searches all special fields (locks, timers, kptrs, ...) in one pass, so an error caused
    /// by another kind of field hides this one too.
    /// </para>
    /// </summary>
    /// <param name="typeId">The map value's type id.</param>
    /// <param name="structName">"bpf_spin_lock" (4 bytes, 4-aligned), "bpf_timer" or "bpf_wq" (16 bytes, 8-aligned).</param>
    /// <exception cref="ArgumentException"><paramref name="structName"/> is not a struct the kernel looks for.</exception>
    public int FindStructMember(uint typeId, string structName)
    {
        var (size, align) = structName switch
        {
            "bpf_spin_lock" => (4u, 4u),
            "bpf_timer" or "bpf_wq" => (16u, 8u),
            _ => throw new ArgumentException($"'{structName}' is not a map-value field the kernel searches", nameof(structName)),
        };
        if (typeId >= (uint)_raw.Count) return FieldNotFound;
        uint value = SkipModifiers(typeId);
        var search = new FieldSearch(_raw, System.Text.Encoding.UTF8.GetBytes(structName), size, align);
        int result = _raw.Kind(value) switch
        {
            BtfKind.Struct => search.Struct(value, 0, level: 0),
            BtfKind.Datasec => search.Datasec(value),
            _ => 0,
        };
        if (result < 0) return result;
        if (search.Found == 0) return FieldNotFound;
        // Two at different nesting levels pass the kernel's per-struct uniqueness check (it then
        // warns and keeps the last); report them as duplicates.
        return search.Found == 1 ? (int)search.Offset : FieldDuplicate;
    }

    /// <summary>kernel: btf_find_struct_field / btf_find_field_one for a single unique field type.</summary>
    private sealed class FieldSearch(BtfRaw raw, byte[] name, uint size, uint align)
    {
        public int Found { get; private set; }
        public uint Offset { get; private set; }

        /// <summary>Members of STRUCT <paramref name="id"/> placed at <paramref name="baseOffset"/>; 0 or a negative code.</summary>
        public int Struct(uint id, uint baseOffset, int level)
        {
            bool seen = false;
            int vlen = raw.Vlen(id);
            for (int i = 0; i < vlen; i++)
            {
                var m = raw.MemberRaw(id, i);
                uint bits = raw.MemberBitOffset(id, m.Offset);
                if (bits % 8 != 0) return FieldInvalid; // "valid C code cannot generate such BTF"
                int result = One(m.Type, baseOffset + bits / 8, expectedSize: 0, ref seen, level);
                if (result < 0) return result;
            }
            return 0;
        }

        /// <summary>kernel: btf_find_datasec_var: each variable must fill its slot exactly.</summary>
        public int Datasec(uint id)
        {
            bool seen = false;
            int vlen = raw.Vlen(id);
            for (int i = 0; i < vlen; i++)
            {
                var vsi = raw.SecInfo(id, i);
                int result = One(raw.SizeOrType(vsi.Type), vsi.Offset, vsi.Size, ref seen, level: 0);
                if (result < 0) return result;
            }
            return 0;
        }

        private int One(uint type, uint offset, uint expectedSize, ref bool seen, int level)
        {
            uint nelems = 1;
            int depth = 0;
            for (; depth < BtfConstants.MaxResolveDepth && raw.Kind(type) == BtfKind.Array; depth++)
            {
                var array = raw.ArrayOf(type);
                nelems = unchecked(nelems * array.Nelems);
                type = array.Type;
            }
            if (depth == BtfConstants.MaxResolveDepth) return FieldInvalid;
            if (nelems == 0) return 0;

            bool named = raw.NameOff(type) != 0 && raw.StringBytes(raw.NameOff(type)).SequenceEqual(name);
            if (!named)
            {
                if (raw.Kind(type) != BtfKind.Struct) return 0;
                if (expectedSize != 0 && expectedSize != unchecked(raw.SizeOrType(type) * nelems)) return 0;
                return Nested(type, offset, nelems, level);
            }
            if (seen) return FieldDuplicate;
            seen = true;
            if (expectedSize != 0 && expectedSize != unchecked(size * nelems)) return 0;
            if (offset % align != 0) return 0;
            if (raw.Kind(type) != BtfKind.Struct || raw.SizeOrType(type) != size) return 0;
            if (nelems > 1) return FieldInvalid; // btf_repeat_fields refuses to repeat a lock or timer
            Found++;
            Offset = offset;
            return 0;
        }

        /// <summary>kernel: btf_find_nested_struct.</summary>
        private int Nested(uint type, uint offset, uint nelems, int level)
        {
            if (++level >= BtfConstants.MaxResolveDepth) return FieldInvalid;
            int before = Found;
            int result = Struct(type, offset, level);
            if (result < 0) return result;
            if (Found > before && nelems > 1) return FieldInvalid;
            return 0;
        }
    }
}
