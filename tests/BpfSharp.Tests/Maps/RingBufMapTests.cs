using System.Buffers.Binary;
using BpfSharp.Maps;
using BpfSharp.Maps.RingBuf;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// BPF_MAP_TYPE_RINGBUF semantics (kernel/bpf/ringbuf.c): creation checks, the record header, reservation order,
/// discard skipping, wrap-around at every offset (double mapping and the copying fallback), full rings, queries and
/// self-pacing wakeups. Expected errnos were read from the live 6.18 kernel (RingBufKernelDifferentialTests checks
/// them again where bpf() is available).
/// </summary>
public unsafe class RingBufMapTests
{
    private static readonly uint Page = (uint)Environment.SystemPageSize;

    public static TheoryData<uint, uint, uint, uint, int> CreateCases() => new()
    {
        // key, value, max_entries, flags, errno (0 = created)
        { 0, 0, Page, 0, 0 },
        { 0, 0, 2 * Page, 0, 0 },
        { 0, 0, Page, MapFlags.BPF_F_NUMA_NODE, 0 },
        { 4, 0, Page, 0, Errno.EINVAL },
        { 0, 4, Page, 0, Errno.EINVAL },
        { 0, 0, 3 * Page, 0, Errno.EINVAL },   // a page multiple, not a power of 2
        { 0, 0, Page / 2, 0, Errno.EINVAL },   // a power of 2, not a page multiple
        { 0, 0, 0, 0, Errno.EINVAL },
        { 0, 0, Page, MapFlags.BPF_F_RDONLY, Errno.EINVAL },
        { 0, 0, Page, MapFlags.BPF_F_WRONLY, Errno.EINVAL },
        { 0, 0, Page, MapFlags.BPF_F_RDONLY_PROG, Errno.EINVAL },
        { 0, 0, Page, MapFlags.BPF_F_MMAPABLE, Errno.EINVAL },
    };

    [Theory]
    [MemberData(nameof(CreateCases))]
    public void Creation_follows_ringbuf_map_alloc(uint key, uint value, uint maxEntries, uint flags, int errno)
    {
        using var host = new MapTestHost();
        int rc = host.Create(new MapAttributes { Type = BpfMapType.Ringbuf, KeySize = key, ValueSize = value, MaxEntries = maxEntries, Flags = flags }, out Map? map);
        Assert.Equal(-errno, rc);
        if (rc == 0) Assert.IsType<RingBufMap>(map);
    }

