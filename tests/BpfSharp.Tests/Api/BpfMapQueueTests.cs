using BpfSharp.Uapi;
using static BpfSharp.Tests.Api.ApiKit;

namespace BpfSharp.Tests.Api;

/// <summary>Queue, stack and bloom filter through Push / TryPop / TryPeek / MayContain (element commands without a key).</summary>
public class BpfMapQueueTests
{
    [Theory]
    [InlineData(BpfMapType.Queue, new long[] { 1, 2, 3 })]
    [InlineData(BpfMapType.Stack, new long[] { 3, 2, 1 })]
    public void Pop_order_is_fifo_for_queues_and_lifo_for_stacks(BpfMapType type, long[] expected)
    {
        using BpfSystem system = NewSystem();
        using BpfMap map = BpfMap.Create(system, type, 0, 8, 3);
        map.Push(1L);
        map.Push(2L);
        map.Push(3L);
        Assert.True(map.TryPeek(out long peeked));
        Assert.Equal(expected[0], peeked);

        var popped = new List<long>();
        while (map.TryPop(out long value)) popped.Add(value);
        Assert.Equal(expected, popped);
        Assert.False(map.TryPeek(out long _));
    }

    [Fact]
    public void A_full_queue_is_E2BIG_unless_BPF_EXIST_drops_the_oldest()
    {
        using BpfSystem system = NewSystem();
        using BpfMap map = BpfMap.Create(system, BpfMapType.Queue, 0, 8, 2);
        map.Push(1L);
        map.Push(2L);
        Assert.Equal(Errno.E2BIG, ErrnoOf(() => map.Push(3L)));
        map.Push(3L, MapFlags.BPF_EXIST);
        Assert.True(map.TryPop(out long first));
        Assert.Equal(2L, first);
    }

    [Fact]
    public void Byte_level_push_and_pop()
    {
        using BpfSystem system = NewSystem();
        using BpfMap map = BpfMap.Create(system, BpfMapType.Queue, 0, 4, 2);
        map.Push([1, 2, 3, 4]);
        var value = new byte[4];
        Assert.True(map.TryPop(value));
        Assert.Equal([1, 2, 3, 4], value);
        Assert.False(map.TryPop(value));
        Assert.Throws<ArgumentException>(() => map.Push(5L)); // 8 bytes into a 4-byte queue
    }

    [Fact]
    public void Bloom_filter_never_forgets_a_pushed_value()
    {
        using BpfSystem system = NewSystem();
        using BpfMap bloom = BpfMap.Create(system, new BpfMapSpec(BpfMapType.BloomFilter, 0, 4, 1000) { MapExtra = 3 });
        for (int v = 0; v < 200; v++) bloom.Push(v * 7);
        for (int v = 0; v < 200; v++) Assert.True(bloom.MayContain(v * 7));
        int falsePositives = 0;
        for (int v = 0; v < 200; v++) if (bloom.MayContain(v * 7 + 1)) falsePositives++;
        Assert.True(falsePositives < 100, $"{falsePositives} of 200 absent values reported present");
    }
}
