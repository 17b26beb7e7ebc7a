using BpfSharp.Syscall;
using BpfSharp.Uapi;
using static BpfSharp.Tests.Api.ApiKit;

namespace BpfSharp.Tests.Api;

/// <summary>
/// <see cref="BpfMap"/> at the byte level: creation and the attributes it reports, opening by fd, pin
/// and id, element commands, freeze, and Dispose closing the fd. Each operation is checked against
/// the same map through the <c>Bpf</c> facade, so the typed API is seen to act on the one core.
/// </summary>
public unsafe class BpfMapTests
{
    [Fact]
    public void Create_reports_the_attributes_and_an_id_the_facade_agrees_with()
    {
        using BpfSystem system = NewSystem();
        using BpfMap map = BpfMap.Create(system, BpfMapType.Hash, 4, 8, 16, MapFlags.BPF_F_NO_PREALLOC, "counters");

        Assert.Equal(BpfMapType.Hash, map.Type);
        Assert.Equal(4u, map.KeySize);
        Assert.Equal(8u, map.ValueSize);
        Assert.Equal(16u, map.MaxEntries);
        Assert.Equal(MapFlags.BPF_F_NO_PREALLOC, map.Flags);
        Assert.Equal("counters", map.Name);
        Assert.False(map.IsPerCpu);
        Assert.Equal(8u, map.UserValueSize);

        BpfMapInfo info = default;
        BpfAttr attr = default;
        attr.Info.BpfFd = (uint)map.Fd;
        attr.Info.InfoLen = (uint)sizeof(BpfMapInfo);
        attr.Info.Info = (ulong)&info;
        Assert.Equal(0, system.Bpf(BpfCommand.ObjGetInfoByFd, ref attr, BpfAttr.Size));
        Assert.NotEqual(0u, map.Id);
        Assert.Equal(info.Id, map.Id);
    }

    [Fact]
    public void Create_from_a_spec_passes_every_attribute()
    {
        using BpfSystem system = NewSystem();
        using BpfMap map = BpfMap.Create(system, new BpfMapSpec(BpfMapType.BloomFilter, 0, 4, 100) { MapExtra = 3, Name = "bloom" });
        Assert.Equal(BpfMapType.BloomFilter, map.Type);
        Assert.Equal(0u, map.KeySize);
        Assert.Equal("bloom", map.Name);
    }

    [Fact]
    public void A_map_in_map_spec_takes_its_inner_template_and_stores_fds_that_read_back_as_ids()
    {
        using BpfSystem system = NewSystem();
        using var inner = BpfMap<uint, ulong>.Create(system, BpfMapType.Array, 4);
        using var outer = BpfMap<uint, uint>.Create(system,
            new BpfMapSpec(BpfMapType.ArrayOfMaps, 4, 4, 2) { InnerMap = inner });
        outer[0] = (uint)inner.Fd; // user space writes a fd ...
        Assert.Equal(inner.Id, outer[0]); // ... and reads back the map id (kernel: map_fd_sys_lookup_elem)
    }

    [Fact]
    public void Update_lookup_delete_at_the_byte_level_act_on_the_map_the_facade_sees()
    {
        using BpfSystem system = NewSystem();
        using BpfMap map = BpfMap.Create(system, BpfMapType.Hash, 4, 8, 16);
        map.Update(BitConverter.GetBytes(7), BitConverter.GetBytes(700L));

        var value = new byte[8];
        Assert.True(map.TryLookup(BitConverter.GetBytes(7), value));
        Assert.Equal(700L, BitConverter.ToInt64(value));
        Assert.Equal(700L, FacadeLookup(system, map.Fd, 7));
        Assert.False(map.TryLookup(BitConverter.GetBytes(8), value));

        Assert.True(map.Delete(BitConverter.GetBytes(7)));
        Assert.False(map.Delete(BitConverter.GetBytes(7)));
        Assert.Null(FacadeLookup(system, map.Fd, 7));
    }

    [Fact]
    public void TryGetNextKey_walks_every_key_once_starting_from_an_empty_key()
    {
        using BpfSystem system = NewSystem();
        using BpfMap map = BpfMap.Create(system, BpfMapType.Hash, 4, 8, 16);
        for (int k = 1; k <= 5; k++) map.Update(BitConverter.GetBytes(k), BitConverter.GetBytes((long)k));

        var seen = new List<int>();
        byte[] key = [];
        var next = new byte[4];
        while (map.TryGetNextKey(key, next))
        {
            seen.Add(BitConverter.ToInt32(next));
            key = next.ToArray();
        }
        Assert.Equal([1, 2, 3, 4, 5], seen.Order());
    }

    [Fact]
    public void TryLookupAndDelete_returns_the_value_and_removes_the_element()
    {
        using BpfSystem system = NewSystem();
        using BpfMap map = BpfMap.Create(system, BpfMapType.Hash, 4, 8, 16);
        map.Update(BitConverter.GetBytes(1), BitConverter.GetBytes(11L));
        var value = new byte[8];
        Assert.True(map.TryLookupAndDelete(BitConverter.GetBytes(1), value));
        Assert.Equal(11L, BitConverter.ToInt64(value));
        Assert.False(map.TryLookupAndDelete(BitConverter.GetBytes(1), value));
    }

    [Fact]
    public void Spans_shorter_than_the_key_or_value_are_argument_errors()
    {
        using BpfSystem system = NewSystem();
        using BpfMap map = BpfMap.Create(system, BpfMapType.Hash, 4, 8, 16);
        Assert.Throws<ArgumentException>(() => map.Update(new byte[3], new byte[8]));
        Assert.Throws<ArgumentException>(() => map.Update(new byte[4], new byte[7]));
        Assert.Throws<ArgumentException>(() => map.TryLookup(new byte[4], new byte[7]));
    }

