using BpfSharp.Maps;
using BpfSharp.Uapi;
using static BpfSharp.Uapi.MapFlags;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// BPF_MAP_TYPE_QUEUE and BPF_MAP_TYPE_STACK (kernel: queue_stack_maps.c, Documentation/bpf/map_queue_stack.rst);
/// errno as the live kernel 6.18 answered.
/// </summary>
public unsafe class QueueStackMapTests
{
    private const int EINVAL = -Errno.EINVAL, E2BIG = -Errno.E2BIG, OK = 0;

    public static TheoryData<string, BpfMapType, uint, uint, uint, uint, ulong, int> CreateCases() => new()
    {
        { "queue: valid", BpfMapType.Queue, 0, 4, 1, 0, 0, OK },
        { "queue: key_size 4", BpfMapType.Queue, 4, 4, 1, 0, 0, EINVAL },
        { "queue: value_size 0", BpfMapType.Queue, 0, 0, 1, 0, 0, EINVAL },
        { "queue: max_entries 0", BpfMapType.Queue, 0, 4, 0, 0, 0, EINVAL },
        { "queue: BPF_F_NO_PREALLOC", BpfMapType.Queue, 0, 4, 1, BPF_F_NO_PREALLOC, 0, EINVAL },
        { "queue: value_size KMALLOC_MAX_SIZE", BpfMapType.Queue, 0, 4 << 20, 1, 0, 0, OK },
        { "queue: value_size KMALLOC_MAX_SIZE + 1", BpfMapType.Queue, 0, (4 << 20) + 1, 1, 0, 0, E2BIG },
        { "queue: value_size INT_MAX + 1", BpfMapType.Queue, 0, 0x8000_0000, 1, 0, 0, E2BIG },
        { "stack: BPF_F_ZERO_SEED", BpfMapType.Stack, 0, 4, 1, BPF_F_ZERO_SEED, 0, EINVAL },
        { "stack: RDONLY_PROG|WRONLY_PROG", BpfMapType.Stack, 0, 4, 1, BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG, 0, EINVAL },
        { "stack: RDONLY, NUMA node", BpfMapType.Stack, 0, 4, 1, BPF_F_RDONLY | BPF_F_NUMA_NODE, 0, OK },
    };

    [Theory]
    [MemberData(nameof(CreateCases))]
    public void Create_follows_the_kernel(string name, BpfMapType type, uint keySize, uint valueSize, uint maxEntries, uint flags, ulong extra, int expected)
    {
        _ = name;
        using var host = new MapTestHost();
        int rc = host.Create(new MapAttributes { Type = type, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries, Flags = flags, MapExtra = extra }, out _);
        Assert.Equal(Errno.Name(expected), Errno.Name(rc));
    }

    [Fact]
    public void Queue_is_first_in_first_out_through_the_bpf_commands()
    {
        using var host = new MapTestHost();
        Map map = host.CreateOk(BpfMapType.Queue, 0, 4, 2);
        var out4 = Bytes.U32(0xdeadbeef);

        Assert.Equal(-Errno.ENOENT, map.Lookup(null, out4));
        Assert.Equal(0xdeadbeefu, Bytes.ReadU32(out4)); // an empty peek leaves the buffer alone
        Assert.Equal(0, map.Update(null, Bytes.U32(1)));
        Assert.Equal(0, map.Update(null, Bytes.U32(2)));
        Assert.Equal(E2BIG, map.Update(null, Bytes.U32(3)));
        Assert.Equal(0, map.Lookup(null, out4));
        Assert.Equal(1u, Bytes.ReadU32(out4));
        Assert.Equal(0, map.LookupAndDelete(null, out4));
        Assert.Equal(1u, Bytes.ReadU32(out4));
        Assert.Equal(0, map.LookupAndDelete(null, out4));
        Assert.Equal(2u, Bytes.ReadU32(out4));
        out4 = Bytes.U32(55);
        Assert.Equal(-Errno.ENOENT, map.LookupAndDelete(null, out4));
        Assert.Equal(55u, Bytes.ReadU32(out4));
    }

    // Live kernel 6.18, a queue of 2 holding 1 and 2: BPF_EXIST drops the oldest, so peek then gives 2
    // and the pops 2 then 3. A stack pops 3 then 2: its oldest value went.
    [Theory]
    [InlineData(BpfMapType.Queue, 2u, 3u)]
    [InlineData(BpfMapType.Stack, 3u, 2u)]
    public void A_push_with_BPF_EXIST_to_a_full_map_drops_the_oldest_value(BpfMapType type, uint first, uint second)
    {
        using var host = new MapTestHost();
        Map map = host.CreateOk(type, 0, 4, 2);
        Assert.Equal(0, map.Update(null, Bytes.U32(1)));
        Assert.Equal(0, map.Update(null, Bytes.U32(2)));

        Assert.Equal(0, map.Update(null, Bytes.U32(3), BPF_EXIST));
        var v = new byte[4];
        Assert.Equal(0, map.LookupAndDelete(null, v));
        Assert.Equal(first, Bytes.ReadU32(v));
        Assert.Equal(0, map.LookupAndDelete(null, v));
        Assert.Equal(second, Bytes.ReadU32(v));
        Assert.Equal(-Errno.ENOENT, map.LookupAndDelete(null, v));
    }

