namespace BpfSharp.Memory;

/// <summary>
/// A range of native memory a program run may touch: the stack, the context, packet data,
/// caller memory. The address is a real 64-bit native address; the memory must not move
/// while a run can reach it (unmanaged or pinned).
/// </summary>
public readonly struct MemoryRegion
{
    private readonly string? _name;

    /// <summary>Describes <paramref name="length"/> bytes at <paramref name="start"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative or the range wraps the address space.</exception>
    public MemoryRegion(nint start, long length, bool writable, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if ((ulong)length > ulong.MaxValue - (ulong)start)
            throw new ArgumentOutOfRangeException(nameof(length), "the region wraps around the end of the address space");
        Start = start;
        Length = length;
        Writable = writable;
        _name = name;
    }

    /// <summary>First byte of the region.</summary>
    public nint Start { get; }
    /// <summary>Size in bytes.</summary>
    public long Length { get; }
    /// <summary>True if programs may store into the region; loads are always allowed.</summary>
    public bool Writable { get; }
    /// <summary>What the region is, for fault messages ("mem", "ctx", "packet", "stack frame 0").</summary>
    public string Name => _name ?? "";

    /// <summary>The first address past the region.</summary>
    public ulong End => (ulong)Start + (ulong)Length;

    /// <summary>True if all <paramref name="size"/> bytes at <paramref name="address"/> lie inside the region.</summary>
    public bool Contains(ulong address, ulong size) =>
        Bounds.Contains((ulong)Start, (ulong)Length, address, size);

    /// <summary>Distance in bytes from the region to <paramref name="address"/>; 0 if inside.</summary>
    public ulong DistanceTo(ulong address)
    {
        ulong start = (ulong)Start;
        if (address < start) return start - address;
        ulong end = End;
        return address < end ? 0 : address - end + 1;
    }

    /// <summary>Shows the region as <c>name 0xstart-0xend</c> (end exclusive).</summary>
    public override string ToString() => $"{Name} 0x{(ulong)Start:x}-0x{End:x}";
}
