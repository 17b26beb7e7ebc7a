namespace BpfSharp;

/// <summary>
/// A record read by <see cref="RingBufReader.Read(RingBufRecord, CancellationToken)"/>: reused from read to read, the
/// data seen in place in the ring (no copy). <see cref="Data"/> is valid until the next read on the same reader or its
/// Dispose; copy it (<see cref="ToArray"/>) to keep it longer.
/// </summary>
public sealed unsafe class RingBufRecord
{
    private byte* _data;

    /// <summary>The record's bytes, in the ring; valid until the reader's next read or Dispose.</summary>
    public ReadOnlySpan<byte> Data => new(_data, Length);

    /// <summary>The record's length in bytes.</summary>
    public int Length { get; private set; }

    /// <summary>Which of the reader's rings the record came from (the order they were added, from 0).</summary>
    public int Ring { get; private set; }

    /// <summary>A copy of the record's bytes.</summary>
    public byte[] ToArray() => Data.ToArray();

    internal void Set(byte* data, int length, int ring)
    {
        _data = data;
        Length = length;
        Ring = ring;
    }
}
