namespace BpfSharp.Elf.Btf;

internal sealed partial class BtfVerifier
{
    /// <summary>
    /// kernel: the check_member / check_kflag_member operations: does the member of type
    /// <paramref name="memberType"/> at <paramref name="rawOffset"/> fit the struct?
    /// </summary>
    private void CheckMember(uint structId, uint nameOff, uint memberType, uint rawOffset, uint resolvedType)
    {
        bool kflag = _raw.KindFlag(structId);
        switch (_raw.Kind(resolvedType))
        {
            case BtfKind.Int:
                if (kflag) CheckIntKflagMember(structId, nameOff, resolvedType, rawOffset);
                else CheckIntMember(structId, nameOff, resolvedType, rawOffset);
                break;
            case BtfKind.Enum or BtfKind.Enum64:
                if (kflag) CheckEnumKflagMember(structId, nameOff, resolvedType, rawOffset);
                else CheckSizedMember(structId, nameOff, resolvedType, rawOffset, _raw.SizeOrType(resolvedType));
                break;
            case BtfKind.Ptr or BtfKind.Array or BtfKind.Struct or BtfKind.Union or BtfKind.Float:
                // btf_generic_check_kflag_member: no bitfield width, then the plain check.
                if (kflag && rawOffset >> 24 != 0)
                    throw MemberFault(structId, nameOff, resolvedType, rawOffset, "Invalid member bitfield_size");
                CheckPlainMember(structId, nameOff, resolvedType, rawOffset);
                break;
            case BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag:
            {
                // btf_modifier_check_member: check the member as the type the modifier resolves to.
                uint target = resolvedType;
                if (!TypeIdSize(ref target, out _))
                    throw MemberFault(structId, nameOff, memberType, rawOffset, "Invalid member");
                CheckMember(structId, nameOff, target, rawOffset, target);
                break;
            }
            default:
                throw BasicFault(structId, kflag ? "Unsupported check_kflag_member" : "Unsupported check_member");
        }
    }

    /// <summary>The non-kflag checks of PTR, ARRAY, STRUCT/UNION and FLOAT members.</summary>
    private void CheckPlainMember(uint structId, uint nameOff, uint type, uint bitOffset)
    {
        switch (_raw.Kind(type))
        {
            case BtfKind.Ptr:
                CheckSizedMember(structId, nameOff, type, bitOffset, 8);
                break;
            case BtfKind.Array:
            {
                uint array = type;
                TypeIdSize(ref array, out uint size);
                CheckSizedMember(structId, nameOff, type, bitOffset, size);
                break;
            }
            case BtfKind.Float:
                CheckFloatMember(structId, nameOff, type, bitOffset);
                break;
            default:
                CheckSizedMember(structId, nameOff, type, bitOffset, _raw.SizeOrType(type));
                break;
        }
    }

    /// <summary>kernel: btf_{ptr,array,struct,enum}_check_member: byte aligned and inside the struct.</summary>
    private void CheckSizedMember(uint structId, uint nameOff, uint type, uint bitOffset, uint size)
    {
        if ((bitOffset & 7) != 0)
            throw MemberFault(structId, nameOff, type, bitOffset, "Member is not byte aligned");
        if (_raw.SizeOrType(structId) - (bitOffset >> 3) < size)
            throw MemberFault(structId, nameOff, type, bitOffset, "Member exceeds struct_size");
    }

    /// <summary>kernel: btf_float_check_member: aligned to min(8, size) and inside the struct.</summary>
    private void CheckFloatMember(uint structId, uint nameOff, uint type, uint bitOffset)
    {
        ulong size = _raw.SizeOrType(type);
        ulong alignBits = Math.Min(8ul, size) * 8;
        if (bitOffset % alignBits != 0)
            throw MemberFault(structId, nameOff, type, bitOffset, "Member is not properly aligned");
        if (bitOffset / 8ul + size > _raw.SizeOrType(structId))
            throw MemberFault(structId, nameOff, type, bitOffset, "Member exceeds struct_size");
    }

    /// <summary>kernel: btf_int_check_member: the INT's own bit offset and width fit the struct.</summary>
    private void CheckIntMember(uint structId, uint nameOff, uint type, uint rawOffset)
    {
        uint data = _raw.U32(_raw.Extra(type));
        uint intOffset = (data >> 16) & 0xff;
        if (uint.MaxValue - rawOffset < intOffset)
            throw MemberFault(structId, nameOff, type, rawOffset, "bits_offset exceeds U32_MAX");
        uint bitsOffset = rawOffset + intOffset;
        CheckCopyBits(structId, nameOff, type, rawOffset, bitsOffset, data & 0xff);
    }

    /// <summary>kernel: btf_int_check_kflag_member: a regular INT, a bitfield no wider than it.</summary>
    private void CheckIntKflagMember(uint structId, uint nameOff, uint type, uint rawOffset)
    {
        if (!IntIsRegular(type))
            throw MemberFault(structId, nameOff, type, rawOffset, "Invalid member base type");
        uint nrBits = rawOffset >> 24;
        uint bitsOffset = rawOffset & 0xffffff;
        uint intBits = _raw.U32(_raw.Extra(type)) & 0xff;
        if (nrBits == 0)
        {
            if ((bitsOffset & 7) != 0)
                throw MemberFault(structId, nameOff, type, rawOffset, "Invalid member offset");
            nrBits = intBits;
        }
        else if (nrBits > intBits)
        {
            throw MemberFault(structId, nameOff, type, rawOffset, "Invalid member bitfield_size");
        }
        CheckCopyBits(structId, nameOff, type, rawOffset, bitsOffset, nrBits);
    }

    private void CheckCopyBits(uint structId, uint nameOff, uint type, uint rawOffset, uint bitsOffset, uint nrBits)
    {
        uint bytesOffset = bitsOffset >> 3;
        uint copyBits = nrBits + (bitsOffset & 7);
        if (copyBits > BitsPerU128)
            throw MemberFault(structId, nameOff, type, rawOffset, $"nr_copy_bits exceeds {BitsPerU128}");
        uint structSize = _raw.SizeOrType(structId);
        if (structSize < bytesOffset || structSize - bytesOffset < RoundupBytes(copyBits))
            throw MemberFault(structId, nameOff, type, rawOffset, "Member exceeds struct_size");
    }

    /// <summary>kernel: btf_enum_check_kflag_member: an enum bitfield is at most 32 bits wide.</summary>
    private void CheckEnumKflagMember(uint structId, uint nameOff, uint type, uint rawOffset)
    {
        const uint intBits = 32; // sizeof(int) * 8, for ENUM64 too
        uint bitsOffset = rawOffset & 0xffffff;
        uint nrBits = rawOffset >> 24;
        if (nrBits == 0)
        {
            if ((bitsOffset & 7) != 0)
                throw MemberFault(structId, nameOff, type, rawOffset, "Member is not byte aligned");
            nrBits = intBits;
        }
        else if (nrBits > intBits)
        {
            throw MemberFault(structId, nameOff, type, rawOffset, "Invalid member bitfield_size");
        }
        if (_raw.SizeOrType(structId) < RoundupBytes(bitsOffset + nrBits))
            throw MemberFault(structId, nameOff, type, rawOffset, "Member exceeds struct_size");
    }
}
