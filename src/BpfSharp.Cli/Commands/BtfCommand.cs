using System.Globalization;
using System.Text;
using BpfSharp.Elf;
using BpfSharp.Elf.Btf;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// <c>bpfsharp btf dump OBJ</c>: every type of the object's BTF (as loaded: DATASEC sizes and offsets filled in), one
/// per line in bpftool's <c>btf dump</c> format, members and entries indented below their type.
/// </summary>
internal static class BtfCommand
{
    public static int Run(string[] args, Terminal io)
    {
        if (args.Length != 2 || args[0] != "dump")
            throw new UsageException("btf: usage: bpfsharp btf dump OBJ");
        CollectionSpec spec = CollectionSpec.Load(args[1]);
        if (spec.Btf is null)
            throw new UsageException($"btf: {args[1]} has no .BTF section");
        io.Out.Write(Dump(spec.Btf));
        return 0;
    }

    /// <summary>The types of <paramref name="btf"/> as bpftool prints them.</summary>
    internal static string Dump(BtfBlob btf)
    {
        var text = new StringBuilder();
        for (uint id = 1; id < (uint)btf.TypeCount; id++)
            AppendType(text, btf, btf.GetType(id));
        return text.ToString();
    }

    private static void AppendType(StringBuilder text, BtfBlob btf, BtfType t)
    {
        text.Append(Inv($"[{t.Id}] {KindName(t.Kind)} '{Anon(t.Name)}'"));
        switch (t.Kind)
        {
            case BtfKind.Int:
                text.Append(Inv($" size={t.Size} bits_offset={t.IntOffset} nr_bits={t.IntBits} encoding={IntEncoding(t.IntEncoding)}"));
                break;
            case BtfKind.Ptr or BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.Typedef or BtfKind.TypeTag:
                text.Append(Inv($" type_id={t.Type}"));
                break;
            case BtfKind.Array:
                BtfArray a = t.Array;
                text.Append(Inv($" type_id={a.Type} index_type_id={a.IndexType} nr_elems={a.Nelems}"));
                break;
            case BtfKind.Struct or BtfKind.Union:
                text.Append(Inv($" size={t.Size} vlen={t.Vlen}"));
                foreach (BtfMember m in t.Members)
                {
                    text.Append(Inv($"\n\t'{Anon(m.Name)}' type_id={m.Type} bits_offset={m.BitOffset}"));
                    if (m.BitfieldSize != 0) text.Append(Inv($" bitfield_size={m.BitfieldSize}"));
                }
                break;
            case BtfKind.Enum or BtfKind.Enum64:
                text.Append(Inv($" encoding={(t.KindFlag ? "SIGNED" : "UNSIGNED")} size={t.Size} vlen={t.Vlen}"));
                foreach (BtfEnumValue e in t.EnumValues)
                {
                    string value = t.KindFlag ? e.Value.ToString(CultureInfo.InvariantCulture)
                        : t.Kind == BtfKind.Enum ? ((uint)e.Value).ToString(CultureInfo.InvariantCulture) : ((ulong)e.Value).ToString(CultureInfo.InvariantCulture);
                    text.Append(Inv($"\n\t'{e.Name}' val={value}"));
                }
                break;
            case BtfKind.Fwd:
                text.Append(t.KindFlag ? " fwd_kind=union" : " fwd_kind=struct");
                break;
            case BtfKind.Func:
                text.Append(Inv($" type_id={t.Type} linkage={Linkage(t.Vlen)}"));
                break;
            case BtfKind.FuncProto:
                text.Append(Inv($" ret_type_id={t.Type} vlen={t.Vlen}"));
                foreach (BtfParam p in t.Params)
                    text.Append(Inv($"\n\t'{Anon(p.Name)}' type_id={p.Type}"));
                break;
            case BtfKind.Var:
                text.Append(Inv($" type_id={t.Type}, linkage={Linkage((int)t.VarLinkage)}"));
                break;
            case BtfKind.Datasec:
                text.Append(Inv($" size={t.Size} vlen={t.Vlen}"));
                foreach (BtfVarSecinfo v in t.SecInfos)
                {
                    BtfType var = btf.GetType(v.Type);
                    text.Append(Inv($"\n\ttype_id={v.Type} offset={v.Offset} size={v.Size} ({KindName(var.Kind)} '{var.Name}')"));
                }
                break;
            case BtfKind.Float:
                text.Append(Inv($" size={t.Size}"));
                break;
            case BtfKind.DeclTag:
                text.Append(Inv($" type_id={t.Type} component_idx={t.ComponentIndex}"));
                break;
        }
        text.Append('\n');
    }

    // bpftool's names of the kinds (btf_kind_str).
    private static string KindName(BtfKind kind) => kind switch
    {
        BtfKind.Int => "INT", BtfKind.Ptr => "PTR", BtfKind.Array => "ARRAY", BtfKind.Struct => "STRUCT",
        BtfKind.Union => "UNION", BtfKind.Enum => "ENUM", BtfKind.Fwd => "FWD", BtfKind.Typedef => "TYPEDEF",
        BtfKind.Volatile => "VOLATILE", BtfKind.Const => "CONST", BtfKind.Restrict => "RESTRICT", BtfKind.Func => "FUNC",
        BtfKind.FuncProto => "FUNC_PROTO", BtfKind.Var => "VAR", BtfKind.Datasec => "DATASEC", BtfKind.Float => "FLOAT",
        BtfKind.DeclTag => "DECL_TAG", BtfKind.TypeTag => "TYPE_TAG", BtfKind.Enum64 => "ENUM64",
        _ => "UNKNOWN",
    };

    private static string IntEncoding(byte encoding) => encoding switch
    {
        0 => "(none)", 1 => "SIGNED", 2 => "CHAR", 4 => "BOOL", _ => "UNKN",
    };

    // Function and variable linkage: 0 static, 1 global, 2 extern.
    private static string Linkage(int linkage) => linkage switch { 0 => "static", 1 => "global", 2 => "extern", _ => "(unknown)" };

    private static string Anon(string name) => name.Length == 0 ? "(anon)" : name;

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
