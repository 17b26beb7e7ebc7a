using BpfSharp.Memory;

namespace BpfSharp.Runtime;

// Memory a run reaches through helpers (map values a lookup returned, keys a for_each passes): accessible
// until the run ends. Checked mode keeps every one (deduplicated); unchecked mode keeps the most recent
// ones only, for the helpers' own fault-free reads (probe_read, %s), at the cost of two stores per lookup.
public sealed partial class RunContext
{
    /// <summary>Run regions unchecked runs remember (a ring: older ones are forgotten).</summary>
    public const int UncheckedRunRegions = 16;

    private MemoryRegion[] _runRegions = new MemoryRegion[UncheckedRunRegions];
    private int _runRegionCount;
    private int _runRegionNext;

    /// <summary>The regions added with <see cref="AddRunRegion"/> during the run in progress.</summary>
    public ReadOnlySpan<MemoryRegion> RunRegions => _runRegions.AsSpan(0, _runRegionCount);

    /// <summary>
    /// Lets the rest of the run in progress touch <paramref name="region"/> (a helper returned a pointer into
    /// it). Forgotten when the run ends. No allocation once the run has seen as many distinct regions before.
    /// </summary>
    /// <exception cref="InvalidOperationException">No run is in progress.</exception>
    public void AddRunRegion(MemoryRegion region)
    {
        if (!Running)
            throw new InvalidOperationException("AddRunRegion needs a run in progress");
        if (!CheckedRun)
        {
            _runRegions[_runRegionNext] = region;
            _runRegionNext = (_runRegionNext + 1) % UncheckedRunRegions;
            if (_runRegionCount < UncheckedRunRegions) _runRegionCount++;
            return;
        }
        for (int i = _runRegionCount - 1; i >= 0; i--)
        {
            if (SameRange(_runRegions[i], region))
                return;
        }
        if (_runRegionCount == _runRegions.Length)
            Array.Resize(ref _runRegions, _runRegions.Length * 2);
        _runRegions[_runRegionCount++] = region;
    }

    /// <summary>Forgets a region added with <see cref="AddRunRegion"/> (memory that stops existing before the run ends).</summary>
    /// <returns>True if it was there.</returns>
    public bool RemoveRunRegion(MemoryRegion region)
    {
        for (int i = _runRegionCount - 1; i >= 0; i--)
        {
            if (!SameRange(_runRegions[i], region)) continue;
            if (!CheckedRun)
            {
                _runRegions[i] = default; // keep the ring's order; an empty region matches nothing
                return true;
            }
            _runRegions[i] = _runRegions[_runRegionCount - 1];
            _runRegions[--_runRegionCount] = default;
            return true;
        }
        return false;
    }

    private static bool SameRange(in MemoryRegion a, in MemoryRegion b) =>
        a.Start == b.Start && a.Length == b.Length && a.Writable == b.Writable;

    // True while a program runs nested in a tail call from a subprogram frame: its run keeps the regions the
    // interrupted run reached (ResumeAfterNestedTailCall drops its own).
    private bool _keepRunRegions;

    private void ClearRunRegions()
    {
        if (_runRegionCount == 0 || _keepRunRegions) return; // the common case, on every run's start and end
        Array.Clear(_runRegions, 0, _runRegionCount);
        _runRegionCount = 0;
        _runRegionNext = 0;
    }

    // Checked runs: forgets the regions added after the first count ones.
    private void TruncateRunRegions(int count)
    {
        if (_runRegionCount <= count) return;
        Array.Clear(_runRegions, count, _runRegionCount - count);
        _runRegionCount = count;
    }
}
