namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// What the host supplies to the standard helpers (<see cref="StandardHelpers.Register"/>): the clocks, the
/// current task, the trace pipe bpf_trace_printk writes to, the memory the probe-read helpers may read and
/// the seed of bpf_get_prandom_u32. One environment per system (or per simulated process); the helpers
/// registered with it read it on every call, so changes (say a new <see cref="Task"/>) apply to later calls.
/// Thread-safe.
/// </summary>
public sealed class HelperEnvironment
{
    private BpfTask? _task;
    private readonly ThreadLocal<Prandom> _random;
    private int _threads;

    /// <summary>Creates an environment with the host's clock, the calling process as the task, an empty trace pipe and no probe regions.</summary>
    public HelperEnvironment() => _random = new ThreadLocal<Prandom>(NewPrandom);

    /// <summary>The clocks (default: <see cref="HostClock"/>).</summary>
    public IBpfClock Clock { get; init; } = new HostClock();

    /// <summary>The task the task helpers report (default: <see cref="BpfTask.CurrentProcess"/>, read on first use).</summary>
    public BpfTask Task
    {
        get => Volatile.Read(ref _task) ?? InitTask();
        set => Volatile.Write(ref _task, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>Where bpf_trace_printk and bpf_trace_vprintk write.</summary>
    public TracePipe TracePipe { get; init; } = new();

    /// <summary>The memory bpf_probe_read_* may copy from (besides, for kernel reads, what the run may read).</summary>
    public ProbeMemory ProbeMemory { get; init; } = new();

    /// <summary>
    /// Seed of bpf_get_prandom_u32: each thread's generator starts from it and the thread's order of first
    /// use, so a single-threaded sequence is reproducible. Null (default): seeded unpredictably.
    /// </summary>
    public ulong? RandomSeed { get; init; }

    /// <summary>The calling thread's generator for bpf_get_prandom_u32 (the kernel keeps one per CPU).</summary>
    internal Prandom Random => _random.Value!;

    private BpfTask InitTask()
    {
        Interlocked.CompareExchange(ref _task, BpfTask.CurrentProcess(), null);
        return _task!;
    }

    private Prandom NewPrandom()
    {
        int thread = Interlocked.Increment(ref _threads);
        ulong seed = RandomSeed is { } fixedSeed
            ? fixedSeed + (ulong)(thread - 1) * 0x9E37_79B9_7F4A_7C15
            : (ulong)System.Random.Shared.NextInt64() ^ (ulong)Environment.TickCount64;
        return new Prandom(seed);
    }
}
