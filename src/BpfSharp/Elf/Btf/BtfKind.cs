namespace BpfSharp.Elf.Btf;

/// <summary>BTF_KIND_*: what a <c>struct btf_type</c> describes (bits 24-28 of its info word).</summary>
public enum BtfKind : byte
{
    /// <summary>BTF_KIND_UNKN: only type id 0, void.</summary>
    Unknown = 0,
    /// <summary>BTF_KIND_INT: an integer, followed by a u32 encoding/offset/bits word.</summary>
    Int = 1,
    /// <summary>BTF_KIND_PTR: a pointer to <c>type</c>.</summary>
    Ptr = 2,
    /// <summary>BTF_KIND_ARRAY: followed by <c>struct btf_array</c>.</summary>
    Array = 3,
    /// <summary>BTF_KIND_STRUCT: followed by vlen <c>struct btf_member</c>.</summary>
    Struct = 4,
    /// <summary>BTF_KIND_UNION: followed by vlen <c>struct btf_member</c>, all at bit offset 0.</summary>
    Union = 5,
    /// <summary>BTF_KIND_ENUM: followed by vlen <c>struct btf_enum</c> (32-bit values).</summary>
    Enum = 6,
    /// <summary>BTF_KIND_FWD: a forward declaration of a struct (kind_flag 0) or union (kind_flag 1).</summary>
    Fwd = 7,
    /// <summary>BTF_KIND_TYPEDEF: a named alias of <c>type</c>.</summary>
    Typedef = 8,
    /// <summary>BTF_KIND_VOLATILE: <c>volatile type</c>.</summary>
    Volatile = 9,
    /// <summary>BTF_KIND_CONST: <c>const type</c>.</summary>
    Const = 10,
    /// <summary>BTF_KIND_RESTRICT: <c>restrict type</c>.</summary>
    Restrict = 11,
    /// <summary>BTF_KIND_FUNC: a function; <c>type</c> is its FUNC_PROTO, vlen its linkage.</summary>
    Func = 12,
    /// <summary>BTF_KIND_FUNC_PROTO: return type in <c>type</c>, followed by vlen <c>struct btf_param</c>.</summary>
    FuncProto = 13,
    /// <summary>BTF_KIND_VAR: a variable of <c>type</c>, followed by <c>struct btf_var</c> (linkage).</summary>
    Var = 14,
    /// <summary>BTF_KIND_DATASEC: a data section, followed by vlen <c>struct btf_var_secinfo</c>.</summary>
    Datasec = 15,
    /// <summary>BTF_KIND_FLOAT: a floating-point type of <c>size</c> bytes.</summary>
    Float = 16,
    /// <summary>BTF_KIND_DECL_TAG: a tag on a declaration, followed by <c>struct btf_decl_tag</c>.</summary>
    DeclTag = 17,
    /// <summary>BTF_KIND_TYPE_TAG: a tag on the pointee type <c>type</c>.</summary>
    TypeTag = 18,
    /// <summary>BTF_KIND_ENUM64: followed by vlen <c>struct btf_enum64</c> (64-bit values).</summary>
    Enum64 = 19,
}

/// <summary>Kernel spellings and groupings of <see cref="BtfKind"/>.</summary>
public static class BtfKindExtensions
{
    private static readonly string[] Names =
    [
        "UNKNOWN", "INT", "PTR", "ARRAY", "STRUCT", "UNION", "ENUM", "FWD", "TYPEDEF", "VOLATILE", "CONST",
        "RESTRICT", "FUNC", "FUNC_PROTO", "VAR", "DATASEC", "FLOAT", "DECL_TAG", "TYPE_TAG", "ENUM64",
    ];

    /// <summary>The name the kernel's btf verifier log prints for <paramref name="kind"/> ("STRUCT").</summary>
    public static string KernelName(this BtfKind kind) =>
        (int)kind < Names.Length ? Names[(int)kind] : "UNKNOWN";

    /// <summary>
    /// True for the kinds the kernel calls modifiers (btf_type_is_modifier): TYPEDEF, VOLATILE, CONST,
    /// RESTRICT and TYPE_TAG, whose size is that of the type they refer to.
    /// </summary>
    public static bool IsModifier(this BtfKind kind) =>
        kind is BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag;

    /// <summary>True for the kinds whose <c>size</c> field is meaningful (btf_type_has_size).</summary>
    public static bool HasSize(this BtfKind kind) =>
        kind is BtfKind.Int or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Datasec
            or BtfKind.Float or BtfKind.Enum64;

    /// <summary>
    /// Bytes that follow the 12-byte <c>struct btf_type</c> of a record of this kind with <paramref name="vlen"/>
    /// entries (members, params, enumerators, section entries), or -1 for an unknown kind.
    /// </summary>
    public static int ExtraSize(this BtfKind kind, int vlen) => kind switch
    {
        BtfKind.Int or BtfKind.Var or BtfKind.DeclTag => 4,
        BtfKind.Array => 12,
        BtfKind.Struct or BtfKind.Union or BtfKind.Datasec or BtfKind.Enum64 => 12 * vlen,
        BtfKind.Enum or BtfKind.FuncProto => 8 * vlen,
        BtfKind.Ptr or BtfKind.Fwd or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict
            or BtfKind.Func or BtfKind.Float or BtfKind.TypeTag => 0,
        _ => -1,
    };
}
