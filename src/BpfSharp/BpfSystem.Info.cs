using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp;

// OBJ_GET_INFO_BY_FD: copy min(sizeof(info), info_len) bytes, then set info_len to that.
public sealed unsafe partial class BpfSystem
{
    // kernel: bpf_obj_get_info_by_fd.
    private int ObjGetInfoByFd(ref BpfAttr attr, AttrOut io)
    {
        if (_fds.Get((int)attr.Info.BpfFd, out BpfObject? obj, out _) < 0) return -Errno.EBADFD;
        try
        {
            return obj switch
            {
                Map map => MapInfo(map, ref attr, io),
                LoadedProgram program => ProgInfo(program, ref attr, io),
                BtfObject btf => BtfInfo(btf, ref attr, io),
                _ => -Errno.EINVAL,
            };
        }
        finally
        {
            obj?.Release();
        }
    }

    // kernel: bpf_map_get_info_by_fd.
    private static int MapInfo(Map map, ref BpfAttr attr, AttrOut io)
    {
        InfoAttr a = attr.Info;
        int err = AttrLayout.CheckTail((byte*)a.Info, (uint)sizeof(BpfMapInfo), a.InfoLen);
        if (err < 0) return err;
        uint length = Math.Min(a.InfoLen, (uint)sizeof(BpfMapInfo));
        MapAttributes m = map.Attributes;
        var info = new BpfMapInfo
        {
            Type = (uint)map.Type,
            Id = map.Id,
            KeySize = map.KeySize,
            ValueSize = map.ValueSize,
            MaxEntries = map.MaxEntries,
            MapFlags = map.Flags,
            Name = BpfObjName.From(m.Name),
            BtfId = m.BtfId,
            BtfKeyTypeId = m.BtfKeyTypeId,
            BtfValueTypeId = m.BtfValueTypeId,
            MapExtra = m.MapExtra,
        };
        if (UserMemory.CopyTo(a.Info, &info, length) < 0) return -Errno.EFAULT;
        return io.Put(ref attr, ref attr.Info.InfoLen, length);
    }

    // kernel: bpf_prog_get_info_by_fd. Some fields are inputs: the arrays to fill and their sizes.
    private static int ProgInfo(LoadedProgram program, ref BpfAttr attr, AttrOut io)
    {
        InfoAttr a = attr.Info;
        int err = AttrLayout.CheckTail((byte*)a.Info, (uint)sizeof(BpfProgInfo), a.InfoLen);
        if (err < 0) return err;
        uint length = Math.Min(a.InfoLen, (uint)sizeof(BpfProgInfo));
        BpfProgInfo info = default;
        if (UserMemory.CopyFrom(a.Info, &info, length) < 0) return -Errno.EFAULT;

        info.Type = (uint)program.Type;
        info.Id = program.Id;
        info.LoadTime = program.LoadTime;
        info.CreatedByUid = 0;
        info.GplCompatible = program.GplCompatible ? 1u : 0u;
        info.Tag = program.Tag;
        info.Name = BpfObjName.From(program.Name);

        uint wanted = info.NrMapIds;
        info.NrMapIds = (uint)program.UsedMaps.Count;
        for (int i = 0; i < Math.Min(wanted, info.NrMapIds); i++)
        {
            uint id = program.UsedMaps[i].Id;
            if (UserMemory.CopyTo(info.MapIds + (ulong)i * sizeof(uint), &id, sizeof(uint)) < 0) return -Errno.EFAULT;
        }

        err = SetInfoRecordSizes(ref info);
        if (err < 0) return err;

        wanted = info.XlatedProgLen;
        info.XlatedProgLen = (uint)(program.Instructions.Length * Instruction.Size);
        if (info.XlatedProgLen != 0 && wanted != 0)
        {
            Instruction[] dump = program.DumpInstructions();
            fixed (Instruction* p = dump)
            {
                if (UserMemory.CopyTo(info.XlatedProgInsns, p, Math.Min(wanted, info.XlatedProgLen)) < 0) return -Errno.EFAULT;
            }
        }
        // No native image (no JIT yet), no func/line info kept.
        info.JitedProgLen = 0;
        info.NrJitedKsyms = 0;
        info.NrJitedFuncLens = 0;
        info.NrFuncInfo = 0;
        info.NrLineInfo = 0;
        info.NrJitedLineInfo = 0;
        info.BtfId = program.BtfId;
        info.VerifiedInsns = 0;

        wanted = info.NrProgTags;
        info.NrProgTags = 1;
        if (wanted != 0)
        {
            ProgTag tag = program.Tag;
            if (UserMemory.CopyTo(info.ProgTags, &tag, ProgTag.Size) < 0) return -Errno.EFAULT;
        }

        if (UserMemory.CopyTo(a.Info, &info, length) < 0) return -Errno.EFAULT;
        return io.Put(ref attr, ref attr.Info.InfoLen, length);
    }

    // kernel: set_info_rec_size. Record sizes given by the caller must be ours.
    private static int SetInfoRecordSizes(ref BpfProgInfo info)
    {
        const uint FuncInfoSize = 8, LineInfoSize = 16, JitedLineInfoSize = 8;
        if ((info.NrFuncInfo != 0 || info.FuncInfoRecSize != 0) && info.FuncInfoRecSize != FuncInfoSize) return -Errno.EINVAL;
        if ((info.NrLineInfo != 0 || info.LineInfoRecSize != 0) && info.LineInfoRecSize != LineInfoSize) return -Errno.EINVAL;
        if ((info.NrJitedLineInfo != 0 || info.JitedLineInfoRecSize != 0) && info.JitedLineInfoRecSize != JitedLineInfoSize)
            return -Errno.EINVAL;
        info.FuncInfoRecSize = FuncInfoSize;
        info.LineInfoRecSize = LineInfoSize;
        info.JitedLineInfoRecSize = JitedLineInfoSize;
        return 0;
    }

    // kernel: btf_get_info_by_fd. Loaded BTF has an empty name.
    private static int BtfInfo(BtfObject btf, ref BpfAttr attr, AttrOut io)
    {
        InfoAttr a = attr.Info;
        int err = AttrLayout.CheckTail((byte*)a.Info, (uint)sizeof(BpfBtfInfo), a.InfoLen);
        if (err < 0) return err;
        uint length = Math.Min(a.InfoLen, (uint)sizeof(BpfBtfInfo));
        BpfBtfInfo info = default;
        if (UserMemory.CopyFrom(a.Info, &info, length) < 0) return -Errno.EFAULT;
        info.Id = btf.Id;
        ReadOnlySpan<byte> data = btf.Data;
        fixed (byte* p = data)
        {
            if (UserMemory.CopyTo(info.Btf, p, Math.Min((uint)data.Length, info.BtfSize)) < 0) return -Errno.EFAULT;
        }
        info.BtfSize = (uint)data.Length;
        info.KernelBtf = 0;
        if ((info.Name == 0) != (info.NameLen == 0)) return -Errno.EINVAL;
        bool hasName = info.Name != 0;
        info.NameLen = 0;
        if (hasName)
        {
            byte nul = 0;
            if (UserMemory.CopyTo(info.Name, &nul, 1) < 0) return -Errno.EFAULT;
        }
        if (UserMemory.CopyTo(a.Info, &info, length) < 0) return -Errno.EFAULT;
        return io.Put(ref attr, ref attr.Info.InfoLen, length);
    }
}
