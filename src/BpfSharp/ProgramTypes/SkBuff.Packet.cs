using BpfSharp.Memory;

namespace BpfSharp.ProgramTypes;

// Moving and resizing the packet (kernel: skb_push, skb_pull, skb_put, pskb_trim, pskb_expand_head). Every change
// leaves the packet linear, zeroes bytes it adds, and updates the context's pointers and len.
public sealed unsafe partial class SkBuff
{
    /// <summary>
    /// kernel: __skb_push. Moves the start of the packet <paramref name="count"/> bytes back, growing the headroom if
    /// needed; the bytes it takes in are zeroed unless <paramref name="zero"/> is false (a header pulled before).
    /// </summary>
    public void Push(int count, bool zero = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _data)
            Reallocate(count - _data + DefaultHeadroom, 0);
        _data -= count;
        _length += count;
        if (zero)
            _buffer.Span.Slice(_data, count).Clear();
        ComputeDataPointers();
    }

    /// <summary>kernel: __skb_pull. Drops the first <paramref name="count"/> bytes (at most <see cref="Length"/>).</summary>
    public void Pull(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _length);
        _data += count;
        _length -= count;
        ComputeDataPointers();
    }

    /// <summary>kernel: skb_pad + __skb_put / pskb_trim. Sets the length to <paramref name="length"/>; new bytes are zero.</summary>
    public void Resize(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length > _length)
        {
            int grow = length - _length;
            if (grow > Tailroom)
                Reallocate(0, grow - Tailroom + DefaultHeadroom);
            _buffer.Span.Slice(_data + _length, grow).Clear();
        }
        _length = length;
        ComputeDataPointers();
    }

    /// <summary>kernel: skb_reset_mac_header. The link-layer header starts at <see cref="Data"/>.</summary>
    public void ResetMacHeader() => _macHeader = _data;

    // kernel: pskb_expand_head. A new buffer with more room before and after; header offsets move with the data.
    private void Reallocate(int moreHead, int moreTail)
    {
        var buffer = new NativeBuffer(_buffer.Length + moreHead + moreTail);
        _buffer.Span[..UsedBytes].CopyTo(buffer.Span[moreHead..]);
        _buffer.Dispose();
        _buffer = buffer;
        _data += moreHead;
        if (_macHeader >= 0) _macHeader += moreHead;
        if (_networkHeader >= 0) _networkHeader += moreHead;
    }

    private int UsedBytes => _data + _length;
}
