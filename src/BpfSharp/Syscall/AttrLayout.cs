using BpfSharp.Uapi;

namespace BpfSharp.Syscall;

/// <summary>
/// Size rules of <c>union bpf_attr</c> and of the structs passed by address (info, ctx): the
/// kernel's bpf_check_uarg_tail_zero and CHECK_ATTR.
/// </summary>
internal static unsafe class AttrLayout
{
    /// <summary>PAGE_SIZE: the largest attr (or info, ctx) a caller may pass.</summary>
    public const uint PageSize = 4096;

    /// <summary>
    /// kernel: bpf_check_uarg_tail_zero. A caller's struct of <paramref name="actual"/> bytes at
    /// <paramref name="user"/> may be longer than ours (<paramref name="expected"/>) only if the
    /// extra bytes are zero: 0, -E2BIG (non-zero tail or more than a page), -EFAULT (tail at address 0).
    /// </summary>
    public static int CheckTail(byte* user, uint expected, uint actual)
    {
        if (actual > PageSize) return -Errno.E2BIG;
        if (actual <= expected) return 0;
        if (user == null) return -Errno.EFAULT;
        return new ReadOnlySpan<byte>(user + expected, (int)(actual - expected)).ContainsAnyExcept((byte)0)
            ? -Errno.E2BIG : 0;
    }

    /// <summary>
    /// kernel: CHECK_ATTR. True if every byte of <paramref name="attr"/> after the command's last
    /// field (which ends at <paramref name="end"/>) is zero.
    /// </summary>
    public static bool UnusedAreZero(in BpfAttr attr, int end)
    {
        fixed (BpfAttr* p = &attr)
            return !new ReadOnlySpan<byte>((byte*)p + end, BpfAttr.Size - end).ContainsAnyExcept((byte)0);
    }

    /// <summary>End of the last attr field the command reads (kernel: CMD_LAST_FIELD), or -1 for an unknown command.</summary>
    public static int EndOf(BpfCommand cmd) => cmd switch
    {
        BpfCommand.MapCreate => MapCreateAttr.End,
        BpfCommand.MapLookupElem or BpfCommand.MapUpdateElem or BpfCommand.MapLookupAndDeleteElem => 32, // flags
        BpfCommand.MapDeleteElem => 16, // key
        BpfCommand.MapGetNextKey => 24, // next_key
        BpfCommand.MapFreeze => 4, // map_fd
        BpfCommand.MapLookupBatch or BpfCommand.MapLookupAndDeleteBatch or BpfCommand.MapUpdateBatch
            or BpfCommand.MapDeleteBatch => MapBatchAttr.End,
        BpfCommand.ProgLoad => ProgLoadAttr.End,
        BpfCommand.ObjPin or BpfCommand.ObjGet => ObjAttr.End,
        BpfCommand.ProgTestRun => TestRunAttr.End,
        BpfCommand.MapGetNextId or BpfCommand.ProgGetNextId or BpfCommand.BtfGetNextId => 8, // next_id
        BpfCommand.MapGetFdById => 12, // open_flags
        BpfCommand.ProgGetFdById or BpfCommand.BtfGetFdById => 4, // prog_id, btf_id
        BpfCommand.ObjGetInfoByFd => InfoAttr.End,
        BpfCommand.BtfLoad => BtfLoadAttr.End,
        _ => -1,
    };
}
