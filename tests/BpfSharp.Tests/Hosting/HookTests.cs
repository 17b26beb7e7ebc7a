using BpfSharp.Hosting;
using BpfSharp.Isa;
using BpfSharp.Runtime;
using BpfSharp.Tests.Support;
using BpfSharp.Uapi;
using static BpfSharp.Tests.Hosting.HostingKit;

namespace BpfSharp.Tests.Hosting;

/// <summary>
/// <see cref="Hook{TContext}"/> on a host type: programs run in attach order on the host's struct, write its
/// writable fields, their results combine as the host's aggregator says, links detach, fires allocate nothing, and
/// attach refuses programs of another type or system.
/// </summary>
public class HookTests
{
    [Fact]
    public void Programs_run_in_attach_order_and_their_writes_reach_the_host()
    {
        using BpfSystem system = NewSystem(out BpfProgType type);
        using var hook = new Hook<RequestContext>(system, type, "on_request");
        using BpfProgram one = AppendDigit(system, type, 1), two = AppendDigit(system, type, 2), three = AppendDigit(system, type, 3);
        using BpfLink l1 = hook.Attach(one), l2 = hook.Attach(two), l3 = hook.Attach(three);
        var request = new RequestContext { Verdict = 9 };
        hook.Fire(ref request);
        Assert.Equal(9123u, request.Verdict);
        Assert.Equal(3, hook.Count);
        Assert.Equal(["digit1", "digit2", "digit3"], hook.Links.Select(l => l.ProgramName));
    }

    [Fact]
    public void Fire_returns_the_last_result_and_zero_without_programs()
    {
        using BpfSystem system = NewSystem(out BpfProgType type);
        using var hook = new Hook<RequestContext>(system, type);
        var request = new RequestContext();
        Assert.Equal(0ul, hook.Fire(ref request));
        using BpfProgram p = AppendDigit(system, type, 1, result: 5), q = AppendDigit(system, type, 2, result: 7);
        using BpfLink a = hook.Attach(p), b = hook.Attach(q);
        Assert.Equal(7ul, hook.Fire(ref request));
    }

    [Fact]
    public void Aggregators_combine_results_and_may_stop_the_rest()
    {
        using BpfSystem system = NewSystem(out BpfProgType type);
        using var hook = new Hook<RequestContext>(system, type);
        using BpfProgram p0 = AppendDigit(system, type, 1, result: 0), p5 = AppendDigit(system, type, 2, result: 5),
            p6 = AppendDigit(system, type, 3, result: 6);
        using BpfLink a = hook.Attach(p0), b = hook.Attach(p5), c = hook.Attach(p6);

        var request = new RequestContext();
        var first = new FirstNonZero();
        hook.Fire(ref request, ref first);
        Assert.Equal((5ul, 1), (first.Value, first.Index));
        Assert.Equal(12u, request.Verdict); // the third program did not run

        request = default;
        var all = new LastResult();
        hook.Fire(ref request, ref all);
        Assert.Equal((6ul, 3), (all.Value, all.Count));

        Span<ulong> results = stackalloc ulong[3];
        var into = new ResultsInto(results);
        hook.Fire(ref request, ref into);
        Assert.Equal([0ul, 5, 6], results.ToArray());
        Assert.Equal(3, into.Count);

        var and = new AndResults(); // kernel: 1 & 0 & 5 & 6
        hook.Fire(ref request, ref and);
        Assert.Equal(0u, and.Value);

        var seen = new List<(int, ulong)>();
        var callback = new ResultCallback((i, r) => { seen.Add((i, r)); return i < 1; });
        hook.Fire(ref request, ref callback);
        Assert.Equal([(0, 0ul), (1, 5ul)], seen);
    }

    [Theory]
    [InlineData(new[] { 3, 5 }, 1u)]
    [InlineData(new[] { 3, 2 }, 0u)]
    [InlineData(new int[0], 1u)]
    public void AndResults_starts_at_one_and_ands_every_result(int[] results, uint expected)
    {
        var and = new AndResults();
        for (int i = 0; i < results.Length; i++)
            Assert.True(and.Add(i, (ulong)results[i]));
        Assert.Equal(expected, and.Value);
    }

