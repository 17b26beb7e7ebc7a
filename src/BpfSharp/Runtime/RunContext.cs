using BpfSharp.Memory;

namespace BpfSharp.Runtime;

/// <summary>
/// The inputs of a program run (initial r1-r5, the memory regions it may touch, the packet for
/// legacy packet loads, the maps, the CPU) and, while it runs, the state helpers see. Reusable across
/// runs by one thread; one run at a time: starting a run on a context that is running throws (a helper
/// that needs the program again calls <see cref="InvokeCallback"/>, which is not a new run).
/// </summary>
public sealed partial class RunContext
{
    private MemoryRegion[] _regions = new MemoryRegion[4];
    private int _regionCount;
    private MemoryRegion? _packet;

    // The initial r1-r5 as fields: a leaf JIT-compiled program loads the ones it reads itself (ldfld).
    internal ulong InitialR1, InitialR2, InitialR3, InitialR4, InitialR5;

    /// <summary>Initial value of r1 (by convention the context pointer).</summary>
    public ulong R1 { get => InitialR1; set => InitialR1 = value; }
    /// <summary>Initial value of r2.</summary>
    public ulong R2 { get => InitialR2; set => InitialR2 = value; }
    /// <summary>Initial value of r3.</summary>
    public ulong R3 { get => InitialR3; set => InitialR3 = value; }
    /// <summary>Initial value of r4.</summary>
    public ulong R4 { get => InitialR4; set => InitialR4 = value; }
    /// <summary>Initial value of r5.</summary>
    public ulong R5 { get => InitialR5; set => InitialR5 = value; }

    /// <summary>Caller-defined state for helpers (for example the program's map table).</summary>
    public object? State { get; set; }

    /// <summary>
    /// The host's kernel-space memory that probe loads may read besides the run's own memory (kernel: any mapped
    /// kernel address): a tracing program's loads through PTR_TO_BTF_ID pointers read there, and read 0 elsewhere.
    /// Null: only the run's memory.
    /// </summary>
    public Helpers.ProbeMemory? ProbeMemory { get; set; }

    /// <summary>
    /// The packet that legacy LD_ABS / LD_IND loads read; null if there is none (every such load
    /// then ends the program with r0 = 0). In checked mode ordinary loads may also read it.
    /// </summary>
    public MemoryRegion? Packet
    {
        get => _packet;
        set
        {
            _packet = value;
            PacketStart = value is { } p ? (ulong)p.Start : 0;
            PacketLength = value is { } q ? (ulong)q.Length : 0;
        }
    }

    /// <summary>The regions registered with <see cref="AddRegion"/> (besides the stack and the packet).</summary>
    public ReadOnlySpan<MemoryRegion> Regions => _regions.AsSpan(0, _regionCount);

    /// <summary>Allows the run to touch <paramref name="region"/> (checked mode bounds checks and helper pointer checks).</summary>
    public void AddRegion(MemoryRegion region)
    {
        if (_regionCount == _regions.Length)
            Array.Resize(ref _regions, _regions.Length * 2);
        _regions[_regionCount++] = region;
    }

    /// <summary>Forgets the regions added with <see cref="AddRegion"/>.</summary>
    public void ClearRegions() => TruncateRegions(0);

    /// <summary>Forgets the regions added after the first <paramref name="count"/> (a caller's scope of extra regions for one run).</summary>
    internal void TruncateRegions(int count)
    {
        if (count >= _regionCount) return;
        Array.Clear(_regions, count, _regionCount - count);
        _regionCount = count;
    }

    /// <summary>Clears the per-run inputs: r1-r5, regions, packet and state (<see cref="Maps"/>, <see cref="PossibleCpus"/> and <see cref="Cpu"/> stay).</summary>
    public void Reset()
    {
        R1 = R2 = R3 = R4 = R5 = 0;
        ClearRegions();
        Packet = null;
        State = null;
        KernelStack = UserStack = default;
    }

    // Packet bounds as plain numbers for the legacy packet loads (0/0 when there is none).
    internal ulong PacketStart;
    internal ulong PacketLength;
}
