using System.Runtime.CompilerServices;
using BpfSharp.Maps.RingBuf;
using BpfSharp.Memory;
using BpfSharp.Uapi;

namespace BpfSharp;

/// <summary>Called with each record a <see cref="RingBufReader"/> consumes; the span is the record in place, valid during the call.</summary>
public delegate void RingBufCallback(ReadOnlySpan<byte> record);

/// <summary>
/// The consumer of one or more BPF_MAP_TYPE_RINGBUF maps, in the style of libbpf's <c>ring_buffer</c>
/// (<see cref="Consume"/>, <see cref="Poll"/>: a callback per record) and cilium/ebpf's <c>ringbuf.Reader</c>
/// (<see cref="Read(RingBufRecord, CancellationToken)"/>, <see cref="ReadAsync"/>, <see cref="ReadAllAsync"/>: a
/// reusable record). Records arrive in each ring's reservation order, each once; discarded ones are skipped;
/// nothing is copied.
/// </summary>
/// <remarks>
/// <para>One consumer per ring: a ring already consumed by another reader is refused. Reads are for one thread
/// at a time; <see cref="Dispose"/> may come from any thread and wakes a blocked read, which then returns
/// false (or <see cref="Poll"/> throws <see cref="ObjectDisposedException"/>).</para>
/// <para>The reader waits on the wakeups producers send when they commit a record the consumer has caught up to
/// (the kernel's self-pacing notifications), so an idle reader costs nothing; producers that commit with
/// BPF_RB_NO_WAKEUP are seen at the next wakeup or read.</para>
/// <para>The reader holds a reference to each map: the rings stay valid after their fds are closed, until Dispose.</para>
/// </remarks>
public sealed class RingBufReader : IDisposable
{
    private readonly List<(RingBufConsumer Consumer, RingBufCallback? Callback)> _rings = [];
    private readonly RingBufSignal _signal = new();
    private int _next; // round-robin start for Read
    private int _closed;
    private int _active;
    private int _released;

    /// <summary>A reader of the ring buffer <paramref name="map"/>, calling <paramref name="callback"/> from Consume and Poll.</summary>
    /// <exception cref="BpfException">The map is not a ring buffer (EINVAL) or already has a consumer (EBUSY).</exception>
    public RingBufReader(BpfMap map, RingBufCallback? callback = null) => Add(map, callback);

