using System.Runtime.CompilerServices;
using BpfSharp.Syscall;

namespace BpfSharp.Tests.Syscall;

/// <summary>
/// <c>union bpf_attr</c> and the info structs have the kernel's layout. The expected offsets and
/// sizes were printed by a C program compiled with gcc against /usr/include/linux/bpf.h
/// (offsetof and sizeof of each field; Linux 6.1 UAPI header).
/// </summary>
public class AttrLayoutTests
{
    private delegate (long Offset, int Size) Field(ref BpfAttr a);

    private static (long, int) Of<T>(ref BpfAttr a, ref T field) =>
        (Unsafe.ByteOffset(ref Unsafe.As<BpfAttr, byte>(ref a), ref Unsafe.As<T, byte>(ref field)), Unsafe.SizeOf<T>());

    private static readonly Dictionary<string, Field> Fields = new()
    {
        ["map_type"] = (ref BpfAttr a) => Of(ref a, ref a.MapCreate.MapType),
        ["key_size"] = (ref BpfAttr a) => Of(ref a, ref a.MapCreate.KeySize),
        ["value_size"] = (ref BpfAttr a) => Of(ref a, ref a.MapCreate.ValueSize),
        ["max_entries"] = (ref BpfAttr a) => Of(ref a, ref a.MapCreate.MaxEntries),
        ["map_flags"] = (ref BpfAttr a) => Of(ref a, ref a.MapCreate.MapFlags),
        ["inner_map_fd"] = (ref BpfAttr a) => Of(ref a, ref a.MapCreate.InnerMapFd),
        ["numa_node"] = (ref BpfAttr a) => Of(ref a, ref a.MapCreate.NumaNode),
        ["map_name"] = (ref BpfAttr a) => Of(ref a, ref a.MapCreate.MapName),
        ["map_ifindex"] = (ref BpfAttr a) => Of(ref a, ref a.MapCreate.MapIfindex),
        ["btf_fd"] = (ref BpfAttr a) => Of(ref a, ref a.MapCreate.BtfFd),
        ["btf_key_type_id"] = (ref BpfAttr a) => Of(ref a, ref a.MapCreate.BtfKeyTypeId),
        ["btf_value_type_id"] = (ref BpfAttr a) => Of(ref a, ref a.MapCreate.BtfValueTypeId),
        ["btf_vmlinux_value_type_id"] = (ref BpfAttr a) => Of(ref a, ref a.MapCreate.BtfVmlinuxValueTypeId),
        ["map_extra"] = (ref BpfAttr a) => Of(ref a, ref a.MapCreate.MapExtra),
        ["map_fd"] = (ref BpfAttr a) => Of(ref a, ref a.MapElem.MapFd),
        ["key"] = (ref BpfAttr a) => Of(ref a, ref a.MapElem.Key),
        ["value"] = (ref BpfAttr a) => Of(ref a, ref a.MapElem.Value),
        ["next_key"] = (ref BpfAttr a) => Of(ref a, ref a.MapElem.NextKey),
        ["flags"] = (ref BpfAttr a) => Of(ref a, ref a.MapElem.Flags),
        ["batch.in_batch"] = (ref BpfAttr a) => Of(ref a, ref a.Batch.InBatch),
        ["batch.out_batch"] = (ref BpfAttr a) => Of(ref a, ref a.Batch.OutBatch),
        ["batch.keys"] = (ref BpfAttr a) => Of(ref a, ref a.Batch.Keys),
        ["batch.values"] = (ref BpfAttr a) => Of(ref a, ref a.Batch.Values),
        ["batch.count"] = (ref BpfAttr a) => Of(ref a, ref a.Batch.Count),
        ["batch.map_fd"] = (ref BpfAttr a) => Of(ref a, ref a.Batch.MapFd),
        ["batch.elem_flags"] = (ref BpfAttr a) => Of(ref a, ref a.Batch.ElemFlags),
        ["batch.flags"] = (ref BpfAttr a) => Of(ref a, ref a.Batch.Flags),
        ["prog_type"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.ProgType),
        ["insn_cnt"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.InsnCnt),
        ["insns"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.Insns),
        ["license"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.License),
        ["log_level"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.LogLevel),
        ["log_size"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.LogSize),
        ["log_buf"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.LogBuf),
        ["kern_version"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.KernVersion),
        ["prog_flags"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.ProgFlags),
        ["prog_name"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.ProgName),
        ["prog_ifindex"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.ProgIfindex),
        ["expected_attach_type"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.ExpectedAttachType),
        ["prog_btf_fd"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.ProgBtfFd),
        ["func_info_rec_size"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.FuncInfoRecSize),
        ["func_info"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.FuncInfo),
        ["func_info_cnt"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.FuncInfoCnt),
        ["line_info_rec_size"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.LineInfoRecSize),
        ["line_info"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.LineInfo),
        ["line_info_cnt"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.LineInfoCnt),
        ["attach_btf_id"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.AttachBtfId),
        ["attach_prog_fd"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.AttachProgFd),
        ["core_relo_cnt"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.CoreReloCnt),
        ["fd_array"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.FdArray),
        ["core_relos"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.CoreRelos),
        ["core_relo_rec_size"] = (ref BpfAttr a) => Of(ref a, ref a.ProgLoad.CoreReloRecSize),
        ["pathname"] = (ref BpfAttr a) => Of(ref a, ref a.Obj.Pathname),
        ["bpf_fd"] = (ref BpfAttr a) => Of(ref a, ref a.Obj.BpfFd),
        ["file_flags"] = (ref BpfAttr a) => Of(ref a, ref a.Obj.FileFlags),
        ["test.prog_fd"] = (ref BpfAttr a) => Of(ref a, ref a.TestRun.ProgFd),
        ["test.retval"] = (ref BpfAttr a) => Of(ref a, ref a.TestRun.Retval),
        ["test.data_size_in"] = (ref BpfAttr a) => Of(ref a, ref a.TestRun.DataSizeIn),
        ["test.data_size_out"] = (ref BpfAttr a) => Of(ref a, ref a.TestRun.DataSizeOut),
        ["test.data_in"] = (ref BpfAttr a) => Of(ref a, ref a.TestRun.DataIn),
        ["test.data_out"] = (ref BpfAttr a) => Of(ref a, ref a.TestRun.DataOut),
        ["test.repeat"] = (ref BpfAttr a) => Of(ref a, ref a.TestRun.Repeat),
        ["test.duration"] = (ref BpfAttr a) => Of(ref a, ref a.TestRun.Duration),
        ["test.ctx_size_in"] = (ref BpfAttr a) => Of(ref a, ref a.TestRun.CtxSizeIn),
        ["test.ctx_size_out"] = (ref BpfAttr a) => Of(ref a, ref a.TestRun.CtxSizeOut),
        ["test.ctx_in"] = (ref BpfAttr a) => Of(ref a, ref a.TestRun.CtxIn),
        ["test.ctx_out"] = (ref BpfAttr a) => Of(ref a, ref a.TestRun.CtxOut),
        ["test.flags"] = (ref BpfAttr a) => Of(ref a, ref a.TestRun.Flags),
        ["test.cpu"] = (ref BpfAttr a) => Of(ref a, ref a.TestRun.Cpu),
        ["test.batch_size"] = (ref BpfAttr a) => Of(ref a, ref a.TestRun.BatchSize),
        ["start_id"] = (ref BpfAttr a) => Of(ref a, ref a.GetId.StartId),
        ["next_id"] = (ref BpfAttr a) => Of(ref a, ref a.GetId.NextId),
        ["open_flags"] = (ref BpfAttr a) => Of(ref a, ref a.GetId.OpenFlags),
        ["info.bpf_fd"] = (ref BpfAttr a) => Of(ref a, ref a.Info.BpfFd),
        ["info.info_len"] = (ref BpfAttr a) => Of(ref a, ref a.Info.InfoLen),
        ["info.info"] = (ref BpfAttr a) => Of(ref a, ref a.Info.Info),
        ["btf"] = (ref BpfAttr a) => Of(ref a, ref a.BtfLoad.Btf),
        ["btf_log_buf"] = (ref BpfAttr a) => Of(ref a, ref a.BtfLoad.BtfLogBuf),
        ["btf_size"] = (ref BpfAttr a) => Of(ref a, ref a.BtfLoad.BtfSize),
        ["btf_log_size"] = (ref BpfAttr a) => Of(ref a, ref a.BtfLoad.BtfLogSize),
        ["btf_log_level"] = (ref BpfAttr a) => Of(ref a, ref a.BtfLoad.BtfLogLevel),
    };

