using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using BpfSharp.Maps;
using BpfSharp.Maps.RingBuf;
using BpfSharp.Memory;
using BpfSharp.Uapi;

namespace BpfSharp.Bench;

/// <summary>
/// Ring buffer throughput: 1 and 2 producer threads and one consumer thread, 16- and 512-byte records, through
/// reserve + write + submit and through output (copy in), against the same work through a bounded
/// System.Threading.Channels channel of pooled arrays. The consumer is the reader's core (RingBufConsumer, woken by the
/// self-pacing notifications through a RingBufSignal), reading every byte of each record.
/// </summary>
internal static unsafe class RingBufBench
{
    /// <summary>Arguments: [records per configuration] [runs].</summary>
    public static void Run(string[] args)
    {
        int records = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 4_000_000;
        int runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        Console.WriteLine($"ringbuf: best of {runs} runs of {records:N0} records (512-byte: a quarter of that), 1 MiB ring, one consumer thread, {Environment.ProcessorCount} cores");
        Console.WriteLine($"{"",-28} {"records/s",14} {"MB/s",10}");
        foreach (int size in new[] { 16, 512 })
        foreach (int producers in new[] { 1, 2 })
        {
            int n = size == 16 ? records : records / 4;
            Report($"reserve/submit {size,3} B x{producers}", n, size, runs, () => RingRun(n, size, producers, output: false));
            Report($"output         {size,3} B x{producers}", n, size, runs, () => RingRun(n, size, producers, output: true));
            Report($"channel        {size,3} B x{producers}", n, size, runs, () => ChannelRun(n, size, producers));
        }
    }

    private static void Report(string name, int n, int size, int runs, Func<TimeSpan> run)
    {
        TimeSpan best = TimeSpan.MaxValue;
        for (int i = 0; i < runs; i++)
        {
            TimeSpan t = run();
            if (t < best) best = t;
        }
        double perSecond = n / best.TotalSeconds;
        Console.WriteLine($"{name,-28} {perSecond,14:N0} {perSecond * size / 1e6,10:N0}");
    }

    private static TimeSpan RingRun(int n, int size, int producers, bool output)
    {
        var epochs = new EpochManager();
        var context = new MapContext(epochs, Environment.ProcessorCount);
        MapFactory.Create(new MapAttributes { Type = BpfMapType.Ringbuf, MaxEntries = 1 << 20 }, context, out Map? map);
        var ring = (RingBufMap)map!;
        var signal = new RingBufSignal();
        ring.WaitQueue.Subscribe(signal);
        var consumer = new RingBufConsumer(ring);
        long checksum = 0;
        var consumerThread = new Thread(() =>
        {
            int seen = 0;
            while (seen < n)
            {
                if (consumer.TryNext(out byte* s, out int length))
                {
                    checksum += s[0] + s[length - 1];
                    seen++;
                    continue;
                }
                signal.Reset();
                if (consumer.TryNext(out s, out length))
                {
                    checksum += s[0] + s[length - 1];
                    seen++;
                    continue;
                }
                signal.Wait(Timeout.Infinite, default);
            }
            consumer.Release();
        });
        var threads = Enumerable.Range(0, producers).Select(p => new Thread(() =>
        {
            byte[] source = new byte[size];
            source.AsSpan().Fill((byte)(p + 1));
            int mine = n / producers + (p < n % producers ? 1 : 0);
            var spin = new SpinWait();
            for (int i = 0; i < mine; i++)
            {
                if (output)
                {
                    while (ring.Output(source) != 0) spin.SpinOnce(-1);
                    continue;
                }
                byte* r;
                while ((r = ring.Reserve((ulong)size)) == null) spin.SpinOnce(-1);
                new Span<byte>(r, size).Fill((byte)(p + 1));
                ring.Submit(r);
            }
        })).ToList();
        var clock = Stopwatch.StartNew();
        consumerThread.Start();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        consumerThread.Join();
        clock.Stop();
        GC.KeepAlive(checksum);
        ring.Release();
        epochs.Dispose();
        return clock.Elapsed;
    }

    private static TimeSpan ChannelRun(int n, int size, int producers)
    {
        var channel = Channel.CreateBounded<byte[]>(new BoundedChannelOptions((1 << 20) / (size + 8))
        {
            SingleReader = true, SingleWriter = producers == 1, FullMode = BoundedChannelFullMode.Wait,
        });
        long checksum = 0;
        var consumerThread = new Thread(() =>
        {
            ChannelReader<byte[]> reader = channel.Reader;
            int seen = 0;
            while (seen < n)
            {
                while (reader.TryRead(out byte[]? item))
                {
                    checksum += item[0] + item[size - 1];
                    ArrayPool<byte>.Shared.Return(item);
                    seen++;
                }
                if (seen < n) reader.WaitToReadAsync().AsTask().Wait();
            }
        });
        var threads = Enumerable.Range(0, producers).Select(p => new Thread(() =>
        {
            ChannelWriter<byte[]> writer = channel.Writer;
            int mine = n / producers + (p < n % producers ? 1 : 0);
            for (int i = 0; i < mine; i++)
            {
                byte[] item = ArrayPool<byte>.Shared.Rent(size);
                item.AsSpan(0, size).Fill((byte)(p + 1));
                while (!writer.TryWrite(item)) writer.WaitToWriteAsync().AsTask().Wait();
            }
        })).ToList();
        var clock = Stopwatch.StartNew();
        consumerThread.Start();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        consumerThread.Join();
        clock.Stop();
        GC.KeepAlive(checksum);
        return clock.Elapsed;
    }
}
