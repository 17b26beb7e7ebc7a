using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Syscall;

/// <summary>
/// What a delete or replace frees is freed as soon as no run can see it: at once when no program runs,
/// else when the last run that could see it ends. Nothing waits for later activity in the system.
/// </summary>
public unsafe class ReclaimTests
{
    private static T Object<T>(OurTarget t, int fd) where T : BpfObject
    {
        Assert.Equal(0, t.System.GetObject(fd, out BpfObject? obj));
        obj!.Release();
        return Assert.IsAssignableFrom<T>(obj);
    }

    /// <summary>A run on another thread (a program still running) until disposed.</summary>
    private sealed class RunInProgress : IDisposable
    {
        private readonly ManualResetEventSlim _entered = new(), _leave = new();
        private readonly Thread _thread;

        public RunInProgress(EpochManager epochs)
        {
            _thread = new Thread(() =>
            {
                using (epochs.Enter())
                {
                    _entered.Set();
                    _leave.Wait();
                }
            });
            _thread.Start();
            _entered.Wait();
        }

        public void Dispose()
        {
            _leave.Set();
            _thread.Join();
            _entered.Dispose();
            _leave.Dispose();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_deleted_element_of_a_map_without_preallocation_gives_its_memory_back(bool runInProgress)
    {
        using var t = new OurTarget();
        int fd = t.CreateMap(BpfMapType.Hash, 4, 8, 16, MapFlags.BPF_F_NO_PREALLOC);
        long empty = t.System.MapContext.Charged;
        Assert.Equal(0, t.Update(fd, 1, 10));
        Assert.True(t.System.MapContext.Charged > empty);

        RunInProgress? run = runInProgress ? new RunInProgress(t.System.Epochs) : null;
        Assert.Equal(0, t.Delete(fd, 1));
        if (run is not null)
        {
            Assert.True(t.System.MapContext.Charged > empty); // the run may still read the element
            run.Dispose();
        }
        Assert.Equal(empty, t.System.MapContext.Charged);
        Assert.Equal(0, t.System.Epochs.PendingCount);
    }

    [Theory]
    [InlineData(BpfMapType.HashOfMaps, false)]
    [InlineData(BpfMapType.HashOfMaps, true)]
    [InlineData(BpfMapType.ArrayOfMaps, false)]
    [InlineData(BpfMapType.ArrayOfMaps, true)]
    public void A_deleted_inner_map_is_released_when_no_run_can_use_it(BpfMapType type, bool runInProgress)
    {
        using var t = new OurTarget();
        int innerFd = t.CreateArray();
        var inner = Object<Map>(t, innerFd);
        BpfAttr create = Calls.MapCreateAttr(type, 4, 4, 4);
        create.MapCreate.InnerMapFd = (uint)innerFd;
        int outer = t.Bpf(BpfCommand.MapCreate, ref create);
        Assert.True(outer >= 0, Errno.Name(outer));
        Assert.Equal(0, t.Update(outer, 1, (uint)innerFd));
        Assert.Equal(0, t.Close(innerFd));
        Assert.False(inner.IsFreed); // the element holds it

        RunInProgress? run = runInProgress ? new RunInProgress(t.System.Epochs) : null;
        Assert.Equal(0, t.Delete(outer, 1));
        if (run is not null)
        {
            Assert.False(inner.IsFreed); // the run may still use it
            run.Dispose();
        }
        Assert.True(inner.IsFreed);
        Assert.Equal(0, t.System.Epochs.PendingCount);
    }

    [Fact]
    public void A_replaced_lpm_trie_node_is_freed_when_the_run_ends()
    {
        using var t = new OurTarget();
        int fd = t.CreateMap(BpfMapType.LpmTrie, 8, 8, 4, MapFlags.BPF_F_NO_PREALLOC);
        Assert.Equal(0, UpdateLpm(t, fd, 1));
        using (var run = new RunInProgress(t.System.Epochs))
        {
            Assert.Equal(0, UpdateLpm(t, fd, 2)); // a new node replaces the old one
            Assert.Equal(1, t.System.Epochs.PendingCount);
        }
        Assert.Equal(0, t.System.Epochs.PendingCount);
    }

    // 10.0.0.0/8: struct bpf_lpm_trie_key_u8 { u32 prefixlen; u8 data[4]; }.
    private static int UpdateLpm(OurTarget t, int fd, ulong value)
    {
        ulong key = 8 | (10ul << 32);
        BpfAttr attr = default;
        attr.MapElem.MapFd = (uint)fd;
        attr.MapElem.Key = (ulong)&key;
        attr.MapElem.Value = (ulong)&value;
        return t.Bpf(BpfCommand.MapUpdateElem, ref attr);
    }

    [Fact]
    public void A_freed_map_handle_resolves_to_nothing_and_is_not_reused_while_a_run_may_hold_it()
    {
        using var t = new OurTarget();
        int fd = t.CreateArray();
        var map = Object<Map>(t, fd);
        nint old = map.Handle;
        using (var run = new RunInProgress(t.System.Epochs))
        {
            Assert.Equal(0, t.Close(fd));
            Assert.True(map.IsFreed);
            Assert.Null(t.System.Maps.Resolve((ulong)old));
            for (int i = 0; i < 32; i++)
                Assert.NotEqual(old, Object<Map>(t, t.CreateArray()).Handle);
            Assert.Equal(1, t.System.Epochs.PendingCount); // the handle block
        }
        Assert.Equal(0, t.System.Epochs.PendingCount);
        Assert.Null(t.System.Maps.Resolve((ulong)old));
    }
}
