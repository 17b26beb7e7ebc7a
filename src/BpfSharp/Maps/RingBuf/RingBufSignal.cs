namespace BpfSharp.Maps.RingBuf;

/// <summary>
/// A reader's wakeup flag (the epoll instance a libbpf ring_buffer waits on): coalescing, so a burst of wakeups
/// costs one release; waited on synchronously or asynchronously. The reader clears it with <see cref="Reset"/>
/// before its last look at the rings and then waits, so a wakeup between the two is never lost.
/// </summary>
public sealed class RingBufSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, int.MaxValue);
    private int _pending;

    /// <summary>Sets the signal; a waiter returns.</summary>
    public void Set()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0)
            _semaphore.Release();
    }

    /// <summary>Releases every present and future wait at once (the reader is closing).</summary>
    public void Close() => _semaphore.Release(int.MaxValue / 2);

    /// <summary>Clears the signal (a full barrier: the reader's next look at the rings comes after it).</summary>
    public void Reset() => Interlocked.Exchange(ref _pending, 0);

    /// <summary>Waits until set, up to <paramref name="millisecondsTimeout"/> (-1 = no limit): false on timeout.</summary>
    public bool Wait(int millisecondsTimeout, CancellationToken cancellationToken) =>
        _semaphore.Wait(millisecondsTimeout, cancellationToken);

    /// <summary>Waits asynchronously until set: false on timeout.</summary>
    public Task<bool> WaitAsync(int millisecondsTimeout, CancellationToken cancellationToken) =>
        _semaphore.WaitAsync(millisecondsTimeout, cancellationToken);
}
