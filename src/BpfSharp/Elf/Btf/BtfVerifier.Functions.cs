using BpfSharp.Uapi;

namespace BpfSharp.Elf.Btf;

internal sealed partial class BtfVerifier
{
    /// <summary>
    /// kernel: btf_func_proto_check: the return type is void or sized; every parameter is named validly
    /// (or not at all) and sized; only the last may be the variadic marker (type 0, no name).
    /// </summary>
    private void CheckFuncProto(uint id)
    {
        uint ret = _raw.SizeOrType(id);
        if (ret != 0)
        {
            if (!_raw.Exists(ret) || SourceOnly(ret))
                throw TypeFault(id, "Invalid return type");
            if (NeedsResolve(ret) && !IsResolved(ret))
                Resolve(ret);
            if (!TypeIdSize(ref ret, out _))
                throw TypeFault(id, "Invalid return type");
        }

        int count = _raw.Vlen(id);
        if (count == 0) return;
        var last = _raw.ParamRaw(id, count - 1);
        if (last.Type == 0)
        {
            if (last.NameOff != 0)
                throw TypeFault(id, $"Invalid arg#{count}");
            count--;
        }
        for (int i = 0; i < count; i++)
        {
            var p = _raw.ParamRaw(id, i);
            string fault = $"Invalid arg#{i + 1}";
            uint type = p.Type;
            if (!_raw.Exists(type) || SourceOnly(type))
                throw TypeFault(id, fault);
            if (p.NameOff != 0 && (!NameOffsetValid(p.NameOff) || !ValidIdentifier(p.NameOff)))
                throw TypeFault(id, fault);
            if (NeedsResolve(type) && !IsResolved(type))
                Resolve(type);
            if (!TypeIdSize(ref type, out _))
                throw TypeFault(id, fault);
        }
    }

    /// <summary>
    /// kernel: btf_check_type_tags: in a chain of modifiers, TYPE_TAGs come first, and no chain is
    /// longer than <see cref="BtfConstants.MaxResolveDepth"/>.
    /// </summary>
    private void CheckTypeTags()
    {
        uint goodId = 0;
        for (uint i = 1; i < (uint)_raw.Count; i++)
        {
            if (!IsModifier(i)) continue;
            int chainLimit = BtfConstants.MaxResolveDepth;
            uint cur = i;
            bool inTags = _raw.Kind(i) == BtfKind.TypeTag;
            while (IsModifier(cur))
            {
                if (chainLimit-- == 0)
                    throw TypeFault(i, "Max chain length or cycle detected", Errno.ELOOP);
                if (_raw.Kind(cur) == BtfKind.TypeTag)
                {
                    if (!inTags) throw TypeFault(i, "Type tags don't precede modifiers");
                }
                else
                {
                    inTags = false;
                }
                if (cur <= goodId) break;
                cur = _raw.SizeOrType(cur);
                if (!_raw.Exists(cur)) throw TypeFault(i, "Invalid type_id");
            }
            goodId = i;
        }
    }
}