    /// <summary>Adds another ring buffer (libbpf: ring_buffer__add).</summary>
    /// <exception cref="BpfException">The map is not a ring buffer (EINVAL) or already has a consumer (EBUSY).</exception>
    /// <exception cref="ObjectDisposedException">The reader is closed.</exception>
    public void Add(BpfMap map, RingBufCallback? callback = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _closed) != 0, this);
        int err = map.System.GetObject(map.Fd, out BpfObject? obj);
        if (err < 0) throw new BpfException(err, "ring buffer");
        if (obj is not RingBufMap ring)
        {
            obj?.Release();
            throw new BpfException(-Errno.EINVAL, "ring buffer", $"{map} is not a BPF_MAP_TYPE_RINGBUF map");
        }
        if (!ring.TryAttachConsumer())
        {
            ring.Release();
            throw new BpfException(-Errno.EBUSY, "ring buffer", $"{map} already has a consumer");
        }
        ring.WaitQueue.Subscribe(_signal);
        lock (_rings)
            _rings.Add((new RingBufConsumer(ring), callback));
    }

    /// <summary>Number of rings read.</summary>
    public int RingCount => _rings.Count;

    /// <summary>Bytes produced and not yet consumed, over every ring (busy records included).</summary>
    public ulong AvailableBytes
    {
        get
        {
            ulong sum = 0;
            foreach (var (consumer, _) in _rings) sum += consumer.Ring.AvailableData;
            return sum;
        }
    }

    /// <summary>
    /// libbpf: ring_buffer__consume. Hands every record ready now to its ring's callback, without waiting; returns
    /// how many. An exception from a callback ends the call (that record counts as consumed).
    /// </summary>
    /// <exception cref="InvalidOperationException">A ring was added without a callback.</exception>
    /// <exception cref="ObjectDisposedException">The reader is closed.</exception>
    public int Consume()
    {
        if (!Enter()) throw new ObjectDisposedException(nameof(RingBufReader));
        try
        {
            return ConsumeAll();
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>
    /// libbpf: ring_buffer__poll. Waits up to <paramref name="timeout"/> (infinite: <see cref="Timeout.InfiniteTimeSpan"/>)
    /// for records, then hands every ready record to its callback; returns how many (0 on timeout).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The reader is or gets closed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public int Poll(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        int ms = (int)timeout.TotalMilliseconds;
        while (true)
        {
            if (!Enter()) throw new ObjectDisposedException(nameof(RingBufReader));
            try
            {
                int n = ConsumeAll();
                if (n > 0) return n;
                _signal.Reset(); // then look once more: a commit after this look wakes the wait below
                n = ConsumeAll();
                if (n > 0) return n;
            }
            finally
            {
                Exit();
            }
            if (!_signal.Wait(ms, cancellationToken)) return 0;
            ms = ms < 0 ? ms : 0; // woken: consume what is there, do not wait again
        }
    }

    /// <summary>
    /// cilium/ebpf: Reader.ReadInto. Waits for the next record of any ring and sets <paramref name="record"/> to it
    /// (in place: valid until the next read). False once the reader is closed.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public bool Read(RingBufRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        while (true)
        {
            int ready = TryReadOrArm(record);
            if (ready != 0) return ready > 0;
            _signal.Wait(Timeout.Infinite, cancellationToken);
        }
    }

    /// <summary>Sets <paramref name="record"/> to the next record ready now: false if none is (or the reader is closed).</summary>
    public bool TryRead(RingBufRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!Enter()) return false;
        try
        {
            return TryNextAny(record);
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>As <see cref="Read(RingBufRecord, CancellationToken)"/>, waiting asynchronously.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<bool> ReadAsync(RingBufRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        while (true)
        {
            int ready = TryReadOrArm(record);
            if (ready != 0) return ready > 0;
            await _signal.WaitAsync(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Every record as it arrives, until the reader is closed or <paramref name="cancellationToken"/> is cancelled.
    /// The same <see cref="RingBufRecord"/> is yielded each time: its data is valid until the next iteration.
    /// </summary>
    public async IAsyncEnumerable<RingBufRecord> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var record = new RingBufRecord();
        while (await ReadAsync(record, cancellationToken).ConfigureAwait(false))
            yield return record;
    }

    /// <summary>Closes the reader: a blocked read returns false, a blocked Poll throws; the rings get their consumer slot back.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        _signal.Close();
        if (Volatile.Read(ref _active) == 0) ReleaseRings();
    }

    // 1: a record; -1: closed; 0: none ready, the signal is armed (a commit from now on sets it).
    private int TryReadOrArm(RingBufRecord record)
    {
        if (!Enter()) return -1;
        try
        {
            if (TryNextAny(record)) return 1;
            _signal.Reset(); // a full barrier between publishing the consumer positions and the last look
            return TryNextAny(record) ? 1 : 0;
        }
        finally
        {
            Exit();
        }
    }

    private unsafe bool TryNextAny(RingBufRecord record)
    {
        int count = _rings.Count;
        for (int i = 0; i < count; i++)
        {
            int index = (_next + i) % count;
            if (_rings[index].Consumer.TryNext(out byte* sample, out int length))
            {
                record.Set(sample, length, index);
                _next = (index + 1) % count; // the next read starts at the next ring: no ring starves another
                return true;
            }
        }
        return false;
    }

    private unsafe int ConsumeAll()
    {
        int total = 0;
        foreach (var (consumer, callback) in _rings)
        {
            if (callback is null)
                throw new InvalidOperationException($"ring {consumer.Ring.Id} was added without a callback: use Read");
            while (consumer.TryNext(out byte* sample, out int length))
            {
                total++;
                try
                {
                    callback(new ReadOnlySpan<byte>(sample, length));
                }
                finally
                {
                    consumer.Release();
                }
            }
        }
        return total;
    }

    private bool Enter()
    {
        Interlocked.Increment(ref _active);
        if (Volatile.Read(ref _closed) == 0) return true;
        Exit();
        return false;
    }

    private void Exit()
    {
        if (Interlocked.Decrement(ref _active) == 0 && Volatile.Read(ref _closed) != 0) ReleaseRings();
    }

    private void ReleaseRings()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        lock (_rings)
        {
            foreach (var (consumer, _) in _rings)
            {
                consumer.Release();
                consumer.Ring.WaitQueue.Unsubscribe(_signal);
                consumer.Ring.DetachConsumer();
                consumer.Ring.Release();
            }
        }
    }
}
