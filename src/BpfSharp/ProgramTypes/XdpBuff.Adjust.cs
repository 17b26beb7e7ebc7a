using BpfSharp.Uapi;

namespace BpfSharp.ProgramTypes;

// The packet-moving operations of the XDP helpers (kernel: bpf_xdp_adjust_head, bpf_xdp_adjust_tail with
// bpf_xdp_frags_shrink_tail / bpf_xdp_frags_increase_tail, bpf_xdp_adjust_meta). Each returns 0 or -errno and
// leaves the context's pointers current.
public sealed partial class XdpBuff
{
    private const int EthHeader = EthTypeTrans.HeaderLength;

    /// <summary>kernel: bpf_xdp_adjust_head. Moves data by <paramref name="offset"/>; the metadata moves along.</summary>
    public int AdjustHead(int offset)
    {
        int metaLength = MetaLength;
        long data = (long)_data + offset;
        if (data < FrameHeaderSize + metaLength || data > _end - EthHeader)
            return -Errno.EINVAL;
        if (metaLength != 0)
            _frame.Span.Slice(_meta, metaLength).CopyTo(_frame.Span[(_meta + offset)..]);
        _meta += offset;
        _data = (int)data;
        UpdatePointers();
        return 0;
    }

    /// <summary>
    /// kernel: bpf_xdp_adjust_tail. Moves data_end by <paramref name="offset"/> (bytes added are zeroed); with
    /// fragments, the last fragment grows or fragments shrink from the end first.
    /// </summary>
    public int AdjustTail(int offset)
    {
        if (_frags.Count > 0)
        {
            int err = offset < 0 ? ShrinkFragments(-offset) : offset > 0 ? GrowLastFragment(offset) : 0;
            if (err == 0) UpdatePointers();
            return err;
        }
        long end = (long)_end + offset;
        if (end > FrameSize - Tailroom || end < _data + EthHeader)
            return -Errno.EINVAL;
        if (offset > 0)
            _frame.Span.Slice(_end, offset).Clear();
        _end = (int)end;
        UpdatePointers();
        return 0;
    }

    /// <summary>kernel: bpf_xdp_adjust_meta. Moves data_meta by <paramref name="offset"/>: -EINVAL outside the headroom, -EACCES for a bad length.</summary>
    public int AdjustMeta(int offset)
    {
        long meta = (long)_meta + offset;
        if (meta < FrameHeaderSize || meta > _data)
            return -Errno.EINVAL;
        long metaLength = _data - meta;
        if ((metaLength & 3) != 0 || metaLength > MaxMetaLength)
            return -Errno.EACCES; // kernel: xdp_metalen_invalid
        _meta = (int)meta;
        UpdatePointers();
        return 0;
    }

    // kernel: bpf_xdp_frags_increase_tail: the last fragment grows within its page.
    private int GrowLastFragment(int offset)
    {
        Fragment last = _frags[^1];
        if (offset > FragmentSize - last.Size)
            return -Errno.EINVAL;
        last.Page.AsSpan(last.Size, offset).Clear();
        last.Size += offset;
        return 0;
    }

    // kernel: bpf_xdp_frags_shrink_tail: fragments lose bytes from the end; once none is left, the linear part does.
    private int ShrinkFragments(int shrink)
    {
        if (shrink > Length + FragmentsLength - EthHeader)
            return -Errno.EINVAL;
        while (shrink > 0 && _frags.Count > 0)
        {
            Fragment last = _frags[^1];
            int n = Math.Min(shrink, last.Size);
            last.Size -= n;
            shrink -= n;
            if (last.Size == 0)
                _frags.RemoveAt(_frags.Count - 1);
        }
        _end -= shrink;
        return 0;
    }
}
