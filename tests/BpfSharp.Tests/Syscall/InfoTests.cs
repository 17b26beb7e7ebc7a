using BpfSharp.Isa;
using BpfSharp.Syscall;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Syscall;

/// <summary>OBJ_GET_INFO_BY_FD and the id commands: what they report and how info_len is handled.</summary>
public unsafe class InfoTests
{
    [SkippableTheory]
    [InlineData("ours")]
    [InlineData("kernel")]
    public void Map_info_reports_the_creation_attributes(string target)
    {
        using IBpfTarget t = Targets.Create(target);
        int fd = t.CreateMap(BpfMapType.Array, 4, 12, 7, MapFlags.BPF_F_RDONLY, name: "counts.v1");
        Assert.Equal(0, t.MapInfo(fd, out BpfMapInfo info));
        Assert.Equal((uint)BpfMapType.Array, info.Type);
        Assert.NotEqual(0u, info.Id);
        Assert.Equal(4u, info.KeySize);
        Assert.Equal(12u, info.ValueSize);
        Assert.Equal(7u, info.MaxEntries);
        Assert.Equal(0u, info.MapFlags); // BPF_F_RDONLY belongs to the fd, not the map
        Assert.Equal("counts.v1", info.Name.ToString());
    }

    [SkippableTheory]
    [InlineData("ours", 8u, 8u)]        // a short buffer gets the first info_len bytes
    [InlineData("kernel", 8u, 8u)]
    [InlineData("ours", 0u, 0u)]        // nothing to copy: fine even with a null buffer below
    [InlineData("kernel", 0u, 0u)]
    [InlineData("ours", 512u, 88u)]     // a longer, zero-tailed buffer gets sizeof(struct bpf_map_info)
    public void Info_len_is_the_number_of_bytes_written(string target, uint infoLen, uint expected)
    {
        using IBpfTarget t = Targets.Create(target);
        int fd = t.CreateArray(maxEntries: 3);
        byte[] buffer = new byte[512];
        fixed (byte* p = buffer)
        {
            BpfAttr attr = default;
            attr.Info.BpfFd = (uint)fd;
            attr.Info.InfoLen = infoLen;
            attr.Info.Info = infoLen == 0 ? 0 : (ulong)p;
            Assert.Equal(0, t.Bpf(BpfCommand.ObjGetInfoByFd, ref attr));
            Assert.Equal(expected, attr.Info.InfoLen);
        }
        if (infoLen >= 8)
        {
            Assert.Equal((uint)BpfMapType.Array, BitConverter.ToUInt32(buffer, 0));
            Assert.NotEqual(0u, BitConverter.ToUInt32(buffer, 4));
        }
        if (infoLen == 8) Assert.Equal(0u, BitConverter.ToUInt32(buffer, 8)); // key_size not written
    }

    [SkippableTheory]
    [InlineData("ours")]
    [InlineData("kernel")]
    public void Info_longer_than_ours_needs_a_zero_tail(string target)
    {
        using IBpfTarget t = Targets.Create(target);
        int fd = t.CreateArray();
        byte[] buffer = new byte[512];
        buffer[300] = 1;
        fixed (byte* p = buffer)
        {
            BpfAttr attr = default;
            attr.Info.BpfFd = (uint)fd;
            attr.Info.InfoLen = 512;
            attr.Info.Info = (ulong)p;
            Assert.Equal(-Errno.E2BIG, t.Bpf(BpfCommand.ObjGetInfoByFd, ref attr));
        }
    }

    [Fact]
    public void Get_next_id_walks_the_live_ids_in_order()
    {
        using var t = new OurTarget();
        int a = t.CreateArray(), b = t.CreateArray(), c = t.CreateArray();
        t.Close(b);
        var seen = new List<uint>();
        BpfAttr attr = default;
        while (t.Bpf(BpfCommand.MapGetNextId, ref attr) == 0)
        {
            seen.Add(attr.GetId.NextId);
            attr.GetId.StartId = attr.GetId.NextId;
        }
        Assert.Equal([1u, 3u], seen);
        Assert.Equal(-Errno.ENOENT, t.Bpf(BpfCommand.MapGetNextId, ref attr));
        attr = default;
        Assert.Equal(-Errno.ENOENT, t.Bpf(BpfCommand.ProgGetNextId, ref attr)); // no programs
        Assert.True(a >= 0 && c >= 0);
    }

