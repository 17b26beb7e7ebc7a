using BpfSharp.Uapi;

namespace BpfSharp.Elf.Btf;

internal sealed partial class BtfVerifier
{
    private const uint InfoMask = 0x9f00ffff; // kernel: BTF_INFO_MASK
    private const uint IntMask = 0x0fffffff;  // kernel: BTF_INT_MASK
    private const uint BitsPerU128 = 128;

    private static uint RoundupBytes(uint bits) => (bits >> 3) + ((bits & 7) != 0 ? 1u : 0u);

    /// <summary>kernel: btf_check_all_metas: the first pass, record by record, in id order.</summary>
    private void CheckAllMetas()
    {
        int cur = (int)(_hdr.HeaderLength + _hdr.TypeOffset);
        int end = cur + (int)_hdr.TypeLength;
        while (cur < end)
        {
            if (_raw.Count >= (int)BtfConstants.MaxType)
                throw Fail($"[{U((uint)_raw.Count)}] Exceeded max num of types", cur, Errno.E2BIG);
            cur += CheckMeta(cur, (uint)(end - cur));
        }
    }

    /// <summary>kernel: btf_check_meta: the common fields, then the kind's own check_meta.</summary>
    private int CheckMeta(int offset, uint metaLeft)
    {
        uint id = (uint)_raw.Count;
        if (metaLeft < BtfConstants.TypeSize)
            throw Fail($"[{U(id)}] meta_left:{U(metaLeft)} meta_needed:{BtfConstants.TypeSize}", offset);
        _raw.Add(offset);
        metaLeft -= BtfConstants.TypeSize;

        uint info = _raw.Info(id);
        if ((info & ~InfoMask) != 0)
            throw Fail($"[{U(id)}] Invalid btf_info:{info:x}", offset + 4);
        uint kind = (info >> 24) & 0x1f;
        if (kind == 0 || kind > (uint)BtfKind.Enum64)
            throw Fail($"[{U(id)}] Invalid kind:{U(kind)}", offset + 4);
        uint nameOff = _raw.NameOff(id);
        if (!NameOffsetValid(nameOff))
            throw Fail($"[{U(id)}] Invalid name_offset:{U(nameOff)}", offset);

        uint extra = (BtfKind)kind switch
        {
            BtfKind.Int => CheckIntMeta(id, metaLeft),
            BtfKind.Ptr or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict
                or BtfKind.TypeTag => CheckRefMeta(id),
            BtfKind.Array => CheckArrayMeta(id, metaLeft),
            BtfKind.Struct or BtfKind.Union => CheckStructMeta(id, metaLeft),
            BtfKind.Enum => CheckEnumMeta(id, metaLeft, 8),
            BtfKind.Enum64 => CheckEnumMeta(id, metaLeft, 12),
            BtfKind.Fwd => CheckFwdMeta(id),
            BtfKind.Func => CheckFuncMeta(id),
            BtfKind.FuncProto => CheckFuncProtoMeta(id, metaLeft),
            BtfKind.Var => CheckVarMeta(id, metaLeft),
            BtfKind.Datasec => CheckDatasecMeta(id, metaLeft),
            BtfKind.Float => CheckFloatMeta(id),
            _ => CheckDeclTagMeta(id, metaLeft),
        };
        return BtfConstants.TypeSize + (int)extra;
    }

    /// <summary>kernel: btf_name_offset_valid.</summary>
    private bool NameOffsetValid(uint offset) => offset <= BtfConstants.MaxNameOffset && offset < _raw.StrLen;

    private bool ValidIdentifier(uint offset) => BtfNames.IsValidIdentifier(_raw.StringBytes(offset));

    private void RequireMeta(uint id, uint metaLeft, uint needed)
    {
        if (metaLeft < needed)
            throw BasicFault(id, $"meta_left:{U(metaLeft)} meta_needed:{U(needed)}");
    }

    private void RequireNoVlen(uint id)
    {
        if (_raw.Vlen(id) != 0) throw TypeFault(id, "vlen != 0");
    }

    private void RequireNoKindFlag(uint id)
    {
        if (_raw.KindFlag(id)) throw TypeFault(id, "Invalid btf_info kind_flag");
    }

