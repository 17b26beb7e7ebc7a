using System.Globalization;
using BpfSharp.Elf.Btf;
using BpfSharp.Uapi;

namespace BpfSharp.Verifier;

/// <summary>What a load through a PTR_TO_BTF_ID yields (kernel: the results of btf_struct_access).</summary>
internal enum BtfWalkResult
{
    /// <summary>A scalar member (kernel: SCALAR_VALUE).</summary>
    Scalar,
    /// <summary>A pointer to a struct or union member: PTR_TO_BTF_ID of <see cref="BtfStructWalk.Access"/>'s next id.</summary>
    BtfId,
    /// <summary>A pointer to something else: read-only untrusted memory (kernel: PTR_TO_MEM | MEM_RDONLY | PTR_UNTRUSTED).</summary>
    UntrustedMem,
}

/// <summary>
/// Which member of a kernel struct a load at an offset reads (kernel: btf_struct_access, btf_struct_walk): nested
/// structs, unions and arrays are entered by offset; a scalar member gives a scalar; a pointer member read whole gives
/// the type it points to. The messages are the kernel's.
/// </summary>
internal static class BtfStructWalk
{
    private enum Walk { Scalar, Ptr, PtrUntrusted, Struct }

    private const int MaxResolveDepth = 32;

    /// <summary>
    /// kernel: btf_struct_access for a load of <paramref name="size"/> bytes at <paramref name="off"/> into struct
    /// <paramref name="id"/>: 0 and the result, with the pointed-to struct in <paramref name="nextId"/>, the flags type tags
    /// give in <paramref name="flag"/> and the pointer member's name in <paramref name="fieldName"/>; or -errno and the
    /// message (ending in a newline).
    /// </summary>
    public static int Access(BtfBlob btf, uint id, int off, int size, out BtfWalkResult result, out uint nextId,
        out RegType flag, out string? fieldName, out string? message)
    {
        result = BtfWalkResult.Scalar;
        nextId = 0;
        flag = 0;
        RegType tmpFlag = 0;
        uint typeId = id;
        while (true)
        {
            int walk = StructWalk(btf, typeId, off, size, ref nextId, ref tmpFlag, out fieldName, out message);
            switch (walk)
            {
                case (int)Walk.Ptr:
                    flag = tmpFlag;
                    result = BtfWalkResult.BtfId;
                    return 0;
                case (int)Walk.PtrUntrusted:
                    flag = RegType.MemRdonly | RegType.PtrUntrusted;
                    result = BtfWalkResult.UntrustedMem;
                    return 0;
                case (int)Walk.Scalar:
                    result = BtfWalkResult.Scalar;
                    return 0;
                case (int)Walk.Struct:
                    typeId = nextId;
                    off = 0;
                    break;
                default:
                    return walk;
            }
        }
    }

    /// <summary>
    /// kernel: btf_struct_ids_match (not strict): struct <paramref name="id"/> is <paramref name="need"/>, or
    /// <paramref name="need"/> is nested at offset <paramref name="off"/> of it (as struct sock holds sock_common at 0).
    /// </summary>
    public static bool IdsMatch(BtfBlob btf, uint id, int off, uint need)
    {
        if (off == 0 && id == need) return true;
        while (true)
        {
            uint next = 0;
            RegType flag = 0;
            if (StructWalk(btf, id, off, 1, ref next, ref flag, out _, out _) != (int)Walk.Struct) return false;
            id = btf.SkipModifiers(next);
            if (id == need) return true;
            off = 0;
        }
    }