    // Live kernel 6.18: flags NOEXIST, NOEXIST|EXIST and F_LOCK on push are EINVAL; a key pointer is
    // EINVAL for lookup, update and lookup-and-delete; lookup-and-delete takes no flags; delete and
    // get_next_key are EINVAL.
    [Theory]
    [InlineData(BpfMapType.Queue)]
    [InlineData(BpfMapType.Stack)]
    public void Errno_rules_follow_the_kernel(BpfMapType type)
    {
        using var host = new MapTestHost();
        Map map = host.CreateOk(type, 0, 4, 2);
        var v = Bytes.U32(7);

        Assert.Equal(EINVAL, map.Update(null, v, BPF_NOEXIST));
        Assert.Equal(EINVAL, map.Update(null, v, BPF_NOEXIST | BPF_EXIST));
        Assert.Equal(EINVAL, map.Update(null, v, BPF_F_LOCK));
        Assert.Equal(EINVAL, map.Update(Bytes.U32(0), v));
        Assert.Equal(0, map.Update(null, v));
        Assert.Equal(EINVAL, map.Lookup(Bytes.U32(0), v));
        Assert.Equal(EINVAL, map.LookupAndDelete(Bytes.U32(0), v));
        Assert.Equal(EINVAL, map.LookupAndDelete(null, v, BPF_F_LOCK));
        Assert.Equal(EINVAL, map.LookupAndDelete(null, v, 1));
        Assert.Equal(EINVAL, map.Delete(null));
        Assert.Equal(EINVAL, map.NextKey(null, new byte[4]));
        Assert.Equal(0, map.ProgLookup(Bytes.U32(0)));
    }

    [Fact]
    public void Program_pop_and_peek_of_an_empty_map_zero_the_value()
    {
        using var host = new MapTestHost();
        Map map = host.CreateOk(BpfMapType.Stack, 0, 8, 2);
        var v = Bytes.Filled(8, 0xff);

        Assert.Equal(-Errno.ENOENT, map.Peek(v));
        Assert.Equal(new byte[8], v);
        v = Bytes.Filled(8, 0xff);
        Assert.Equal(-Errno.ENOENT, map.Pop(v));
        Assert.Equal(new byte[8], v);
        Assert.Equal(0, map.Push(Bytes.U64(9)));
        Assert.Equal(0, map.Peek(v));
        Assert.Equal(9ul, Bytes.ReadU64(v));
        Assert.Equal(1u, ((QueueStackMap)map).Count);
    }

    [Fact]
    public void The_ring_wraps_around_many_times()
    {
        using var host = new MapTestHost();
        Map queue = host.CreateOk(BpfMapType.Queue, 0, 4, 3);
        var v = new byte[4];
        uint expected = 0;
        for (uint i = 0; i < 100; i++)
        {
            Assert.Equal(0, queue.Push(Bytes.U32(i)));
            if (i % 2 == 1)
            {
                Assert.Equal(0, queue.Pop(v));
                Assert.Equal(expected++, Bytes.ReadU32(v));
            }
            if (((QueueStackMap)queue).Count == 3)
            {
                Assert.Equal(0, queue.Pop(v));
                Assert.Equal(expected++, Bytes.ReadU32(v));
            }
        }
    }

    [Theory]
    [InlineData(BpfMapType.Queue)]
    [InlineData(BpfMapType.Stack)]
    public void Concurrent_pushes_and_pops_lose_and_duplicate_nothing(BpfMapType type)
    {
        const int producers = 2, perProducer = 3000;
        using var host = new MapTestHost();
        Map map = host.CreateOk(type, 0, 8, 64);
        var seen = new int[producers * perProducer];
        int popped = 0;

        var consumers = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            var v = new byte[8];
            while (Volatile.Read(ref popped) < seen.Length)
            {
                if (map.Pop(v) == 0)
                {
                    Interlocked.Increment(ref seen[Bytes.ReadU64(v)]);
                    Interlocked.Increment(ref popped);
                }
                else Thread.Yield();
            }
        })).ToList();
        consumers.ForEach(t => t.Start());
        Parallel.For(0, producers, p =>
        {
            for (int i = 0; i < perProducer; i++)
                while (map.Push(Bytes.U64((ulong)(p * perProducer + i))) == E2BIG) Thread.Yield();
        });
        consumers.ForEach(t => t.Join());

        Assert.All(seen, count => Assert.Equal(1, count));
    }
}
