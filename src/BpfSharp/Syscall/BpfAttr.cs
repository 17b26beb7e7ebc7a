using System.Runtime.InteropServices;

namespace BpfSharp.Syscall;

/// <summary>
/// The kernel's <c>union bpf_attr</c> (include/uapi/linux/bpf.h, Linux 6.1 layout, 144 bytes):
/// one view per command, all at offset 0. Pointer fields are 64-bit addresses of caller memory.
/// Pass it to <see cref="BpfSystem.Bpf(Uapi.BpfCommand, ref BpfAttr, uint)"/> with its size.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct BpfAttr
{
    /// <summary>sizeof(union bpf_attr).</summary>
    public const int Size = 144;

    /// <summary>BPF_MAP_CREATE.</summary>
    [FieldOffset(0)] public MapCreateAttr MapCreate;
    /// <summary>BPF_MAP_LOOKUP_ELEM, UPDATE_ELEM, DELETE_ELEM, GET_NEXT_KEY, LOOKUP_AND_DELETE_ELEM, FREEZE.</summary>
    [FieldOffset(0)] public MapElemAttr MapElem;
    /// <summary>BPF_MAP_LOOKUP_BATCH, LOOKUP_AND_DELETE_BATCH, UPDATE_BATCH, DELETE_BATCH.</summary>
    [FieldOffset(0)] public MapBatchAttr Batch;
    /// <summary>BPF_PROG_LOAD.</summary>
    [FieldOffset(0)] public ProgLoadAttr ProgLoad;
    /// <summary>BPF_OBJ_PIN, BPF_OBJ_GET.</summary>
    [FieldOffset(0)] public ObjAttr Obj;
    /// <summary>BPF_PROG_TEST_RUN.</summary>
    [FieldOffset(0)] public TestRunAttr TestRun;
    /// <summary>BPF_*_GET_NEXT_ID, BPF_*_GET_FD_BY_ID.</summary>
    [FieldOffset(0)] public GetIdAttr GetId;
    /// <summary>BPF_OBJ_GET_INFO_BY_FD.</summary>
    [FieldOffset(0)] public InfoAttr Info;
    /// <summary>BPF_BTF_LOAD.</summary>
    [FieldOffset(0)] public BtfLoadAttr BtfLoad;
}
