using BpfSharp.Memory;

namespace BpfSharp.Tests.Memory;

/// <summary>Regions and the overflow-safe containment test that checked mode relies on.</summary>
public class MemoryRegionTests
{
    [Theory]
    [InlineData(0x1000ul, 16ul, 0x1000ul, 16ul, true)]     // the whole region
    [InlineData(0x1000ul, 16ul, 0x100Ful, 1ul, true)]      // its last byte
    [InlineData(0x1000ul, 16ul, 0x1010ul, 1ul, false)]     // one past the end
    [InlineData(0x1000ul, 16ul, 0x0FFFul, 1ul, false)]     // one before the start
    [InlineData(0x1000ul, 16ul, 0x1008ul, 9ul, false)]     // straddles the end
    [InlineData(0x1000ul, 16ul, 0x1000ul, 17ul, false)]    // larger than the region
    [InlineData(0x1000ul, 16ul, 0xFFFF_FFFF_FFFF_FFFFul, 2ul, false)] // wraps around
    [InlineData(0x1000ul, 0ul, 0x1000ul, 1ul, false)]      // empty region
    [InlineData(0x1000ul, 16ul, 0x1010ul, 0ul, true)]      // empty access at the end
    public void Contains_is_exact_and_never_wraps(ulong start, ulong length, ulong address, ulong size, bool expected)
    {
        Assert.Equal(expected, Bounds.Contains(start, length, address, size));
        Assert.Equal(expected, new MemoryRegion((nint)start, (long)length, true, "r").Contains(address, size));
    }

    [Fact]
    public void Region_properties()
    {
        var region = new MemoryRegion(0x1000, 16, writable: false, "ctx");
        Assert.Equal(0x1010ul, region.End);
        Assert.False(region.Writable);
        Assert.Equal("ctx 0x1000-0x1010", region.ToString());
        Assert.Equal(0ul, region.DistanceTo(0x1008));
        Assert.Equal(0x10ul, region.DistanceTo(0x0FF0));
        Assert.Equal(1ul, region.DistanceTo(0x1010));
    }

    [Fact]
    public void Bad_regions_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryRegion(0x1000, -1, true, "x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryRegion(unchecked((nint)0xFFFF_FFFF_FFFF_FFF0), 32, true, "x"));
    }

    [Fact]
    public void Find_returns_the_first_region_holding_the_access()
    {
        MemoryRegion[] regions = [new(0x1000, 16, true, "a"), new(0x2000, 16, true, "b")];
        Assert.Equal(1, Bounds.Find(regions, 0x2008, 8));
        Assert.Equal(-1, Bounds.Find(regions, 0x100C, 8));
    }

    [Fact]
    public void Native_buffers_are_zeroed_aligned_and_copy_their_contents()
    {
        using var zero = new NativeBuffer(64, alignment: 64);
        Assert.Equal(0, zero.Pointer % 64);
        Assert.All(zero.Span.ToArray(), b => Assert.Equal(0, b));
        using var copy = new NativeBuffer([1, 2, 3]);
        Assert.Equal([1, 2, 3], copy.Span.ToArray());
        Assert.Equal(3, copy.ToRegion(false, "c").Length);
        var disposed = new NativeBuffer(1);
        disposed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => disposed.Pointer);
    }
}