    // kernel: btf_struct_walk
    private static int StructWalk(BtfBlob btf, uint typeId, int off, int size, ref uint nextId, ref RegType flag,
        out string? fieldName, out string? message)
    {
        fieldName = null;
        message = null;
        BtfType t = btf.GetType(typeId);
    again:
        if (t.Kind.IsModifier())
            t = btf.GetType(btf.SkipModifiers(t.Type));
        string tname = AnonName(t.Name);
        if (t.Kind is not (BtfKind.Struct or BtfKind.Union))
        {
            message = $"Type '{tname}' is not a struct\n";
            return -Errno.EINVAL;
        }
        int vlen = t.Vlen;
        if (t.Kind == BtfKind.Union && vlen != 1 && (flag & RegType.PtrUntrusted) == 0)
            flag |= RegType.PtrUntrusted; // walking unions yields untrusted pointers
        if ((uint)(off + size) > t.Size)
        {
            // a flexible array of ints or structs at the end may be read past the struct's size
            if (vlen == 0) return Beyond(tname, off, size, out message);
            BtfMember last = t.Member(vlen - 1);
            BtfType mtype = btf.GetType(btf.SkipModifiers(last.Type));
            if (mtype.Kind != BtfKind.Array || mtype.Array.Nelems != 0) return Beyond(tname, off, size, out message);
            uint lastOff = last.BitOffset / 8;
            if ((uint)off < lastOff) return Beyond(tname, off, size, out message);
            BtfType elem = btf.GetType(btf.SkipModifiers(mtype.Array.Type));
            if (elem.Kind == BtfKind.Int) return (int)Walk.Scalar;
            if (elem.Kind is not (BtfKind.Struct or BtfKind.Union)) return Beyond(tname, off, size, out message);
            off = (int)(((uint)off - lastOff) % elem.Size);
            t = elem;
            goto again;
        }
        for (int i = 0; i < vlen; i++)
        {
            BtfMember member = t.Member(i);
            uint moff = member.BitOffset / 8;
            if ((uint)(off + size) <= moff)
                break; // the field is already too far
            if (member.BitfieldSize != 0)
            {
                uint endBit = member.BitOffset + member.BitfieldSize;
                if ((uint)off <= moff && (endBit + 7) / 8 <= (uint)(off + size))
                    return (int)Walk.Scalar;
                continue; // a partial access to a bitfield matches no member
            }
            if ((uint)off < moff)
                break; // a hole in the struct
            string mname = AnonName(member.Name);
            uint mid = member.Type;
            if (!ResolveSize(btf, member.Type, out BtfType mtype, out uint msize, out BtfType elemType, out uint elemId,
                out uint totalNelems, ref mid))
            {
                message = $"field {mname} doesn't have size\n";
                return -Errno.EFAULT;
            }
            uint mtrueEnd = moff + msize;
            if ((uint)off >= mtrueEnd)
                continue; // no overlap with the member
            if (mtype.Kind == BtfKind.Array)
            {
                if (moff == mtrueEnd)
                    continue; // an empty array
                msize /= totalNelems;
                uint elemIdx = ((uint)off - moff) / msize;
                moff += elemIdx * msize;
                mtype = elemType;
                mid = elemId;
            }
            if (mtype.Kind is BtfKind.Struct or BtfKind.Union)
            {
                if ((uint)off == moff)
                {
                    nextId = mid;
                    return (int)Walk.Struct;
                }
                off -= (int)moff;
                t = mtype;
                goto again;
            }
            if (mtype.Kind == BtfKind.Ptr)
            {
                if (msize != (uint)size || (uint)off != moff)
                {
                    message = Inv($"cannot access ptr member {mname} with moff {moff} in struct {tname} with off {off} size {size}\n");
                    return -Errno.EACCES;
                }
                RegType tagFlag = 0;
                BtfType pointee = btf.GetType(mtype.Type);
                if (pointee.Kind == BtfKind.TypeTag && !pointee.KindFlag)
                {
                    tagFlag = pointee.Name switch
                    {
                        "user" => RegType.MemUser,
                        "percpu" => RegType.MemPercpu,
                        "rcu" => RegType.MemRcu,
                        _ => 0,
                    };
                }
                uint sid = btf.SkipModifiers(mtype.Type);
                if (btf.GetType(sid).Kind is BtfKind.Struct or BtfKind.Union)
                {
                    nextId = sid;
                    flag |= tagFlag;
                    fieldName = mname;
                    return (int)Walk.Ptr;
                }
                return (int)Walk.PtrUntrusted;
            }
            // an int may be read within the member's true end (an int array is scratch space)
            if ((uint)(off + size) > mtrueEnd && (flag & RegType.PtrUntrusted) == 0)
            {
                message = Inv($"access beyond the end of member {mname} (mend:{mtrueEnd}) in struct {tname} with off {off} size {size}\n");
                return -Errno.EACCES;
            }
            return (int)Walk.Scalar;
        }
        message = Inv($"struct {tname} doesn't have field at offset {off}\n");
        return -Errno.EINVAL;
    }

    private static int Beyond(string tname, int off, int size, out string message)
    {
        message = Inv($"access beyond struct {tname} at off {(uint)off} size {(uint)size}\n");
        return -Errno.EACCES;
    }

    // kernel: __btf_resolve_size: through modifiers and (multi-dimensional) arrays to a sized type
    private static bool ResolveSize(BtfBlob btf, uint id, out BtfType resolved, out uint typeSize, out BtfType elemType,
        out uint elemId, out uint totalNelems, ref uint typeId)
    {
        BtfType type = btf.GetType(id);
        BtfType? arrayType = null;
        uint nelems = 1, modId = 0, lastElem = 0;
        bool isArray = false;
        resolved = elemType = type;
        typeSize = elemId = totalNelems = 0;
        for (int i = 0; i < MaxResolveDepth; i++)
        {
            uint size;
            switch (type.Kind)
            {
                case BtfKind.Int or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Float or BtfKind.Enum64:
                    size = type.Size;
                    break;
                case BtfKind.Ptr:
                    size = 8;
                    break;
                case BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag:
                    modId = type.Type;
                    type = btf.GetType(type.Type);
                    continue;
                case BtfKind.Array:
                    arrayType ??= type;
                    BtfArray a = type.Array;
                    if (nelems != 0 && a.Nelems > uint.MaxValue / nelems) return false;
                    nelems *= a.Nelems;
                    lastElem = a.Type;
                    isArray = true;
                    type = btf.GetType(a.Type);
                    continue;
                default:
                    return false;
            }
            if (nelems != 0 && size > uint.MaxValue / nelems) return false;
            typeSize = nelems * size;
            totalNelems = nelems;
            elemType = type;
            elemId = isArray ? lastElem : 0;
            if (modId != 0) typeId = modId;
            resolved = arrayType ?? type;
            return true;
        }
        return false;
    }

    /// <summary>kernel: __btf_name_by_offset, which names an anonymous type or member "(anon)".</summary>
    public static string AnonName(string name) => name.Length == 0 ? "(anon)" : name;

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
