using BpfSharp.Maps;
using BpfSharp.Uapi;
using static BpfSharp.Uapi.MapFlags;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// BPF_MAP_TYPE_PROG_ARRAY (kernel: prog_array_map_ops): program fds in, program ids out, references held
/// by the slots; errno as the live kernel 6.18 answered (see the probe rows in each case).
/// </summary>
public unsafe class ProgArrayTests
{
    private static (MapTestHost Host, ProgArray Map) Create(uint maxEntries = 2)
    {
        var host = new MapTestHost();
        host.Context.ProgramOwner = o => o is FakeProgram p ? p.ProgType : null;
        return (host, (ProgArray)host.CreateOk(BpfMapType.ProgArray, 4, 4, maxEntries));
    }

    [Fact]
    public void Update_stores_the_program_and_lookup_returns_its_id()
    {
        var (host, map) = Create();
        using var _ = host;
        var prog = host.WithId(new FakeProgram(BpfProgType.SocketFilter));
        int fd = host.OpenFd(prog);

        Assert.Equal(0, map.Update(Bytes.U32(0), Bytes.U32((uint)fd)));
        var id = new byte[4];
        Assert.Equal(0, map.Lookup(Bytes.U32(0), id));
        Assert.Equal(prog.Id, Bytes.ReadU32(id));
        Assert.Same(prog, map.GetProgram(0));
        Assert.Null(map.GetProgram(1));
        Assert.Null(map.GetProgram(2));
        Assert.Equal(0, map.ProgLookup(Bytes.U32(0))); // programs cannot look a prog array up
    }

    // Live kernel 6.18 probe: empty slot lookup ENOENT; index past max_entries ENOENT (lookup) / E2BIG
    // (update, delete); flags other than BPF_ANY EINVAL (before the index); a closed fd EBADF; a map fd
    // EINVAL; a program of another type EINVAL; deleting an empty slot ENOENT.
    [Fact]
    public void Errno_rules_follow_the_kernel()
    {
        var (host, map) = Create();
        using var _ = host;
        int sock = host.OpenFd(host.WithId(new FakeProgram(BpfProgType.SocketFilter)));
        int xdp = host.OpenFd(host.WithId(new FakeProgram(BpfProgType.Xdp)));
        int mapFd = host.OpenFd(host.CreateOk(BpfMapType.Array, 4, 4, 1));

        Assert.Equal(-Errno.ENOENT, map.Lookup(Bytes.U32(0), new byte[4]));
        Assert.Equal(-Errno.ENOENT, map.Lookup(Bytes.U32(5), new byte[4]));
        Assert.Equal(0, map.Update(Bytes.U32(0), Bytes.U32((uint)sock)));
        Assert.Equal(-Errno.EINVAL, map.Update(Bytes.U32(1), Bytes.U32((uint)xdp))); // the owner is a socket filter
        Assert.Equal(-Errno.EINVAL, map.Update(Bytes.U32(1), Bytes.U32((uint)sock), BPF_NOEXIST));
        Assert.Equal(-Errno.EINVAL, map.Update(Bytes.U32(1), Bytes.U32((uint)sock), BPF_EXIST));
        Assert.Equal(-Errno.E2BIG, map.Update(Bytes.U32(2), Bytes.U32((uint)sock)));
        Assert.Equal(-Errno.EINVAL, map.Update(Bytes.U32(2), Bytes.U32((uint)sock), BPF_NOEXIST));
        Assert.Equal(-Errno.EBADF, map.Update(Bytes.U32(1), Bytes.U32(9999)));
        Assert.Equal(-Errno.EINVAL, map.Update(Bytes.U32(1), Bytes.U32((uint)mapFd)));
        Assert.Equal(-Errno.ENOENT, map.Delete(Bytes.U32(1)));
        Assert.Equal(-Errno.E2BIG, map.Delete(Bytes.U32(2)));
        Assert.Equal(0, map.Delete(Bytes.U32(0)));
        Assert.Equal(-Errno.ENOTSUPP, map.LookupAndDelete(Bytes.U32(0), new byte[4]));
        var next = new byte[4];
        Assert.Equal(0, map.NextKey(null, next));
        Assert.Equal(0u, Bytes.ReadU32(next));
        Assert.Equal(BpfProgType.SocketFilter, map.Owner);
    }

