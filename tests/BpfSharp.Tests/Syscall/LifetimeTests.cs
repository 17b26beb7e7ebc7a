using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Syscall;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Syscall;

/// <summary>
/// Who keeps what alive: a fd and a pin are references, a program holds its maps ("maps cannot be
/// removed until the program is unloaded"), ids and fds are numbered as the kernel numbers them,
/// and disposing the system frees everything.
/// </summary>
public class LifetimeTests
{
    private static T Object<T>(OurTarget t, int fd) where T : BpfObject
    {
        Assert.Equal(0, t.System.GetObject(fd, out BpfObject? obj));
        obj!.Release(); // keep the managed object only
        return Assert.IsAssignableFrom<T>(obj);
    }

    private static Instruction[] UsesMap(int fd) => Asm.Program(Asm.LdMapFd(R1, fd), Asm.Mov64(R0, 0), Asm.Exit());

    [Fact]
    public void A_map_outlives_its_fd_while_a_program_uses_it()
    {
        using var t = new OurTarget();
        int mapFd = t.CreateArray();
        var map = Object<Map>(t, mapFd);
        Assert.Equal(0, t.Update(mapFd, 1, 42));
        int prog = t.Load(UsesMap(mapFd));
        Assert.True(prog >= 0);

        Assert.Equal(0, t.Close(mapFd));
        Assert.False(map.IsFreed);
        Assert.Equal(1, map.RefCount);
        Assert.Same(map, t.System.Maps.Resolve((ulong)map.Handle));
        BpfAttr byId = default;
        byId.GetId.MapId = map.Id;
        int again = t.Bpf(BpfCommand.MapGetFdById, ref byId);
        Assert.True(again >= 0);
        Assert.Equal(0, t.Lookup(again, 1, out ulong value));
        Assert.Equal(42ul, value);
        Assert.Equal(0, t.Close(again));

        Assert.Equal(0, t.Close(prog));
        Assert.True(map.IsFreed);
        Assert.Null(t.System.Maps.Resolve((ulong)map.Handle));
        Assert.Equal(-Errno.ENOENT, t.Bpf(BpfCommand.MapGetFdById, ref byId));
    }

    [Fact]
    public void A_program_holds_each_map_once_however_often_it_names_it()
    {
        using var t = new OurTarget();
        int mapFd = t.CreateArray();
        var map = Object<Map>(t, mapFd);
        int prog = t.Load(Asm.Program(Asm.LdMapFd(R1, mapFd), Asm.LdMapFd(R2, mapFd), Asm.Mov64(R0, 0), Asm.Exit()));
        Assert.Equal(2, map.RefCount); // the fd and the program
        Assert.Single(Object<LoadedProgram>(t, prog).UsedMaps);
        t.Close(prog);
        Assert.Equal(1, map.RefCount);
    }

    [Fact]
    public void A_rejected_program_gives_its_maps_back()
    {
        using var t = new OurTarget();
        int a = t.CreateArray(), b = t.CreateHash();
        var map = Object<Map>(t, a);
        int rc = t.Load(Asm.Program(Asm.LdMapFd(R1, a), Asm.LdMapFd(R2, b), Asm.LdMapFd(R3, 999), Asm.Mov64(R0, 0), Asm.Exit()), out _);
        Assert.Equal(-Errno.EBADF, rc);
        Assert.Equal(1, map.RefCount);
        Assert.Equal(1, Object<Map>(t, b).RefCount);
    }

    [Fact]
    public void A_pin_keeps_a_map_alive_until_unpinned()
    {
        using var t = new OurTarget();
        int fd = t.CreateArray();
        var map = Object<Map>(t, fd);
        Assert.Equal(0, t.Pin(fd, "/sys/fs/bpf/kept"));
        Assert.Equal(0, t.Close(fd));
        Assert.False(map.IsFreed);
        int again = t.Get("/sys/fs/bpf/kept");
        Assert.Equal(0, t.MapInfo(again, out BpfMapInfo info));
        Assert.Equal(map.Id, info.Id);
        Assert.Equal(0, t.Close(again));
        Assert.Equal(0, t.System.Unpin("/sys/fs/bpf/kept"));
        Assert.True(map.IsFreed);
        Assert.Equal(-Errno.ENOENT, t.System.Unpin("/sys/fs/bpf/kept"));
    }

    [Fact]
    public void Fds_and_pins_are_user_references_and_programs_are_not()
    {
        using var t = new OurTarget();
        int fd = t.CreateArray();
        var map = Object<Map>(t, fd);
        int prog = t.Load(UsesMap(fd));
        Assert.Equal(0, t.Pin(fd, "/sys/fs/bpf/u"));
        Assert.Equal(2, map.UserRefCount);
        t.Close(fd);
        t.System.Unpin("/sys/fs/bpf/u");
        Assert.Equal(0, map.UserRefCount);
        Assert.False(map.IsFreed); // the program still holds it
        t.Close(prog);
        Assert.True(map.IsFreed);
    }

    [Fact]
    public void Dispose_frees_every_object()
    {
        var t = new OurTarget();
        int a = t.CreateArray(), h = t.CreateHash();
        var array = Object<Map>(t, a);
        var hash = Object<Map>(t, h);
        int prog = t.Load(UsesMap(a));
        var program = Object<LoadedProgram>(t, prog);
        t.Pin(h, "/sys/fs/bpf/h");
        t.Close(a);
        t.Dispose();
        Assert.True(array.IsFreed);
        Assert.True(hash.IsFreed);
        Assert.True(program.IsFreed);
        Assert.Equal(0, t.System.Maps.Count);
        BpfAttr attr = default;
        Assert.Throws<ObjectDisposedException>(() => t.Bpf(BpfCommand.MapCreate, ref attr));
        t.Dispose(); // twice is fine
    }

    [Fact]
    public void Fds_start_at_3_and_reuse_the_lowest_free_one()
    {
        using var t = new OurTarget();
        Assert.Equal(3, t.CreateArray());
        Assert.Equal(4, t.CreateArray());
        Assert.Equal(5, t.Load(Asm.Mov64(R0, 0), Asm.Exit()));
        Assert.Equal(0, t.Close(4));
        Assert.Equal(-Errno.EBADF, t.Close(4));
        Assert.Equal(4, t.CreateHash());
        Assert.Equal(-Errno.EBADF, t.Close(0)); // the standard streams are not ours to close
    }

    [Fact]
    public void Ids_grow_per_kind_and_are_not_reused_at_once()
    {
        using var t = new OurTarget();
        int a = t.CreateArray();
        int p = t.Load(Asm.Mov64(R0, 0), Asm.Exit());
        Assert.Equal(1u, Object<Map>(t, a).Id);
        Assert.Equal(1u, Object<LoadedProgram>(t, p).Id); // maps and programs count separately
        t.Close(a);
        int b = t.CreateArray();
        Assert.Equal(2u, Object<Map>(t, b).Id);
    }

    [Fact]
    public void Two_systems_share_nothing()
    {
        using var one = new OurTarget();
        using var two = new OurTarget();
        int fd = one.CreateArray();
        Assert.Equal(0, one.Update(fd, 0, 5));
        Assert.Equal(-Errno.EBADF, two.Lookup(fd, 0, out _));
        Assert.Equal(0, one.Pin(fd, "/sys/fs/bpf/x"));
        Assert.Equal(-Errno.ENOENT, two.Get("/sys/fs/bpf/x"));
        Assert.Equal(3, two.CreateArray());
    }
}