    // offsetof(union bpf_attr, field), sizeof(field), from gcc and linux/bpf.h.
    public static TheoryData<string, long, int> Expected => new()
    {
        { "map_type", 0, 4 }, { "key_size", 4, 4 }, { "value_size", 8, 4 }, { "max_entries", 12, 4 },
        { "map_flags", 16, 4 }, { "inner_map_fd", 20, 4 }, { "numa_node", 24, 4 }, { "map_name", 28, 16 },
        { "map_ifindex", 44, 4 }, { "btf_fd", 48, 4 }, { "btf_key_type_id", 52, 4 }, { "btf_value_type_id", 56, 4 },
        { "btf_vmlinux_value_type_id", 60, 4 }, { "map_extra", 64, 8 },
        { "map_fd", 0, 4 }, { "key", 8, 8 }, { "value", 16, 8 }, { "next_key", 16, 8 }, { "flags", 24, 8 },
        { "batch.in_batch", 0, 8 }, { "batch.out_batch", 8, 8 }, { "batch.keys", 16, 8 }, { "batch.values", 24, 8 },
        { "batch.count", 32, 4 }, { "batch.map_fd", 36, 4 }, { "batch.elem_flags", 40, 8 }, { "batch.flags", 48, 8 },
        { "prog_type", 0, 4 }, { "insn_cnt", 4, 4 }, { "insns", 8, 8 }, { "license", 16, 8 }, { "log_level", 24, 4 },
        { "log_size", 28, 4 }, { "log_buf", 32, 8 }, { "kern_version", 40, 4 }, { "prog_flags", 44, 4 },
        { "prog_name", 48, 16 }, { "prog_ifindex", 64, 4 }, { "expected_attach_type", 68, 4 }, { "prog_btf_fd", 72, 4 },
        { "func_info_rec_size", 76, 4 }, { "func_info", 80, 8 }, { "func_info_cnt", 88, 4 }, { "line_info_rec_size", 92, 4 },
        { "line_info", 96, 8 }, { "line_info_cnt", 104, 4 }, { "attach_btf_id", 108, 4 }, { "attach_prog_fd", 112, 4 },
        { "core_relo_cnt", 116, 4 }, { "fd_array", 120, 8 }, { "core_relos", 128, 8 }, { "core_relo_rec_size", 136, 4 },
        { "pathname", 0, 8 }, { "bpf_fd", 8, 4 }, { "file_flags", 12, 4 },
        { "test.prog_fd", 0, 4 }, { "test.retval", 4, 4 }, { "test.data_size_in", 8, 4 }, { "test.data_size_out", 12, 4 },
        { "test.data_in", 16, 8 }, { "test.data_out", 24, 8 }, { "test.repeat", 32, 4 }, { "test.duration", 36, 4 },
        { "test.ctx_size_in", 40, 4 }, { "test.ctx_size_out", 44, 4 }, { "test.ctx_in", 48, 8 }, { "test.ctx_out", 56, 8 },
        { "test.flags", 64, 4 }, { "test.cpu", 68, 4 }, { "test.batch_size", 72, 4 },
        { "start_id", 0, 4 }, { "next_id", 4, 4 }, { "open_flags", 8, 4 },
        { "info.bpf_fd", 0, 4 }, { "info.info_len", 4, 4 }, { "info.info", 8, 8 },
        { "btf", 0, 8 }, { "btf_log_buf", 8, 8 }, { "btf_size", 16, 4 }, { "btf_log_size", 20, 4 }, { "btf_log_level", 24, 4 },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void Attr_field_is_where_the_kernel_header_puts_it(string field, long offset, int size)
    {
        BpfAttr attr = default;
        Assert.Equal((offset, size), Fields[field](ref attr));
    }

    [Fact]
    public void Every_field_has_an_expected_offset() =>
        Assert.Equal(Fields.Keys.Order(), Expected.Select(row => (string)row[0]).Order());

    // sizeof(union bpf_attr), sizeof(struct bpf_map_info), sizeof(struct bpf_prog_info), sizeof(struct bpf_btf_info).
    [Fact]
    public unsafe void Struct_sizes_are_the_kernels()
    {
        Assert.Equal(144, sizeof(BpfAttr));
        Assert.Equal(88, sizeof(BpfMapInfo));
        Assert.Equal(232, sizeof(BpfProgInfo));
        Assert.Equal(32, sizeof(BpfBtfInfo));
    }

    private static (long, int) At<TStruct, T>(ref TStruct s, ref T field) =>
        (Unsafe.ByteOffset(ref Unsafe.As<TStruct, byte>(ref s), ref Unsafe.As<T, byte>(ref field)), Unsafe.SizeOf<T>());

    // offsetof(struct bpf_map_info / bpf_prog_info / bpf_btf_info, field), from gcc and linux/bpf.h.
    [Fact]
    public void Info_fields_are_where_the_kernel_header_puts_them()
    {
        BpfMapInfo m = default;
        Assert.Equal((0L, 4), At(ref m, ref m.Type));
        Assert.Equal((4L, 4), At(ref m, ref m.Id));
        Assert.Equal((20L, 4), At(ref m, ref m.MapFlags));
        Assert.Equal((24L, 16), At(ref m, ref m.Name));
        Assert.Equal((40L, 4), At(ref m, ref m.Ifindex));
        Assert.Equal((48L, 8), At(ref m, ref m.NetnsDev));
        Assert.Equal((64L, 4), At(ref m, ref m.BtfId));
        Assert.Equal((72L, 4), At(ref m, ref m.BtfValueTypeId));
        Assert.Equal((80L, 8), At(ref m, ref m.MapExtra));

        BpfProgInfo p = default;
        Assert.Equal((8L, 8), At(ref p, ref p.Tag));
        Assert.Equal((20L, 4), At(ref p, ref p.XlatedProgLen));
        Assert.Equal((32L, 8), At(ref p, ref p.XlatedProgInsns));
        Assert.Equal((40L, 8), At(ref p, ref p.LoadTime));
        Assert.Equal((52L, 4), At(ref p, ref p.NrMapIds));
        Assert.Equal((56L, 8), At(ref p, ref p.MapIds));
        Assert.Equal((64L, 16), At(ref p, ref p.Name));
        Assert.Equal((88L, 8), At(ref p, ref p.NetnsDev));
        Assert.Equal((128L, 4), At(ref p, ref p.BtfId));
        Assert.Equal((172L, 4), At(ref p, ref p.LineInfoRecSize));
        Assert.Equal((180L, 4), At(ref p, ref p.NrProgTags));
        Assert.Equal((184L, 8), At(ref p, ref p.ProgTags));
        Assert.Equal((192L, 8), At(ref p, ref p.RunTimeNs));
        Assert.Equal((216L, 4), At(ref p, ref p.VerifiedInsns));
        Assert.Equal((224L, 4), At(ref p, ref p.AttachBtfId));

        BpfBtfInfo b = default;
        Assert.Equal((0L, 8), At(ref b, ref b.Btf));
        Assert.Equal((8L, 4), At(ref b, ref b.BtfSize));
        Assert.Equal((12L, 4), At(ref b, ref b.Id));
        Assert.Equal((16L, 8), At(ref b, ref b.Name));
        Assert.Equal((24L, 4), At(ref b, ref b.NameLen));
        Assert.Equal((28L, 4), At(ref b, ref b.KernelBtf));
    }
}
