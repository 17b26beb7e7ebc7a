using System.Buffers.Binary;
using BpfSharp.Isa;
using BpfSharp.Maps.RingBuf;
using BpfSharp.Memory;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Api;

/// <summary>
/// RingBufReader over maps of a BpfSystem: callbacks (Consume, Poll), Read into a reusable record, async reads, several
/// rings, one consumer per ring, a close that wakes a blocked reader while producers keep producing; and programs
/// producing through the helpers (checked and unchecked), a clang-built XDP object loaded with Collection.Load.
/// </summary>
public class RingBufReaderTests
{
    private static RingBufMap Ring(BpfMap map)
    {
        Assert.Equal(0, map.System.GetObject(map.Fd, out BpfObject? obj));
        obj!.Release(); // the fd keeps it alive for the test
        return (RingBufMap)obj;
    }

    private static BpfMap NewRing(BpfSystem system, uint size = 4096) => BpfMap.Create(system, BpfMapType.Ringbuf, 0, 0, size);

    [Fact]
    public unsafe void Consume_hands_each_record_to_the_callback_in_order()
    {
        using var system = new BpfSystem();
        using BpfMap map = NewRing(system);
        var seen = new List<byte[]>();
        using var reader = new RingBufReader(map, r => seen.Add(r.ToArray()));
        RingBufMap ring = Ring(map);
        ring.Output([1]);
        ring.Output([2, 2]);
        byte* d = ring.Reserve(3);
        ring.Discard(d);
        ring.Output([3, 3, 3]);
        Assert.Equal(3, reader.Consume());
        Assert.Equal([[1], [2, 2], [3, 3, 3]], seen);
        Assert.Equal(0, reader.Consume());
        Assert.Equal(0ul, reader.AvailableBytes);
    }

    [Fact]
    public void Poll_returns_zero_on_timeout_and_the_records_once_a_producer_commits()
    {
        using var system = new BpfSystem();
        using BpfMap map = NewRing(system);
        int count = 0;
        using var reader = new RingBufReader(map, _ => count++);
        Assert.Equal(0, reader.Poll(TimeSpan.FromMilliseconds(1)));
        var producer = new Thread(() => Ring(map).Output([9]));
        producer.Start();
        int n = 0;
        while (n == 0) n = reader.Poll(Timeout.InfiniteTimeSpan); // woken by the commit: it is the record the reader waits at
        producer.Join();
        Assert.Equal(1, n);
        Assert.Equal(1, count);
    }

    [Fact]
    public void Read_keeps_the_record_in_place_until_the_next_read()
    {
        using var system = new BpfSystem();
        using BpfMap map = NewRing(system);
        using var reader = new RingBufReader(map);
        RingBufMap ring = Ring(map);
        ring.Output([1, 2, 3]);
        ring.Output([4]);
        var record = new RingBufRecord();
        Assert.True(reader.TryRead(record));
        Assert.Equal([1, 2, 3], record.Data.ToArray());
        Assert.Equal(0ul, ring.ConsumerPosition); // the record's space is still the reader's
        Assert.True(reader.TryRead(record));
        Assert.Equal([4], record.Data.ToArray());
        Assert.Equal(16ul, ring.ConsumerPosition);
        Assert.False(reader.TryRead(record));
        Assert.Equal(32ul, ring.ConsumerPosition);
    }

    [Fact]
    public void Several_rings_are_read_in_turn()
    {
        using var system = new BpfSystem();
        using BpfMap a = NewRing(system), b = NewRing(system);
        using var reader = new RingBufReader(a);
        reader.Add(b);
        for (int i = 0; i < 3; i++)
        {
            Ring(a).Output([(byte)i]);
            Ring(b).Output([(byte)(10 + i)]);
        }
        var record = new RingBufRecord();
        var seen = new List<(int, byte)>();
        while (reader.TryRead(record)) seen.Add((record.Ring, record.Data[0]));
        Assert.Equal([(0, 0), (1, 10), (0, 1), (1, 11), (0, 2), (1, 12)], seen);
    }