    [Fact]
    public void Slots_keep_programs_alive_after_their_fds_close_and_release_them_on_overwrite_delete_and_free()
    {
        var (host, map) = Create();
        using var _ = host;
        var a = host.WithId(new FakeProgram(BpfProgType.SocketFilter));
        var b = host.WithId(new FakeProgram(BpfProgType.SocketFilter));
        int fdA = host.OpenFd(a), fdB = host.OpenFd(b);
        a.Release(); // drop the creators' references: the fds own them now
        b.Release();

        Assert.Equal(0, map.Update(Bytes.U32(0), Bytes.U32((uint)fdA)));
        Assert.Equal(0, map.Update(Bytes.U32(1), Bytes.U32((uint)fdB)));
        host.CloseFd(fdA);
        host.CloseFd(fdB);
        Assert.False(a.Freed);
        Assert.Equal(1, a.RefCount);

        Assert.Equal(0, map.Delete(Bytes.U32(0)));
        Assert.True(a.Freed);
        map.Release();
        Assert.True(b.Freed);
    }

    [Fact]
    public void A_program_replaced_during_a_run_stays_alive_until_the_run_ends()
    {
        var (host, map) = Create();
        using var _ = host;
        var a = host.WithId(new FakeProgram(BpfProgType.SocketFilter));
        int fd = host.OpenFd(a);
        a.Release();
        Assert.Equal(0, map.Update(Bytes.U32(0), Bytes.U32((uint)fd)));
        host.CloseFd(fd);

        using (host.Epochs.Enter()) // a run that may be tail-calling into slot 0
        {
            Assert.Same(a, map.GetProgram(0));
            Assert.Equal(0, map.Delete(Bytes.U32(0)));
            host.Epochs.Reclaim();
            Assert.False(a.Freed);
        }
        host.Epochs.Reclaim();
        Assert.True(a.Freed);
    }

    [Fact]
    public void Clear_empties_every_slot()
    {
        var (host, map) = Create(3);
        using var _ = host;
        var p = host.WithId(new FakeProgram(BpfProgType.SocketFilter));
        int fd = host.OpenFd(p);
        for (uint i = 0; i < 3; i++) Assert.Equal(0, map.Update(Bytes.U32(i), Bytes.U32((uint)fd)));
        Assert.Equal(5, p.RefCount);

        map.Clear();

        Assert.Equal(2, p.RefCount);
        for (uint i = 0; i < 3; i++) Assert.Null(map.GetProgram(i));
    }

    [Fact]
    public void Without_an_owner_function_every_non_map_object_is_compatible()
    {
        using var host = new MapTestHost();
        var map = (ProgArray)host.CreateOk(BpfMapType.ProgArray, 4, 4, 2);
        int sock = host.OpenFd(host.WithId(new FakeProgram(BpfProgType.SocketFilter)));
        int xdp = host.OpenFd(host.WithId(new FakeProgram(BpfProgType.Xdp)));

        Assert.Equal(0, map.Update(Bytes.U32(0), Bytes.U32((uint)sock)));
        Assert.Equal(0, map.Update(Bytes.U32(1), Bytes.U32((uint)xdp)));
        Assert.Null(map.Owner);
    }

    [Fact]
    public void Concurrent_updates_and_tail_call_reads_balance_the_references()
    {
        var (host, map) = Create(4);
        using var _ = host;
        var progs = Enumerable.Range(0, 4).Select(_ => host.WithId(new FakeProgram(BpfProgType.SocketFilter))).ToArray();
        int[] fds = progs.Select(host.OpenFd).ToArray();

        Parallel.For(0, 4, t =>
        {
            for (int i = 0; i < 2000; i++)
            {
                uint slot = (uint)((i + t) % 4);
                if (i % 3 == 0) map.Delete(Bytes.U32(slot));
                else Assert.Equal(0, map.Update(Bytes.U32(slot), Bytes.U32((uint)fds[(i * 7 + t) % 4])));
                using (host.Epochs.Enter()) map.GetProgram((uint)(i % 4));
            }
        });
        map.Clear();
        host.Epochs.Reclaim();

        // Only the creators' and the fds' references remain.
        Assert.All(progs, p => Assert.Equal(2, p.RefCount));
    }
}
