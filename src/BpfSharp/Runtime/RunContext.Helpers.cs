using BpfSharp.Maps;

namespace BpfSharp.Runtime;

// What the standard helpers need from a run: the maps programs name by handle, the CPU the run is on,
// and the tail-call state the program-run loop works with.
public sealed partial class RunContext
{
    /// <summary>Tail calls one chain may take at most (kernel: MAX_TAIL_CALL_CNT).</summary>
    public const int MaxTailCalls = 33;

    private int _possibleCpus = Environment.ProcessorCount;
    private int _fixedCpu = -1;
    private int _runCpu;
    private bool _tailCallContinues;

    /// <summary>
    /// The maps of the owning system: helpers turn a map pointer argument (a <see cref="Map.Handle"/>)
    /// into the map through it. Null: every map helper faults.
    /// </summary>
    public MapRegistry? Maps { get; set; }

    /// <summary>Number of CPUs per-CPU maps have slots for; <see cref="Cpu"/> is below it. Defaults to the processor count.</summary>
    public int PossibleCpus
    {
        get => _possibleCpus;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _possibleCpus = value;
        }
    }

    /// <summary>
    /// The CPU the run is on (bpf_get_smp_processor_id, per-CPU map slots). Unless the host sets it, each
    /// run takes the calling thread's current processor modulo <see cref="PossibleCpus"/> and keeps it until
    /// it ends (programs do not migrate). Setting it fixes it for every later run; <see cref="UseCurrentProcessor"/>
    /// undoes that.
    /// </summary>
    public int Cpu
    {
        // Inlined into JIT-compiled helper calls: once a run has its CPU, asking again is one field load.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        get => Running && _runCpu >= 0 ? _runCpu : CpuSlow();
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(value, _possibleCpus);
            _fixedCpu = value;
            if (Running) _runCpu = value;
        }
    }

    private int CpuSlow() =>
        Running ? RunCpu() : _fixedCpu >= 0 ? _fixedCpu % _possibleCpus : Thread.GetCurrentProcessorId() % _possibleCpus;

    // The run's CPU, fixed at its first use in the run.
    private int RunCpu()
    {
        if (_runCpu < 0)
            _runCpu = _fixedCpu >= 0 ? _fixedCpu % _possibleCpus : Thread.GetCurrentProcessorId() % _possibleCpus;
        return _runCpu;
    }

    /// <summary>Makes runs take the calling thread's current processor again (the default).</summary>
    public void UseCurrentProcessor() => _fixedCpu = -1;

    /// <summary>True once a helper asked the program to end (<see cref="RequestExit"/>, a tail call).</summary>
    public bool IsExitRequested => ExitRequested;

    /// <summary>
    /// The program a successful bpf_tail_call chose: the current program has ended and this one is to run
    /// next with the same context. Null otherwise. The program-run loop takes it with <see cref="TakeTailCall"/>.
    /// </summary>
    public object? TailCallTarget { get; private set; }

    /// <summary>
    /// Tail calls taken so far in the current chain (bpf_tail_call falls through once it reaches
    /// <see cref="MaxTailCalls"/>). A run resets it to 0 unless it continues a chain (<see cref="TakeTailCall"/>).
    /// </summary>
    public int TailCallCount { get; set; }

    /// <summary>
    /// For bpf_tail_call: records <paramref name="target"/> and ends the current program at once (its r0
    /// does not matter: the chain returns what the target returns). The caller counts the tail call in
    /// <see cref="TailCallCount"/>.
    /// </summary>
    public void RequestTailCall(object target)
    {
        ArgumentNullException.ThrowIfNull(target);
        TailCallTarget = target;
        RequestExit(0);
    }

    /// <summary>
    /// For the program-run loop, after a run returned: the program to run next (and clears it), or null when
    /// the chain is over. The next run on this context then continues the chain: it keeps <see cref="TailCallCount"/>.
    /// <code>ulong r0 = first.Run(ctx); while (ctx.TakeTailCall() is Program next) r0 = next.Run(ctx);</code>
    /// </summary>
    public object? TakeTailCall()
    {
        object? target = TailCallTarget;
        TailCallTarget = null;
        _tailCallContinues = target is not null;
        return target;
    }

    // Checked runs: the bpf_spin_lock the program holds (0: none; the kernel allows one at a time) and
    // the index of the call that took it. Released when the run ends, so a faulting program cannot leave
    // it taken.
    internal ulong HeldSpinLock;
    internal int HeldSpinLockPc;

    private unsafe void ReleaseHeldSpinLock()
    {
        if (HeldSpinLock == 0) return;
        BpfSharp.Maps.SpinLock.Unlock((uint*)HeldSpinLock);
        HeldSpinLock = 0;
    }

    /// <summary>For engines, when a checked run returned: faults (after releasing it) if the program still holds a bpf_spin_lock.</summary>
    internal void CheckNoSpinLockHeld()
    {
        if (HeldSpinLock == 0) return;
        ulong address = HeldSpinLock;
        ReleaseHeldSpinLock();
        throw new BpfRuntimeException(FaultKind.SpinLockHeld, HeldSpinLockPc,
            $"the bpf_spin_lock at 0x{address:x} taken here is still held when the program exits", address);
    }

    private void BeginHelperState()
    {
        HeldSpinLock = 0;
        _runCpu = -1; // taken on first use (RunCpu): most runs never ask, and asking costs a few ns
        if (!_tailCallContinues)
            TailCallCount = 0;
        _tailCallContinues = false;
        TailCallTarget = null;
    }
}
