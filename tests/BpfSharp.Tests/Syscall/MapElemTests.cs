using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Syscall;

/// <summary>The element commands' success paths, on our system and the live kernel.</summary>
public unsafe class MapElemTests
{
    [SkippableTheory]
    [InlineData("ours")]
    [InlineData("kernel")]
    public void Get_next_key_with_a_null_or_missing_key_gives_the_first_key(string target)
    {
        using IBpfTarget t = Targets.Create(target);
        int fd = t.CreateHash();
        t.Update(fd, 5, 50);
        t.Update(fd, 6, 60);
        Assert.Equal(0, t.NextKey(fd, null, out uint first));
        Assert.Equal(0, t.NextKey(fd, 12345, out uint again));
        Assert.Equal(first, again);
        Assert.Equal(0, t.NextKey(fd, first, out uint second));
        Assert.Equal(new[] { 5u, 6u }, new[] { first, second }.Order());
        Assert.Equal(-Errno.ENOENT, t.NextKey(fd, second, out _));
    }

    [SkippableTheory]
    [InlineData("ours")]
    [InlineData("kernel")]
    public void Lookup_and_delete_returns_the_value_and_removes_the_key(string target)
    {
        using IBpfTarget t = Targets.Create(target);
        int fd = t.CreateHash();
        t.Update(fd, 1, 111);
        uint key = 1;
        ulong value = 0;
        BpfAttr attr = default;
        attr.MapElem.MapFd = (uint)fd;
        attr.MapElem.Key = (ulong)&key;
        attr.MapElem.Value = (ulong)&value;
        Assert.Equal(0, t.Bpf(BpfCommand.MapLookupAndDeleteElem, ref attr));
        Assert.Equal(111ul, value);
        Assert.Equal(-Errno.ENOENT, t.Bpf(BpfCommand.MapLookupAndDeleteElem, ref attr));
    }

    [SkippableTheory]
    [InlineData("ours")]
    [InlineData("kernel")]
    public void A_frozen_map_can_still_be_read(string target)
    {
        using IBpfTarget t = Targets.Create(target);
        int fd = t.CreateArray();
        t.Update(fd, 2, 22);
        Assert.Equal(0, t.Freeze(fd));
        Assert.Equal(0, t.Lookup(fd, 2, out ulong v));
        Assert.Equal(22ul, v);
        Assert.Equal(0, t.NextKey(fd, null, out _));
    }

    [Fact]
    public void Freeze_while_a_user_write_is_in_progress_is_EBUSY()
    {
        using var t = new OurTarget();
        int fd = t.CreateArray();
        Assert.Equal(0, t.System.GetObject(fd, out BpfObject? obj));
        var map = (Map)obj!;
        map.BeginSysWrite();
        Assert.Equal(-Errno.EBUSY, t.Freeze(fd));
        map.EndSysWrite();
        Assert.Equal(0, t.Freeze(fd));
        map.Release();
    }

    [Fact]
    public void A_memory_limit_makes_map_creation_ENOMEM()
    {
        using var t = new OurTarget(OurTarget.Options(memoryLimit: 1024));
        Assert.True(t.CreateArray(maxEntries: 64, valueSize: 8) >= 0); // 512 bytes
        Assert.Equal(-Errno.ENOMEM, t.CreateArray(maxEntries: 128, valueSize: 8));
    }
}