    [Fact]
    public void A_disposed_link_no_longer_runs_and_the_program_outlives_its_fd_while_attached()
    {
        using BpfSystem system = NewSystem(out BpfProgType type);
        using var hook = new Hook<RequestContext>(system, type);
        BpfProgram one = AppendDigit(system, type, 1);
        using BpfProgram two = AppendDigit(system, type, 2);
        BpfLink l1 = hook.Attach(one);
        using BpfLink l2 = hook.Attach(two);
        one.Dispose(); // the link keeps the program
        var request = new RequestContext();
        hook.Fire(ref request);
        Assert.Equal(12u, request.Verdict);

        l1.Dispose();
        l1.Dispose(); // idempotent
        Assert.False(l1.IsAttached);
        Assert.True(l2.IsAttached);
        request = default;
        hook.Fire(ref request);
        Assert.Equal(2u, request.Verdict);
        system.Epochs.Reclaim();
        Assert.True(l1.Program.IsFreed);
    }

    [Fact]
    public void Disposing_the_hook_detaches_everything()
    {
        using BpfSystem system = NewSystem(out BpfProgType type);
        var hook = new Hook<RequestContext>(system, type);
        using BpfProgram one = AppendDigit(system, type, 1);
        BpfLink link = hook.Attach(one);
        hook.Dispose();
        Assert.False(link.IsAttached);
        Assert.Equal(0, hook.Count);
        var request = new RequestContext();
        hook.Fire(ref request);
        Assert.Equal(0u, request.Verdict);
        Assert.Throws<ObjectDisposedException>(() => hook.Attach(one));
    }

    [Fact]
    public void A_program_of_another_type_is_refused_with_EINVAL()
    {
        using BpfSystem system = NewSystem(out BpfProgType type);
        using var hook = new Hook<RequestContext>(system, type, "on_request");
        using BpfProgram filter = BpfProgram.Load(system, BpfProgType.SocketFilter, [Asm.Mov64(Reg.R0, 0), Asm.Exit()]);
        BpfException e = Assert.Throws<BpfException>(() => hook.Attach(filter));
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.Contains($"program {filter.Id} is of type SocketFilter; hook on_request runs request programs", e.Message);
        Assert.Equal(0, hook.Count);
    }

    [Fact]
    public void A_program_of_another_system_is_refused()
    {
        using BpfSystem system = NewSystem(out BpfProgType type), other = NewSystem(out BpfProgType otherType);
        Assert.Equal(type, otherType); // each system numbers its own types
        using var hook = new Hook<RequestContext>(system, type);
        using BpfProgram foreign = AppendDigit(other, otherType, 1);
        Assert.Throws<ArgumentException>(() => hook.Attach(foreign));
    }

    [Fact]
    public void Hooks_refuse_contexts_that_do_not_fit_and_types_without_a_host_context()
    {
        using BpfSystem system = NewSystem(out BpfProgType type);
        Assert.Throws<ArgumentException>(() => new Hook<ulong>(system, type));
        Assert.Throws<ArgumentException>(() => new Hook<RequestContext>(system, BpfProgType.Xdp));
        Assert.Throws<ArgumentException>(() => new Hook<RequestContext>(system, BpfProgType.SocketFilter));
        Assert.Throws<ArgumentException>(() => new Hook<RequestContext>(system, (BpfProgType)1001)); // not registered
    }

    [Fact]
    public void Types_are_per_system()
    {
        using BpfSystem system = NewSystem(out BpfProgType type);
        using var bare = new BpfSystem();
        Assert.Null(bare.GetProgramType(type));
        Assert.Equal("request", system.GetProgramType(type)!.Name);
        (int errno, _) = LoadError(bare, type, "r0 = 0\nexit");
        Assert.Equal(Errno.EINVAL, errno);
    }

    [Fact]
    public void Programs_and_maps_are_shared_across_hooks()
    {
        using BpfSystem system = NewSystem(out BpfProgType type);
        using var counts = BpfMap<uint, ulong>.Create(system, BpfMapType.Array, maxEntries: 1);
        using BpfProgram count = BpfProgram.Load(system, type, Api.ApiKit.AddToCounter(counts, 0));
        using var first = new Hook<RequestContext>(system, type, "first");
        using var second = new Hook<RequestContext>(system, type, "second");
        using BpfLink a = first.Attach(count), b = second.Attach(count);
        var request = new RequestContext();
        for (int i = 0; i < 3; i++) first.Fire(ref request);
        for (int i = 0; i < 4; i++) second.Fire(ref request);
        Assert.Equal(7ul, counts[0]);
    }

