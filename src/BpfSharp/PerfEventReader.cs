using System.Buffers.Binary;
using BpfSharp.Maps;
using BpfSharp.Maps.RingBuf;
using BpfSharp.Uapi;

namespace BpfSharp;

/// <summary>A record read by a <see cref="PerfEventReader"/>: a sample's raw data, or a count of lost samples. Reused from read to read.</summary>
public sealed class PerfEventRecord
{
    private byte[] _buffer = new byte[256];
    private int _rawOffset, _rawLength;

    /// <summary>The CPU whose buffer the record came from.</summary>
    public int Cpu { get; private set; }

    /// <summary>The sample's raw data (the kernel's padded raw size: a multiple of 8 less 4); empty for a lost-samples record.</summary>
    public ReadOnlySpan<byte> RawSample => _buffer.AsSpan(_rawOffset, _rawLength);

    /// <summary>Samples lost before this point (a PERF_RECORD_LOST); 0 for a sample.</summary>
    public ulong LostSamples { get; private set; }

    internal ref byte[] Buffer => ref _buffer;

    internal void Set(int cpu, int length)
    {
        Cpu = cpu;
        uint type = BinaryPrimitives.ReadUInt32LittleEndian(_buffer);
        if (type == PerfEventBuffer.PERF_RECORD_LOST)
        {
            LostSamples = BinaryPrimitives.ReadUInt64LittleEndian(_buffer.AsSpan(16));
            _rawOffset = _rawLength = 0;
            return;
        }
        LostSamples = 0;
        _rawOffset = 12;
        _rawLength = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(8)), (uint)(length - 12));
    }
}

/// <summary>
/// Reads the samples programs write with bpf_perf_event_output into a PERF_EVENT_ARRAY, in the style of cilium/ebpf's
/// <c>perf.Reader</c>: opens one <see cref="PerfEventBuffer"/> per possible CPU (<see cref="BpfSystem.PerfEventOpen"/>),
/// stores their fds in the array, and reads records from all of them, lost-sample counts included.
/// </summary>
/// <remarks>
/// Records of one CPU arrive in order; across CPUs there is no order. Reads are for one thread at a time;
/// <see cref="Dispose"/> may come from any thread, wakes a blocked read (which returns false), empties the slots the
/// reader filled and closes its buffers.
/// </remarks>
public sealed class PerfEventReader : IDisposable
{
    private readonly BpfMap _array;
    private readonly List<(int Fd, PerfEventBuffer Buffer)> _buffers = [];
    private readonly RingBufSignal _signal = new();
    private int _next, _closed, _active, _released;

    /// <summary>A reader of <paramref name="array"/> with a buffer of <paramref name="perCpuSize"/> bytes per CPU.</summary>
    /// <exception cref="BpfException">The map is not a PERF_EVENT_ARRAY, or a slot could not be set.</exception>
    public PerfEventReader(BpfMap array, uint perCpuSize = 8 * 4096)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Type != BpfMapType.PerfEventArray)
            throw new BpfException(-Errno.EINVAL, "perf event reader", $"{array} is not a BPF_MAP_TYPE_PERF_EVENT_ARRAY map");
        _array = array;
        BpfSystem system = array.System;
        try
        {
            int cpus = (int)Math.Min((uint)system.PossibleCpus, array.MaxEntries);
            Span<byte> key = stackalloc byte[4], value = stackalloc byte[4];
            for (int cpu = 0; cpu < cpus; cpu++)
            {
                int fd = system.PerfEventOpen(cpu, perCpuSize);
                if (fd < 0) throw new BpfException(fd, "perf_event_open");
                PerfEventBuffer buffer = system.GetPerfEvent(fd)!;
                _buffers.Add((fd, buffer));
                buffer.WaitQueue.Subscribe(_signal);
                BinaryPrimitives.WriteUInt32LittleEndian(key, (uint)cpu);
                BinaryPrimitives.WriteInt32LittleEndian(value, fd);
                array.Update(key, value);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Samples lost over all buffers since the reader opened them.</summary>
    public long LostSamples
    {
        get
        {
            long sum = 0;
            foreach (var (_, buffer) in _buffers) sum += buffer.LostSamples;
            return sum;
        }
    }

    /// <summary>Sets <paramref name="record"/> to the next record of any CPU ready now: false if none (or closed).</summary>
    public bool TryRead(PerfEventRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Interlocked.Increment(ref _active);
        try
        {
            return Volatile.Read(ref _closed) == 0 && TryTakeAny(record);
        }
        finally
        {
            if (Interlocked.Decrement(ref _active) == 0 && Volatile.Read(ref _closed) != 0) ReleaseBuffers();
        }
    }

    private bool TryTakeAny(PerfEventRecord record)
    {
        int count = _buffers.Count;
        for (int i = 0; i < count; i++)
        {
            int index = (_next + i) % count;
            PerfEventBuffer buffer = _buffers[index].Buffer;
            if (buffer.TryTake(ref record.Buffer, out int length))
            {
                record.Set(buffer.Cpu, length);
                _next = (index + 1) % count;
                return true;
            }
        }
        return false;
    }

    /// <summary>Waits for the next record (cilium/ebpf: Reader.ReadInto): false once the reader is closed.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public bool Read(PerfEventRecord record, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryRead(record)) return true;
            _signal.Reset();
            if (TryRead(record)) return true;
            if (Volatile.Read(ref _closed) != 0) return false;
            _signal.Wait(Timeout.Infinite, cancellationToken);
        }
    }

    /// <summary>As <see cref="Read"/>, waiting asynchronously.</summary>
    public async ValueTask<bool> ReadAsync(PerfEventRecord record, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryRead(record)) return true;
            _signal.Reset();
            if (TryRead(record)) return true;
            if (Volatile.Read(ref _closed) != 0) return false;
            await _signal.WaitAsync(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Closes the reader: wakes a blocked read, empties the slots it set, closes its buffers.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        _signal.Close();
        Span<byte> key = stackalloc byte[4];
        for (int cpu = 0; cpu < _buffers.Count; cpu++)
        {
            var (fd, buffer) = _buffers[cpu];
            BinaryPrimitives.WriteUInt32LittleEndian(key, (uint)cpu);
            try
            {
                _array.Delete(key);
            }
            catch (BpfException)
            {
                // the slot was emptied or replaced meanwhile, or the map fd is closed
            }
            catch (ObjectDisposedException)
            {
            }
            buffer.WaitQueue.Unsubscribe(_signal);
            _array.System.Close(fd);
        }
        if (Volatile.Read(ref _active) == 0) ReleaseBuffers();
    }

    // The buffers' memory goes once no read is using it.
    private void ReleaseBuffers()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        foreach (var (_, buffer) in _buffers) buffer.Release();
    }
}
