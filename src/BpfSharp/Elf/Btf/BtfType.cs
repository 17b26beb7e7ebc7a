using System.Globalization;

namespace BpfSharp.Elf.Btf;

/// <summary>
/// One type of a verified <see cref="BtfBlob"/>: a view of its <c>struct btf_type</c> record and the
/// data that follows it. Kind-specific accessors throw <see cref="InvalidOperationException"/> when
/// called on a type of another kind. Id 0 is void (kind <see cref="BtfKind.Unknown"/>, no name).
/// </summary>
public readonly struct BtfType
{
    private readonly BtfRaw _raw;

    internal BtfType(BtfRaw raw, uint id)
    {
        _raw = raw;
        Id = id;
    }

    /// <summary>The type id (its 1-based position in the type section; 0 is void).</summary>
    public uint Id { get; }

    /// <summary>The raw info word: vlen in bits 0-15, kind in bits 24-28, kind_flag in bit 31.</summary>
    public uint Info => _raw.Info(Id);

    /// <summary>BTF_INFO_KIND.</summary>
    public BtfKind Kind => _raw.Kind(Id);

    /// <summary>name_off: the name's offset in the string section (0: anonymous).</summary>
    public uint NameOffset => _raw.NameOff(Id);

    /// <summary>The type's name ("" if anonymous; a DECL_TAG's or TYPE_TAG's value).</summary>
    public string Name => _raw.StringAt(NameOffset) ?? "";

    /// <summary>BTF_INFO_KFLAG: bitfield offsets (STRUCT/UNION), union (FWD), signed (ENUM/ENUM64), attribute (tags).</summary>
    public bool KindFlag => _raw.KindFlag(Id);

    /// <summary>BTF_INFO_VLEN: members, params, enumerators or variables that follow; a FUNC's linkage.</summary>
    public int Vlen => _raw.Vlen(Id);

    /// <summary>
    /// The size field of INT, STRUCT, UNION, ENUM, ENUM64, DATASEC and FLOAT (the same word as
    /// <see cref="Type"/>). Use <see cref="BtfBlob.SizeOf"/> for the size of any type.
    /// </summary>
    public uint Size => _raw.SizeOrType(Id);

    /// <summary>
    /// The type field of PTR, the modifiers, FUNC (its FUNC_PROTO), FUNC_PROTO (return type), VAR
    /// and DECL_TAG (the same word as <see cref="Size"/>).
    /// </summary>
    public uint Type => _raw.SizeOrType(Id);

    /// <summary>An INT's encoding bits (<see cref="BtfConstants.IntSigned"/>, ...).</summary>
    public byte IntEncoding => (byte)((IntData >> 24) & 0xf);

    /// <summary>An INT's bit offset (BTF_INT_OFFSET).</summary>
    public byte IntOffset => (byte)((IntData >> 16) & 0xff);

    /// <summary>An INT's width in bits (BTF_INT_BITS).</summary>
    public byte IntBits => (byte)(IntData & 0xff);

    private uint IntData => _raw.U32(Expect(BtfKind.Int));

    /// <summary>An ARRAY's element type, index type and element count.</summary>
    public BtfArray Array
    {
        get
        {
            Expect(BtfKind.Array);
            return _raw.ArrayOf(Id);
        }
    }

    /// <summary>Member <paramref name="index"/> of a STRUCT or UNION.</summary>
    public BtfMember Member(int index)
    {
        Expect(BtfKind.Struct, BtfKind.Union);
        CheckIndex(index);
        var m = _raw.MemberRaw(Id, index);
        return new BtfMember(_raw.StringAt(m.NameOff) ?? "", m.Type,
            _raw.MemberBitOffset(Id, m.Offset), _raw.MemberBitfieldSize(Id, m.Offset));
    }

    /// <summary>All members of a STRUCT or UNION, in order.</summary>
    public IReadOnlyList<BtfMember> Members => Collect(Member, BtfKind.Struct, BtfKind.Union);

    /// <summary>Parameter <paramref name="index"/> of a FUNC_PROTO.</summary>
    public BtfParam Param(int index)
    {
        Expect(BtfKind.FuncProto);
        CheckIndex(index);
        var p = _raw.ParamRaw(Id, index);
        return new BtfParam(_raw.StringAt(p.NameOff) ?? "", p.Type);
    }

    /// <summary>All parameters of a FUNC_PROTO, the variadic marker included.</summary>
    public IReadOnlyList<BtfParam> Params => Collect(Param, BtfKind.FuncProto);

    /// <summary>Enumerator <paramref name="index"/> of an ENUM or ENUM64.</summary>
    public BtfEnumValue EnumValue(int index)
    {
        var kind = Kind;
        int at = Expect(BtfKind.Enum, BtfKind.Enum64);
        CheckIndex(index);
        if (kind == BtfKind.Enum)
        {
            at += 8 * index;
            uint raw = _raw.U32(at + 4);
            long value = KindFlag ? (int)raw : raw;
            return new BtfEnumValue(_raw.StringAt(_raw.U32(at)) ?? "", value);
        }
        at += 12 * index;
        ulong bits = _raw.U32(at + 4) | (ulong)_raw.U32(at + 8) << 32;
        return new BtfEnumValue(_raw.StringAt(_raw.U32(at)) ?? "", unchecked((long)bits));
    }

    /// <summary>All enumerators of an ENUM or ENUM64.</summary>
    public IReadOnlyList<BtfEnumValue> EnumValues => Collect(EnumValue, BtfKind.Enum, BtfKind.Enum64);

    /// <summary>A VAR's linkage (<see cref="BtfConstants.VarStatic"/> or <see cref="BtfConstants.VarGlobalAllocated"/>).</summary>
    public uint VarLinkage => _raw.U32(Expect(BtfKind.Var));

    /// <summary>Variable <paramref name="index"/> of a DATASEC.</summary>
    public BtfVarSecinfo SecInfo(int index)
    {
        Expect(BtfKind.Datasec);
        CheckIndex(index);
        return _raw.SecInfo(Id, index);
    }

    /// <summary>All variables of a DATASEC.</summary>
    public IReadOnlyList<BtfVarSecinfo> SecInfos => Collect(SecInfo, BtfKind.Datasec);

    /// <summary>A DECL_TAG's component: -1 for the declaration itself, else a member or parameter index.</summary>
    public int ComponentIndex => _raw.I32(Expect(BtfKind.DeclTag));

    /// <summary>"[id] KIND name", as the kernel's verifier log starts a type's line.</summary>
    public override string ToString() =>
        $"[{Id.ToString(CultureInfo.InvariantCulture)}] {Kind.KernelName()} {_raw.LogName(NameOffset)}";

    private int Expect(BtfKind kind, BtfKind other = BtfKind.Unknown)
    {
        var actual = Kind;
        if (Id == 0 || (actual != kind && (other == BtfKind.Unknown || actual != other)))
            throw new InvalidOperationException($"{this} is not {kind.KernelName()}"
                + (other == BtfKind.Unknown ? "" : $" or {other.KernelName()}"));
        return _raw.Extra(Id);
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Vlen)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"{this} has vlen {Vlen}");
    }

    private T[] Collect<T>(Func<int, T> read, BtfKind kind, BtfKind other = BtfKind.Unknown)
    {
        Expect(kind, other);
        var items = new T[Vlen];
        for (int i = 0; i < items.Length; i++) items[i] = read(i);
        return items;
    }
}