    [Fact]
    public void A_ring_has_one_consumer_and_a_reader_wants_a_ring()
    {
        using var system = new BpfSystem();
        using BpfMap ringMap = NewRing(system);
        using BpfMap array = BpfMap.Create(system, BpfMapType.Array, 4, 8, 1);
        var first = new RingBufReader(ringMap);
        Assert.Equal(Errno.EBUSY, Assert.Throws<BpfException>(() => new RingBufReader(ringMap)).Errno);
        Assert.Equal(Errno.EINVAL, Assert.Throws<BpfException>(() => new RingBufReader(array)).Errno);
        first.Dispose();
        using var second = new RingBufReader(ringMap); // the slot is free again
    }

    [Fact]
    public async Task ReadAllAsync_yields_every_record_and_ends_when_the_reader_closes()
    {
        using var system = new BpfSystem();
        using BpfMap map = NewRing(system, 16 * 4096);
        var reader = new RingBufReader(map);
        const int records = 5000;
        var producer = new Thread(() =>
        {
            Span<byte> data = stackalloc byte[4];
            for (int i = 0; i < records; i++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(data, i);
                while (Ring(map).Output(data) != 0) Thread.Yield();
            }
        });
        producer.Start();
        int expected = 0;
        await foreach (RingBufRecord r in reader.ReadAllAsync())
        {
            Assert.Equal(expected++, BinaryPrimitives.ReadInt32LittleEndian(r.Data));
            if (expected == records) reader.Dispose(); // the loop ends at the next read
        }
        producer.Join();
        Assert.Equal(records, expected);
    }

    [Fact]
    public async Task ReadAsync_is_cancelled_by_its_token()
    {
        using var system = new BpfSystem();
        using BpfMap map = NewRing(system);
        using var reader = new RingBufReader(map);
        using var cts = new CancellationTokenSource();
        ValueTask<bool> read = reader.ReadAsync(new RingBufRecord(), cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await read);
    }