    private uint CheckIntMeta(uint id, uint metaLeft)
    {
        RequireMeta(id, metaLeft, 4);
        RequireNoVlen(id);
        RequireNoKindFlag(id);
        uint data = _raw.U32(_raw.Extra(id));
        if ((data & ~IntMask) != 0)
            throw BasicFault(id, $"Invalid int_data:{data:x}");
        uint nrBits = (data & 0xff) + ((data >> 16) & 0xff);
        if (nrBits > BitsPerU128)
            throw TypeFault(id, $"nr_bits exceeds {BitsPerU128}");
        if (RoundupBytes(nrBits) > _raw.SizeOrType(id))
            throw TypeFault(id, "nr_bits exceeds type_size");
        uint encoding = (data >> 24) & 0xf;
        if (encoding is not (0 or BtfConstants.IntSigned or BtfConstants.IntChar or BtfConstants.IntBool))
            throw TypeFault(id, "Unsupported encoding", Errno.ENOTSUPP);
        return 4;
    }

    /// <summary>kernel: btf_ref_type_check_meta (PTR and the modifiers).</summary>
    private uint CheckRefMeta(uint id)
    {
        var kind = _raw.Kind(id);
        RequireNoVlen(id);
        if (_raw.KindFlag(id) && kind != BtfKind.TypeTag)
            throw TypeFault(id, "Invalid btf_info kind_flag");
        if (_raw.SizeOrType(id) > BtfConstants.MaxType)
            throw TypeFault(id, "Invalid type_id");
        uint nameOff = _raw.NameOff(id);
        bool nameOk = kind switch
        {
            BtfKind.Typedef => nameOff != 0 && ValidIdentifier(nameOff),
            BtfKind.TypeTag => _raw.StringBytes(nameOff).Length > 0,
            _ => nameOff == 0,
        };
        if (!nameOk) throw TypeFault(id, "Invalid name");
        return 0;
    }

    private uint CheckFwdMeta(uint id)
    {
        RequireNoVlen(id);
        if (_raw.SizeOrType(id) != 0) throw TypeFault(id, "type != 0");
        uint nameOff = _raw.NameOff(id);
        if (nameOff == 0 || !ValidIdentifier(nameOff)) throw TypeFault(id, "Invalid name");
        return 0;
    }

    private uint CheckArrayMeta(uint id, uint metaLeft)
    {
        RequireMeta(id, metaLeft, 12);
        if (_raw.NameOff(id) != 0) throw TypeFault(id, "Invalid name");
        RequireNoVlen(id);
        RequireNoKindFlag(id);
        if (_raw.SizeOrType(id) != 0) throw TypeFault(id, "size != 0");
        var array = _raw.ArrayOf(id);
        if (array.Type == 0 || array.Type > BtfConstants.MaxType) throw TypeFault(id, "Invalid elem");
        if (array.IndexType == 0 || array.IndexType > BtfConstants.MaxType) throw TypeFault(id, "Invalid index");
        return 12;
    }

    /// <summary>kernel: btf_struct_check_meta (STRUCT and UNION).</summary>
    private uint CheckStructMeta(uint id, uint metaLeft)
    {
        int vlen = _raw.Vlen(id);
        uint needed = (uint)vlen * 12;
        RequireMeta(id, metaLeft, needed);
        uint nameOff = _raw.NameOff(id);
        if (nameOff != 0 && !ValidIdentifier(nameOff)) throw TypeFault(id, "Invalid name");

        bool isUnion = _raw.Kind(id) == BtfKind.Union;
        uint structSize = _raw.SizeOrType(id);
        uint lastOffset = 0;
        for (int i = 0; i < vlen; i++)
        {
            var m = _raw.MemberRaw(id, i);
            if (!NameOffsetValid(m.NameOff))
                throw MemberFault(id, m.NameOff, m.Type, m.Offset, $"Invalid member name_offset:{U(m.NameOff)}");
            if (m.NameOff != 0 && !ValidIdentifier(m.NameOff))
                throw MemberFault(id, m.NameOff, m.Type, m.Offset, "Invalid name");
            if (m.Type == 0 || m.Type > BtfConstants.MaxType)
                throw MemberFault(id, m.NameOff, m.Type, m.Offset, "Invalid type_id");
            uint offset = _raw.MemberBitOffset(id, m.Offset);
            if (isUnion && offset != 0)
                throw MemberFault(id, m.NameOff, m.Type, m.Offset, "Invalid member bits_offset");
            // ">" rather than ">=": the last member may be a flexible "char a[0]".
            if (lastOffset > offset)
                throw MemberFault(id, m.NameOff, m.Type, m.Offset, "Invalid member bits_offset");
            if (RoundupBytes(offset) > structSize)
                throw MemberFault(id, m.NameOff, m.Type, m.Offset, "Member bits_offset exceeds its struct size");
            lastOffset = offset;
        }
        return needed;
    }

