using BpfSharp.Maps;
using BpfSharp.Maps.RingBuf;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// BPF_MAP_TYPE_USER_RINGBUF (kernel/bpf/ringbuf.c, user_ringbuf_map_ops): creation follows ringbuf_map_alloc, the
/// element commands are -ENOTSUPP, and the memory has the ring buffer's layout (consumer page, producer page, data
/// mapped twice). Expected errnos were read from the live 6.18 kernel (UserRingBufKernelDifferentialTests checks them
/// again where bpf() is available).
/// </summary>
public unsafe class UserRingBufMapTests
{
    private static readonly uint Page = (uint)Environment.SystemPageSize;

    /// <summary>The ring buffer's table: both map types are created by ringbuf_map_alloc.</summary>
    public static TheoryData<uint, uint, uint, uint, int> CreateCases() => RingBufMapTests.CreateCases();

    [Theory]
    [MemberData(nameof(CreateCases))]
    public void Creation_follows_ringbuf_map_alloc(uint key, uint value, uint maxEntries, uint flags, int errno)
    {
        using var host = new MapTestHost();
        int rc = host.Create(new MapAttributes { Type = BpfMapType.UserRingbuf, KeySize = key, ValueSize = value, MaxEntries = maxEntries, Flags = flags }, out Map? map);
        Assert.Equal(-errno, rc);
        if (rc == 0) Assert.IsType<UserRingBufMap>(map);
    }

    [Fact]
    public void The_layout_is_the_ring_buffers_and_element_commands_are_ENOTSUPP()
    {
        using var host = new MapTestHost();
        Assert.Equal(0, host.Create(new MapAttributes { Type = BpfMapType.UserRingbuf, MaxEntries = Page }, out Map? map));
        var ring = (UserRingBufMap)map!;
        Assert.Equal(ring.ConsumerPositionAddress + (nint)Page, ring.ProducerPositionAddress);
        Assert.Equal(ring.ProducerPositionAddress + (nint)Page, ring.DataAddress);
        Assert.Equal(OperatingSystem.IsLinux(), ring.IsDoubleMapped);
        byte* data = (byte*)ring.DataAddress;
        data[5] = 0xAB;
        if (ring.IsDoubleMapped) Assert.Equal(0xAB, data[Page + 5]); // the same page, seen twice
        Assert.True(ring.HasRoom);
        byte* buffer = stackalloc byte[8];
        Assert.True(ring.LookupElem(buffer, 0) == null);
        Assert.Equal(-Errno.ENOTSUPP, ring.UpdateElem(buffer, buffer, 0, 0));
        Assert.Equal(-Errno.ENOTSUPP, ring.DeleteElem(buffer));
        Assert.Equal(-Errno.ENOTSUPP, ring.GetNextKey(null, buffer));
        Assert.Equal(-Errno.ENOTSUPP, ring.SysLookup(buffer, buffer, 0));
    }
}