    [Fact]
    public void Closing_wakes_a_blocked_reader_while_producers_keep_producing()
    {
        using var system = new BpfSystem();
        using BpfMap map = NewRing(system);
        var reader = new RingBufReader(map);
        RingBufMap ring = Ring(map);
        bool? readResult = null;
        int stop = 0;
        var blocked = new Thread(() =>
        {
            var record = new RingBufRecord();
            while (reader.Read(record)) { } // consumes until closed
            readResult = false;
        });
        var producers = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            while (Volatile.Read(ref stop) == 0) ring.Output([1, 2, 3, 4, 5, 6, 7, 8]); // EAGAIN once nobody consumes
        })).ToList();
        blocked.Start();
        producers.ForEach(p => p.Start());
        while (ring.ConsumerPosition < 64 * 1024) Thread.Yield(); // the reader is consuming
        reader.Dispose();
        blocked.Join();
        Volatile.Write(ref stop, 1);
        producers.ForEach(p => p.Join());
        Assert.False(readResult);
        Assert.Throws<ObjectDisposedException>(() => reader.Poll(TimeSpan.Zero));
        // The ring is intact: a new reader sees whole records only.
        int seen = 0;
        using var next = new RingBufReader(map, r => { Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], r.ToArray()); seen++; });
        next.Consume();
        Assert.Equal(ring.ProducerPosition, ring.ConsumerPosition);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_program_produces_records_through_the_helpers(bool verify)
    {
        using var system = new BpfSystem(new BpfSystemOptions { Verify = verify });
        using BpfMap map = NewRing(system);
        using var program = LoadKernelDifferentialProgram(system, map);
        var seen = new List<byte[]>();
        using var reader = new RingBufReader(map, r => seen.Add(r.ToArray()));
        BpfProgramRunResult result = program.TestRun(new byte[64]);
        Assert.Equal((72u << 16) | 72u, result.Retval); // AVAIL_DATA << 16 | PROD_POS: 16 + 24 (discarded) + 32
        Assert.Equal(2, reader.Consume());
        Assert.Equal(BitConverter.GetBytes(0x1122334455667788ul), seen[0]);
        Assert.Equal(20, seen[1].Length);
        Assert.Equal(42ul, BinaryPrimitives.ReadUInt64LittleEndian(seen[1]));
        Assert.Equal(0ul, BinaryPrimitives.ReadUInt64LittleEndian(seen[1].AsSpan(8))); // output's return value
    }

    [Fact]
    public void Checked_mode_refuses_to_submit_what_was_not_reserved()
    {
        using var system = new BpfSystem(new BpfSystemOptions { Verify = false });
        using BpfMap map = NewRing(system);
        Instruction[] insns = Assembler.Assemble("""
            r1 = r10
            r1 += -8
            r2 = 0
            call bpf_ringbuf_submit
            r0 = 0
            exit
            """);
        using BpfProgram program = BpfProgram.Load(system, BpfProgType.SocketFilter, insns, "GPL");
        Assert.ThrowsAny<Exception>(() => program.TestRun(new byte[64]));
    }

    [Fact]
    public void A_clang_built_xdp_object_fills_the_ring_and_the_perf_buffers()
    {
        using var system = new BpfSystem();
        using Collection c = Collection.Load(Elf.ObjectReaderTests.Spec("elf_ringbuf.o"), system);
        BpfMap events = c.Maps["events"], perf = c.Maps["perf_events"];
        Assert.Equal((uint)system.PossibleCpus, perf.MaxEntries); // libbpf's default: one slot per possible CPU
        var seen = new List<byte[]>();
        using var reader = new RingBufReader(events, r => seen.Add(r.ToArray()));
        using var perfReader = new PerfEventReader(perf);
        byte[] frame = Enumerable.Range(0, 60).Select(i => (byte)i).ToArray();
        Assert.Equal(2u, c.Programs["xdp_events"].TestRun(frame).Retval); // XDP_PASS
        Assert.Equal(2u, c.Programs["xdp_events"].TestRun(frame.AsSpan(0, 14)).Retval); // too short: discarded
        Assert.Equal(2u, c.Programs["xdp_events"].TestRun(frame.AsSpan(0, 20)).Retval);
        Assert.Equal(4, reader.Consume());
        // struct event { u32 len; u32 seq; u8 head[16]; }, then the 8-byte bpf_ringbuf_query(AVAIL_DATA) summary.
        Assert.Equal(24, seen[0].Length);
        Assert.Equal(60u, BinaryPrimitives.ReadUInt32LittleEndian(seen[0]));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(seen[0].AsSpan(4)));
        Assert.Equal(frame[..16], seen[0][8..]);
        Assert.Equal(32ul, BinaryPrimitives.ReadUInt64LittleEndian(seen[1])); // the event record: 8 + 24
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(seen[2].AsSpan(4))); // seq 1 was the discarded frame
        var record = new PerfEventRecord();
        var samples = new List<byte[]>();
        while (perfReader.TryRead(record)) samples.Add(record.RawSample.ToArray());
        Assert.Equal(2, samples.Count);
        Assert.Equal(28, samples[0].Length); // 24 bytes padded: the u32 size and the data end on 8 bytes
        Assert.Equal(seen[0], samples[0][..24]);
        Assert.Equal(0L, perfReader.LostSamples);
    }

    internal static BpfProgram LoadKernelDifferentialProgram(BpfSystem system, BpfMap map)
    {
        string text = Kernel.RingBufKernelDifferentialTests.Program;
        Instruction[] insns = Assembler.Assemble(text);
        for (int i = 0; i < insns.Length; i++) // map[idx:0] -> the map's fd
        {
            Instruction x = insns[i];
            if (x.Src == Opcodes.BPF_PSEUDO_MAP_IDX && x.Opcode == (Opcodes.BPF_LD | Opcodes.BPF_IMM | Opcodes.BPF_DW))
                insns[i] = new Instruction(x.Opcode, x.Dst, Opcodes.BPF_PSEUDO_MAP_FD, x.Offset, map.Fd);
        }
        return BpfProgram.Load(system, BpfProgType.SocketFilter, insns, "GPL");
    }
}
