using BpfSharp.Isa;
using BpfSharp.Syscall;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Syscall;

/// <summary>bpf() from many threads at once: fds stay distinct, objects are freed once, freezing is atomic.</summary>
public class ConcurrencyTests
{
    private const int Threads = 8;

    // A thread of its own: the workers block on a barrier, which pool threads would only slowly get.
    private static Task Dedicated(Action work) => Task.Factory.StartNew(work, CancellationToken.None,
        TaskCreationOptions.LongRunning, TaskScheduler.Default);

    [Fact]
    public void Threads_creating_using_and_closing_objects_never_share_a_fd()
    {
        using var t = new OurTarget();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
        {
            for (int round = 0; round < 50; round++)
            {
                ulong mine = (ulong)(thread * 1000 + round);
                int map = t.CreateArray(maxEntries: 1);
                int prog = t.Load(Asm.Program(Asm.LdMapValue(R1, map, 0), Asm.LdxMem(Opcodes.BPF_W, R0, R1, 0), Asm.Exit()));
                if (map < 0 || prog < 0) { failures.Enqueue($"create {map} {prog}"); return; }
                if (t.Update(map, 0, mine) != 0) failures.Enqueue("update");
                if (t.Lookup(map, 0, out ulong seen) != 0 || seen != mine) failures.Enqueue($"lookup {seen} != {mine}");
                if (t.TestRun(prog, new byte[14], out TestRunAttr run) != 0 || run.Retval != (uint)mine) failures.Enqueue($"run {run.Retval}");
                if (t.Close(map) != 0 || t.Close(prog) != 0) failures.Enqueue("close");
            }
        });
        Assert.Empty(failures);
        Assert.Equal(0, t.System.Maps.Count);
        Assert.Equal(3, t.CreateArray()); // every fd was given back
    }

    [Fact]
    public async Task Closing_a_fd_while_others_use_it_gives_0_or_EBADF()
    {
        using var t = new OurTarget();
        int fd = t.CreateArray();
        var results = new System.Collections.Concurrent.ConcurrentBag<int>();
        using var go = new Barrier(Threads + 1);
        var readers = Enumerable.Range(0, Threads).Select(_ => Dedicated(() =>
        {
            go.SignalAndWait();
            for (int i = 0; i < 2000; i++)
                results.Add(t.Lookup(fd, 0, out ulong _));
        })).ToArray();
        go.SignalAndWait();
        Thread.Sleep(1);
        Assert.Equal(0, t.Close(fd));
        await Task.WhenAll(readers);
        Assert.All(results, rc => Assert.True(rc is 0 or -Errno.EBADF, $"{rc}"));
    }

    [Fact]
    public async Task No_update_that_starts_after_a_successful_freeze_succeeds()
    {
        using var t = new OurTarget();
        int fd = t.CreateArray();
        int frozen = 0;
        var late = new System.Collections.Concurrent.ConcurrentBag<int>();
        using var go = new Barrier(Threads + 1);
        var writers = Enumerable.Range(0, Threads).Select(w => Dedicated(() =>
        {
            go.SignalAndWait();
            for (int i = 0; i < 2000; i++)
            {
                bool after = Volatile.Read(ref frozen) != 0;
                int rc = t.Update(fd, (uint)(w % 4), (ulong)i);
                if (after) late.Add(rc);
            }
        })).ToArray();
        go.SignalAndWait();
        int freeze;
        while ((freeze = t.Freeze(fd)) == -Errno.EBUSY) { } // a write in progress: try again, as user space would
        Assert.Equal(0, freeze);
        Volatile.Write(ref frozen, 1);
        await Task.WhenAll(writers);
        Assert.All(late, rc => Assert.Equal(-Errno.EPERM, rc));
    }
}