    [Fact]
    public void Freeze_stops_user_space_writes_with_EPERM()
    {
        using BpfSystem system = NewSystem();
        using var map = BpfMap<int, long>.Create(system, BpfMapType.Array, 4);
        map[1] = 5;
        map.Freeze();
        Assert.Equal(Errno.EPERM, ErrnoOf(() => map[1] = 6));
        Assert.Equal(5L, map[1]); // reads still work
        Assert.Equal(Errno.EPERM, ErrnoOf(map.Freeze)); // kernel: a frozen map's fd no longer counts as writable
    }

    [Fact]
    public void Pin_and_Open_give_a_second_fd_to_the_same_map()
    {
        using BpfSystem system = NewSystem();
        using var map = BpfMap<int, long>.Create(system, BpfMapType.Hash, 8);
        map[3] = 33;
        map.Pin("/sys/fs/bpf/counters");

        using var opened = BpfMap<int, long>.Open(system, "/sys/fs/bpf/counters");
        Assert.NotEqual(map.Fd, opened.Fd);
        Assert.Equal(map.Id, opened.Id);
        Assert.Equal(33L, opened[3]);
        Assert.Equal(Errno.EEXIST, ErrnoOf(() => map.Pin("/sys/fs/bpf/counters")));
        Assert.Equal(Errno.ENOENT, ErrnoOf(() => BpfMap.Open(system, "/sys/fs/bpf/nothing")));
    }

    [Fact]
    public void Open_read_only_refuses_writes_with_EPERM()
    {
        using BpfSystem system = NewSystem();
        using var map = BpfMap<int, long>.Create(system, BpfMapType.Hash, 8);
        map[1] = 1;
        map.Pin("/sys/fs/bpf/ro");
        using var readOnly = BpfMap<int, long>.Open(system, "/sys/fs/bpf/ro", MapFlags.BPF_F_RDONLY);
        Assert.Equal(1L, readOnly[1]);
        Assert.Equal(Errno.EPERM, ErrnoOf(() => readOnly[1] = 2));
    }

    [Fact]
    public void FromId_opens_the_map_and_FromFd_adopts_a_facade_fd()
    {
        using BpfSystem system = NewSystem();
        using var map = BpfMap<int, long>.Create(system, BpfMapType.Hash, 8);
        map[1] = 10;
        using var byId = BpfMap<int, long>.FromId(system, map.Id);
        Assert.Equal(10L, byId[1]);

        BpfAttr attr = default;
        attr.MapCreate.MapType = (uint)BpfMapType.Array;
        attr.MapCreate.KeySize = 4;
        attr.MapCreate.ValueSize = 8;
        attr.MapCreate.MaxEntries = 2;
        int fd = system.Bpf(BpfCommand.MapCreate, ref attr, BpfAttr.Size);
        Assert.True(fd > 0);
        using (var adopted = BpfMap<uint, ulong>.FromFd(system, fd))
        {
            Assert.Equal(BpfMapType.Array, adopted.Type);
            Assert.Equal(fd, adopted.Fd);
        }
        Assert.Equal(-Errno.EBADF, system.Close(fd)); // Dispose closed it
    }

    [Fact]
    public void FromFd_of_a_fd_that_is_not_a_map_is_EINVAL_and_leaves_the_fd_open()
    {
        using BpfSystem system = NewSystem();
        using BpfProgram program = BpfProgram.Load(system, BpfProgType.SocketFilter,
            [BpfSharp.Isa.Asm.Mov64Imm(BpfSharp.Isa.Reg.R0, 0), BpfSharp.Isa.Asm.Exit()]);
        Assert.Equal(Errno.EINVAL, ErrnoOf(() => BpfMap.FromFd(system, program.Fd)));
        Assert.Equal(Errno.EBADF, ErrnoOf(() => BpfMap.FromFd(system, 1000)));
        Assert.Equal(0u, RunOnce(program)); // still open
    }

    [Fact]
    public void Dispose_closes_the_fd_and_later_use_is_ObjectDisposedException()
    {
        using BpfSystem system = NewSystem();
        var map = BpfMap<int, long>.Create(system, BpfMapType.Hash, 8);
        int fd = map.Fd;
        map.Dispose();
        map.Dispose(); // twice is harmless
        Assert.Equal(-Errno.EBADF, system.Close(fd));
        Assert.Throws<ObjectDisposedException>(() => map[1] = 1);
    }

    [Fact]
    public void A_map_a_program_uses_survives_Dispose_of_its_last_fd()
    {
        using BpfSystem system = NewSystem();
        var map = BpfMap<uint, ulong>.Create(system, BpfMapType.Array, 1);
        uint id = map.Id;
        using BpfProgram program = BpfProgram.Load(system, BpfProgType.SocketFilter, AddToCounter(map, 0, add: 5));
        map.Dispose();
        Assert.Equal(0u, RunOnce(program));
        using var again = BpfMap<uint, ulong>.FromId(system, id); // the program's reference kept it
        Assert.Equal(5ul, again[0]);
    }

    private static long? FacadeLookup(BpfSystem system, int fd, int key)
    {
        long value = 0;
        BpfAttr attr = default;
        attr.MapElem.MapFd = (uint)fd;
        attr.MapElem.Key = (ulong)&key;
        attr.MapElem.Value = (ulong)&value;
        int rc = system.Bpf(BpfCommand.MapLookupElem, ref attr, BpfAttr.Size);
        if (rc == -Errno.ENOENT) return null;
        Assert.Equal(0, rc);
        return value;
    }
}
