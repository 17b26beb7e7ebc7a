using System.Globalization;
using BpfSharp.Uapi;

namespace BpfSharp.Elf.Btf;

/// <summary>
/// The kernel's BTF verifier (kernel/bpf/btf.c btf_parse), rewritten: header and section layout, a
/// first pass over every type record (btf_check_all_metas), a second pass resolving every reference
/// with a depth-first walk that finds loops (btf_check_all_types), and the type-tag ordering check.
/// The first fault raises a <see cref="BtfError"/> carrying the errno and a verifier-log line.
/// One instance verifies one blob.
/// </summary>
internal sealed partial class BtfVerifier
{
    private readonly BtfRaw _raw;
    private readonly bool _loader;
    private BtfHeader _hdr;

    private BtfVerifier(byte[] data, bool loader)
    {
        _raw = new BtfRaw(data);
        _loader = loader;
    }

    /// <summary>
    /// Verifies <paramref name="blob"/> and returns its parsed form. With <paramref name="loader"/>, what only the kernel
    /// refuses and libbpf's own parser (btf__new) takes passes: extern FUNC and VAR linkage, unnamed parameters of a
    /// FUNC, the layout of a DATASEC's entries and FUNC entries in it (an object's <c>.ksyms</c>), so that the loader can
    /// read an object whose BTF the kernel will refuse.
    /// </summary>
    /// <exception cref="BtfError">The kernel (with <paramref name="loader"/>: the loader) would reject the blob.</exception>
    public static BtfBlob Verify(ReadOnlySpan<byte> blob, bool loader = false)
    {
        if (blob.Length > BtfConstants.MaxSize)
            throw new BtfError(Errno.E2BIG,
                $"btf size {blob.Length} is larger than BTF_MAX_SIZE ({BtfConstants.MaxSize})", 0);
        var verifier = new BtfVerifier(blob.ToArray(), loader);
        return verifier.Run();
    }

    private BtfBlob Run()
    {
        ParseHeader();
        ParseStringSection();
        ParseTypeSection();
        CheckTypeTags();
        CheckStructMetas();
        return new BtfBlob(_raw, _hdr, ComputeSizes());
    }

    /// <summary>The size btf_type_id_size gives each type, or -1 for types without a size.</summary>
    private long[] ComputeSizes()
    {
        var sizes = new long[_raw.Count];
        for (uint id = 0; id < (uint)_raw.Count; id++)
        {
            uint resolved = id;
            sizes[id] = TypeIdSize(ref resolved, out uint size) ? size : -1;
        }
        return sizes;
    }

    // ---- fault reporting in the shape of the kernel's verifier log ----

    private static string U(uint value) => value.ToString(CultureInfo.InvariantCulture);

    private BtfError Fail(string message, long offset, int errno = Errno.EINVAL) => new(errno, message, offset);

    /// <summary>btf_verifier_log_type: "[id] KIND name details: fault".</summary>
    private BtfError TypeFault(uint id, string fault, int errno = Errno.EINVAL) =>
        Fail($"{Describe(id, details: true)}: {fault}", _raw.OffsetOf(id), errno);

    /// <summary>btf_verifier_log_basic: "[id] KIND name: fault" (the record may be truncated).</summary>
    private BtfError BasicFault(uint id, string fault) =>
        Fail($"{Describe(id, details: false)}: {fault}", _raw.OffsetOf(id));

    /// <summary>btf_verifier_log_member: the struct, then the member's name, type and offset.</summary>
    private BtfError MemberFault(uint structId, uint nameOff, uint type, uint rawOffset, string fault)
    {
        string member = _raw.KindFlag(structId)
            ? $"member {_raw.LogName(nameOff)} type_id={U(type)} bitfield_size={U(rawOffset >> 24)} bits_offset={U(rawOffset & 0xffffff)}"
            : $"member {_raw.LogName(nameOff)} type_id={U(type)} bits_offset={U(rawOffset)}";
        return Fail($"{Describe(structId, details: true)}: {member}: {fault}", _raw.OffsetOf(structId));
    }

    /// <summary>btf_verifier_log_vsi: the DATASEC, then the variable's type, offset and size.</summary>
    private BtfError VsiFault(uint datasecId, BtfVarSecinfo vsi, string fault) =>
        Fail($"{Describe(datasecId, details: true)}: var_secinfo type_id={U(vsi.Type)} offset={U(vsi.Offset)} size={U(vsi.Size)}: {fault}",
            _raw.OffsetOf(datasecId));

    /// <summary>"[id] KIND name" and, with <paramref name="details"/>, the kind's log_details.</summary>
    private string Describe(uint id, bool details)
    {
        var kind = _raw.Kind(id);
        string head = $"[{U(id)}] {kind.KernelName()} {_raw.LogName(_raw.NameOff(id))}";
        return details ? $"{head} {Details(id, kind)}" : head;
    }

    private string Details(uint id, BtfKind kind)
    {
        uint sizeOrType = _raw.SizeOrType(id);
        switch (kind)
        {
            case BtfKind.Int:
            {
                uint data = _raw.U32(_raw.Extra(id));
                return $"size={U(sizeOrType)} bits_offset={U((data >> 16) & 0xff)} nr_bits={U(data & 0xff)} encoding={EncodingName((data >> 24) & 0xf)}";
            }
            case BtfKind.Ptr or BtfKind.Func or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const
                or BtfKind.Restrict or BtfKind.TypeTag:
                return $"type_id={U(sizeOrType)}";
            case BtfKind.Fwd:
                return _raw.KindFlag(id) ? "union" : "struct";
            case BtfKind.Array:
            {
                var array = _raw.ArrayOf(id);
                return $"type_id={U(array.Type)} index_type_id={U(array.IndexType)} nr_elems={U(array.Nelems)}";
            }
            case BtfKind.FuncProto:
                return $"return={U(sizeOrType)} args=({ProtoArgs(id)})";
            case BtfKind.Var:
                return $"type_id={U(sizeOrType)} linkage={U(_raw.U32(_raw.Extra(id)))}";
            case BtfKind.Float:
                return $"size={U(sizeOrType)}";
            case BtfKind.DeclTag:
                return $"type={U(sizeOrType)} component_idx={_raw.I32(_raw.Extra(id)).ToString(CultureInfo.InvariantCulture)}";
            default: // STRUCT, UNION, ENUM, ENUM64, DATASEC
                return $"size={U(sizeOrType)} vlen={U((uint)_raw.Vlen(id))}";
        }
    }

    private static string EncodingName(uint encoding) => encoding switch
    {
        0 => "(none)",
        BtfConstants.IntSigned => "SIGNED",
        BtfConstants.IntChar => "CHAR",
        BtfConstants.IntBool => "BOOL",
        _ => "UNKN",
    };

    /// <summary>btf_func_proto_log's argument list: "void", "vararg" or "T name, ..., vararg".</summary>
    private string ProtoArgs(uint id)
    {
        int n = _raw.Vlen(id);
        if (n == 0) return "void";
        var first = _raw.ParamRaw(id, 0);
        if (n == 1 && first.Type == 0) return "vararg";
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < n; i++)
        {
            var p = _raw.ParamRaw(id, i);
            if (i > 0) text.Append(", ");
            if (i == n - 1 && n > 1 && p.Type == 0) text.Append("vararg");
            else text.Append(U(p.Type)).Append(' ').Append(_raw.LogName(p.NameOff));
        }
        return text.ToString();
    }
}
