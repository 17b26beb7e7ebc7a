namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// Where bpf_trace_printk writes (the kernel's trace_pipe): a bounded, thread-safe queue of
/// <see cref="TraceRecord"/>s that any number of runs write and the host reads. When full, the oldest record
/// is dropped (the kernel's ring buffer overwrites), counted in <see cref="Dropped"/>.
/// </summary>
public sealed class TracePipe
{
    private readonly Queue<TraceRecord> _records = new();
    private readonly object _lock = new();
    private long _dropped;

    /// <summary>Creates a pipe holding at most <paramref name="capacity"/> unread records.</summary>
    public TracePipe(int capacity = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>Unread records the pipe holds at most.</summary>
    public int Capacity { get; }

    /// <summary>Number of unread records.</summary>
    public int Count
    {
        get { lock (_lock) return _records.Count; }
    }

    /// <summary>Records dropped because the pipe was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Appends a record (dropping the oldest if full) and wakes a waiting reader.</summary>
    public void Write(TraceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock)
        {
            if (_records.Count == Capacity)
            {
                _records.Dequeue();
                Interlocked.Increment(ref _dropped);
            }
            _records.Enqueue(record);
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Takes the oldest unread record, if there is one.</summary>
    public bool TryRead([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TraceRecord? record)
    {
        lock (_lock)
            return _records.TryDequeue(out record);
    }

    /// <summary>Takes the oldest unread record, waiting up to <paramref name="timeout"/> for one; null on timeout.</summary>
    public TraceRecord? Read(TimeSpan timeout)
    {
        lock (_lock)
        {
            if (_records.Count == 0)
                Monitor.Wait(_lock, timeout);
            return _records.TryDequeue(out TraceRecord? record) ? record : null;
        }
    }

    /// <summary>Takes every unread record, oldest first.</summary>
    public TraceRecord[] ReadAll()
    {
        lock (_lock)
        {
            TraceRecord[] all = _records.ToArray();
            _records.Clear();
            return all;
        }
    }
}