    [Fact]
    public void Prog_info_reports_type_name_tag_maps_and_instructions()
    {
        using var t = new OurTarget();
        int map = t.CreateArray(maxEntries: 1);
        Assert.Equal(0, t.MapInfo(map, out BpfMapInfo mapInfo));
        Instruction[] program = Asm.Program(Asm.LdMapFd(R1, map), Asm.LdMapValue(R2, map, 4), Asm.Mov64(R0, 0), Asm.Exit());
        int prog = t.Load(program, out _, type: BpfProgType.Xdp, name: "xdp_main", license: "Dual BSD/GPL");

        uint* mapIds = stackalloc uint[4];
        byte* tags = stackalloc byte[16];
        var xlated = new Instruction[program.Length];
        BpfProgInfo info = default;
        fixed (Instruction* x = xlated)
        {
            info.NrMapIds = 4;
            info.MapIds = (ulong)mapIds;
            info.NrProgTags = 2;
            info.ProgTags = (ulong)tags;
            info.XlatedProgLen = (uint)(xlated.Length * Instruction.Size);
            info.XlatedProgInsns = (ulong)x;
            BpfAttr attr = default;
            attr.Info.BpfFd = (uint)prog;
            attr.Info.InfoLen = (uint)sizeof(BpfProgInfo);
            attr.Info.Info = (ulong)&info;
            Assert.Equal(0, t.Bpf(BpfCommand.ObjGetInfoByFd, ref attr));
        }
        Assert.Equal((uint)BpfProgType.Xdp, info.Type);
        Assert.Equal(1u, info.Id);
        Assert.Equal("xdp_main", info.Name.ToString());
        Assert.Equal(1u, info.GplCompatible);
        Assert.Equal(1u, info.NrMapIds);
        Assert.Equal(mapInfo.Id, mapIds[0]);
        Assert.Equal(1u, info.NrProgTags);
        Assert.Equal(ProgTag.Compute(program).ToString(), Convert.ToHexStringLower(new ReadOnlySpan<byte>(tags, 8)));
        Assert.Equal(ProgTag.Compute(program).ToString(), info.Tag.ToString());
        Assert.Equal((uint)(program.Length * Instruction.Size), info.XlatedProgLen);
        // kernel: bpf_insn_prepare_dump shows a map lddw with the map's id, and a value lddw with id and offset.
        Assert.Equal(new Instruction(LD_IMM64, 1, BPF_PSEUDO_MAP_FD, 0, (int)mapInfo.Id), xlated[0]);
        Assert.Equal(default, xlated[1]);
        Assert.Equal(new Instruction(LD_IMM64, 2, BPF_PSEUDO_MAP_VALUE, 0, (int)mapInfo.Id), xlated[2]);
        Assert.Equal(Instruction.FromRaw(4ul << 32), xlated[3]);
        Assert.Equal(program[4..], xlated[4..]);
        Assert.Equal(16u, info.LineInfoRecSize);
        Assert.Equal(8u, info.FuncInfoRecSize);
    }

    [Fact]
    public void A_non_gpl_license_is_reported()
    {
        using var t = new OurTarget();
        int prog = t.Load([Asm.Mov64(R0, 0), Asm.Exit()], out _, license: "Proprietary");
        Assert.Equal(0, t.ProgInfo(prog, out BpfProgInfo info));
        Assert.Equal(0u, info.GplCompatible);
    }

    /// <summary>The tag is the kernel's: the same program (with a map fd in it) loaded into both has the same tag.</summary>
    [SkippableFact]
    public void Prog_tag_equals_the_kernels()
    {
        Skip.IfNot(KernelTarget.IsAvailable, Targets.NoKernel);
        using var ours = new OurTarget();
        using var kernel = new KernelTarget();
        string Tag(IBpfTarget t)
        {
            int map = t.CreateArray(maxEntries: 1);
            Instruction[] program = Asm.Program(
                Asm.LdMapFd(R1, map), Asm.Mov64(R2, R10), Asm.Add64(R2, -4), Asm.StMem(BPF_W, R10, -4, 0),
                Asm.LdMapValue(R3, map, 0), Asm.LdImm64(R4, 0x1122_3344_5566_7788), Asm.Mov64(R0, 0), Asm.Exit());
            int prog = t.Load(program, out string log);
            Assert.True(prog >= 0, log);
            Assert.Equal(0, t.ProgInfo(prog, out BpfProgInfo info));
            return info.Tag.ToString();
        }
        Assert.Equal(Tag(kernel), Tag(ours));
    }
}