    /// <summary>kernel: btf_enum_check_meta / btf_enum64_check_meta (<paramref name="entrySize"/> 8 or 12).</summary>
    private uint CheckEnumMeta(uint id, uint metaLeft, uint entrySize)
    {
        int vlen = _raw.Vlen(id);
        uint needed = (uint)vlen * entrySize;
        RequireMeta(id, metaLeft, needed);
        uint size = _raw.SizeOrType(id);
        if (size > 8 || !uint.IsPow2(size)) throw TypeFault(id, "Unexpected size");
        uint nameOff = _raw.NameOff(id);
        if (nameOff != 0 && !ValidIdentifier(nameOff)) throw TypeFault(id, "Invalid name");
        for (int i = 0; i < vlen; i++)
        {
            uint valueName = _raw.U32(_raw.Extra(id) + (int)entrySize * i);
            if (!NameOffsetValid(valueName))
                throw TypeFault(id, $"Invalid name_offset:{U(valueName)}");
            if (valueName == 0 || !ValidIdentifier(valueName))
                throw TypeFault(id, "Invalid name");
        }
        return needed;
    }

    private uint CheckFuncProtoMeta(uint id, uint metaLeft)
    {
        uint needed = (uint)_raw.Vlen(id) * 8;
        RequireMeta(id, metaLeft, needed);
        if (_raw.NameOff(id) != 0) throw TypeFault(id, "Invalid name");
        RequireNoKindFlag(id);
        return needed;
    }

    private uint CheckFuncMeta(uint id)
    {
        uint nameOff = _raw.NameOff(id);
        if (nameOff == 0 || !ValidIdentifier(nameOff)) throw TypeFault(id, "Invalid name");
        if (_raw.Vlen(id) > BtfConstants.FuncGlobal && !_loader) throw TypeFault(id, "Invalid func linkage");
        RequireNoKindFlag(id);
        return 0;
    }

    private uint CheckVarMeta(uint id, uint metaLeft)
    {
        RequireMeta(id, metaLeft, 4);
        RequireNoVlen(id);
        RequireNoKindFlag(id);
        uint nameOff = _raw.NameOff(id);
        if (nameOff == 0 || !ValidIdentifier(nameOff)) throw TypeFault(id, "Invalid name");
        uint type = _raw.SizeOrType(id);
        if (type == 0 || type > BtfConstants.MaxType) throw TypeFault(id, "Invalid type_id");
        uint linkage = _raw.U32(_raw.Extra(id));
        if (linkage is not (BtfConstants.VarStatic or BtfConstants.VarGlobalAllocated) && !_loader)
            throw TypeFault(id, "Linkage not supported");
        return 4;
    }

    private uint CheckDatasecMeta(uint id, uint metaLeft)
    {
        int vlen = _raw.Vlen(id);
        uint needed = (uint)vlen * 12;
        RequireMeta(id, metaLeft, needed);
        uint size = _raw.SizeOrType(id);
        if (size == 0 && !_loader) throw TypeFault(id, "size == 0");
        RequireNoKindFlag(id);
        uint nameOff = _raw.NameOff(id);
        if (nameOff == 0 || !BtfNames.IsValidSection(_raw.StringBytes(nameOff))) throw TypeFault(id, "Invalid name");

        ulong lastEnd = 0, sum = 0;
        for (int i = 0; i < vlen; i++)
        {
            var vsi = _raw.SecInfo(id, i);
            if (vsi.Type == 0 || vsi.Type > BtfConstants.MaxType) throw VsiFault(id, vsi, "Invalid type_id");
            if (_loader) continue;
            if (vsi.Offset < lastEnd || vsi.Offset >= size) throw VsiFault(id, vsi, "Invalid offset");
            if (vsi.Size == 0 || vsi.Size > size) throw VsiFault(id, vsi, "Invalid size");
            lastEnd = (ulong)vsi.Offset + vsi.Size;
            if (lastEnd > size) throw VsiFault(id, vsi, "Invalid offset+size");
            sum += vsi.Size;
        }
        if (size < sum && !_loader) throw TypeFault(id, "Invalid btf_info size");
        return needed;
    }

    private uint CheckFloatMeta(uint id)
    {
        RequireNoVlen(id);
        RequireNoKindFlag(id);
        if (_raw.SizeOrType(id) is not (2 or 4 or 8 or 12 or 16)) throw TypeFault(id, "Invalid type_size");
        return 0;
    }

    /// <summary>kernel: btf_decl_tag_check_meta (kind_flag allowed: it marks an attribute tag).</summary>
    private uint CheckDeclTagMeta(uint id, uint metaLeft)
    {
        RequireMeta(id, metaLeft, 4);
        if (_raw.StringBytes(_raw.NameOff(id)).Length == 0) throw TypeFault(id, "Invalid value");
        RequireNoVlen(id);
        if (_raw.I32(_raw.Extra(id)) < -1) throw TypeFault(id, "Invalid component_idx");
        return 4;
    }
}
