using System.Buffers.Binary;
using System.Text;

namespace BpfSharp.Elf.Btf;

/// <summary>
/// The bytes of a BTF blob with the byte offset of every type record: the raw reads the verifier and
/// <see cref="BtfBlob"/> share. Id 0 is void (no record); its info word, name and type all read as 0.
/// </summary>
internal sealed class BtfRaw
{
    private int[] _offsets = new int[16];

    public BtfRaw(byte[] data) => Data = data;

    /// <summary>The whole blob, header included.</summary>
    public byte[] Data { get; }
    /// <summary>Absolute offset of the string section.</summary>
    public int StrBase { get; set; }
    /// <summary>Length of the string section.</summary>
    public uint StrLen { get; set; }
    /// <summary>Number of types, void included (the kernel's nr_types).</summary>
    public int Count { get; private set; } = 1;

    /// <summary>Appends the type record at absolute offset <paramref name="offset"/>; returns its id.</summary>
    public uint Add(int offset)
    {
        if (Count == _offsets.Length)
            Array.Resize(ref _offsets, Math.Min(_offsets.Length * 2, (int)BtfConstants.MaxType + 1));
        _offsets[Count] = offset;
        return (uint)Count++;
    }

    public bool Exists(uint id) => id < (uint)Count;
    public int OffsetOf(uint id) => id == 0 ? -1 : _offsets[id];
    public uint U32(int abs) => BinaryPrimitives.ReadUInt32LittleEndian(Data.AsSpan(abs, 4));
    public int I32(int abs) => BinaryPrimitives.ReadInt32LittleEndian(Data.AsSpan(abs, 4));

    public uint NameOff(uint id) => id == 0 ? 0 : U32(_offsets[id]);
    public uint Info(uint id) => id == 0 ? 0 : U32(_offsets[id] + 4);
    public uint SizeOrType(uint id) => id == 0 ? 0 : U32(_offsets[id] + 8);
    public BtfKind Kind(uint id) => (BtfKind)((Info(id) >> 24) & 0x1f);
    public int Vlen(uint id) => (int)(Info(id) & 0xffff);
    public bool KindFlag(uint id) => (Info(id) >> 31) != 0;
    /// <summary>Absolute offset of the data following the 12-byte <c>struct btf_type</c>.</summary>
    public int Extra(uint id) => _offsets[id] + BtfConstants.TypeSize;

    /// <summary>True if <paramref name="id"/> is a STRUCT or UNION (the kernel's btf_type_is_struct).</summary>
    public bool IsStructOrUnion(uint id) => Kind(id) is BtfKind.Struct or BtfKind.Union;

    /// <summary>The raw (name_off, type, offset) of member <paramref name="index"/>.</summary>
    public (uint NameOff, uint Type, uint Offset) MemberRaw(uint id, int index)
    {
        int at = Extra(id) + 12 * index;
        return (U32(at), U32(at + 4), U32(at + 8));
    }

    /// <summary>__btf_member_bit_offset: the low 24 bits with kind_flag, else the whole word.</summary>
    public uint MemberBitOffset(uint id, uint rawOffset) => KindFlag(id) ? rawOffset & 0xffffff : rawOffset;

    /// <summary>__btf_member_bitfield_size: the high 8 bits with kind_flag, else 0.</summary>
    public uint MemberBitfieldSize(uint id, uint rawOffset) => KindFlag(id) ? rawOffset >> 24 : 0;

    public (uint NameOff, uint Type) ParamRaw(uint id, int index)
    {
        int at = Extra(id) + 8 * index;
        return (U32(at), U32(at + 4));
    }

    public BtfArray ArrayOf(uint id)
    {
        int at = Extra(id);
        return new BtfArray(U32(at), U32(at + 4), U32(at + 8));
    }

    public BtfVarSecinfo SecInfo(uint id, int index)
    {
        int at = Extra(id) + 12 * index;
        return new BtfVarSecinfo(U32(at), U32(at + 4), U32(at + 8));
    }

    /// <summary>The NUL-terminated bytes at string offset <paramref name="offset"/> (empty if out of range).</summary>
    public ReadOnlySpan<byte> StringBytes(uint offset)
    {
        if (offset >= StrLen) return default;
        var span = Data.AsSpan(StrBase + (int)offset, (int)(StrLen - offset));
        int end = span.IndexOf((byte)0);
        return end < 0 ? span : span[..end];
    }

    /// <summary>The string at <paramref name="offset"/>, or null if the offset is outside the section.</summary>
    public string? StringAt(uint offset) =>
        offset < StrLen ? Encoding.UTF8.GetString(StringBytes(offset)) : null;

    /// <summary>__btf_name_by_offset: "(anon)" for 0, "(invalid-name-offset)" outside the section.</summary>
    public string LogName(uint offset) =>
        offset == 0 ? "(anon)" : StringAt(offset) ?? "(invalid-name-offset)";
}