    [Fact]
    public void Firing_allocates_nothing()
    {
        using BpfSystem system = NewSystem(out BpfProgType type);
        using var hook = new Hook<RequestContext>(system, type);
        using BpfProgram one = AppendDigit(system, type, 1), two = AppendDigit(system, type, 2, result: 3);
        using BpfLink a = hook.Attach(one), b = hook.Attach(two);
        var request = new RequestContext();
        hook.Fire(ref request); // the thread's run context is created on the first fire
        long bytes = Allocations.Least(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                request.Verdict = 0;
                hook.Fire(ref request);
                var first = new FirstNonZero();
                hook.Fire(ref request, ref first);
            }
        });
        Assert.Equal(0, bytes);
        Assert.Equal(1212u, request.Verdict);
    }

    [Fact]
    public async Task Detaching_while_other_threads_fire_is_safe()
    {
        using BpfSystem system = NewSystem(out BpfProgType type);
        using var hook = new Hook<RequestContext>(system, type);
        using BpfProgram steady = AppendDigit(system, type, 1, result: 1);
        using BpfLink always = hook.Attach(steady);
        using var stop = new CancellationTokenSource();
        long fires = 0;
        Task[] firing = [.. Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            var request = new RequestContext();
            while (!stop.IsCancellationRequested)
            {
                request.Verdict = 0;
                var all = new LastResult();
                hook.Fire(ref request, ref all);
                // the steady program always runs first; a transient one may or may not follow
                Assert.True(request.Verdict is 1 or 12, $"verdict {request.Verdict}");
                Assert.True(all.Count is 1 or 2);
                Interlocked.Increment(ref fires);
            }
        }))];
        var detached = new List<BpfLink>();
        // at least 200 attach/detach cycles, and on until the firing threads have fired a while (unless one failed)
        for (int i = 0; (i < 200 || Interlocked.Read(ref fires) < 2000) && !Array.Exists(firing, t => t.IsCompleted); i++)
        {
            BpfProgram transient = AppendDigit(system, type, 2);
            BpfLink link = hook.Attach(transient);
            transient.Dispose(); // only the link holds it now
            Thread.Yield();
            link.Dispose();
            detached.Add(link);
        }
        stop.Cancel();
        await Task.WhenAll(firing);
        Assert.True(Interlocked.Read(ref fires) > 0);
        Assert.Equal(1, hook.Count);
        system.Epochs.Reclaim();
        Assert.All(detached, l => Assert.True(l.Program.IsFreed));
    }

    private sealed class Refire(Func<Hook<RequestContext>> hook)
    {
        [HostHelper(1020)]
        public ulong Fire(uint depth)
        {
            var inner = new RequestContext { Length = depth };
            return hook().Fire(ref inner);
        }
    }

    [Fact]
    public void A_helper_may_fire_a_hook_from_inside_a_program()
    {
        Hook<RequestContext>? hook = null;
        using BpfSystem system = NewSystem(out BpfProgType type, b => b.AddHelpers(new Refire(() => hook!)));
        hook = new Hook<RequestContext>(system, type);
        // length 0 returns 100; otherwise the result of firing with length - 1, plus 1
        using BpfProgram recurse = Load(system, type, """
            r1 = *(u32 *)(r1 + 0)
            if r1 == 0 goto base
            r1 += -1
            call 1020
            r0 += 1
            exit
            base:
            r0 = 100
            exit
            """);
        using BpfLink link = hook.Attach(recurse);
        var request = new RequestContext { Length = 3 };
        Assert.Equal(103ul, hook.Fire(ref request));
        hook.Dispose();
    }

    [Fact]
    public void Unverified_programs_run_checked_on_the_context_region()
    {
        using BpfSystem system = NewSystem(out BpfProgType type, verify: false);
        using var hook = new Hook<RequestContext>(system, type);
        using BpfProgram reader = Load(system, type, "r0 = *(u64 *)(r1 + 8)\nexit");
        using BpfProgram stray = Load(system, type, "r0 = *(u64 *)(r1 + 32)\nexit");
        using BpfLink a = hook.Attach(reader);
        var request = new RequestContext { Id = 77 };
        Assert.Equal(77ul, hook.Fire(ref request));
        using BpfLink b = hook.Attach(stray);
        Assert.Throws<BpfRuntimeException>(() => hook.Fire(ref request));
    }
}