    [Fact]
    public void The_data_pages_are_mapped_twice_on_linux()
    {
        using var host = new MapTestHost();
        var ring = Ring(host);
        Assert.Equal(OperatingSystem.IsLinux(), ring.IsDoubleMapped);
        byte* data = (byte*)ring.DataAddress;
        data[5] = 0xAB;
        if (ring.IsDoubleMapped) Assert.Equal(0xAB, data[Page + 5]); // the same page, seen twice
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_record_has_the_kernels_header_and_query_values(bool doubleMap)
    {
        using var host = new MapTestHost();
        RingBufMap ring = Ring(host, doubleMap: doubleMap);
        Assert.Equal(0, ring.Output([1, 2, 3, 4, 5]));
        uint* hdr = (uint*)ring.DataAddress;
        Assert.Equal(5u, hdr[0]);                                  // len, neither busy nor discarded
        Assert.Equal((uint)RingBufArea.MetaPages, hdr[1]);         // pg_off: the first data page, after 3 metadata pages
        Assert.Equal(16ul, ring.Query(RingBufFlags.BPF_RB_PROD_POS)); // 8-byte header + 5 bytes, rounded up to 8
        Assert.Equal(0ul, ring.Query(RingBufFlags.BPF_RB_CONS_POS));
        Assert.Equal(16ul, ring.Query(RingBufFlags.BPF_RB_AVAIL_DATA));
        Assert.Equal((ulong)Page, ring.Query(RingBufFlags.BPF_RB_RING_SIZE));
        Assert.Equal(0ul, ring.Query(4));                          // unknown selector

        byte* busy = ring.Reserve(3);
        Assert.Equal(3u | RingBufRecordHeader.BusyBit, ((uint*)(busy - 8))[0]);
        Assert.Equal(32ul, ring.Query(RingBufFlags.BPF_RB_PROD_POS)); // busy records count as produced
        ring.Discard(busy);
        Assert.Equal(3u | RingBufRecordHeader.DiscardBit, ((uint*)(busy - 8))[0]);

        var consumer = new RingBufConsumer(ring);
        Assert.True(consumer.TryNext(out byte* sample, out int length));
        Assert.Equal([1, 2, 3, 4, 5], new ReadOnlySpan<byte>(sample, length).ToArray());
        Assert.False(consumer.TryNext(out _, out _)); // the discarded record is skipped, its space freed
        Assert.Equal(32ul, ring.Query(RingBufFlags.BPF_RB_CONS_POS));
        Assert.Equal(0ul, ring.Query(RingBufFlags.BPF_RB_AVAIL_DATA));
    }

    [Fact]
    public void Records_become_visible_in_reservation_order_only()
    {
        using var host = new MapTestHost();
        RingBufMap ring = Ring(host);
        var consumer = new RingBufConsumer(ring);
        byte* a = ring.Reserve(8), b = ring.Reserve(8), c = ring.Reserve(8);
        *(ulong*)a = 1; *(ulong*)b = 2; *(ulong*)c = 3;
        ring.Submit(c);
        ring.Submit(b);
        Assert.False(consumer.TryNext(out _, out _)); // a is still busy: nothing after it may be seen
        ring.Submit(a);
        var seen = new List<ulong>();
        while (consumer.TryNext(out byte* s, out _)) seen.Add(*(ulong*)s);
        Assert.Equal([1ul, 2, 3], seen);
    }

    [Fact]
    public void Discarded_records_are_skipped_wherever_they_are()
    {
        using var host = new MapTestHost();
        RingBufMap ring = Ring(host);
        var kept = new List<int>();
        for (int i = 0; i < 40; i++)
        {
            byte* r = ring.Reserve(4);
            *(int*)r = i;
            if (i % 3 == 1) ring.Discard(r);
            else
            {
                ring.Submit(r);
                kept.Add(i);
            }
        }
        Assert.Equal(kept, Drain(new RingBufConsumer(ring)).Select(b => BinaryPrimitives.ReadInt32LittleEndian(b)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_record_is_one_contiguous_span_at_every_offset(bool doubleMap)
    {
        using var host = new MapTestHost();
        RingBufMap ring = Ring(host, doubleMap: doubleMap);
        var consumer = new RingBufConsumer(ring);
        byte* data = (byte*)ring.DataAddress;
        const int size = 100; // spans the end of the ring for every start within 108 bytes of it
        for (uint offset = 0; offset < Page; offset += 8)
        {
            ulong gap = (offset - ring.ProducerPosition) & (Page - 1);
            if (gap != 0)
            {
                byte* filler = ring.Reserve(gap - 8); // moves the producer to the offset
                Assert.True(filler != null);
                ring.Submit(filler);
                Drain(consumer);
            }
            Assert.Equal(offset, (uint)(ring.ProducerPosition & (Page - 1)));
            byte[] payload = Enumerable.Range(0, size).Select(i => (byte)(offset * 7 + i)).ToArray();
            Assert.Equal(0, ring.Output(payload));
            byte[][] records = Drain(consumer);
            Assert.Equal(payload, Assert.Single(records));
            for (int i = 0; i < size; i++) // the same bytes at their place in the ring, wrapped or not
                Assert.Equal(payload[i], data[(offset + 8 + i) & (Page - 1)]);
        }
    }

    [Fact]
    public void A_full_ring_refuses_at_once_and_loses_nothing()
    {
        using var host = new MapTestHost();
        RingBufMap ring = Ring(host);
        uint recordSize = Page / 4 - 8; // a quarter of the ring with its header
        var records = new List<nint>();
        for (int i = 0; i < 3; i++)
        {
            byte* r = ring.Reserve(recordSize);
            Assert.True(r != null);
            new Span<byte>(r, (int)recordSize).Fill((byte)(i + 1));
            records.Add((nint)r);
        }
        // The producer may not get a whole ring ahead of the consumer (the kernel's `> mask` rule).
        Assert.True(ring.Reserve(recordSize) == null);
        Assert.Equal(-Errno.EAGAIN, ring.Output(new byte[recordSize]));
        Assert.True(ring.Reserve(Page) == null);                      // more than the ring
        Assert.True(ring.Reserve(RingBufRecordHeader.MaxRecordSize + 1) == null);
        foreach (nint r in records) ring.Submit((byte*)r);
        var consumer = new RingBufConsumer(ring);
        byte[][] seen = Drain(consumer);
        Assert.Equal(3, seen.Length);
        for (int i = 0; i < 3; i++) Assert.All(seen[i], b => Assert.Equal((byte)(i + 1), b));
        Assert.True(ring.Reserve(recordSize) != null); // consumed: room again
    }

    [Fact]
    public void The_largest_record_leaves_eight_bytes_of_the_ring()
    {
        using var host = new MapTestHost();
        RingBufMap ring = Ring(host);
        Assert.True(ring.Reserve(Page - 8) == null);  // header + data = the whole ring: one byte too many
        byte* r = ring.Reserve(Page - 16);             // header + data = ring - 8
        Assert.True(r != null);
        Assert.True(ring.Reserve(0) == null);          // even an empty record needs its 8-byte header
        ring.Submit(r);
    }

    [Fact]
    public void A_busy_record_bounds_the_ring_even_after_the_consumer_passed_nothing()
    {
        using var host = new MapTestHost();
        RingBufMap ring = Ring(host);
        byte* first = ring.Reserve(8); // stays busy
        uint rest = Page / 2;
        byte* second = ring.Reserve(rest - 8);
        ring.Submit(second);
        Assert.False(new RingBufConsumer(ring).TryNext(out _, out _));
        Assert.True(ring.Reserve(rest - 8) == null); // would reach a whole ring past the oldest busy record
        ring.Submit(first);
    }

    [Fact]
    public void Output_refuses_unknown_flags_and_reserve_any_flags()
    {
        using var host = new MapTestHost();
        RingBufMap ring = Ring(host);
        Assert.Equal(-Errno.EINVAL, ring.Output([1], 4));
        Assert.Equal(0, ring.Output([1], RingBufFlags.BPF_RB_NO_WAKEUP | RingBufFlags.BPF_RB_FORCE_WAKEUP));
    }

    public static TheoryData<ulong, int> WakeupCases() => new()
    {
        // commit flags, wakeups for three records committed while the consumer waits at the first
        { 0, 1 },                                   // only the record the consumer has caught up to
        { RingBufFlags.BPF_RB_NO_WAKEUP, 0 },
        { RingBufFlags.BPF_RB_FORCE_WAKEUP, 3 },
    };

    [Theory]
    [MemberData(nameof(WakeupCases))]
    public void Wakeups_pace_themselves(ulong flags, int wakeups)
    {
        using var host = new MapTestHost();
        RingBufMap ring = Ring(host);
        for (int i = 0; i < 3; i++) Assert.Equal(0, ring.Output([1, 2, 3], flags));
        Assert.Equal(wakeups, ring.WaitQueue.Wakeups);
    }

    [Fact]
    public void A_consumer_that_caught_up_is_woken_by_the_next_commit()
    {
        using var host = new MapTestHost();
        RingBufMap ring = Ring(host);
        var consumer = new RingBufConsumer(ring);
        ring.Output([1]);
        ring.Output([2]);
        Assert.Equal(1, ring.WaitQueue.Wakeups);
        Drain(consumer);
        ring.Output([3]); // the consumer position is this record's: wake
        Assert.Equal(2, ring.WaitQueue.Wakeups);
    }

    public static TheoryData<string, int> UserCommandCases() => new()
    {
        // from the live kernel: a ring buffer has no elements
        { "lookup", Errno.ENOTSUPP },
        { "update", Errno.ENOTSUPP },
        { "delete", Errno.ENOTSUPP },
        { "next", Errno.ENOTSUPP },
        { "lookup_and_delete", Errno.ENOTSUPP },
    };

    [Theory]
    [MemberData(nameof(UserCommandCases))]
    public void Element_commands_are_not_supported(string command, int errno)
    {
        using var host = new MapTestHost();
        RingBufMap ring = Ring(host);
        byte[] buffer = new byte[8];
        int rc = command switch
        {
            "lookup" => ring.Lookup(null, buffer),
            "update" => ring.Update(null, buffer),
            "delete" => ring.Delete(null),
            "next" => ring.NextKey(null, buffer),
            _ => LookupAndDelete(ring, buffer),
        };
        Assert.Equal(-errno, rc);
    }

    [Fact]
    public void Many_producers_one_consumer_each_record_once_in_order()
    {
        using var host = new MapTestHost();
        RingBufMap ring = Ring(host, 16 * Page);
        const int producers = 4, perProducer = 20000;
        var consumer = new RingBufConsumer(ring);
        var next = new int[producers];
        int done = 0, seen = 0;
        var threads = Enumerable.Range(0, producers).Select(p => new Thread(() =>
        {
            for (int seq = 0; seq < perProducer; seq++)
            {
                byte* r;
                while ((r = ring.Reserve(16)) == null) Thread.Yield(); // full: the consumer catches up
                ((int*)r)[0] = p;
                ((int*)r)[1] = seq;
                ((long*)r)[1] = seq % 5 == 4 ? -1 : 0;
                if (seq % 5 == 4) ring.Discard(r); // every fifth is discarded and must never be seen
                else ring.Submit(r);
            }
            Interlocked.Increment(ref done);
        })).ToList();
        threads.ForEach(t => t.Start());
        while (true)
        {
            bool finished = Volatile.Read(ref done) == producers;
            while (consumer.TryNext(out byte* s, out int length))
            {
                Assert.Equal(16, length);
                int p = ((int*)s)[0], seq = ((int*)s)[1];
                Assert.Equal(0L, ((long*)s)[1]);
                Assert.True(seq >= next[p], $"producer {p}: {seq} after {next[p]}"); // each producer's records in its order
                Assert.NotEqual(4, seq % 5);
                next[p] = seq + 1;
                seen++;
            }
            if (finished) break;
            Thread.Yield();
        }
        threads.ForEach(t => t.Join());
        Assert.Equal(producers * perProducer * 4 / 5, seen); // each kept record exactly once
        Assert.Equal(ring.ProducerPosition, ring.ConsumerPosition);
    }

    private static int LookupAndDelete(Map map, byte[] value)
    {
        fixed (byte* v = value) return map.SysLookupAndDelete(null, v, 0);
    }

    internal static RingBufMap Ring(MapTestHost host, uint size = 0, bool doubleMap = true)
    {
        var attributes = new MapAttributes { Type = BpfMapType.Ringbuf, MaxEntries = size == 0 ? Page : size };
        if (doubleMap) return (RingBufMap)host.CreateOk(BpfMapType.Ringbuf, 0, 0, attributes.MaxEntries);
        Assert.Equal(0, RingBufMap.TryCreate(attributes, host.Context, doubleMap: false, out Map? map));
        host.Adopt(map!);
        return (RingBufMap)map!;
    }

    internal static byte[][] Drain(RingBufConsumer consumer)
    {
        var records = new List<byte[]>();
        while (consumer.TryNext(out byte* s, out int length)) records.Add(new ReadOnlySpan<byte>(s, length).ToArray());
        consumer.Release();
        return [.. records];
    }
}
