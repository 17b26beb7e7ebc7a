using BpfSharp.Maps;
using BpfSharp.Memory;

namespace BpfSharp.Runtime;

// What a run of a loaded program carries besides registers and regions: the system's maps,
// the CPU slot, and a pending tail call (kernel: bpf_tail_call, MAX_TAIL_CALL_CNT).
// Stopgap: Maps, Cpu, TailCallTarget and TailCallCount are owned by the helpers branch; if it
// defines them too, keep its definitions and delete these four. RegionCount and
// TruncateRegions are used by the command layer and stay.
public sealed partial class RunContext
{
    /// <summary>Tail calls one chain of runs may make at most (kernel: MAX_TAIL_CALL_CNT).</summary>
    public const int MaxTailCallCount = 33;

    /// <summary>The maps of the system the program runs in: turns map handles passed to helpers back into maps.</summary>
    public MapRegistry? Maps { get; set; }

    /// <summary>The CPU slot the run is on (per-CPU maps, bpf_get_smp_processor_id); 0 ≤ Cpu &lt; possible CPUs.</summary>
    public int Cpu { get; set; }

    /// <summary>
    /// Set by bpf_tail_call (which then ends the running program): the program to run next, with
    /// the same r1. The runner of loaded programs runs it and clears this.
    /// </summary>
    public BpfObject? TailCallTarget { get; set; }

    /// <summary>Tail calls made so far in this chain of runs; bpf_tail_call fails once it reaches <see cref="MaxTailCallCount"/>.</summary>
    public int TailCallCount { get; set; }

    /// <summary>Number of regions registered with <see cref="AddRegion"/>.</summary>
    internal int RegionCount => _regionCount;

    /// <summary>Forgets the regions added after the first <paramref name="count"/>.</summary>
    internal void TruncateRegions(int count)
    {
        if (count >= _regionCount) return;
        Array.Clear(_regions, count, _regionCount - count);
        _regionCount = count;
    }
}
