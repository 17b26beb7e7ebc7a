using System.Text;
using BpfSharp.Isa;

namespace BpfSharp.Elf.Btf;

/// <summary>
/// A BTF blob (the bytes BPF_BTF_LOAD takes, or an object's .BTF section) that passed the kernel's
/// BTF verifier checks: header and section layout, every type record, every type reference (in range,
/// of a kind that may be referred to, no loops), sizes and member layouts, names. Immutable and safe
/// to share between threads.
/// </summary>
public sealed partial class BtfBlob
{
    private readonly BtfRaw _raw;
    private readonly long[] _sizes;
    private readonly Lazy<Dictionary<(BtfKind, string), uint>> _byName;

    internal BtfBlob(BtfRaw raw, BtfHeader header, long[] sizes)
    {
        _raw = raw;
        Header = header;
        _sizes = sizes;
        _byName = new Lazy<Dictionary<(BtfKind, string), uint>>(BuildNameIndex, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The blob's header.</summary>
    public BtfHeader Header { get; }

    /// <summary>Number of type ids, void (id 0) included: valid ids are 0 .. TypeCount - 1.</summary>
    public int TypeCount => _raw.Count;

    /// <summary>The blob's bytes, as parsed.</summary>
    public ReadOnlySpan<byte> Data => _raw.Data;

    /// <summary>
    /// Verifies <paramref name="blob"/> as the kernel's BPF_BTF_LOAD does and returns it parsed.
    /// </summary>
    /// <exception cref="BpfFormatException">
    /// The kernel would reject the blob. The message names the fault like the kernel's btf verifier log,
    /// e.g. <c>[3] STRUCT foo size=8 vlen=2: member bar type_id=0 bits_offset=0: Invalid type_id</c>;
    /// <see cref="BpfFormatException.Offset"/> is the byte offset of the faulty header field or type record.
    /// </exception>
    public static BtfBlob Parse(ReadOnlySpan<byte> blob)
    {
        try
        {
            return BtfVerifier.Verify(blob);
        }
        catch (BtfError e)
        {
            throw new BpfFormatException(e.Message, offset: e.Offset, section: ".BTF");
        }
    }

    /// <summary>
    /// Parses <paramref name="blob"/> with the checks of libbpf's own parser (btf__new) where the kernel's are stricter
    /// (extern linkage, DATASEC layout): an object whose BTF the kernel refuses is read as libbpf reads it, and loaded
    /// without its BTF (libbpf's "BTF is optional").
    /// </summary>
    /// <exception cref="BpfFormatException">Even the loader cannot parse the blob.</exception>
    internal static BtfBlob ParseForLoader(ReadOnlySpan<byte> blob)
    {
        try
        {
            return BtfVerifier.Verify(blob, loader: true);
        }
        catch (BtfError e)
        {
            throw new BpfFormatException(e.Message, offset: e.Offset, section: ".BTF");
        }
    }

    /// <summary>
    /// Verifies <paramref name="blob"/> like <see cref="Parse"/>, reporting a rejection the way
    /// BPF_BTF_LOAD does: null, the positive errno the kernel returns (EINVAL; E2BIG for a blob over
    /// 16 MiB, a non-zero header tail, too many types or too deep a reference chain; EEXIST for a
    /// reference loop; ELOOP for an over-long modifier chain; ENOTSUPP for an unsupported version,
    /// flags or INT encoding) and the verifier-log line.
    /// </summary>
    public static BtfBlob? TryParse(ReadOnlySpan<byte> blob, out int errno, out string? error)
    {
        try
        {
            var parsed = BtfVerifier.Verify(blob);
            errno = 0;
            error = null;
            return parsed;
        }
        catch (BtfError e)
        {
            errno = e.Errno;
            error = e.Message;
            return null;
        }
    }

    /// <summary>The type with id <paramref name="id"/> (0 is void).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is not below <see cref="TypeCount"/>.</exception>
    public BtfType GetType(uint id)
    {
        CheckId(id);
        return new BtfType(_raw, id);
    }

    /// <summary>The name of type <paramref name="id"/> ("" if anonymous or void).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is not below <see cref="TypeCount"/>.</exception>
    public string NameOf(uint id)
    {
        CheckId(id);
        return _raw.StringAt(_raw.NameOff(id)) ?? "";
    }

    /// <summary>
    /// The size in bytes of type <paramref name="id"/> as the kernel's btf_type_id_size gives it:
    /// through TYPEDEF, CONST, VOLATILE, RESTRICT, TYPE_TAG and VAR to the type they name; 8 for a
    /// PTR; element size times element count for an ARRAY (checked against u32 overflow when verified).
    /// Null for void, FWD, FUNC, FUNC_PROTO, DECL_TAG, a modifier of one of these, and for ids not
    /// below <see cref="TypeCount"/> (as the kernel treats an unknown btf_value_type_id).
    /// </summary>
    public uint? SizeOf(uint id) => id < (uint)_sizes.Length && _sizes[id] >= 0 ? (uint)_sizes[id] : null;

    /// <summary>The first type of kind <paramref name="kind"/> named <paramref name="name"/> (kernel: btf_find_by_name_kind), or null.</summary>
    public uint? FindByName(string name, BtfKind kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.Value.TryGetValue((kind, name), out uint id) ? id : null;
    }

    // The first id of each (kind, name), built on the first lookup (a kernel's BTF has some 150,000 types).
    private Dictionary<(BtfKind, string), uint> BuildNameIndex()
    {
        var index = new Dictionary<(BtfKind, string), uint>();
        for (uint id = 1; id < (uint)_raw.Count; id++)
        {
            uint off = _raw.NameOff(id);
            if (off == 0) continue;
            index.TryAdd((_raw.Kind(id), Encoding.UTF8.GetString(_raw.StringBytes(off))), id);
        }
        return index;
    }

    /// <summary>
    /// Follows TYPEDEF, CONST, VOLATILE, RESTRICT and TYPE_TAG from <paramref name="id"/> to the first
    /// other type (kernel: btf_type_skip_modifiers).
    /// </summary>
    public uint SkipModifiers(uint id)
    {
        CheckId(id);
        while (_raw.Kind(id).IsModifier()) id = _raw.SizeOrType(id);
        return id;
    }

    /// <summary>The string at <paramref name="offset"/> in the string section.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The offset is outside the string section.</exception>
    public string StringAt(uint offset) =>
        _raw.StringAt(offset) ?? throw new ArgumentOutOfRangeException(nameof(offset), offset,
            $"outside the {_raw.StrLen}-byte string section");

    private void CheckId(uint id)
    {
        if (id >= (uint)_raw.Count)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"the blob has type ids 0..{_raw.Count - 1}");
    }
}
