namespace BpfSharp.Maps.RingBuf;

/// <summary>
/// Who is told that a ring buffer has new data (kernel: <c>rb->waitq</c>, woken through <c>rb->work</c>): the
/// signals of the readers consuming the ring. A wakeup sets every subscribed signal; readers that poll several
/// rings subscribe one signal to each, as epoll does.
/// </summary>
public sealed class RingBufWaitQueue
{
    private readonly object _lock = new();
    private RingBufSignal[] _signals = [];
    private long _wakeups;

    /// <summary>How many wakeups commits have sent so far (a counter for tests and statistics).</summary>
    public long Wakeups => Interlocked.Read(ref _wakeups);

    /// <summary>Wakes every subscribed reader (kernel: bpf_ringbuf_notify -> wake_up_all).</summary>
    public void Wake()
    {
        Interlocked.Increment(ref _wakeups);
        RingBufSignal[] signals = Volatile.Read(ref _signals);
        for (int i = 0; i < signals.Length; i++)
            signals[i].Set();
    }

    /// <summary>Adds <paramref name="signal"/> to the readers woken by this ring.</summary>
    public void Subscribe(RingBufSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        lock (_lock)
            _signals = [.. _signals, signal];
    }

    /// <summary>Removes <paramref name="signal"/>.</summary>
    public void Unsubscribe(RingBufSignal signal)
    {
        lock (_lock)
        {
            int i = Array.IndexOf(_signals, signal);
            if (i < 0) return;
            var next = new RingBufSignal[_signals.Length - 1];
            Array.Copy(_signals, 0, next, 0, i);
            Array.Copy(_signals, i + 1, next, i, next.Length - i);
            _signals = next;
        }
    }
}
