using System.Buffers.Binary;
using System.Text;
using BpfSharp.Elf.Btf;

namespace BpfSharp.Tests.Elf.Btf;

/// <summary>
/// A small BTF writer for tests: appends type records in id order (the first is id 1) and interns
/// names, then lays out header, type section and string section as linux/btf.h describes. Nothing is
/// validated, so tests can build exactly the malformed records they need.
/// </summary>
internal sealed class BtfBuilder
{
    private readonly List<byte> _types = [];
    private readonly List<byte> _strings = [0];
    private readonly Dictionary<string, uint> _offsets = new() { [""] = 0 };
    private uint _nextId = 1;

    /// <summary>The id the next record will get.</summary>
    public uint NextId => _nextId;

    /// <summary>Interns <paramref name="s"/> and returns its string offset ("" is 0).</summary>
    public uint Str(string s)
    {
        if (_offsets.TryGetValue(s, out uint off)) return off;
        off = (uint)_strings.Count;
        _strings.AddRange(Encoding.UTF8.GetBytes(s));
        _strings.Add(0);
        _offsets[s] = off;
        return off;
    }

    /// <summary>BTF_INFO_ENC(kind, kind_flag, vlen).</summary>
    public static uint Info(BtfKind kind, int vlen = 0, bool kflag = false) =>
        (kflag ? 1u << 31 : 0) | ((uint)kind << 24) | ((uint)vlen & 0xffff);

    /// <summary>Appends a raw record: the three words of struct btf_type, then <paramref name="extra"/> words.</summary>
    public uint Raw(uint nameOff, uint info, uint sizeOrType, params uint[] extra)
    {
        Word(nameOff);
        Word(info);
        Word(sizeOrType);
        foreach (uint w in extra) Word(w);
        return _nextId++;
    }

    /// <summary>Appends raw bytes to the type section (for truncated records).</summary>
    public void RawBytes(params byte[] bytes) => _types.AddRange(bytes);

    public uint Int(string name, uint size, byte encoding = 0, uint? bits = null, uint offset = 0) =>
        Raw(Str(name), Info(BtfKind.Int), size, ((uint)encoding << 24) | (offset << 16) | (bits ?? size * 8));

    public uint Ptr(uint type) => Raw(0, Info(BtfKind.Ptr), type);
    public uint Typedef(string name, uint type) => Raw(Str(name), Info(BtfKind.Typedef), type);
    public uint Volatile(uint type) => Raw(0, Info(BtfKind.Volatile), type);
    public uint Const(uint type) => Raw(0, Info(BtfKind.Const), type);
    public uint Restrict(uint type) => Raw(0, Info(BtfKind.Restrict), type);
    public uint TypeTag(string value, uint type) => Raw(Str(value), Info(BtfKind.TypeTag), type);
    public uint Fwd(string name, bool union = false) => Raw(Str(name), Info(BtfKind.Fwd, 0, union), 0);
    public uint Float(string name, uint size) => Raw(Str(name), Info(BtfKind.Float), size);
    public uint Array(uint elem, uint index, uint nelems) => Raw(0, Info(BtfKind.Array), 0, elem, index, nelems);
    public uint Func(string name, uint proto, int linkage = 1) => Raw(Str(name), Info(BtfKind.Func, linkage), proto);
    public uint Var(string name, uint type, uint linkage = 1) => Raw(Str(name), Info(BtfKind.Var), type, linkage);
    public uint DeclTag(string value, uint type, int component = -1) =>
        Raw(Str(value), Info(BtfKind.DeclTag), type, unchecked((uint)component));

    /// <summary>A STRUCT without kind_flag: members at plain bit offsets.</summary>
    public uint Struct(string name, uint size, params (string Name, uint Type, uint BitOffset)[] members) =>
        Aggregate(BtfKind.Struct, name, size, false, members.Select(m => (m.Name, m.Type, m.BitOffset)).ToArray());

    public uint Union(string name, uint size, params (string Name, uint Type)[] members) =>
        Aggregate(BtfKind.Union, name, size, false, members.Select(m => (m.Name, m.Type, 0u)).ToArray());

    /// <summary>A STRUCT with kind_flag: each member's offset word is bitfield_size &lt;&lt; 24 | bit offset.</summary>
    public uint StructKflag(string name, uint size, params (string Name, uint Type, uint BitOffset, uint BitfieldSize)[] members) =>
        Aggregate(BtfKind.Struct, name, size, true,
            members.Select(m => (m.Name, m.Type, (m.BitfieldSize << 24) | m.BitOffset)).ToArray());

    private uint Aggregate(BtfKind kind, string name, uint size, bool kflag, (string Name, uint Type, uint Offset)[] members)
    {
        var extra = new List<uint>();
        foreach (var m in members) extra.AddRange([Str(m.Name), m.Type, m.Offset]);
        return Raw(Str(name), Info(kind, members.Length, kflag), size, [.. extra]);
    }

    public uint Enum(string name, uint size, params (string Name, int Value)[] values)
    {
        var extra = new List<uint>();
        foreach (var v in values) extra.AddRange([Str(v.Name), unchecked((uint)v.Value)]);
        return Raw(Str(name), Info(BtfKind.Enum, values.Length), size, [.. extra]);
    }

    public uint Enum64(string name, uint size, params (string Name, ulong Value)[] values)
    {
        var extra = new List<uint>();
        foreach (var v in values) extra.AddRange([Str(v.Name), (uint)v.Value, (uint)(v.Value >> 32)]);
        return Raw(Str(name), Info(BtfKind.Enum64, values.Length), size, [.. extra]);
    }

    public uint FuncProto(uint ret, params (string Name, uint Type)[] args)
    {
        var extra = new List<uint>();
        foreach (var a in args) extra.AddRange([Str(a.Name), a.Type]);
        return Raw(0, Info(BtfKind.FuncProto, args.Length), ret, [.. extra]);
    }

    public uint Datasec(string name, uint size, params (uint Type, uint Offset, uint Size)[] vars)
    {
        var extra = new List<uint>();
        foreach (var v in vars) extra.AddRange([v.Type, v.Offset, v.Size]);
        return Raw(Str(name), Info(BtfKind.Datasec, vars.Length), size, [.. extra]);
    }

    /// <summary>Header (24 bytes), type section, string section, in that order and without gaps.</summary>
    public byte[] Build()
    {
        var blob = new byte[24 + _types.Count + _strings.Count];
        BinaryPrimitives.WriteUInt16LittleEndian(blob, BtfConstants.Magic);
        blob[2] = BtfConstants.Version;
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), 24);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(12), (uint)_types.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(16), (uint)_types.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(20), (uint)_strings.Count);
        _types.CopyTo(blob, 24);
        _strings.CopyTo(blob, 24 + _types.Count);
        return blob;
    }

    /// <summary>Overwrites the u32 at <paramref name="offset"/> of <paramref name="blob"/>.</summary>
    public static byte[] Patch32(byte[] blob, int offset, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(offset), value);
        return blob;
    }

    private void Word(uint w)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, w);
        _types.AddRange(b.ToArray());
    }
}
